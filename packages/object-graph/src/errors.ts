/**
 * Error codes of {@link ObjectGraphError}. String constants so they survive
 * serialisation and compare across duplicate installs.
 */
export const ObjectGraphErrorCode = {
  /** The graph source broke its contract (bad count, non-finite address, overlapping objects). */
  InvalidSource: "INVALID_SOURCE",
  /** More edges than a 32-bit CSR offset can index. */
  TooManyEdges: "TOO_MANY_EDGES",
  /** An ordinal outside `0..objectCount-1` (or outside the marker's allocated objects). */
  InvalidOrdinal: "INVALID_ORDINAL",
  /** A pointer-slot index that the object does not have. */
  InvalidSlot: "INVALID_SLOT",
  /** Two graphs that cannot be compared or a heap dump the adapter cannot use. */
  InvalidInput: "INVALID_INPUT",
} as const;

/** One of the {@link ObjectGraphErrorCode} values. */
export type ObjectGraphErrorCode = (typeof ObjectGraphErrorCode)[keyof typeof ObjectGraphErrorCode];

/** Options of the {@link ObjectGraphError} constructor. */
export interface ObjectGraphErrorOptions {
  /** The node ordinal the error is about, when there is one. */
  readonly ordinal?: number;
  /** The underlying error, when this one wraps another. */
  readonly cause?: unknown;
}

/**
 * The only error type thrown by `@tricolor/object-graph`.
 *
 * The position of a graph error is an *ordinal* (the dense node id), not a
 * byte offset: by the time a graph exists the bytes are behind us.
 */
export class ObjectGraphError extends Error {
  override readonly name = "ObjectGraphError";
  /** Machine-readable reason. */
  readonly code: ObjectGraphErrorCode;
  /** Node ordinal the error refers to, if any. */
  readonly ordinal: number | undefined;

  constructor(code: ObjectGraphErrorCode, message: string, options: ObjectGraphErrorOptions = {}) {
    super(
      options.ordinal === undefined ? message : `${message} (ordinal ${options.ordinal})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.ordinal = options.ordinal;
  }
}

/**
 * Whether `e` is an {@link ObjectGraphError}. Checks `name` rather than
 * `instanceof` so it also works when two copies of the package are loaded.
 */
export function isObjectGraphError(e: unknown): e is ObjectGraphError {
  return (
    typeof e === "object" &&
    e !== null &&
    (e as { name?: unknown }).name === "ObjectGraphError" &&
    typeof (e as { code?: unknown }).code === "string"
  );
}

/**
 * Error codes raised by `@tricolor/pprof-proto`.
 *
 * Byte-level decoding problems carry an `offset` into the (decompressed) proto
 * bytes; text-format problems carry a 1-based `line`.
 */
export const PprofErrorCode = {
  /** A varint ran past the end of its window or past 10 bytes. */
  BadVarint: "bad-varint",
  /** A length-delimited field, fixed32 or fixed64 ran past the end of its window. */
  Truncated: "truncated",
  /** Wire types 3/4 (groups), 6 and 7 are not valid in profile.proto. */
  BadWireType: "bad-wire-type",
  /** A known field arrived with a wire type its schema does not allow. */
  WireTypeMismatch: "wire-type-mismatch",
  /** A string-table index points outside the table. */
  BadStringIndex: "bad-string-index",
  /** string_table[0] is not the empty string. */
  BadStringTable: "bad-string-table",
  /** A sample or line refers to a location or function id that is not defined. */
  UnknownId: "unknown-id",
  /** Two mappings, locations or functions share an id, or an id is 0. */
  BadId: "bad-id",
  /** A sample has a different number of values than the profile has sample types. */
  ValueCountMismatch: "value-count-mismatch",
  /** A second non-zero `time_nanos` was seen: several profiles were concatenated. */
  ConcatenatedProfiles: "concatenated-profiles",
  /** The input is empty. */
  Empty: "empty",
  /** The gzip stream is corrupt or truncated. */
  BadGzip: "bad-gzip",
  /** A size limit (decompressed bytes, table entries) was exceeded. */
  TooLarge: "too-large",
  /** A builder or encoder was given an argument that does not fit the model. */
  InvalidArgument: "invalid-argument",
  /** A text profile could not be parsed. */
  BadText: "bad-text",
} as const;

/** One of the string constants in {@link PprofErrorCode}. */
export type PprofErrorCode = (typeof PprofErrorCode)[keyof typeof PprofErrorCode];

/** Options accepted by the {@link PprofError} constructor. */
export interface PprofErrorOptions {
  /** Byte offset into the decompressed proto where the problem was found. */
  offset?: number;
  /** 1-based line number for text formats. */
  line?: number;
  /** The underlying error when this one wraps another. */
  cause?: unknown;
}

/** The single error class thrown by `@tricolor/pprof-proto`. */
export class PprofError extends Error {
  override readonly name = "PprofError";
  /** Machine-readable reason, one of {@link PprofErrorCode}. */
  readonly code: PprofErrorCode;
  /** Byte offset into the decompressed proto bytes, when the input was binary. */
  readonly offset: number | undefined;
  /** 1-based line number, when the input was text. */
  readonly line: number | undefined;

  constructor(code: PprofErrorCode, message: string, options: PprofErrorOptions = {}) {
    const where =
      options.offset !== undefined
        ? ` (at byte ${options.offset})`
        : options.line !== undefined
          ? ` (at line ${options.line})`
          : "";
    super(message + where, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = code;
    this.offset = options.offset;
    this.line = options.line;
  }
}

/**
 * True when `e` is a {@link PprofError}. Checks `name` rather than
 * `instanceof` so it also works across duplicate installs of the package.
 */
export function isPprofError(e: unknown): e is PprofError {
  return (
    typeof e === "object" &&
    e !== null &&
    (e as { name?: unknown }).name === "PprofError" &&
    typeof (e as { code?: unknown }).code === "string"
  );
}

/**
 * The package's one error class and its codes.
 *
 * @module
 */

/** Error codes of {@link HeapDumpError}. */
export const HeapDumpErrorCode = {
  /** The input does not start with `go1.7 heap dump\n`. */
  BadHeader: "BAD_HEADER",
  /** A record tag outside 0..17. */
  UnknownTag: "UNKNOWN_TAG",
  /** The input ends inside a record, or before the EOF record. */
  Truncated: "TRUNCATED",
  /** A varint longer than 10 bytes or above 2^64 - 1. */
  VarintTooLong: "VARINT_TOO_LONG",
  /** A byte-string length larger than the bytes that remain. */
  LengthOutOfRange: "LENGTH_OUT_OF_RANGE",
  /** The first record is not the params record. */
  MissingParams: "MISSING_PARAMS",
  /** An EOF record after the EOF record. */
  SecondEof: "SECOND_EOF",
  /** Bytes other than an EOF record after the EOF record. */
  TrailingData: "TRAILING_DATA",
  /** A value of a `number` field at or above 2^53. */
  UnsafeInteger: "UNSAFE_INTEGER",
  /** A field-list entry whose kind is not 0..3. */
  BadFieldKind: "BAD_FIELD_KIND",
  /** A params record with a pointer size other than 4 or 8. */
  BadParams: "BAD_PARAMS",
  /** A structure beyond what this reader can index (object of 4 GiB or more, 2^32 pointer slots). */
  LimitExceeded: "LIMIT_EXCEEDED",
  /** A record that violates the format (e.g. a memstats record that is not the known shape). */
  BadRecord: "BAD_RECORD",
  /** An I/O failure of the Node helpers (wrapped in `cause`). */
  Io: "IO",
  /** An argument that is not bytes (or a stream chunk that is not bytes). */
  InvalidArgument: "INVALID_ARGUMENT",
} as const;

/** One of the {@link HeapDumpErrorCode} values. */
export type HeapDumpErrorCode = (typeof HeapDumpErrorCode)[keyof typeof HeapDumpErrorCode];

/** Options of the {@link HeapDumpError} constructor. */
export interface HeapDumpErrorOptions {
  /** Index of the record being read (0 = the params record), or -1. */
  readonly recordIndex?: number;
  /** The underlying error. */
  readonly cause?: unknown;
}

/** The error every reader and writer function of this package throws for bad input. */
export class HeapDumpError extends Error {
  /** Always `"HeapDumpError"`; checked by {@link isHeapDumpError}. */
  override readonly name = "HeapDumpError" as const;
  /** What went wrong. */
  readonly code: HeapDumpErrorCode;
  /** Byte offset in the dump where the problem was found. */
  readonly offset: number;
  /** Index of the record being read (0 = params), or -1 when not inside a record. */
  readonly recordIndex: number;

  /**
   * @param code - the error code
   * @param message - explanation (the offset is appended)
   * @param offset - byte offset in the dump
   * @param options - record index and cause
   */
  constructor(
    code: HeapDumpErrorCode,
    message: string,
    offset: number,
    options: HeapDumpErrorOptions = {},
  ) {
    super(
      `${message} (at byte ${offset}${options.recordIndex !== undefined && options.recordIndex >= 0 ? `, record ${options.recordIndex}` : ""})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.offset = offset;
    this.recordIndex = options.recordIndex ?? -1;
  }
}

/** True when `e` is a {@link HeapDumpError}, also across duplicate installs of the package. */
export function isHeapDumpError(e: unknown): e is HeapDumpError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "HeapDumpError";
}

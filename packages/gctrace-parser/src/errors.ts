/**
 * Error codes carried by {@link GcTraceError}.
 *
 * Unknown or damaged trace lines are never errors (they become `other` events or
 * diagnostics); these codes only report misuse of the API.
 */
export const GcTraceErrorCode = {
  /** An option passed to a parser or helper is out of range or of the wrong type. */
  InvalidOption: "INVALID_OPTION",
  /** The input given to a parsing entry point is not a supported type. */
  InvalidInput: "INVALID_INPUT",
  /** A formatter was handed an event that cannot be printed (e.g. a wrong kind). */
  InvalidEvent: "INVALID_EVENT",
} as const;

/** One of the {@link GcTraceErrorCode} values. */
export type GcTraceErrorCode = (typeof GcTraceErrorCode)[keyof typeof GcTraceErrorCode];

/** Options accepted by the {@link GcTraceError} constructor. */
export interface GcTraceErrorOptions {
  /** 1-based input line the error refers to, when there is one. */
  line?: number;
  /** Underlying error being wrapped. */
  cause?: unknown;
}

/**
 * The single error class of `@tricolor/gctrace-parser`.
 *
 * Thrown only for misuse (invalid options, unsupported input types); trace text
 * that does not match any known line kind is reported as `other` instead.
 */
export class GcTraceError extends Error {
  /** Always `"GcTraceError"`; {@link isGcTraceError} checks it. */
  override readonly name = "GcTraceError";
  /** Machine-readable reason, one of {@link GcTraceErrorCode}. */
  readonly code: GcTraceErrorCode;
  /** 1-based input line, or `undefined` when the error is not tied to a line. */
  readonly line: number | undefined;

  constructor(code: GcTraceErrorCode, message: string, options: GcTraceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.line = options.line;
  }
}

/**
 * Whether `e` is a {@link GcTraceError}. Checks `name` rather than `instanceof`
 * so it also works across duplicate installs of the package.
 */
export function isGcTraceError(e: unknown): e is GcTraceError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "GcTraceError";
}

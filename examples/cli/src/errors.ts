/**
 * The one-line error contract of the `tricolor` command:
 *
 *     tricolor: <file>:<position>: <message>
 *
 * where the position is a byte offset for binary inputs (heap dumps, pprof
 * protobufs) and a line number for text inputs (GODEBUG traces, pprof text).
 * Exit code 1; the stack trace is printed only with `--debug`.
 */

/** Where in an input a problem was found. */
export type Position = { offset: number } | { line: number };

/** An error the CLI reports as one line (usage mistakes, unreadable inputs). */
export class CliError extends Error {
  override readonly name = "CliError";
  /** The input the error is about, if any. */
  readonly file: string | undefined;
  /** Byte offset or line number inside `file`. */
  readonly position: Position | undefined;

  constructor(
    message: string,
    options: { file?: string; position?: Position; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.position = options.position;
  }
}

/** A usage mistake: the message is followed by a hint to run `--help`. */
export class UsageError extends CliError {}

/**
 * Runs `fn` and, if it throws, tags the error with the input it was reading so
 * that {@link formatError} can name the file.
 */
export async function withInput<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CliError && error.file !== undefined) throw error;
    throw new CliError(messageOf(error), {
      file,
      ...positionOfOptional(error),
      cause: error,
    });
  }
}

function positionOfOptional(error: unknown): { position?: Position } {
  const position = positionOf(error);
  return position === undefined ? {} : { position };
}

/**
 * The byte offset or line number carried by a tricolor package error
 * (`HeapDumpError`, `GcTraceError`, `PprofError`, ...): every package error
 * has a `name`, a `code` and either `offset` or `line` (see CONVENTIONS.md).
 */
export function positionOf(error: unknown): Position | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const record = error as { offset?: unknown; line?: unknown };
  if (typeof record.offset === "number" && Number.isFinite(record.offset)) {
    return { offset: record.offset };
  }
  if (typeof record.offset === "bigint") return { offset: Number(record.offset) };
  if (typeof record.line === "number" && Number.isFinite(record.line)) {
    return { line: record.line };
  }
  return undefined;
}

const systemMessages: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EISDIR: "is a directory, not a file",
  ENOTDIR: "a component of the path is not a directory",
  EMFILE: "too many open files",
};

function messageOf(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const code = (error as { code?: unknown }).code;
    const syscall = (error as { syscall?: unknown }).syscall;
    if (typeof code === "string" && typeof syscall === "string" && code in systemMessages) {
      return systemMessages[code]!;
    }
  }
  if (error instanceof Error) return firstLine(error.message);
  return firstLine(String(error));
}

function firstLine(text: string): string {
  // Package messages may repeat the position ("... (at byte 12)"); the CLI
  // line already leads with it.
  const line = text
    .split("\n", 1)[0]!
    .trim()
    .replace(/\s*\((?:at )?(?:byte|offset|line) \d+(?:, ([^)]*))?\)$/, (_m, rest?: string) =>
      rest === undefined ? "" : ` (${rest})`,
    );
  return line === "" ? "unknown error" : line;
}

/**
 * Formats any thrown value as the CLI's single error line (without the
 * trailing newline). Package errors are recognised by their `name`
 * ending in "Error" plus a string `code`; their message is kept as is.
 */
export function formatError(error: unknown): string {
  if (error instanceof CliError) {
    const message = firstLine(error.message);
    if (error.file === undefined) return `tricolor: ${message}`;
    const where = error.position === undefined ? "" : `:${positionText(error.position)}`;
    return `tricolor: ${error.file}${where}: ${message}`;
  }
  const position = positionOf(error);
  const message = messageOf(error);
  if (position !== undefined) return `tricolor: ${positionText(position)}: ${message}`;
  return `tricolor: ${message}`;
}

function positionText(position: Position): string {
  return "offset" in position ? String(position.offset) : String(position.line);
}

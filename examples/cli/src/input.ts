/**
 * Reading the command's inputs: whole files for binary formats (heap dumps,
 * profiles), line streams for text (GODEBUG traces), `-` for stdin.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { Io } from "./command.js";
import { CliError } from "./errors.js";

/** The name used for stdin in messages. */
export const stdinName = "<stdin>";

/** The display name of an input argument. */
export function inputName(path: string): string {
  return path === "-" ? stdinName : path;
}

async function checkFile(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === "ENOENT"
        ? "no such file or directory"
        : code === "EACCES"
          ? "permission denied"
          : `cannot read: ${(error as Error).message}`;
    throw new CliError(message, { file: path, cause: error });
  }
  if (info.isDirectory()) throw new CliError("is a directory, not a file", { file: path });
}

/** Reads a whole input file (or stdin for `-`) into memory. */
export async function readInputBytes(path: string, io: Io): Promise<Uint8Array> {
  if (path === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
    }
    return new Uint8Array(Buffer.concat(chunks));
  }
  await checkFile(path);
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new CliError(`cannot read: ${(error as Error).message}`, { file: path, cause: error });
  }
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The lines of a text input (or stdin for `-`), streamed. A gzip-compressed
 * input (`trace.log.gz`, or gzip on stdin) is recognised by its magic number
 * and decompressed on the fly; a damaged one fails with a `CliError`.
 */
export async function openInputLines(path: string, io: Io): Promise<AsyncIterable<string>> {
  if (path !== "-") await checkFile(path);
  const input: AsyncIterable<Buffer | string> = path === "-" ? io.stdin : createReadStream(path);
  return linesOf(input, inputName(path));
}

async function* linesOf(
  input: AsyncIterable<Buffer | string>,
  name: string,
): AsyncGenerator<string> {
  const chunks = input[Symbol.asyncIterator]();
  // Enough of the start to see the magic number (a pipe may deliver one byte).
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 2) {
    const next = await chunks.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    head.push(chunk);
    headBytes += chunk.length;
  }
  const start = Buffer.concat(head);
  async function* bytes(): AsyncGenerator<Buffer> {
    if (start.length > 0) yield start;
    if (ended) return;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
      yield typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    }
  }
  let source: Readable = Readable.from(bytes(), { objectMode: false });
  if (isGzip(start)) {
    const gunzip = createGunzip();
    let failure: Error | undefined;
    source.on("error", (error) => gunzip.destroy(error));
    gunzip.on("error", (error) => {
      failure ??= error;
    });
    source = source.pipe(gunzip);
    try {
      yield* createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
    } catch (error) {
      failure ??= error as Error;
    }
    if (failure !== undefined) {
      throw new CliError(`corrupt gzip stream: ${failure.message}`, { file: name, cause: failure });
    }
    return;
  }
  yield* createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
}

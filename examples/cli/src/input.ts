/**
 * Reading the command's inputs: whole files for binary formats (heap dumps,
 * profiles), line streams for text (GODEBUG traces), `-` for stdin.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createInterface } from "node:readline";
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

/** The lines of a text input (or stdin for `-`), streamed. */
export async function openInputLines(path: string, io: Io): Promise<AsyncIterable<string>> {
  if (path !== "-") await checkFile(path);
  const input = path === "-" ? io.stdin : createReadStream(path);
  return createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
}

/**
 * Node-only helpers of `@tricolor/heapdump-reader` (import from
 * `@tricolor/heapdump-reader/node`): read dump files of any size, with progress.
 *
 * @packageDocumentation
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { HeapDumpError, HeapDumpErrorCode } from "./errors.js";
import { readHeapDump } from "./read-heap-dump.js";
import type { StreamHeapDumpOptions } from "./stream.js";
import { streamHeapDump } from "./stream.js";
import type { HeapDump, HeapDumpRecord, ReadHeapDumpOptions } from "./types.js";

/** Progress callback: bytes read so far and the file size. */
export type ProgressCallback = (bytesRead: number, totalBytes: number) => void;

/** Options of {@link readHeapDumpFile}. */
export interface ReadHeapDumpFileOptions extends ReadHeapDumpOptions {
  /** Called after every chunk read from the file. */
  readonly onProgress?: ProgressCallback;
  /** Bytes per read call (default 16 MiB). */
  readonly chunkSize?: number;
}

/** Options of {@link streamHeapDumpFile}. */
export interface StreamHeapDumpFileOptions extends StreamHeapDumpOptions {
  /** Called after every chunk read from the file. */
  readonly onProgress?: ProgressCallback;
  /** Bytes per chunk (default 64 KiB). */
  readonly chunkSize?: number;
}

function ioError(message: string, cause: unknown): HeapDumpError {
  return new HeapDumpError(HeapDumpErrorCode.Io, message, 0, { cause });
}

/**
 * Reads a whole file into one `Uint8Array` with positioned reads, so files
 * over 2 GiB (which `fs.readFile` refuses) work, up to the largest typed array
 * the runtime allows (4 GiB in Node 20); beyond that it throws
 * `LIMIT_EXCEEDED` (use {@link streamHeapDumpFile}).
 */
export async function readFileBytes(
  path: string,
  options: { readonly onProgress?: ProgressCallback; readonly chunkSize?: number } = {},
): Promise<Uint8Array> {
  const chunkSize = options.chunkSize ?? 16 * 1024 * 1024;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (e) {
    throw ioError(`cannot open ${path}`, e);
  }
  try {
    const size = (await handle.stat()).size;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(size);
    } catch (e) {
      throw new HeapDumpError(
        HeapDumpErrorCode.LimitExceeded,
        `cannot allocate ${size} bytes for ${path}; use streamHeapDumpFile`,
        0,
        { cause: e },
      );
    }
    let pos = 0;
    while (pos < size) {
      const want = Math.min(chunkSize, size - pos);
      const { bytesRead } = await handle.read(bytes, pos, want, pos);
      if (bytesRead === 0) break; // the file shrank while reading
      pos += bytesRead;
      options.onProgress?.(pos, size);
    }
    return pos === size ? bytes : bytes.subarray(0, pos);
  } catch (e) {
    if (e instanceof HeapDumpError) throw e;
    throw ioError(`cannot read ${path}`, e);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a heap dump file into a {@link HeapDump} (see `readHeapDump`).
 *
 * @example
 * ```ts
 * import { readHeapDumpFile } from "@tricolor/heapdump-reader/node";
 * const dump = await readHeapDumpFile("heap.dump", {
 *   onProgress: (done, total) => console.error(`${((100 * done) / total).toFixed(0)}%`),
 * });
 * ```
 */
export async function readHeapDumpFile(
  path: string,
  options: ReadHeapDumpFileOptions = {},
): Promise<HeapDump> {
  const readOptions: { onProgress?: ProgressCallback; chunkSize?: number } = {};
  if (options.onProgress !== undefined) readOptions.onProgress = options.onProgress;
  if (options.chunkSize !== undefined) readOptions.chunkSize = options.chunkSize;
  const bytes = await readFileBytes(path, readOptions);
  return readHeapDump(bytes, options);
}

/**
 * Streams the records of a heap dump file of any size with memory bounded by
 * the largest record (see `streamHeapDump`). The file is opened on the first
 * `next()`; a missing file rejects there with code `IO`.
 *
 * @example
 * ```ts
 * for await (const r of streamHeapDumpFile("heap.dump")) if (r.kind === "goroutine") n++;
 * ```
 */
export function streamHeapDumpFile(
  path: string,
  options: StreamHeapDumpFileOptions = {},
): AsyncGenerator<HeapDumpRecord, void, void> {
  // 64 KiB reads keep the peak RSS low: larger chunk Buffers live outside
  // Node's pool and are reclaimed later by the GC.
  const { onProgress, chunkSize = 64 * 1024 } = options;
  async function* chunks(): AsyncGenerator<Uint8Array, void, void> {
    let total: number;
    try {
      const h = await open(path, "r");
      total = (await h.stat()).size;
      await h.close();
    } catch (e) {
      throw ioError(`cannot open ${path}`, e);
    }
    const file = createReadStream(path, { highWaterMark: chunkSize });
    let read = 0;
    try {
      for await (const chunk of file as AsyncIterable<Buffer>) {
        read += chunk.length;
        onProgress?.(read, total);
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    } catch (e) {
      throw ioError(`cannot read ${path}`, e);
    } finally {
      file.destroy();
    }
  }
  // Returned directly (no wrapping generator): one async hop per record, not two.
  return streamHeapDump(chunks(), options);
}

import { Cursor } from "./cursor.js";
import { HeapDumpError, HeapDumpErrorCode, isHeapDumpError } from "./errors.js";
import { asBytes } from "./input.js";
import { checkAfterEof, checkHeader, HEADER_LENGTH, nextRecord } from "./records.js";
import type { HeapDumpRecord } from "./types.js";

/** Sources {@link streamHeapDump} accepts. */
export type HeapDumpSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Options of {@link streamHeapDump}. */
export interface StreamHeapDumpOptions {
  /**
   * Largest record accepted, in bytes (default: unlimited). A record claiming
   * more fails with `LIMIT_EXCEEDED` instead of being buffered.
   */
  readonly maxRecordBytes?: number;
}

async function* chunksOf(source: HeapDumpSource): AsyncGenerator<Uint8Array, void, void> {
  let offset = 0;
  const bytes = (chunk: unknown): Uint8Array => {
    const b = asBytes(chunk, "a stream chunk", offset);
    offset += b.length;
    return b;
  };
  if (typeof (source as ReadableStream<Uint8Array>)?.getReader === "function") {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield bytes(value);
      }
    } finally {
      reader.releaseLock();
    }
  } else if (typeof (source as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] === "function") {
    for await (const chunk of source as AsyncIterable<Uint8Array>) yield bytes(chunk);
  } else {
    throw new HeapDumpError(
      HeapDumpErrorCode.InvalidArgument,
      "streamHeapDump's source must be an AsyncIterable of byte chunks or a ReadableStream",
      0,
    );
  }
}

function needsMore(e: unknown): boolean {
  return (
    isHeapDumpError(e) &&
    (e.code === HeapDumpErrorCode.Truncated || e.code === HeapDumpErrorCode.LengthOutOfRange)
  );
}

/**
 * Reads records from a stream of byte chunks (an `AsyncIterable<Uint8Array>`
 * such as a Node `fs.ReadStream`, or a web `ReadableStream`), in dump order.
 *
 * Memory stays bounded by the largest single record plus one chunk: records
 * may span any number of chunks, and only the bytes not yet decoded are kept.
 * Object, frame, data and bss `contents` are views into the chunks (or into
 * the joined copy of a record that spans chunks), so the source must not
 * reuse a chunk's memory after yielding it (Node streams and `fetch` bodies
 * never do). Errors are the same as {@link readHeapDumpRecords}', with dump
 * offsets.
 *
 * @example
 * ```ts
 * const response = await fetch("/heap.dump");
 * for await (const r of streamHeapDump(response.body!)) {
 *   if (r.kind === "memStats") console.log(r.stats.HeapObjects);
 * }
 * ```
 */
export async function* streamHeapDump(
  source: HeapDumpSource,
  options: StreamHeapDumpOptions = {},
): AsyncGenerator<HeapDumpRecord, void, void> {
  const maxRecord = options.maxRecordBytes ?? Number.POSITIVE_INFINITY;
  const chunks = chunksOf(source);
  // The window of undecoded bytes is buf[start..]; buf is never written
  // after records were decoded from it, so their views stay valid.
  let buf: Uint8Array = new Uint8Array(0);
  let start = 0;
  let base = 0; // dump offset of buf[0]
  let done = false;

  // Appends chunks until at least `want` undecoded bytes are buffered or the
  // input ends: one copy of the pending bytes per call, however many chunks.
  const fill = async (want: number): Promise<void> => {
    const parts: Uint8Array[] = [];
    let have = buf.length - start;
    while (have < want && !done) {
      const next = await chunks.next();
      if (next.done === true) done = true;
      else if (next.value.length > 0) {
        parts.push(next.value);
        have += next.value.length;
      }
    }
    if (parts.length === 0) return;
    if (start === buf.length && parts.length === 1) {
      base += buf.length;
      buf = parts[0] as Uint8Array; // zero-copy: the chunk itself
    } else {
      const joined = new Uint8Array(have);
      joined.set(buf.subarray(start), 0);
      let at = buf.length - start;
      for (const p of parts) {
        joined.set(p, at);
        at += p.length;
      }
      base += start;
      buf = joined;
    }
    start = 0;
  };

  await fill(HEADER_LENGTH);
  checkHeader(buf.subarray(start), done);
  start += HEADER_LENGTH;

  const c = new Cursor(buf, start, buf.length, base);
  for (let index = 0; ; index++) {
    // Decode from what is buffered; when that is not enough, wait until the
    // buffered amount doubles (or the input ends) before trying again, so a
    // record spanning many chunks is re-parsed O(log size) times.
    for (;;) {
      if (start === buf.length && !done) await fill(1);
      c.buf = buf;
      c.pos = start;
      c.end = buf.length;
      c.base = base;
      let record: HeapDumpRecord | undefined;
      try {
        record = nextRecord(c, index);
      } catch (e) {
        if (!needsMore(e) || done) throw e;
        const have = buf.length - start;
        if (have > maxRecord) {
          throw new HeapDumpError(
            HeapDumpErrorCode.LimitExceeded,
            `record larger than maxRecordBytes (${maxRecord})`,
            base + start,
            { recordIndex: index },
          );
        }
        await fill(Math.max(have * 2, have + 1));
        continue;
      }
      start = c.pos;
      if (record === undefined) {
        // EOF record: nothing may follow it.
        if (start === buf.length) await fill(1);
        c.recordIndex = -1;
        c.buf = buf;
        c.pos = start;
        c.end = buf.length;
        c.base = base;
        checkAfterEof(c);
        return;
      }
      yield record;
      break;
    }
  }
}

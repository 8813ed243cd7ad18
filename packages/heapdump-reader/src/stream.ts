import { Cursor } from "./cursor.js";
import { HeapDumpError, HeapDumpErrorCode, isHeapDumpError } from "./errors.js";
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
  if (typeof (source as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    yield* source as AsyncIterable<Uint8Array>;
  }
}

/** A record's byte views point into the stream buffer, which is reused: copy them. */
function detach(r: HeapDumpRecord): HeapDumpRecord {
  switch (r.kind) {
    case "object":
    case "stackFrame":
    case "data":
    case "bss":
      return { ...r, contents: r.contents.slice() };
    default:
      return r;
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
 * Memory stays bounded by the largest single record plus one chunk: only the
 * bytes of the record being decoded are buffered, and records may span any
 * number of chunks. Object, frame, data and bss contents are copies.
 * Errors are the same as {@link readHeapDumpRecords}', with dump offsets.
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
  let buf = new Uint8Array(64 * 1024);
  let start = 0; // first unread byte
  let end = 0; // end of buffered bytes
  let base = 0; // dump offset of buf[0]
  let done = false;

  // Appends the next chunk; returns false at the end of the input.
  const pull = async (): Promise<boolean> => {
    if (done) return false;
    const next = await chunks.next();
    if (next.done === true) {
      done = true;
      return false;
    }
    const chunk = next.value;
    const pending = end - start;
    if (end + chunk.length > buf.length) {
      // Compact (and grow when the pending record needs it): amortized
      // linear, since the capacity doubles.
      let cap = buf.length;
      while (cap < pending + chunk.length) cap *= 2;
      const target = cap === buf.length ? buf : new Uint8Array(cap);
      if (target === buf) buf.copyWithin(0, start, end);
      else target.set(buf.subarray(start, end));
      buf = target;
      base += start;
      start = 0;
      end = pending;
    }
    buf.set(chunk, end);
    end += chunk.length;
    return true;
  };

  while (end - start < HEADER_LENGTH && (await pull()));
  checkHeader(buf.subarray(start, end), done);
  start += HEADER_LENGTH;

  for (let index = 0; ; index++) {
    // Decode from what is buffered; when that is not enough, wait until the
    // buffered amount doubles (or the input ends) before trying again, so a
    // large record is re-parsed O(log size) times, not once per chunk.
    for (;;) {
      const c = new Cursor(buf, start, end, base);
      let record: HeapDumpRecord | undefined;
      try {
        record = nextRecord(c, index);
      } catch (e) {
        if (!needsMore(e) || done) throw e;
        const have = end - start;
        if (have > maxRecord) {
          throw new HeapDumpError(
            HeapDumpErrorCode.LimitExceeded,
            `record larger than maxRecordBytes (${maxRecord})`,
            base + start,
            { recordIndex: index },
          );
        }
        const want = Math.max(have * 2, have + 1);
        while (end - start < want && (await pull()));
        continue;
      }
      if (record === undefined) {
        // EOF record: nothing may follow it.
        start = c.pos;
        while (end - start === 0 && (await pull()));
        checkAfterEof(new Cursor(buf, start, end, base));
        return;
      }
      start = c.pos;
      yield detach(record);
      break;
    }
  }
}

import { HEADER, TAG_EOF, TAG_PARAMS } from "./constants.js";
import { Cursor } from "./cursor.js";
import { decodeRecordBody } from "./decode.js";
import { HeapDumpError, HeapDumpErrorCode } from "./errors.js";
import { asBytes } from "./input.js";
import type { HeapDumpRecord } from "./types.js";

/** Byte length of the `go1.7 heap dump\n` header. */
export const HEADER_LENGTH = HEADER.length;

/**
 * Checks the header at the start of `bytes` (`dumphdr` in heapdump.go).
 * `complete` says whether no more bytes will follow (a short prefix is then TRUNCATED).
 * Returns false when more bytes are needed to decide.
 */
export function checkHeader(bytes: Uint8Array, complete: boolean): boolean {
  const n = Math.min(bytes.length, HEADER_LENGTH);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== HEADER.charCodeAt(i)) {
      throw new HeapDumpError(
        HeapDumpErrorCode.BadHeader,
        'input does not start with "go1.7 heap dump\\n"',
        i,
      );
    }
  }
  if (n < HEADER_LENGTH) {
    if (complete) {
      throw new HeapDumpError(HeapDumpErrorCode.Truncated, "input ends inside the header", n);
    }
    return false;
  }
  return true;
}

/** Checks what follows the EOF record: nothing at all is the only valid answer. */
export function checkAfterEof(c: Cursor): void {
  if (c.pos < c.end) {
    if (c.buf[c.pos] === TAG_EOF) {
      c.fail(HeapDumpErrorCode.SecondEof, "a second EOF record follows the EOF record");
    }
    c.fail(HeapDumpErrorCode.TrailingData, "bytes follow the EOF record");
  }
}

/** Reads the next record; returns undefined at (and after checking) the EOF record. */
export function nextRecord(c: Cursor, recordIndex: number): HeapDumpRecord | undefined {
  c.recordIndex = recordIndex;
  const tagAt = c.pos;
  if (tagAt >= c.end) c.fail(HeapDumpErrorCode.Truncated, "input ends before the EOF record");
  const tag = c.uvarint();
  if (tag === TAG_EOF) {
    if (recordIndex === 0) {
      c.fail(HeapDumpErrorCode.MissingParams, "the dump has no params record", tagAt);
    }
    return undefined;
  }
  if (recordIndex === 0 && tag !== TAG_PARAMS) {
    c.fail(HeapDumpErrorCode.MissingParams, "the first record is not the params record", tagAt);
  }
  return decodeRecordBody(c, tag, tagAt);
}

/**
 * Iterates over the records of a dump in memory, in dump order. Contents are
 * zero-copy views into `bytes`. Throws {@link HeapDumpError} on malformed input
 * (the EOF record is checked, and nothing may follow it).
 *
 * @example
 * ```ts
 * for (const record of readHeapDumpRecords(bytes)) {
 *   if (record.kind === "goroutine") console.log(record.id, record.waitReason);
 * }
 * ```
 */
export function* readHeapDumpRecords(
  input: Uint8Array | ArrayBuffer,
): Generator<HeapDumpRecord, void, void> {
  const bytes = asBytes(input, "readHeapDumpRecords' input");
  checkHeader(bytes, true);
  const c = new Cursor(bytes, HEADER_LENGTH);
  for (let i = 0; ; i++) {
    const record = nextRecord(c, i);
    if (record === undefined) break;
    yield record;
  }
  c.recordIndex = -1;
  checkAfterEof(c);
}

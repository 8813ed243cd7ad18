import { HeapDumpError, HeapDumpErrorCode } from "./errors.js";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const utf8 = new TextDecoder("utf-8");

/**
 * A bounds-checked reader over a window of bytes. `base` is the absolute
 * offset of `buf[0]` in the whole dump, so errors report dump offsets even
 * when reading a streamed chunk.
 */
export class Cursor {
  buf: Uint8Array;
  pos: number;
  end: number;
  base: number;
  /** Index of the record being read, for error messages. */
  recordIndex = -1;

  constructor(buf: Uint8Array, pos = 0, end = buf.length, base = 0) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.base = base;
  }

  fail(code: HeapDumpErrorCode, message: string, at = this.pos): never {
    throw new HeapDumpError(code, message, this.base + at, { recordIndex: this.recordIndex });
  }

  /**
   * A uvarint (encoding/binary format, written by `dumpint`) as a number.
   * Values at or above 2^53 are refused rather than rounded.
   */
  uvarint(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    if (pos >= end) this.fail(HeapDumpErrorCode.Truncated, "input ends inside a varint");
    let b = buf[pos++] as number;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    const start = pos - 1;
    // Low 28 bits with integer ops, the rest with exact float arithmetic:
    // every partial sum below 2^53 is exact, so a final value <= MAX_SAFE is exact.
    let lo = b & 0x7f;
    let shift = 7;
    for (;;) {
      if (pos >= end) this.fail(HeapDumpErrorCode.Truncated, "input ends inside a varint");
      b = buf[pos++] as number;
      lo |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        this.pos = pos;
        return lo >>> 0;
      }
      if (shift === 28) break;
    }
    let value = lo >>> 0;
    let mul = 2 ** 28;
    for (let i = 4; ; i++) {
      if (pos >= end) this.fail(HeapDumpErrorCode.Truncated, "input ends inside a varint");
      b = buf[pos++] as number;
      if (i === 9 && b > 1) {
        this.fail(HeapDumpErrorCode.VarintTooLong, "varint exceeds 64 bits", start);
      }
      value += (b & 0x7f) * mul;
      if (b < 0x80) break;
      if (i === 9) this.fail(HeapDumpErrorCode.VarintTooLong, "varint longer than 10 bytes", start);
      mul *= 128;
    }
    if (value > MAX_SAFE) {
      this.fail(HeapDumpErrorCode.UnsafeInteger, "value at or above 2^53 in a number field", start);
    }
    this.pos = pos;
    return value;
  }

  /**
   * Same as {@link uvarint}, tuned for 5..7-byte values (heap addresses):
   * decodes inline when at least 8 bytes remain, else defers to uvarint.
   */
  uvarintLong(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (this.end - pos < 8) return this.uvarint();
    let b = buf[pos] as number;
    let value = b & 0x7f;
    let mul = 128;
    for (let i = 1; i < 7 && b >= 0x80; i++) {
      b = buf[++pos] as number;
      value += (b & 0x7f) * mul;
      mul *= 128;
    }
    if (b >= 0x80) return this.uvarint(); // 8+ bytes: the careful path
    this.pos = pos + 1;
    return value; // at most 49 bits: exact
  }

  /** A uvarint as an exact bigint (up to 2^64 - 1). */
  uvarintBig(): bigint {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    const start = pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; ; i++) {
      if (pos >= end) this.fail(HeapDumpErrorCode.Truncated, "input ends inside a varint");
      const b = buf[pos++] as number;
      if (i === 9 && b > 1) {
        this.fail(HeapDumpErrorCode.VarintTooLong, "varint exceeds 64 bits", start);
      }
      const bits = b & 0x7f;
      // Two 32-bit halves; BigInt only at the end.
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) break;
      if (i === 9) this.fail(HeapDumpErrorCode.VarintTooLong, "varint longer than 10 bytes", start);
    }
    this.pos = pos;
    return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  }

  bool(): boolean {
    return this.uvarint() !== 0;
  }

  /** Reads a length prefix and checks it against the bytes that remain; returns the start. */
  rangeStart(): number {
    const at = this.pos;
    const len = this.uvarint();
    if (len > this.end - this.pos) {
      this.fail(
        HeapDumpErrorCode.LengthOutOfRange,
        `length ${len} exceeds the ${this.end - this.pos} bytes that remain`,
        at,
      );
    }
    const start = this.pos;
    this.pos = start + len;
    return start;
  }

  /** A length-prefixed byte string as a zero-copy view. */
  bytes(): Uint8Array {
    const start = this.rangeStart();
    return this.buf.subarray(start, this.pos);
  }

  string(): string {
    const start = this.rangeStart();
    if (this.pos === start) return "";
    return utf8.decode(this.buf.subarray(start, this.pos));
  }
}

// Protobuf wire-format reading for profile.proto, bounds-checked on every
// read. Varints are decoded as two 32-bit halves (`lo` returned, `hi` left on
// the reader) so the hot path never touches BigInt; callers build a bigint
// only when a field needs 64 bits. Semantics follow Go's hand-written decoder
// in github.com/google/pprof/profile/proto.go (10-byte varint limit, excess
// high bits of the 10th byte ignored).

import { PprofError, PprofErrorCode } from "./errors.js";

/** Protobuf wire types. */
export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

const TWO_32 = 4294967296;
const MAX_GROUP_DEPTH = 64;

/** A cursor over a byte window; `hi` holds the high half of the last varint read. */
export class Reader {
  readonly buf: Uint8Array;
  pos: number;
  hi = 0;

  constructor(buf: Uint8Array, pos = 0) {
    this.buf = buf;
    this.pos = pos;
  }

  /** Reads a varint ending before `end`; returns its low 32 bits (unsigned) and sets `hi`. */
  varint(end: number): number {
    const buf = this.buf;
    const pos = this.pos;
    if (pos >= end) throw truncated(pos, "varint");
    const b = buf[pos] as number;
    if (b < 0x80) {
      this.pos = pos + 1;
      this.hi = 0;
      return b;
    }
    if (pos + 1 < end) {
      const b1 = buf[pos + 1] as number;
      if (b1 < 0x80) {
        this.pos = pos + 2;
        this.hi = 0;
        return (b & 0x7f) | (b1 << 7);
      }
    }
    return this.varintSlow(end);
  }

  /** The general case of {@link varint}, kept out of line so the one- and two-byte paths inline. */
  varintSlow(end: number): number {
    const buf = this.buf;
    const start = this.pos;
    // Ten bytes are in the buffer: read without a bounds check per byte
    // (unrolled after protobuf-es's varint32/varint64 readers), then check
    // the end against the window; a varint running past it is re-read by
    // varintChecked, which reports the error.
    if (buf.length - start < 10) return this.varintChecked(end);
    let pos = start;
    let b = buf[pos++] as number;
    let lo = b & 0x7f;
    let hi = 0;
    for (let shift = 7; b >= 0x80 && shift < 28; shift += 7) {
      b = buf[pos++] as number;
      lo |= (b & 0x7f) << shift;
    }
    if (b >= 0x80) {
      b = buf[pos++] as number;
      lo |= (b & 0x0f) << 28;
      hi = (b & 0x7f) >>> 4;
      for (let shift = 3; b >= 0x80; shift += 7) {
        if (shift > 31) throw badVarint(start);
        b = buf[pos++] as number;
        hi |= (b & 0x7f) << shift;
      }
    }
    if (pos > end) return this.varintChecked(end);
    this.pos = pos;
    this.hi = hi >>> 0;
    return lo >>> 0;
  }

  /** {@link varintSlow} near the end of a window: every byte is bounds-checked. */
  varintChecked(end: number): number {
    const buf = this.buf;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw badVarint(start);
      b = buf[pos++] as number;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.hi = 0;
        return lo >>> 0;
      }
    }
    if (pos >= end) throw badVarint(start);
    b = buf[pos++] as number;
    lo |= (b & 0x0f) << 28;
    let hi = (b & 0x7f) >>> 4;
    if (b < 0x80) {
      this.pos = pos;
      this.hi = hi;
      return lo >>> 0;
    }
    for (let shift = 3; shift < 32; shift += 7) {
      if (pos >= end) throw badVarint(start);
      b = buf[pos++] as number;
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        this.hi = hi >>> 0;
        return lo >>> 0;
      }
    }
    throw badVarint(start);
  }

  /** Reads a length prefix and returns the end offset of the payload, checked against `end`. */
  lengthEnd(end: number): number {
    const at = this.pos;
    const n = this.varint(end);
    if (this.hi !== 0 || n > end - this.pos) throw truncated(at, "length-delimited field");
    return this.pos + n;
  }

  /** Skips the payload of a field with wire type `wt` and field number `field`. */
  skip(wt: number, field: number, end: number, depth = 0): void {
    const at = this.pos;
    switch (wt) {
      case WireType.Varint:
        this.varint(end);
        return;
      case WireType.Fixed64:
        if (end - this.pos < 8) throw truncated(at, "fixed64");
        this.pos += 8;
        return;
      case WireType.LengthDelimited:
        this.pos = this.lengthEnd(end);
        return;
      case WireType.Fixed32:
        if (end - this.pos < 4) throw truncated(at, "fixed32");
        this.pos += 4;
        return;
      case WireType.StartGroup: {
        // Deprecated groups: skip nested fields up to the matching end tag.
        if (depth >= MAX_GROUP_DEPTH) {
          throw new PprofError(PprofErrorCode.TooLarge, "groups nested too deeply", { offset: at });
        }
        for (;;) {
          const tagAt = this.pos;
          const tag = this.varint(end);
          const f = this.hi * 0x20000000 + (tag >>> 3);
          const w = tag & 7;
          if (w === WireType.EndGroup) {
            if (f !== field) {
              throw new PprofError(PprofErrorCode.BadWireType, "mismatched end-group tag", {
                offset: tagAt,
              });
            }
            return;
          }
          this.skip(w, f, end, depth + 1);
        }
      }
      default:
        throw new PprofError(PprofErrorCode.BadWireType, `invalid wire type ${wt}`, { offset: at });
    }
  }
}

/** The exact int64 whose two's-complement halves are `lo`, `hi`. */
export function int64FromHalves(lo: number, hi: number): bigint {
  if (hi === 0) return BigInt(lo);
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

/** The exact uint64 whose halves are `lo`, `hi`. */
export function uint64FromHalves(lo: number, hi: number): bigint {
  if (hi === 0) return BigInt(lo);
  if (hi < 0x200000) return BigInt(hi * TWO_32 + lo);
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** The int64 with halves `lo`, `hi` as the nearest double (exact when safe). */
export function int64ToDouble(lo: number, hi: number): number {
  return (hi | 0) * TWO_32 + lo;
}

/** A `truncated` error at `offset`. */
export function truncated(offset: number, what: string): PprofError {
  return new PprofError(PprofErrorCode.Truncated, `${what} runs past the end of its message`, {
    offset,
  });
}

function badVarint(offset: number): PprofError {
  return new PprofError(PprofErrorCode.BadVarint, "varint is truncated or longer than 10 bytes", {
    offset,
  });
}

/** Appends to a byte buffer that grows by doubling; the encoder's output. */
export class Writer {
  buf: Uint8Array;
  pos = 0;

  constructor(initial = 1 << 16) {
    this.buf = new Uint8Array(initial);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Writes an unsigned varint of a non-negative safe integer. */
  uvarint(v: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v = v >= TWO_32 ? Math.floor(v / 128) : v >>> 7;
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  /** Writes a varint given as 32-bit halves. */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo >= 0x80) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  /** Writes the varint of an int64 given as a (safe integer) double. */
  int64(v: number): void {
    if (v >= 0) {
      this.uvarint(v);
      return;
    }
    // Two's complement of a negative safe integer: hi = floor(v / 2^32) as uint32.
    const hi = Math.floor(v / TWO_32);
    const lo = v - hi * TWO_32;
    this.varint64(lo, hi);
  }

  /** Writes the varint of an exact int64 or uint64 bigint. */
  bigVarint(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  /** Copies bytes in. */
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** The written bytes (a view). */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

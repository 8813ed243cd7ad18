// A deliberately naive protobuf writer for building test inputs by hand.
// It shares no code with the package's encoder so tests built with it check
// the decoder independently.

const te = new TextEncoder();

/** Appends protobuf fields to a byte list. */
export class ProtoWriter {
  readonly out: number[] = [];

  /** A raw varint (any int64/uint64 value; negatives in two's complement). */
  varint(v: number | bigint): this {
    let u = BigInt.asUintN(64, BigInt(v));
    while (u >= 0x80n) {
      this.out.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    this.out.push(Number(u));
    return this;
  }

  /** A tag for `field` with wire type `wt`. */
  tag(field: number, wt: number): this {
    return this.varint((BigInt(field) << 3n) | BigInt(wt));
  }

  /** Field with wire type 0. */
  uint(field: number, v: number | bigint): this {
    return this.tag(field, 0).varint(v);
  }

  /** Field with wire type 2 holding `bytes`. */
  bytes(field: number, bytes: Uint8Array | readonly number[]): this {
    this.tag(field, 2).varint(bytes.length);
    for (const b of bytes) this.out.push(b);
    return this;
  }

  /** Field with wire type 2 holding UTF-8 text. */
  string(field: number, s: string): this {
    return this.bytes(field, te.encode(s));
  }

  /** Nested message built by `f`. */
  message(field: number, f: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    f(inner);
    return this.bytes(field, inner.out);
  }

  /** Packed repeated varints. */
  packed(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.out);
  }

  /** Wire type 1 (8 bytes little-endian). */
  fixed64(field: number, v: bigint): this {
    this.tag(field, 1);
    let u = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      this.out.push(Number(u & 0xffn));
      u >>= 8n;
    }
    return this;
  }

  /** Wire type 5 (4 bytes little-endian). */
  fixed32(field: number, v: number): this {
    this.tag(field, 5);
    for (let i = 0; i < 4; i++) this.out.push((v >>> (8 * i)) & 0xff);
    return this;
  }

  /** A deprecated group (wire types 3 and 4) around the fields `f` writes. */
  group(field: number, f: (w: ProtoWriter) => void): this {
    this.tag(field, 3);
    f(this);
    return this.tag(field, 4);
  }

  /** The bytes written. */
  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** Shorthand: a message built by `f`. */
export function proto(f: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  f(w);
  return w.finish();
}

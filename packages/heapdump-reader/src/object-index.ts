import type { ObjectIndex } from "./types.js";

const TWO_32 = 2 ** 32;

/** Reads a pointer-sized word at `pos` of `buf` as a number (rounded at or above 2^53). */
export function readWord(
  buf: Uint8Array,
  pos: number,
  pointerSize: number,
  bigEndian: boolean,
): number {
  if (pointerSize === 8) {
    const a =
      (buf[pos] as number) |
      ((buf[pos + 1] as number) << 8) |
      ((buf[pos + 2] as number) << 16) |
      ((buf[pos + 3] as number) << 24);
    const b =
      (buf[pos + 4] as number) |
      ((buf[pos + 5] as number) << 8) |
      ((buf[pos + 6] as number) << 16) |
      ((buf[pos + 7] as number) << 24);
    if (bigEndian) return byteSwap32(a) * TWO_32 + byteSwap32(b);
    return (b >>> 0) * TWO_32 + (a >>> 0);
  }
  const a =
    (buf[pos] as number) |
    ((buf[pos + 1] as number) << 8) |
    ((buf[pos + 2] as number) << 16) |
    ((buf[pos + 3] as number) << 24);
  return bigEndian ? byteSwap32(a) : a >>> 0;
}

function byteSwap32(x: number): number {
  return (
    (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | ((x >>> 24) & 0xff)) >>> 0
  );
}

/** Reads a pointer-sized word exactly. */
export function readWordBigInt(
  buf: Uint8Array,
  pos: number,
  pointerSize: number,
  bigEndian: boolean,
): bigint {
  const view = new DataView(buf.buffer, buf.byteOffset + pos, pointerSize);
  return pointerSize === 8
    ? view.getBigUint64(0, !bigEndian)
    : BigInt(view.getUint32(0, !bigEndian));
}

/** The {@link ObjectIndex} implementation over arrays built by readHeapDump. */
export class ObjectIndexImpl implements ObjectIndex {
  readonly count: number;
  readonly addresses: Float64Array;
  readonly sizes: Uint32Array;
  readonly contentOffsets: Uint32Array | Float64Array;
  readonly ptrStart: Uint32Array;
  readonly ptrOffsets: Uint16Array | Uint32Array;
  readonly source: Uint8Array;
  readonly pointerSize: number;
  readonly bigEndian: boolean;

  constructor(
    addresses: Float64Array,
    sizes: Uint32Array,
    contentOffsets: Uint32Array | Float64Array,
    ptrStart: Uint32Array,
    ptrOffsets: Uint16Array | Uint32Array,
    source: Uint8Array,
    pointerSize: number,
    bigEndian: boolean,
  ) {
    this.count = addresses.length;
    this.addresses = addresses;
    this.sizes = sizes;
    this.contentOffsets = contentOffsets;
    this.ptrStart = ptrStart;
    this.ptrOffsets = ptrOffsets;
    this.source = source;
    this.pointerSize = pointerSize;
    this.bigEndian = bigEndian;
  }

  lookupObject(address: number): number {
    const addresses = this.addresses;
    // Largest i with addresses[i] <= address, then a range check: pointers
    // may point into the interior of an object (DESIGN.md).
    let lo = 0;
    let hi = addresses.length - 1;
    if (hi < 0 || !(address >= (addresses[0] as number))) return -1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((addresses[mid] as number) <= address) lo = mid;
      else hi = mid - 1;
    }
    return address < (addresses[lo] as number) + (this.sizes[lo] as number) ? lo : -1;
  }

  contents(ordinal: number): Uint8Array {
    const start = this.contentOffsets[ordinal] as number;
    return this.source.subarray(start, start + (this.sizes[ordinal] as number));
  }

  private slotOwner(slot: number): number {
    // Binary search in the CSR row starts (used only by slotless callers).
    const ptrStart = this.ptrStart;
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((ptrStart[mid] as number) <= slot) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Position in `source` of CSR slot `slot` (owner found by binary search when not given). */
  private slotPosition(slot: number, ordinal?: number): number {
    const owner = ordinal ?? this.slotOwner(slot);
    return (this.contentOffsets[owner] as number) + (this.ptrOffsets[slot] as number);
  }

  readPointer(slot: number, ordinal?: number): number {
    return readWord(
      this.source,
      this.slotPosition(slot, ordinal),
      this.pointerSize,
      this.bigEndian,
    );
  }

  readPointerBigInt(slot: number, ordinal?: number): bigint {
    return readWordBigInt(
      this.source,
      this.slotPosition(slot, ordinal),
      this.pointerSize,
      this.bigEndian,
    );
  }

  readAllPointers(): Float64Array {
    const out = new Float64Array(this.ptrOffsets.length);
    const { source, pointerSize, bigEndian, ptrStart, ptrOffsets, contentOffsets } = this;
    for (let i = 0; i < this.count; i++) {
      const base = contentOffsets[i] as number;
      const end = ptrStart[i + 1] as number;
      for (let s = ptrStart[i] as number; s < end; s++) {
        out[s] = readWord(source, base + (ptrOffsets[s] as number), pointerSize, bigEndian);
      }
    }
    return out;
  }

  slotAddress(ordinal: number, slot: number): number {
    return (this.addresses[ordinal] as number) + (this.ptrOffsets[slot] as number);
  }
}

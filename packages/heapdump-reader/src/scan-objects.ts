// The hot loops of readHeapDump: object records (tag 1) make up nearly all of
// a dump, so they are scanned by two small, monomorphic loops instead of the
// generic record decoder. Pass 1 validates, classifies phantoms and measures;
// pass 2 (after the exact-size arrays are allocated) fills them in address order.

import { FIELD_EFACE, FIELD_EOL, FIELD_IFACE, FIELD_PTR, TAG_OBJECT } from "./constants.js";
import type { Cursor } from "./cursor.js";
import { HeapDumpErrorCode } from "./errors.js";
import type { PhantomFilter } from "./phantom.js";

const TWO_32 = 2 ** 32;
const PAGE = 8192;

/**
 * Position after the tag at `pos` when it is an object tag (also in a
 * non-minimal varint encoding), else -1.
 */
function objectTagEnd(c: Cursor, pos: number): number {
  const t = c.buf[pos];
  if (t === TAG_OBJECT) return pos + 1;
  if (t === undefined || t < 0x80 || pos >= c.end) return -1;
  c.pos = pos;
  const tag = c.uvarint();
  const after = c.pos;
  c.pos = pos;
  return tag === TAG_OBJECT ? after : -1;
}

/**
 * Pass 1 over consecutive object records. Object ordinals are assigned to
 * "runs": ascending sequences of objects in dump order whose address range
 * holds no object of another run. A run continues only within the same 8 KiB
 * page (a page belongs to one span, so no other object can sit between) or
 * with an object starting exactly where the previous one ended; sorting the
 * runs by start address then sorts all objects without a full sort.
 */
export class ObjectScanner {
  kept = 0;
  pointers = 0;
  /** Largest pointer-slot offset of a kept object (decides Uint16Array vs Uint32Array). */
  maxOffset = 0;
  phantoms = 0;
  records = 0;
  badOffsets = 0;
  firstOffset = -1;
  firstRecord = -1;
  regionEnd = -1;
  readonly runFirst: number[] = [];
  readonly runLast: number[] = [];
  readonly runCount: number[] = [];
  readonly runPointers: number[] = [];
  private lastAddress = -1;
  private lastEnd = -1;
  private lastPage = -1;
  /** Bit per object record (dump order): set for phantoms, so pass 2 need not decide again. */
  phantomBits: Uint8Array = new Uint8Array(0);
  private readonly pointerSize: number;
  private readonly filter: PhantomFilter | undefined;

  constructor(pointerSize: number, filter: PhantomFilter | undefined) {
    this.pointerSize = pointerSize;
    this.filter = filter;
  }

  /**
   * Scans object records from `c.pos` (at a tag) while the tag is 1; leaves
   * `c.pos` at the first other tag. Returns the number of records scanned.
   */
  scan(c: Cursor, recordIndex: number): number {
    const buf = c.buf;
    const end = c.end;
    const pointerSize = this.pointerSize;
    const filter = this.filter;
    const runFirst = this.runFirst;
    const runLast = this.runLast;
    const runCount = this.runCount;
    const runPointers = this.runPointers;
    let run = runFirst.length - 1;
    let lastAddress = this.lastAddress;
    let lastEnd = this.lastEnd;
    let lastPage = this.lastPage;
    let kept = this.kept;
    let pointers = this.pointers;
    let phantoms = this.phantoms;
    let badOffsets = this.badOffsets;
    let maxOffset = this.maxOffset;
    let n = 0;
    let pos = c.pos;
    if (this.firstOffset < 0) {
      this.firstOffset = pos;
      this.firstRecord = recordIndex;
    }
    for (;;) {
      c.recordIndex = recordIndex + n;
      const tagEnd = pos >= end ? -1 : buf[pos] === TAG_OBJECT ? pos + 1 : objectTagEnd(c, pos);
      if (tagEnd < 0) break;
      c.pos = tagEnd;
      const address = c.uvarintLong();
      const lenAt = c.pos;
      let start: number;
      const len = buf[lenAt] as number;
      if (len < 0x80 && lenAt + 1 + len <= end) start = lenAt + 1;
      else start = c.rangeStart();
      pos = start + (len < 0x80 ? len : c.pos - start);
      const size = pos - start;
      if (size >= TWO_32) c.fail(HeapDumpErrorCode.LimitExceeded, "object of 4 GiB or more", lenAt);
      let nptr = 0;
      let nonEmpty = false;
      let objectMax = 0;
      // Field kinds and small offsets are one-byte varints: decode those
      // inline and leave the rest (and all error handling) to the cursor.
      for (;;) {
        const at = pos;
        let kind = buf[pos] as number; // undefined past the end: the slow path throws
        if (kind < 0x80) pos++;
        else {
          c.pos = pos;
          kind = c.uvarint();
          pos = c.pos;
        }
        if (kind === FIELD_EOL) break;
        let offset = buf[pos] as number;
        if (offset < 0x80) pos++;
        else {
          c.pos = pos;
          offset = c.uvarint();
          pos = c.pos;
        }
        nonEmpty = true;
        if (kind === FIELD_PTR) {
          if (offset + pointerSize <= size) {
            nptr++;
            if (offset > objectMax) objectMax = offset;
          } else badOffsets++;
        } else if (kind === FIELD_IFACE || kind === FIELD_EFACE) {
          if (offset + 2 * pointerSize <= size) {
            nptr += 2;
            if (offset + pointerSize > objectMax) objectMax = offset + pointerSize;
          } else badOffsets++;
        } else {
          c.pos = pos;
          c.fail(HeapDumpErrorCode.BadFieldKind, `unknown field kind ${kind}`, at);
        }
      }
      if (filter?.isPhantom(address, size, nonEmpty)) {
        const rec = this.records + n;
        let bits = this.phantomBits;
        if (rec >> 3 >= bits.length) {
          const grown = new Uint8Array(Math.max(1024, bits.length * 2, (rec >> 3) + 1));
          grown.set(bits);
          bits = grown;
          this.phantomBits = grown;
        }
        bits[rec >> 3] = (bits[rec >> 3] as number) | (1 << (rec & 7));
        phantoms++;
        n++;
        continue;
      }
      n++;
      kept++;
      pointers += nptr;
      if (objectMax > maxOffset) maxOffset = objectMax;
      if (run >= 0 && address > lastAddress && (address - lastPage < PAGE || address === lastEnd)) {
        runLast[run] = address;
        runCount[run] = (runCount[run] as number) + 1;
        runPointers[run] = (runPointers[run] as number) + nptr;
      } else {
        run++;
        runFirst.push(address);
        runLast.push(address);
        runCount.push(1);
        runPointers.push(nptr);
      }
      if (address - lastPage >= PAGE || address < lastPage) {
        // Math.floor, not %: a float modulo above int32 is a slow call.
        lastPage = Math.floor(address / PAGE) * PAGE;
      }
      lastAddress = address;
      lastEnd = address + size;
    }
    c.pos = pos;
    this.regionEnd = pos;
    this.lastAddress = lastAddress;
    this.lastEnd = lastEnd;
    this.lastPage = lastPage;
    this.kept = kept;
    this.pointers = pointers;
    this.phantoms = phantoms;
    this.badOffsets = badOffsets;
    this.maxOffset = maxOffset;
    this.records += n;
    return n;
  }
}

/** The index arrays pass 2 fills. */
export interface ObjectArrays {
  addresses: Float64Array;
  sizes: Uint32Array;
  contentOffsets: Uint32Array | Float64Array;
  ptrStart: Uint32Array;
  ptrOffsets: Uint16Array | Uint32Array;
}

/**
 * Pass 2 over consecutive object records from `c.pos`: phantoms skipped by
 * pass 1's bits, each kept object written at its run's destination.
 */
export class ObjectFiller {
  private run = 0;
  private inRun = 0;
  private ptrInRun = 0;
  private readonly a: ObjectArrays;
  private readonly runDest: Float64Array;
  private readonly runPtrDest: Float64Array;
  private readonly runCount: readonly number[];
  private readonly pointerSize: number;
  private readonly phantomBits: Uint8Array;
  private record = 0;

  constructor(
    arrays: ObjectArrays,
    runDest: Float64Array,
    runPtrDest: Float64Array,
    runCount: readonly number[],
    pointerSize: number,
    phantomBits: Uint8Array,
  ) {
    this.a = arrays;
    this.runDest = runDest;
    this.runPtrDest = runPtrDest;
    this.runCount = runCount;
    this.pointerSize = pointerSize;
    this.phantomBits = phantomBits;
  }

  /** Fills from object records at `c.pos` while the tag is 1 (already validated by pass 1). */
  fill(c: Cursor): void {
    const buf = c.buf;
    const end = c.end;
    const { addresses, sizes, contentOffsets, ptrStart, ptrOffsets } = this.a;
    const runDest = this.runDest;
    const runPtrDest = this.runPtrDest;
    const runCount = this.runCount;
    const pointerSize = this.pointerSize;
    const bits = this.phantomBits;
    let record = this.record;
    let run = this.run;
    let inRun = this.inRun;
    let ptrInRun = this.ptrInRun;
    let pos = c.pos;
    for (;;) {
      const tagEnd = pos >= end ? -1 : buf[pos] === TAG_OBJECT ? pos + 1 : objectTagEnd(c, pos);
      if (tagEnd < 0) break;
      c.pos = tagEnd;
      const address = c.uvarintLong();
      let start: number;
      if ((buf[c.pos] as number) < 0x80) {
        start = c.pos + 1;
        pos = start + (buf[c.pos] as number);
      } else {
        start = c.rangeStart();
        pos = c.pos;
      }
      const size = pos - start;
      const rec = record++;
      if (((bits[rec >> 3] as number) & (1 << (rec & 7))) !== 0) {
        c.pos = pos;
        while (c.uvarint() !== FIELD_EOL) c.uvarint();
        pos = c.pos;
        continue;
      }
      const dst = (runDest[run] as number) + inRun;
      let pdst = (runPtrDest[run] as number) + ptrInRun;
      const pfirst = pdst;
      for (;;) {
        let kind = buf[pos] as number;
        if (kind < 0x80) pos++;
        else {
          c.pos = pos;
          kind = c.uvarint();
          pos = c.pos;
        }
        if (kind === FIELD_EOL) break;
        let offset = buf[pos] as number;
        if (offset < 0x80) pos++;
        else {
          c.pos = pos;
          offset = c.uvarint();
          pos = c.pos;
        }
        if (kind === FIELD_PTR) {
          if (offset + pointerSize <= size) ptrOffsets[pdst++] = offset;
        } else if (offset + 2 * pointerSize <= size) {
          ptrOffsets[pdst++] = offset;
          ptrOffsets[pdst++] = offset + pointerSize;
        }
      }
      addresses[dst] = address;
      sizes[dst] = size;
      contentOffsets[dst] = start;
      ptrStart[dst] = pfirst;
      ptrInRun += pdst - pfirst;
      if (++inRun === runCount[run]) {
        run++;
        inRun = 0;
        ptrInRun = 0;
      }
    }
    c.pos = pos;
    this.record = record;
    this.run = run;
    this.inRun = inRun;
    this.ptrInRun = ptrInRun;
  }
}

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

/** Numbers per run in {@link ObjectScanner.runData}. */
export const RUN_FIELDS = 4;
/** Offset of a run's first address (pass 1). */
export const RUN_FIRST = 0;
/** Offset of a run's last address (pass 1). */
export const RUN_LAST = 1;
/** Offset of a run's object count. */
export const RUN_COUNT = 2;
/** Offset of a run's pointer slot count. */
export const RUN_POINTERS = 3;
/** Offset of a run's first index ordinal, replacing the first address once the runs are ordered. */
export const RUN_DEST = 0;
/** Offset of a run's first CSR slot, replacing the last address once the runs are ordered. */
export const RUN_PTR_DEST = 1;

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
  /** Number of runs. */
  runs = 0;
  /**
   * Four numbers per run: first address, last address, object count, pointer
   * slot count (see {@link RUN_FIRST}). A typed array outside the JS heap with
   * room to spare: pages never written cost no memory.
   */
  runData: Float64Array = new Float64Array(0);
  /**
   * Last kept object's address, its end and its page. Kept in a Float64Array,
   * not in locals: the loop is entered by on-stack replacement, which types
   * loop-carried locals as "any", so a double in a local would be boxed (a
   * heap allocation) on every record.
   */
  private readonly last = new Float64Array([-1, -1, -1]);
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
    if (this.runData.length === 0) {
      // One run per 8 KiB page of objects is typical; allocate for one per
      // 4 KiB of what remains. Untouched pages of a large typed array are not
      // resident, so the spare room costs address space, not memory.
      this.runData = new Float64Array(RUN_FIELDS * Math.max(256, Math.ceil((end - c.pos) / 4096)));
    }
    let runData = this.runData;
    let run = this.runs - 1;
    const last = this.last;
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
          // Room for a bit per 4 bytes that remain (an object record takes at
          // least 4), so one allocation normally suffices; unwritten pages
          // are not resident.
          const want = (rec >> 3) + 1 + Math.ceil((end - pos) / 32);
          const grown = new Uint8Array(Math.max(1024, bits.length * 2, want));
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
      const lastPage = last[2] as number;
      if (
        run >= 0 &&
        address > (last[0] as number) &&
        (address - lastPage < PAGE || address === last[1])
      ) {
        const r = run * RUN_FIELDS;
        runData[r + RUN_LAST] = address;
        runData[r + RUN_COUNT] = (runData[r + RUN_COUNT] as number) + 1;
        runData[r + RUN_POINTERS] = (runData[r + RUN_POINTERS] as number) + nptr;
      } else {
        run++;
        const r = run * RUN_FIELDS;
        if (r === runData.length) {
          const grown = new Float64Array(2 * runData.length);
          grown.set(runData);
          runData = grown;
          this.runData = grown;
        }
        runData[r + RUN_FIRST] = address;
        runData[r + RUN_LAST] = address;
        runData[r + RUN_COUNT] = 1;
        runData[r + RUN_POINTERS] = nptr;
      }
      if (address - lastPage >= PAGE || address < lastPage) {
        // Math.floor, not %: a float modulo above int32 is a slow call.
        last[2] = Math.floor(address / PAGE) * PAGE;
      }
      last[0] = address;
      last[1] = address + size;
    }
    c.pos = pos;
    this.regionEnd = pos;
    this.runs = run + 1;
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
 * pass 1's bits, each kept object written at its run's destination
 * (`RUN_DEST` and `RUN_PTR_DEST` of the scanner's `runData`).
 */
export class ObjectFiller {
  private run = 0;
  private inRun = 0;
  private ptrInRun = 0;
  private readonly a: ObjectArrays;
  private readonly runData: Float64Array;
  private readonly pointerSize: number;
  private readonly phantomBits: Uint8Array;
  private record = 0;

  constructor(
    arrays: ObjectArrays,
    runData: Float64Array,
    pointerSize: number,
    phantomBits: Uint8Array,
  ) {
    this.a = arrays;
    this.runData = runData;
    this.pointerSize = pointerSize;
    this.phantomBits = phantomBits;
  }

  /** Fills from object records at `c.pos` while the tag is 1 (already validated by pass 1). */
  fill(c: Cursor): void {
    const buf = c.buf;
    const end = c.end;
    const { addresses, sizes, contentOffsets, ptrStart, ptrOffsets } = this.a;
    const runData = this.runData;
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
      const r = run * RUN_FIELDS;
      const dst = (runData[r + RUN_DEST] as number) + inRun;
      let pdst = (runData[r + RUN_PTR_DEST] as number) + ptrInRun;
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
      if (++inRun === runData[r + RUN_COUNT]) {
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

/**
 * Orders the first `runs` runs of `runData` by first address and replaces
 * each run's two addresses with its destination in the index (`RUN_DEST`,
 * `RUN_PTR_DEST`). Returns true when runs interleave (a run starts at or
 * before the end of the previous one in address order), in which case the
 * filled index still needs a full sort.
 */
export function orderRuns(runData: Float64Array, runs: number): boolean {
  // The first addresses are sorted natively (a typed array sort without a
  // comparator allocates nothing on the JS heap); each run then takes the
  // next free position among equal keys, which keeps equal keys in dump order.
  const keys = new Float64Array(runs);
  for (let r = 0; r < runs; r++) keys[r] = runData[r * RUN_FIELDS + RUN_FIRST] as number;
  keys.sort();
  const order = new Uint32Array(runs);
  const taken = new Uint32Array(runs);
  for (let r = 0; r < runs; r++) {
    const key = runData[r * RUN_FIELDS + RUN_FIRST] as number;
    let lo = 0;
    let hi = runs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] as number) < key) lo = mid + 1;
      else hi = mid;
    }
    order[lo + (taken[lo] as number)] = r;
    taken[lo] = (taken[lo] as number) + 1;
  }
  let interleaved = false;
  for (let k = 1; k < runs; k++) {
    const cur = (order[k] as number) * RUN_FIELDS;
    const prev = (order[k - 1] as number) * RUN_FIELDS;
    if ((runData[cur + RUN_FIRST] as number) <= (runData[prev + RUN_LAST] as number)) {
      interleaved = true;
      break;
    }
  }
  let o = 0;
  let q = 0;
  for (let k = 0; k < runs; k++) {
    const r = (order[k] as number) * RUN_FIELDS;
    const count = runData[r + RUN_COUNT] as number;
    const pointers = runData[r + RUN_POINTERS] as number;
    runData[r + RUN_DEST] = o;
    runData[r + RUN_PTR_DEST] = q;
    o += count;
    q += pointers;
  }
  return interleaved;
}

/** Counts neighbours (in address order) that share an address and that overlap. */
export function countCollisions(
  addresses: Float64Array,
  sizes: Uint32Array,
): { duplicates: number; overlaps: number } {
  let duplicates = 0;
  let overlaps = 0;
  for (let i = 1; i < addresses.length; i++) {
    const prev = addresses[i - 1] as number;
    const cur = addresses[i] as number;
    if (cur === prev) duplicates++;
    else if (prev + (sizes[i - 1] as number) > cur) overlaps++;
  }
  return { duplicates, overlaps };
}

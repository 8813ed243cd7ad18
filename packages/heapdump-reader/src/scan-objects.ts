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
  /** Neighbours within a run (so also in address order) that overlap. */
  overlaps = 0;
  /** Number of runs. */
  runs = 0;
  /**
   * First address of each run. Typed arrays outside the JS heap with room to
   * spare: pages never written cost no memory.
   */
  runFirst: Float64Array = new Float64Array(0);
  /** Object count (at `2 * run`) and pointer slot count (at `2 * run + 1`) of each run. */
  runCounts: Uint32Array = new Uint32Array(0);
  /**
   * Last kept object's address, its end and its page. Kept in a Float64Array,
   * not in locals: the loop is entered by on-stack replacement, which types
   * loop-carried locals as "any", so a double in a local would be boxed (a
   * heap allocation) on every record.
   */
  private readonly last = new Float64Array([-1, -1, -1]);
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
    if (this.runFirst.length === 0) {
      // One run per 8 KiB page of objects is typical; allocate for one per
      // 4 KiB of what remains. Untouched pages of a large typed array are not
      // resident, so the spare room costs address space, not memory.
      const capacity = Math.max(256, Math.ceil((end - c.pos) / 4096));
      this.runFirst = new Float64Array(capacity);
      this.runCounts = new Uint32Array(2 * capacity);
    }
    let runFirst = this.runFirst;
    let runCounts = this.runCounts;
    let run = this.runs - 1;
    let overlaps = this.overlaps;
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
        // Within a run, neighbours in dump order are neighbours in address order.
        if (address < (last[1] as number)) overlaps++;
        runCounts[2 * run] = (runCounts[2 * run] as number) + 1;
        runCounts[2 * run + 1] = (runCounts[2 * run + 1] as number) + nptr;
      } else {
        run++;
        if (run === runFirst.length) {
          const first = new Float64Array(2 * run);
          first.set(runFirst);
          runFirst = first;
          this.runFirst = first;
          const counts = new Uint32Array(4 * run);
          counts.set(runCounts);
          runCounts = counts;
          this.runCounts = counts;
        }
        runFirst[run] = address;
        runCounts[2 * run] = 1;
        runCounts[2 * run + 1] = nptr;
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
    this.overlaps = overlaps;
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
 * Pass 2 over consecutive object records from `c.pos`: phantoms skipped (by a
 * filter of its own, fresh when pass 1's was), each kept object written at its
 * run's destination (see {@link orderRuns}).
 */
export class ObjectFiller {
  private run = 0;
  private inRun = 0;
  private ptrInRun = 0;
  private readonly a: ObjectArrays;
  private readonly runDest: Uint32Array;
  private readonly runCounts: Uint32Array;
  private readonly pointerSize: number;
  private readonly filter: PhantomFilter | undefined;

  constructor(
    arrays: ObjectArrays,
    runDest: Uint32Array,
    runCounts: Uint32Array,
    pointerSize: number,
    filter: PhantomFilter | undefined,
  ) {
    this.a = arrays;
    this.runDest = runDest;
    this.runCounts = runCounts;
    this.pointerSize = pointerSize;
    this.filter = filter;
  }

  /** Fills from object records at `c.pos` while the tag is 1 (already validated by pass 1). */
  fill(c: Cursor): void {
    const buf = c.buf;
    const end = c.end;
    const { addresses, sizes, contentOffsets, ptrStart, ptrOffsets } = this.a;
    const runDest = this.runDest;
    const runCounts = this.runCounts;
    const pointerSize = this.pointerSize;
    const filter = this.filter;
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
      if (filter !== undefined) {
        // A fresh filter fed the same records as pass 1's makes the same
        // decisions: cheaper in memory than a bit per record.
        let kind = buf[pos] as number;
        if (kind >= 0x80) {
          c.pos = pos;
          kind = c.uvarint();
        }
        if (filter.isPhantom(address, size, kind !== FIELD_EOL)) {
          c.pos = pos;
          while (c.uvarint() !== FIELD_EOL) c.uvarint();
          pos = c.pos;
          continue;
        }
      }
      const dst = (runDest[2 * run] as number) + inRun;
      let pdst = (runDest[2 * run + 1] as number) + ptrInRun;
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
      if (++inRun === runCounts[2 * run]) {
        run++;
        inRun = 0;
        ptrInRun = 0;
      }
    }
    c.pos = pos;
    this.run = run;
    this.inRun = inRun;
    this.ptrInRun = ptrInRun;
  }
}

/**
 * Orders the first `runs` runs by first address. Returns each run's
 * destination: its first index ordinal at `2 * run` and its first CSR slot at
 * `2 * run + 1`, a view over the memory of `runFirst`, which it overwrites.
 */
export function orderRuns(
  runFirst: Float64Array,
  runCounts: Uint32Array,
  runs: number,
): Uint32Array {
  // The first addresses are sorted natively (a typed array sort without a
  // comparator allocates nothing on the JS heap); each run then takes the
  // next free position among equal keys, which keeps equal keys in dump order.
  const keys = runFirst.slice(0, runs);
  keys.sort();
  const order = new Uint32Array(runs);
  const taken = new Uint32Array(runs);
  for (let r = 0; r < runs; r++) {
    const key = runFirst[r] as number;
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
  // Two 32-bit numbers per run in place of its (no longer needed) first address.
  const dest = new Uint32Array(runFirst.buffer, runFirst.byteOffset, 2 * runFirst.length);
  let o = 0;
  let q = 0;
  for (let k = 0; k < runs; k++) {
    const r = order[k] as number;
    dest[2 * r] = o;
    dest[2 * r + 1] = q;
    o += runCounts[2 * r] as number;
    q += runCounts[2 * r + 1] as number;
  }
  return dest;
}

/**
 * After pass 2: compares the first object of each run with the object before
 * it in the index (the last of the preceding run). `interleaved` when some
 * run starts below that object (the index then needs a full sort; the counts
 * are not computed), else how many of these neighbours share an address
 * (`duplicates`) and overlap (`overlaps`).
 */
export function checkRunSeams(
  addresses: Float64Array,
  sizes: Uint32Array,
  runDest: Uint32Array,
  runs: number,
): { interleaved: boolean; duplicates: number; overlaps: number } {
  let duplicates = 0;
  let overlaps = 0;
  for (let r = 0; r < runs; r++) {
    const i = runDest[2 * r] as number;
    if (i === 0) continue;
    const prev = addresses[i - 1] as number;
    const cur = addresses[i] as number;
    if (cur < prev) return { interleaved: true, duplicates: 0, overlaps: 0 };
    if (cur === prev) duplicates++;
    else if (prev + (sizes[i - 1] as number) > cur) overlaps++;
  }
  return { interleaved: false, duplicates, overlaps };
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

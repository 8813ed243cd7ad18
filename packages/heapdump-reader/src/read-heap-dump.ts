import * as T from "./constants.js";
import { Cursor } from "./cursor.js";
import { decodeRecordBody } from "./decode.js";
import { HeapDumpErrorCode } from "./errors.js";
import { asBytes } from "./input.js";
import { ObjectIndexImpl, readWord } from "./object-index.js";
import { PhantomFilter, spanGeometry } from "./phantom.js";
import { checkAfterEof, checkHeader, HEADER_LENGTH } from "./records.js";
import {
  checkRunSeams,
  countCollisions,
  ObjectFiller,
  ObjectScanner,
  orderRuns,
} from "./scan-objects.js";
import type {
  AllocSampleRecord,
  DeferRecord,
  FinalizerRecord,
  HeapDump,
  HeapDumpDiagnostic,
  HeapDumpGoroutine,
  HeapDumpRecordCounts,
  HeapDumpRecordKind,
  HeapRoot,
  ItabRecord,
  MemProfRecord,
  MemStats,
  OsThreadRecord,
  OtherRootRecord,
  PanicRecord,
  ParamsRecord,
  ReadHeapDumpOptions,
  SegmentRecord,
  StackFrameRecord,
  TypeRecord,
} from "./types.js";

const TWO_32 = 2 ** 32;

/** Capped diagnostics list; repeated codes beyond the cap are only counted. */
class Diagnostics {
  readonly list: HeapDumpDiagnostic[] = [];
  dropped = 0;
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  add(code: string, message: string, offset = -1): void {
    if (this.list.length < this.max) this.list.push({ code, message, offset });
    else this.dropped++;
  }
}

type MutableGoroutine = HeapDumpGoroutine & {
  frames: StackFrameRecord[];
  defers: DeferRecord[];
  panics: PanicRecord[];
};

/**
 * Reads a heap dump held in memory into typed records and the object index.
 *
 * Object contents stay in `bytes` (zero-copy): keep `bytes` unchanged while
 * the result is in use. Phantom records of unused span tail slots (Go 1.22+)
 * are left out of the index and counted in `phantomObjectCount`.
 *
 * Throws {@link HeapDumpError} for malformed input; non-fatal oddities are in
 * `diagnostics`.
 *
 * @example
 * ```ts
 * const dump = readHeapDump(bytes);
 * console.log(dump.goVersion, dump.objectCount, dump.memStats?.HeapObjects);
 * const owner = dump.lookupObject(0xc000012345);
 * ```
 */
export function readHeapDump(
  input: Uint8Array | ArrayBuffer,
  options: ReadHeapDumpOptions = {},
): HeapDump {
  const bytes = asBytes(input, "readHeapDump's input");
  const diagnostics = new Diagnostics(options.maxDiagnostics ?? 100);
  const keepPhantoms = options.keepPhantomObjects === true;
  checkHeader(bytes, true);
  const c = new Cursor(bytes, HEADER_LENGTH);
  const buf = bytes;

  const counts: Record<HeapDumpRecordKind, number> = {
    params: 0,
    object: 0,
    otherRoot: 0,
    type: 0,
    goroutine: 0,
    stackFrame: 0,
    finalizer: 0,
    queuedFinalizer: 0,
    itab: 0,
    osThread: 0,
    memStats: 0,
    data: 0,
    bss: 0,
    defer: 0,
    panic: 0,
    memProf: 0,
    allocSample: 0,
  };

  let params: ParamsRecord | undefined;
  let memStats: MemStats | undefined;
  const goroutines: MutableGoroutine[] = [];
  const goroutineByAddress = new Map<number, MutableGoroutine>();
  const finalizers: FinalizerRecord[] = [];
  const queuedFinalizers: FinalizerRecord[] = [];
  const types = new Map<number, TypeRecord>();
  const itabs: ItabRecord[] = [];
  const threads: OsThreadRecord[] = [];
  const otherRoots: OtherRootRecord[] = [];
  let data: SegmentRecord | undefined;
  let bss: SegmentRecord | undefined;
  const memProfile: MemProfRecord[] = [];
  const allocSamples: AllocSampleRecord[] = [];
  let orphanFrames = 0;

  // Object pass 1 state.
  let pointerSize = 8;
  let filter: PhantomFilter | undefined;
  let geometry: ReturnType<typeof spanGeometry> | undefined;
  let scanner: ObjectScanner | undefined;
  let recordIndex = 0;
  for (; ; recordIndex++) {
    c.recordIndex = recordIndex;
    const tagAt = c.pos;
    if (tagAt >= c.end) c.fail(HeapDumpErrorCode.Truncated, "input ends before the EOF record");
    let tag = buf[tagAt] as number;
    if (tag < 0x80) c.pos = tagAt + 1;
    else tag = c.uvarint();
    if (recordIndex === 0 && tag !== T.TAG_PARAMS) {
      c.fail(
        HeapDumpErrorCode.MissingParams,
        tag === T.TAG_EOF ? "the dump has no params record" : "the first record is not params",
        tagAt,
      );
    }
    if (tag === T.TAG_OBJECT) {
      // Objects: the scanner takes this and every following object record.
      c.pos = tagAt;
      if (scanner === undefined) scanner = new ObjectScanner(pointerSize, filter);
      recordIndex += scanner.scan(c, recordIndex) - 1;
      continue;
    }
    if (tag === T.TAG_EOF) break;
    const record = decodeRecordBody(c, tag, tagAt);
    counts[record.kind]++;
    switch (record.kind) {
      case "params":
        if (params === undefined) {
          params = record;
          pointerSize = record.pointerSize;
          geometry = spanGeometry(record.goVersion, record.pointerSize);
          if (!keepPhantoms) filter = new PhantomFilter(geometry);
          if (geometry.minor < 0) {
            diagnostics.add(
              "unknown-go-version",
              `cannot parse Go version ${JSON.stringify(record.goVersion)}; assuming the newest span layout`,
              tagAt,
            );
          }
        } else diagnostics.add("duplicate-params", "a second params record was ignored", tagAt);
        break;
      case "goroutine": {
        const g: MutableGoroutine = { ...record, frames: [], defers: [], panics: [] };
        goroutines.push(g);
        goroutineByAddress.set(record.address, g);
        break;
      }
      case "stackFrame": {
        const g = goroutines[goroutines.length - 1];
        if (g === undefined) orphanFrames++;
        else g.frames.push(record);
        break;
      }
      case "defer":
      case "panic": {
        const g =
          goroutineByAddress.get(record.goroutineAddress) ?? goroutines[goroutines.length - 1];
        if (g === undefined) {
          diagnostics.add("orphan-record", `${record.kind} record before any goroutine`, tagAt);
        } else if (record.kind === "defer") g.defers.push(record);
        else g.panics.push(record);
        break;
      }
      case "finalizer":
        finalizers.push(record);
        break;
      case "queuedFinalizer":
        queuedFinalizers.push(record);
        break;
      case "type":
        types.set(record.address, record);
        break;
      case "itab":
        itabs.push(record);
        break;
      case "osThread":
        threads.push(record);
        break;
      case "otherRoot":
        otherRoots.push(record);
        break;
      case "memStats":
        if (memStats === undefined) memStats = record.stats;
        else diagnostics.add("duplicate-memstats", "a second memstats record was ignored", tagAt);
        break;
      case "data":
      case "bss":
        if (record.kind === "data" ? data !== undefined : bss !== undefined) {
          diagnostics.add(
            `duplicate-${record.kind}`,
            `a second ${record.kind} record was ignored`,
            tagAt,
          );
        } else if (record.kind === "data") data = record;
        else bss = record;
        break;
      case "memProf":
        memProfile.push(record);
        break;
      case "allocSample":
        allocSamples.push(record);
        break;
      case "object":
        break; // handled by the fast path
    }
  }
  c.recordIndex = -1;
  checkAfterEof(c);
  if (scanner !== undefined) counts.object = scanner.records;

  const p = params as ParamsRecord; // record 0 is always params
  const bigEndian = p.bigEndian;
  const sc = scanner ?? new ObjectScanner(pointerSize, undefined);
  const badOffsets = sc.badOffsets;
  const ptrsKept = sc.pointers;
  const phantoms = sc.phantoms;

  if (orphanFrames > 0) {
    diagnostics.add("orphan-frames", `${orphanFrames} stack frames came before any goroutine`);
  }
  if (badOffsets > 0) {
    diagnostics.add(
      "pointer-offset-out-of-range",
      `${badOffsets} pointer fields lie outside their object and were ignored`,
    );
  }
  if (ptrsKept >= TWO_32) {
    c.fail(HeapDumpErrorCode.LimitExceeded, "2^32 or more pointer slots", sc.firstOffset);
  }

  // Order the runs by address (if they turn out to interleave, a full sort follows pass 2).
  const runDest = orderRuns(sc.runFirst, sc.runCounts, sc.runs);

  // Pass 2: fill the index in address order.
  const n = sc.kept;
  let addresses = new Float64Array(n);
  let sizes = new Uint32Array(n);
  let contentOffsets: Uint32Array | Float64Array =
    buf.length <= TWO_32 ? new Uint32Array(n) : new Float64Array(n);
  let ptrStart = new Uint32Array(n + 1);
  // Offsets below 64 KiB (every object smaller than 64 KiB) fit 16 bits: half the memory.
  let ptrOffsets: Uint16Array | Uint32Array =
    sc.maxOffset < 0x10000 ? new Uint16Array(ptrsKept) : new Uint32Array(ptrsKept);
  if (n > 0) {
    const filler = new ObjectFiller(
      { addresses, sizes, contentOffsets, ptrStart, ptrOffsets },
      runDest,
      sc.runCounts,
      pointerSize,
      filter === undefined ? undefined : new PhantomFilter(filter.geometry),
    );
    // Object records are contiguous in Go's dumps (dumpobjs); other records
    // between them are skipped (pass 1 validated all of them).
    const c2 = new Cursor(buf, sc.firstOffset, sc.regionEnd);
    for (;;) {
      filler.fill(c2);
      if (c2.pos >= sc.regionEnd) break;
      const tagAt = c2.pos;
      decodeRecordBody(c2, c2.uvarint(), tagAt);
    }
    ptrStart[n] = ptrsKept;
    // Neighbours within a run were compared in pass 1; the seams between runs remain.
    const seams = checkRunSeams(addresses, sizes, runDest, sc.runs);
    let duplicates = seams.duplicates;
    let overlaps = sc.overlaps + seams.overlaps;
    if (seams.interleaved) {
      ({ addresses, sizes, contentOffsets, ptrStart, ptrOffsets } = sortObjects(
        addresses,
        sizes,
        contentOffsets,
        ptrStart,
        ptrOffsets,
      ));
      ({ duplicates, overlaps } = countCollisions(addresses, sizes));
    }
    if (duplicates > 0) {
      diagnostics.add("duplicate-address", `${duplicates} objects share an address with another`);
    }
    if (overlaps > 0)
      diagnostics.add("overlapping-objects", `${overlaps} objects overlap the next one`);
  }

  const objects = new ObjectIndexImpl(
    addresses,
    sizes,
    contentOffsets,
    ptrStart,
    ptrOffsets,
    buf,
    pointerSize,
    bigEndian,
  );

  if (phantoms > 0) {
    diagnostics.add(
      "phantom-objects",
      `${phantoms} object records are unused span tail slots (Go >= 1.22 span layout) and were left out`,
    );
  }
  if (filter !== undefined && filter.ambiguous > 0) {
    diagnostics.add(
      "ambiguous-tail-slots",
      `${filter.ambiguous} span tail slots could not be classified and were kept as objects`,
    );
  }
  if (memStats === undefined)
    diagnostics.add("missing-memstats", "the dump has no memstats record");
  else if (!keepPhantoms && memStats.HeapObjects !== BigInt(n)) {
    diagnostics.add(
      "heap-objects-mismatch",
      `index holds ${n} objects but MemStats.HeapObjects is ${memStats.HeapObjects}`,
    );
  }

  const roots = collectRoots(
    p,
    data,
    bss,
    goroutines,
    finalizers,
    queuedFinalizers,
    otherRoots,
    objects,
  );

  const bucketIndex = new Map<number, number>();
  memProfile.forEach((m, i) => {
    if (!bucketIndex.has(m.bucketAddress)) bucketIndex.set(m.bucketAddress, i);
  });
  let allocBucket: Int32Array | undefined;
  const objectAllocBucket = (): Int32Array => {
    if (allocBucket === undefined) {
      allocBucket = new Int32Array(n).fill(-1);
      for (const s of allocSamples) {
        const o = objects.lookupObject(s.objectAddress);
        const b = bucketIndex.get(s.bucketAddress);
        if (o >= 0 && b !== undefined) allocBucket[o] = b;
      }
    }
    return allocBucket;
  };

  const dump: HeapDump = {
    params: p,
    goVersion: p.goVersion,
    memStats,
    objects,
    objectCount: n,
    phantomObjectCount: phantoms,
    goroutines,
    roots,
    finalizers,
    queuedFinalizers,
    types,
    itabs,
    threads,
    otherRoots,
    data,
    bss,
    memProfile,
    allocSamples,
    get objectAllocBucket() {
      return objectAllocBucket();
    },
    allocationSite(ordinal: number) {
      const b = objectAllocBucket()[ordinal];
      return b === undefined || b < 0 ? undefined : memProfile[b];
    },
    lookupObject(address: number) {
      return objects.lookupObject(address);
    },
    recordCounts: counts as HeapDumpRecordCounts,
    diagnostics: diagnostics.list,
    diagnosticsDropped: diagnostics.dropped,
  };
  return dump;
}

/** Full sort by address for dumps whose span runs interleave (never seen from Go). */
function sortObjects(
  addresses: Float64Array,
  sizes: Uint32Array,
  contentOffsets: Uint32Array | Float64Array,
  ptrStart: Uint32Array,
  ptrOffsets: Uint16Array | Uint32Array,
) {
  const n = addresses.length;
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  perm.sort((a, b) => (addresses[a] as number) - (addresses[b] as number) || a - b);
  const a2 = new Float64Array(n);
  const s2 = new Uint32Array(n);
  const c2 = contentOffsets instanceof Uint32Array ? new Uint32Array(n) : new Float64Array(n);
  const ps2 = new Uint32Array(n + 1);
  const po2 =
    ptrOffsets instanceof Uint16Array
      ? new Uint16Array(ptrOffsets.length)
      : new Uint32Array(ptrOffsets.length);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const j = perm[i] as number;
    a2[i] = addresses[j] as number;
    s2[i] = sizes[j] as number;
    c2[i] = contentOffsets[j] as number;
    ps2[i] = q;
    const end = ptrStart[j + 1] as number;
    for (let k = ptrStart[j] as number; k < end; k++) po2[q++] = ptrOffsets[k] as number;
  }
  ps2[n] = q;
  return { addresses: a2, sizes: s2, contentOffsets: c2, ptrStart: ps2, ptrOffsets: po2 };
}

function hex(v: number): string {
  return `0x${v.toString(16)}`;
}

function segmentRoots(
  roots: HeapRoot[],
  seg: SegmentRecord | undefined,
  pointerSize: number,
  bigEndian: boolean,
): void {
  if (seg === undefined) return;
  const slots = [...seg.pointerOffsets];
  for (const f of seg.interfaceFields) slots.push(f.offset, f.offset + pointerSize);
  for (const off of slots) {
    if (off + pointerSize > seg.contents.length) continue;
    const pointer = readWord(seg.contents, off, pointerSize, bigEndian);
    if (pointer === 0) continue;
    roots.push({
      kind: seg.kind,
      pointer,
      description: `${seg.kind}+${hex(off)} (${hex(seg.address + off)})`,
      goroutineId: -1,
    });
  }
}

function collectRoots(
  p: ParamsRecord,
  data: SegmentRecord | undefined,
  bss: SegmentRecord | undefined,
  goroutines: readonly HeapDumpGoroutine[],
  finalizers: readonly FinalizerRecord[],
  queued: readonly FinalizerRecord[],
  otherRoots: readonly OtherRootRecord[],
  objects: ObjectIndexImpl,
): HeapRoot[] {
  const { pointerSize, bigEndian } = p;
  const roots: HeapRoot[] = [];
  segmentRoots(roots, data, pointerSize, bigEndian);
  segmentRoots(roots, bss, pointerSize, bigEndian);
  for (const g of goroutines) {
    const id = g.id;
    for (const f of g.frames) {
      const slots = [...f.pointerOffsets];
      for (const x of f.interfaceFields) slots.push(x.offset, x.offset + pointerSize);
      for (const off of slots) {
        if (off + pointerSize > f.contents.length) continue;
        const pointer = readWord(f.contents, off, pointerSize, bigEndian);
        if (pointer === 0) continue;
        roots.push({
          kind: "frame",
          pointer,
          description: `${f.functionName} frame slot +${hex(off)} (goroutine ${id}, depth ${f.depth})`,
          goroutineId: id,
        });
      }
    }
    if (g.context !== 0) {
      roots.push({
        kind: "goroutineContext",
        pointer: g.context,
        description: `closure context of goroutine ${id}`,
        goroutineId: id,
      });
    }
    for (const d of g.defers) {
      // scanstack (src/runtime/mgcmark.go) scans the deferred funcval and the
      // _defer record itself when it is heap-allocated.
      roots.push({
        kind: "defer",
        pointer: d.address,
        description: `defer record of goroutine ${id}`,
        goroutineId: id,
      });
      if (d.funcAddress !== 0) {
        roots.push({
          kind: "defer",
          pointer: d.funcAddress,
          description: `deferred function of goroutine ${id}`,
          goroutineId: id,
        });
      }
    }
    for (const pn of g.panics) {
      if (pn.argDataAddress !== 0) {
        roots.push({
          kind: "panic",
          pointer: pn.argDataAddress,
          description: `panic argument of goroutine ${id}`,
          goroutineId: id,
        });
      }
    }
  }
  for (const f of finalizers) {
    roots.push({
      kind: "finalizer",
      pointer: f.funcAddress,
      description: `finalizer function of object ${hex(f.objectAddress)}`,
      goroutineId: -1,
    });
    // markrootSpans (src/runtime/mgcmark.go) scans the object with a finalizer
    // but does not mark it: what it points to is a root, the object is not.
    const o = objects.lookupObject(f.objectAddress);
    if (o < 0) continue;
    const end = objects.ptrStart[o + 1] as number;
    for (let s = objects.ptrStart[o] as number; s < end; s++) {
      const pointer = objects.readPointer(s, o);
      if (pointer === 0) continue;
      roots.push({
        kind: "finalizerReferent",
        pointer,
        description: `referent of finalizable object ${hex(objects.addresses[o] as number)} at +${hex(objects.ptrOffsets[s] as number)}`,
        goroutineId: -1,
      });
    }
  }
  for (const f of queued) {
    roots.push({
      kind: "queuedFinalizer",
      pointer: f.objectAddress,
      description: `object queued for finalization`,
      goroutineId: -1,
    });
    roots.push({
      kind: "queuedFinalizer",
      pointer: f.funcAddress,
      description: `queued finalizer function of object ${hex(f.objectAddress)}`,
      goroutineId: -1,
    });
  }
  for (const r of otherRoots) {
    roots.push({ kind: "other", pointer: r.pointer, description: r.description, goroutineId: -1 });
  }
  return roots;
}

import type { HeapDump, HeapRootKind, MemProfRecord } from "@tricolor/heapdump-reader";
import { buildGraphFromSource, type GraphBuildOptions, type ObjectGraph } from "./graph.js";
import { type GraphSource, RootKind } from "./source.js";

const ROOT_KIND_OF: Readonly<Record<HeapRootKind, RootKind>> = {
  data: RootKind.Data,
  bss: RootKind.Bss,
  frame: RootKind.Frame,
  goroutineContext: RootKind.GoroutineContext,
  defer: RootKind.Defer,
  panic: RootKind.Panic,
  finalizer: RootKind.FinalizerFunction,
  queuedFinalizer: RootKind.QueuedFinalizer,
  finalizerReferent: RootKind.FinalizerReferent,
  other: RootKind.Other,
};

/**
 * The runtime's allocation entry points (`src/runtime/malloc.go`, `slice.go`,
 * `map*.go`, `string.go`, `iface.go`): a frame of theirs says *how* memory was
 * allocated, not *who* asked for it.
 */
const ALLOCATOR_FRAME =
  /^runtime\.(mallocgc\w*|newobject|newarray|makeslice\w*|growslice|makemap\w*|makechan|mapassign\w*|rawstring\w*|rawbyteslice|rawruneslice|concatstring\w*|slicebytetostring|stringtoslicebyte|convT\w*|newproc1|malg)$/;

/**
 * Label of an allocation site: the innermost frame outside the runtime (the
 * memory profiler's stacks start inside `mallocgc`'s callers; the first
 * user frame is the one people recognise). For the runtime's own allocations
 * (every frame in `runtime.`), the innermost frame that is not an allocator
 * entry point, so that e.g. `runtime.allocm` is told apart from
 * `runtime.procresize` rather than both reading `runtime.mallocgc`.
 */
export function allocationSiteLabel(bucket: MemProfRecord): string {
  const frames = bucket.frames;
  const frame =
    frames.find((f) => !f.functionName.startsWith("runtime.")) ??
    frames.find((f) => !ALLOCATOR_FRAME.test(f.functionName)) ??
    frames[0] ??
    undefined;
  if (frame === undefined) return "(unknown)";
  return frame.line > 0 ? `${frame.functionName} ${frame.file}:${frame.line}` : frame.functionName;
}

const TWO_32 = 0x1_0000_0000;

/**
 * Wraps a `HeapDump` from `@tricolor/heapdump-reader` as a {@link GraphSource}.
 * Its objects are already in address order, so ordinals of the graph equal
 * the dump's object ordinals.
 */
export function heapDumpSource(dump: HeapDump): GraphSource {
  const objects = dump.objects;
  const { ptrStart, ptrOffsets, addresses, sizes, contentOffsets, source, pointerSize, bigEndian } =
    objects;
  // Pointer words are read straight from the dump bytes: ObjectIndex.readPointer
  // would have to find each slot's owner again, and this loop runs once per
  // pointer slot (tens of millions on big dumps). A DataView reads a word in
  // one go where byte-by-byte assembly takes a dozen operations. A 64-bit
  // word of 2^53 or more comes out rounded, which is harmless here: no heap
  // object lies that high (the reader refuses such addresses), so a rounded
  // value still resolves to no object.
  const wide = pointerSize === 8;
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const le = !bigEndian;
  const labels = new Map<number, string>();
  return {
    objectCount: objects.count,
    objectAddress: (i) => addresses[i] as number,
    objectSize: (i) => sizes[i] as number,
    pointerCount: ptrOffsets.length,
    forEachPointer(i, visit) {
      const end = ptrStart[i + 1] as number;
      const base = contentOffsets[i] as number;
      for (let s = ptrStart[i] as number; s < end; s++) {
        const p = base + (ptrOffsets[s] as number);
        visit(
          wide
            ? le
              ? view.getUint32(p, true) + view.getUint32(p + 4, true) * TWO_32
              : view.getUint32(p, false) * TWO_32 + view.getUint32(p + 4, false)
            : view.getUint32(p, le),
        );
      }
    },
    forEachRoot(visit) {
      // The reader already expands registered finalizers into a function
      // root plus one "finalizerReferent" root per pointer of the object,
      // the way markrootSpans (src/runtime/mgcmark.go) treats them.
      for (const root of dump.roots) visit(ROOT_KIND_OF[root.kind], root.pointer, root.description);
    },
    // The dump lists an object's pointer words from its heap bitmap; an
    // object with none lives in a noscan span class.
    isNoscan: (i) => ptrStart[i] === ptrStart[i + 1],
    allocationSite(i) {
      const b = dump.objectAllocBucket[i] as number;
      if (b < 0) return undefined;
      let label = labels.get(b);
      if (label === undefined) {
        const bucket = dump.memProfile[b];
        label = bucket === undefined ? "(unknown)" : allocationSiteLabel(bucket);
        labels.set(b, label);
      }
      return label;
    },
  };
}

/**
 * Turns a heap dump into an {@link ObjectGraph}: ordinals are the dump's
 * object ordinals (address order), edges come from every object's pointer
 * slots (nil, self and non-heap pointers dropped, interior pointers resolved),
 * roots from every root the reader found, allocation sites from the memory
 * profile samples.
 */
export function buildObjectGraph(dump: HeapDump, options: GraphBuildOptions = {}): ObjectGraph {
  const graph = buildGraphFromSource(heapDumpSource(dump), options);
  const finalizerObjects: number[] = [];
  for (const f of dump.finalizers) {
    const o = graph.resolveAddress(f.objectAddress);
    if (o >= 0) finalizerObjects.push(o);
  }
  // Copy the properties as they are: spreading would read the getters of the
  // lazily built retainer arrays and so build them now.
  return Object.defineProperties(
    {},
    {
      ...Object.getOwnPropertyDescriptors(graph),
      finalizerObjects: { value: finalizerObjects, enumerable: true },
    },
  ) as ObjectGraph;
}

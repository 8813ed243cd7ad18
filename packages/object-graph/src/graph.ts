import { AddressIndex } from "./address-index.js";
import { ObjectGraphError, ObjectGraphErrorCode } from "./errors.js";
import { type GraphSource, ROOT_KINDS, type RootKind } from "./source.js";

/**
 * A typed array holding ordinals: 16-bit when the graph has at most 65 536
 * objects, 32-bit otherwise (the smallest that fits).
 */
export type OrdinalArray = Uint16Array | Uint32Array;

/** A recoverable oddity found while building a graph. */
export interface GraphDiagnostic {
  /** Short machine-readable kind, e.g. `"overlapping-objects"`. */
  readonly code: string;
  /** Human explanation. */
  readonly message: string;
  /** The object it concerns, if any. */
  readonly ordinal?: number;
}

/** Counters of what the builder dropped or resolved. */
export interface GraphBuildStats {
  /** Pointer values that were zero (nil). */
  readonly nilPointers: number;
  /** Pointers from an object into itself (self-edges are dropped). */
  readonly selfPointers: number;
  /** Pointer values that hit no heap object (globals, stacks, code, freed memory). */
  readonly outsidePointers: number;
  /** Kept edges whose pointer pointed past the start of the target object. */
  readonly interiorPointers: number;
  /** Root pointers that hit no heap object. */
  readonly unresolvedRoots: number;
}

/**
 * The heap as a graph. Nodes are identified by *ordinals*: dense ids
 * `0..objectCount-1` assigned in ascending *address* order, so ordinal order
 * is address order. Every array here is read-only by convention: algorithms
 * never mutate a graph.
 *
 * Edges are in CSR form: the targets of object `o` are
 * `edgeTargets[edgeStart[o] .. edgeStart[o+1])`, one entry per non-nil
 * pointer slot (two slots pointing at the same object give two edges).
 * Retainers (reverse edges) use the same layout.
 */
export interface ObjectGraph {
  /** Number of heap objects (nodes). */
  readonly objectCount: number;
  /** Start address of each object, ascending. */
  readonly addresses: Float64Array;
  /** Size in bytes of each object. */
  readonly sizes: Uint32Array | Float64Array;
  /** Sum of `sizes`. */
  readonly totalBytes: number;
  /** CSR offsets of forward edges, length `objectCount + 1`. */
  readonly edgeStart: Uint32Array;
  /** CSR targets (ordinals) of forward edges. */
  readonly edgeTargets: OrdinalArray;
  /**
   * CSR offsets of reverse (retainer) edges, length `objectCount + 1`. The
   * reverse edges are computed on first access of this or
   * {@link ObjectGraph.retainerSources}, not by the build.
   */
  readonly retainerStart: Uint32Array;
  /** CSR sources (ordinals) of reverse edges: who points at each object. */
  readonly retainerSources: OrdinalArray;
  /** Number of roots that resolved to a heap object. */
  readonly rootCount: number;
  /** Kind of each root, as an index into {@link ROOT_KINDS}. */
  readonly rootKinds: Uint8Array;
  /** Target ordinal of each root. */
  readonly rootTargets: OrdinalArray;
  /** Human description of each root. */
  readonly rootDescriptions: readonly string[];
  /** 1 for objects holding no pointers at all ("noscan"), when the source said so. */
  readonly noscan: Uint8Array | undefined;
  /** Allocation-site id of each object (index into `sites`), -1 when unknown. */
  readonly siteIds: Int32Array | undefined;
  /** Allocation-site labels. */
  readonly sites: readonly string[];
  /** Ordinals of objects with a registered finalizer (not roots themselves). */
  readonly finalizerObjects: readonly number[];
  /** What the builder dropped or resolved. */
  readonly stats: GraphBuildStats;
  /** Recoverable oddities, capped at {@link GraphBuildOptions.maxDiagnostics}. */
  readonly diagnostics: readonly GraphDiagnostic[];
  /** Resolves an address (interior pointers allowed) to an ordinal, or -1. */
  resolveAddress(address: number): number;
}

/** Options of {@link buildGraphFromSource} and `buildObjectGraph`. */
export interface GraphBuildOptions {
  /** Cap of the diagnostics list (default 100). */
  readonly maxDiagnostics?: number;
}

/** Returns the name of a root kind code stored in {@link ObjectGraph.rootKinds}. */
export function rootKindName(code: number): RootKind {
  const kind = ROOT_KINDS[code];
  if (kind === undefined) {
    throw new ObjectGraphError(ObjectGraphErrorCode.InvalidInput, `unknown root kind code ${code}`);
  }
  return kind;
}

const MAX_CSR_EDGES = 0xffff_ffff;

function ordinalArray(objectCount: number, length: number): OrdinalArray {
  return objectCount <= 0x1_0000 ? new Uint16Array(length) : new Uint32Array(length);
}

/** A copy of `data` with twice the room (up to the CSR limit). */
function grown(data: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  if (data.length >= MAX_CSR_EDGES) {
    throw new ObjectGraphError(ObjectGraphErrorCode.TooManyEdges, "more than 2^32-1 edges");
  }
  const next = new Uint32Array(Math.min(MAX_CSR_EDGES, data.length * 2));
  next.set(data);
  return next;
}

/**
 * Builds an {@link ObjectGraph} from any {@link GraphSource}.
 *
 * Cost: one pass over the objects and one over their pointers, a binary
 * search per pointer (narrowed by a page table); the reverse edges (a
 * counting sort) follow on first use. No recursion.
 *
 * @throws {@link ObjectGraphError} `INVALID_SOURCE` when counts, addresses or
 * sizes are not finite non-negative integers or two objects share an address.
 */
export function buildGraphFromSource(
  source: GraphSource,
  options: GraphBuildOptions = {},
): ObjectGraph {
  const maxDiagnostics = options.maxDiagnostics ?? 100;
  const diagnostics: GraphDiagnostic[] = [];
  let diagnosticsDropped = 0;
  const report = (d: GraphDiagnostic): void => {
    if (diagnostics.length < maxDiagnostics) diagnostics.push(d);
    else diagnosticsDropped++;
  };

  const n = source.objectCount;
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffff_fffe) {
    throw new ObjectGraphError(ObjectGraphErrorCode.InvalidSource, `bad objectCount ${n}`);
  }

  // Read addresses; find out whether the source is already in address order.
  const sourceAddresses = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const a = source.objectAddress(i);
    if (!Number.isSafeInteger(a) || a < 0) {
      throw new ObjectGraphError(ObjectGraphErrorCode.InvalidSource, `bad address ${a}`, {
        ordinal: i,
      });
    }
    sourceAddresses[i] = a;
    if (i > 0 && a <= (sourceAddresses[i - 1] as number)) sorted = false;
  }
  // order[ordinal] = source index
  let order: Uint32Array | undefined;
  if (!sorted) {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((x, y) => (sourceAddresses[x] as number) - (sourceAddresses[y] as number));
  }
  const indexOf = (ordinal: number): number =>
    order === undefined ? ordinal : (order[ordinal] as number);

  const addresses = order === undefined ? sourceAddresses : new Float64Array(n);
  if (order !== undefined) {
    for (let o = 0; o < n; o++) addresses[o] = sourceAddresses[order[o] as number] as number;
  }
  for (let o = 1; o < n; o++) {
    if (addresses[o] === addresses[o - 1]) {
      throw new ObjectGraphError(
        ObjectGraphErrorCode.InvalidSource,
        `two objects at address 0x${(addresses[o] as number).toString(16)}`,
        { ordinal: o },
      );
    }
  }

  // Sizes: 32-bit unless some object is 4 GiB or larger (then copied over
  // to 64-bit floats from that object on).
  let sizes: Uint32Array | Float64Array = new Uint32Array(n);
  let totalBytes = 0;
  for (let o = 0; o < n; o++) {
    const s = source.objectSize(indexOf(o));
    if (!Number.isSafeInteger(s) || s < 0) {
      throw new ObjectGraphError(ObjectGraphErrorCode.InvalidSource, `bad size ${s}`, {
        ordinal: o,
      });
    }
    if (s > 0xffff_ffff && sizes instanceof Uint32Array) sizes = Float64Array.from(sizes);
    sizes[o] = s;
    totalBytes += s;
  }
  for (let o = 0; o + 1 < n; o++) {
    if ((addresses[o] as number) + (sizes[o] as number) > (addresses[o + 1] as number)) {
      report({
        code: "overlapping-objects",
        message: `object at 0x${(addresses[o] as number).toString(16)} (size ${sizes[o]}) overlaps the next one; pointers into the overlap resolve to the later object`,
        ordinal: o,
      });
    }
  }

  const index = new AddressIndex(addresses, sizes);

  // Forward edges.
  const edgeStart = new Uint32Array(n + 1);
  // Edge targets as they come, in an array sized from the source's pointer
  // count when it gives one (else grown by doubling).
  const hint = source.pointerCount;
  let targets = new Uint32Array(
    Math.max(
      16,
      Math.min(
        MAX_CSR_EDGES,
        hint !== undefined && Number.isSafeInteger(hint) && hint >= 0 ? hint : n * 4,
      ),
    ),
  );
  let edgeCount = 0;
  let nilPointers = 0;
  let selfPointers = 0;
  let outsidePointers = 0;
  let interiorPointers = 0;
  let current = 0;
  const visit = (value: number): void => {
    if (value === 0) {
      nilPointers++;
      return;
    }
    const t = index.resolve(value);
    if (t < 0) {
      outsidePointers++;
      return;
    }
    if (t === current) {
      selfPointers++;
      return;
    }
    if (value !== index.lastStart) interiorPointers++;
    if (edgeCount === targets.length) targets = grown(targets);
    targets[edgeCount++] = t;
  };
  for (let o = 0; o < n; o++) {
    edgeStart[o] = edgeCount;
    current = o;
    source.forEachPointer(indexOf(o), visit);
  }
  edgeStart[n] = edgeCount;
  let edgeTargets: OrdinalArray;
  if (n > 0x1_0000) {
    // With a close pointer count (a heap dump's slot count is at most a few
    // percent above the edge count) the array is kept rather than copied.
    edgeTargets =
      edgeCount >= targets.length - (targets.length >>> 3)
        ? targets.subarray(0, edgeCount)
        : targets.slice(0, edgeCount);
  } else {
    edgeTargets = new Uint16Array(edgeCount);
    edgeTargets.set(targets.subarray(0, edgeCount));
  }
  targets = new Uint32Array(0);

  // Retainers are built on first use: the graph algorithms here (reachability,
  // marking, dominators) only walk forward edges, and the counting sort costs
  // about as much as a third of the rest of the build on big heaps.
  let reverse: { retainerStart: Uint32Array; retainerSources: OrdinalArray } | undefined;
  const retainers = (): { retainerStart: Uint32Array; retainerSources: OrdinalArray } => {
    reverse ??= reverseEdges(n, edgeStart, edgeTargets);
    return reverse;
  };

  // Roots.
  const rootKindCodes: number[] = [];
  const rootTargetList: number[] = [];
  const rootDescriptions: string[] = [];
  let unresolvedRoots = 0;
  const kindCode = new Map<RootKind, number>(ROOT_KINDS.map((k, i) => [k, i]));
  const addRoot = (kind: RootKind, value: number, description: string): void => {
    const code = kindCode.get(kind);
    if (code === undefined) {
      throw new ObjectGraphError(ObjectGraphErrorCode.InvalidSource, `unknown root kind ${kind}`);
    }
    const t = value === 0 ? -1 : index.resolve(value);
    if (t < 0) {
      unresolvedRoots++;
      return;
    }
    rootKindCodes.push(code);
    rootTargetList.push(t);
    rootDescriptions.push(description);
  };
  source.forEachRoot(addRoot);

  // Finalizers: as markrootSpans in src/runtime/mgcmark.go does, scan the
  // object (its referents become roots) but do not mark the object itself,
  // and mark the finalizer's function value.
  const finalizerObjects: number[] = [];
  source.forEachFinalizer?.((object, fn) => {
    const o = index.resolve(object);
    const hex = `0x${object.toString(16)}`;
    if (o < 0) {
      report({ code: "finalizer-outside-heap", message: `finalizer for ${hex} hits no object` });
    } else {
      finalizerObjects.push(o);
      const end = edgeStart[o + 1] as number;
      for (let e = edgeStart[o] as number; e < end; e++) {
        const t = edgeTargets[e] as number;
        rootKindCodes.push(kindCode.get("finalizer-referent") as number);
        rootTargetList.push(t);
        rootDescriptions.push(`pointer held by finalized object ${hex}`);
      }
    }
    if (fn !== 0) addRoot("finalizer-function", fn, `finalizer function of object ${hex}`);
  });

  const rootCount = rootTargetList.length;
  const rootKinds = Uint8Array.from(rootKindCodes);
  const rootTargets = ordinalArray(n, rootCount);
  rootTargets.set(rootTargetList);

  // Optional per-object facts.
  let noscan: Uint8Array | undefined;
  if (source.isNoscan !== undefined) {
    noscan = new Uint8Array(n);
    for (let o = 0; o < n; o++) if (source.isNoscan(indexOf(o))) noscan[o] = 1;
  }
  let siteIds: Int32Array | undefined;
  const sites: string[] = [];
  if (source.allocationSite !== undefined) {
    siteIds = new Int32Array(n).fill(-1);
    const siteIndex = new Map<string, number>();
    // Neighbouring objects often share a site: the last label is checked first.
    let lastLabel: string | undefined;
    let lastId = -1;
    for (let o = 0; o < n; o++) {
      const label = source.allocationSite(indexOf(o));
      if (label === undefined) continue;
      if (label !== lastLabel) {
        let id = siteIndex.get(label);
        if (id === undefined) {
          id = sites.length;
          sites.push(label);
          siteIndex.set(label, id);
        }
        lastLabel = label;
        lastId = id;
      }
      siteIds[o] = lastId;
    }
  }

  if (diagnosticsDropped > 0) {
    diagnostics.push({
      code: "diagnostics-capped",
      message: `${diagnosticsDropped} more diagnostics were dropped`,
    });
  }

  return {
    objectCount: n,
    addresses,
    sizes,
    totalBytes,
    edgeStart,
    edgeTargets,
    get retainerStart() {
      return retainers().retainerStart;
    },
    get retainerSources() {
      return retainers().retainerSources;
    },
    rootCount,
    rootKinds,
    rootTargets,
    rootDescriptions,
    noscan,
    siteIds,
    sites,
    finalizerObjects,
    stats: { nilPointers, selfPointers, outsidePointers, interiorPointers, unresolvedRoots },
    diagnostics,
    resolveAddress: (address: number) => index.resolve(address),
  };
}

/**
 * Targets per block of the reverse-edge sort: a block's counters (64 KiB) and
 * its slice of the output (a few hundred KiB on typical heaps) stay in the
 * CPU cache while the block is sorted.
 */
const BLOCK_BITS = 14;

/**
 * Reverse edges (retainers) in CSR form: a stable counting sort of the
 * forward edges by target, so each object's retainers come out in ascending
 * source order, a source listed once per edge.
 *
 * A plain counting sort makes two random accesses per edge into arrays of
 * tens of megabytes (the target's counter and its output slot), each a cache
 * miss on big heaps. Here the edges are first distributed, still in source
 * order, into blocks of 2^BLOCK_BITS consecutive targets (a few hundred
 * sequential output streams), then each block is counting-sorted on its own
 * with counters and output that fit in cache. Same result, two sequential
 * passes instead of random ones.
 */
function reverseEdges(
  n: number,
  edgeStart: Uint32Array,
  edgeTargets: OrdinalArray,
): { retainerStart: Uint32Array; retainerSources: OrdinalArray } {
  const edgeCount = edgeTargets.length;
  const retainerStart = new Uint32Array(n + 1);
  const retainerSources = ordinalArray(n, edgeCount);
  const blockCount = (n >>> BLOCK_BITS) + 1;
  const blockStart = new Uint32Array(blockCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    const b = ((edgeTargets[e] as number) >>> BLOCK_BITS) + 1;
    blockStart[b] = (blockStart[b] as number) + 1;
  }
  for (let b = 0; b < blockCount; b++) {
    blockStart[b + 1] = (blockStart[b + 1] as number) + (blockStart[b] as number);
  }
  // Pass 1: (target within its block, source) pairs, grouped by block, in
  // source order within each block.
  const mask = (1 << BLOCK_BITS) - 1;
  const lowTarget = new Uint16Array(edgeCount);
  const source = ordinalArray(n, edgeCount);
  const blockFill = blockStart.slice(0, blockCount);
  for (let o = 0; o < n; o++) {
    const end = edgeStart[o + 1] as number;
    for (let e = edgeStart[o] as number; e < end; e++) {
      const t = edgeTargets[e] as number;
      const b = t >>> BLOCK_BITS;
      const pos = blockFill[b] as number;
      blockFill[b] = pos + 1;
      lowTarget[pos] = t & mask;
      source[pos] = o;
    }
  }
  // Pass 2: a counting sort inside each block.
  const fill = new Uint32Array(mask + 2);
  for (let b = 0; b < blockCount; b++) {
    const lo = b << BLOCK_BITS;
    const width = Math.min(mask + 1, n - lo);
    const first = blockStart[b] as number;
    const last = blockStart[b + 1] as number;
    fill.fill(0);
    for (let i = first; i < last; i++) {
      const slot = (lowTarget[i] as number) + 1;
      fill[slot] = (fill[slot] as number) + 1;
    }
    fill[0] = first;
    for (let k = 0; k < width; k++) {
      fill[k + 1] = (fill[k + 1] as number) + (fill[k] as number);
      retainerStart[lo + k] = fill[k] as number;
    }
    for (let i = first; i < last; i++) {
      const k = lowTarget[i] as number;
      const pos = fill[k] as number;
      fill[k] = pos + 1;
      retainerSources[pos] = source[i] as number;
    }
  }
  retainerStart[n] = edgeCount;
  return { retainerStart, retainerSources };
}

/** Throws `INVALID_ORDINAL` unless `ordinal` names an object of `graph`. */
export function assertOrdinal(graph: ObjectGraph, ordinal: number): void {
  if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= graph.objectCount) {
    throw new ObjectGraphError(ObjectGraphErrorCode.InvalidOrdinal, "no such object", { ordinal });
  }
}

import type { ObjectGraph } from "./graph.js";
import { type Reachability, reachability } from "./reachability.js";
import { ROOT_KINDS, type RootKind } from "./source.js";

/** Object and byte counts of one group, split into live and garbage. */
export interface GroupTotals {
  /** Objects in the group. */
  readonly count: number;
  /** Their bytes. */
  readonly bytes: number;
  /** Objects reachable from the roots. */
  readonly liveCount: number;
  /** Bytes of those. */
  readonly liveBytes: number;
}

/** One allocation site and its objects. */
export interface SiteSummary extends GroupTotals {
  /** The site label (innermost non-runtime frame: "func file:line"). */
  readonly site: string;
}

/** Objects grouped by allocation site. */
export interface SiteSummaries {
  /** Sites, most bytes first. */
  readonly sites: readonly SiteSummary[];
  /**
   * Objects with no known site. A heap dump only knows the sites of objects
   * the memory profiler sampled (one per `runtime.MemProfileRate` bytes, 512
   * KiB by default), so this is usually most of the heap.
   */
  readonly unsampled: GroupTotals;
}

class Totals {
  count = 0;
  bytes = 0;
  liveCount = 0;
  liveBytes = 0;
  add(size: number, live: boolean): void {
    this.count++;
    this.bytes += size;
    if (live) {
      this.liveCount++;
      this.liveBytes += size;
    }
  }
  freeze(): GroupTotals {
    return {
      count: this.count,
      bytes: this.bytes,
      liveCount: this.liveCount,
      liveBytes: this.liveBytes,
    };
  }
}

/** Objects and bytes per allocation site (from the dump's allocation samples). */
export function summarizeBySite(graph: ObjectGraph, reach?: Reachability): SiteSummaries {
  const live = (reach ?? reachability(graph)).live;
  const perSite = graph.sites.map(() => new Totals());
  const unsampled = new Totals();
  const ids = graph.siteIds;
  for (let o = 0; o < graph.objectCount; o++) {
    const id = ids === undefined ? -1 : (ids[o] as number);
    const t = id < 0 ? unsampled : (perSite[id] as Totals);
    t.add(graph.sizes[o] as number, live[o] === 1);
  }
  const sites = perSite
    .map((t, i) => ({ site: graph.sites[i] as string, ...t.freeze() }))
    .sort((a, b) => b.bytes - a.bytes || (a.site < b.site ? -1 : a.site > b.site ? 1 : 0));
  return { sites, unsampled: unsampled.freeze() };
}

/**
 * Upper bounds of Go's small size classes 1..67 (class 0 means "large
 * object"), as generated in src/internal/runtime/gc/sizeclasses.go (unchanged
 * since Go 1.21's 68-class table).
 */
export const GO_SIZE_CLASSES: readonly number[] = [
  0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352,
  384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304,
  2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880,
  12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
];

/** The Go size class of an object of `size` bytes: 1..67, or 0 for a large object. */
export function sizeClassOf(size: number): number {
  if (size > 32768) return 0;
  let lo = 1;
  let hi = GO_SIZE_CLASSES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((GO_SIZE_CLASSES[mid] as number) < size) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One size class and its objects. */
export interface SizeClassSummary extends GroupTotals {
  /** Go size class, 0 for large objects (> 32 KiB). */
  readonly sizeClass: number;
  /** The class's object size (0 for large objects). */
  readonly classSize: number;
}

/** Objects and bytes per Go size class (only classes that have objects), in class order. */
export function summarizeBySizeClass(graph: ObjectGraph, reach?: Reachability): SizeClassSummary[] {
  const live = (reach ?? reachability(graph)).live;
  const totals = GO_SIZE_CLASSES.map(() => new Totals());
  for (let o = 0; o < graph.objectCount; o++) {
    const size = graph.sizes[o] as number;
    (totals[sizeClassOf(size)] as Totals).add(size, live[o] === 1);
  }
  const out: SizeClassSummary[] = [];
  totals.forEach((t, c) => {
    if (t.count > 0)
      out.push({ sizeClass: c, classSize: GO_SIZE_CLASSES[c] as number, ...t.freeze() });
  });
  return out;
}

/** What the roots of one kind keep alive. */
export interface RootKindSummary {
  /** The root kind. */
  readonly kind: RootKind;
  /** Roots of this kind. */
  readonly roots: number;
  /** Objects reachable from roots of this kind (an object can count for several kinds). */
  readonly reachableCount: number;
  /** Bytes of those. */
  readonly reachableBytes: number;
}

/**
 * Roots and reachable objects per root kind (only kinds that have roots).
 * One walk per kind, each iterative over the CSR.
 */
export function summarizeByRootKind(graph: ObjectGraph): RootKindSummary[] {
  const n = graph.objectCount;
  const seen = new Uint8Array(n);
  const stack = new Uint32Array(n);
  const out: RootKindSummary[] = [];
  const { edgeStart, edgeTargets } = graph;
  ROOT_KINDS.forEach((kind, code) => {
    seen.fill(0);
    let top = 0;
    let roots = 0;
    for (let r = 0; r < graph.rootCount; r++) {
      if (graph.rootKinds[r] !== code) continue;
      roots++;
      const t = graph.rootTargets[r] as number;
      if (seen[t] === 0) {
        seen[t] = 1;
        stack[top++] = t;
      }
    }
    if (roots === 0) return;
    let count = 0;
    let bytes = 0;
    while (top > 0) {
      const o = stack[--top] as number;
      count++;
      bytes += graph.sizes[o] as number;
      const end = edgeStart[o + 1] as number;
      for (let e = edgeStart[o] as number; e < end; e++) {
        const t = edgeTargets[e] as number;
        if (seen[t] === 0) {
          seen[t] = 1;
          stack[top++] = t;
        }
      }
    }
    out.push({ kind, roots, reachableCount: count, reachableBytes: bytes });
  });
  return out;
}

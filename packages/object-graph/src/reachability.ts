import type { ObjectGraph } from "./graph.js";

/** Live and garbage objects of a graph. */
export interface Reachability {
  /** 1 for each ordinal reachable from some root, 0 for garbage. */
  readonly live: Uint8Array;
  /** Number of live objects. */
  readonly liveCount: number;
  /** Bytes of live objects. */
  readonly liveBytes: number;
  /** Number of unreachable objects (what the next GC would free). */
  readonly garbageCount: number;
  /** Bytes of unreachable objects. */
  readonly garbageBytes: number;
}

const BATCH = 32;

/**
 * Marks everything reachable from the graph's roots: an iterative walk over
 * the forward CSR with an explicit stack (each object is pushed at most
 * once, so the stack never exceeds the object count).
 */
export function reachability(graph: ObjectGraph): Reachability {
  const n = graph.objectCount;
  const { edgeStart, edgeTargets, rootTargets, sizes } = graph;
  const live = new Uint8Array(n);
  // The hot "seen yet?" test reads a bitset (n/8 bytes, small enough to stay
  // in cache on heaps of millions of objects) rather than the byte array.
  const seen = new Int32Array((n + 31) >>> 5);
  const stack = new Uint32Array(n);
  let top = 0;
  for (let r = 0; r < graph.rootCount; r++) {
    const t = rootTargets[r] as number;
    const bit = 1 << (t & 31);
    if (((seen[t >>> 5] as number) & bit) === 0) {
      seen[t >>> 5] = (seen[t >>> 5] as number) | bit;
      live[t] = 1;
      stack[top++] = t;
    }
  }
  // Objects are taken off the stack in batches: first every batch member's
  // edge range is looked up, then each range's first target is touched, then
  // the edges are followed. The lookups of one batch do not depend on each
  // other, so the CPU overlaps their cache misses instead of paying them one
  // after another (the order of a reachability walk does not matter).
  const batchStart = new Uint32Array(BATCH);
  const batchEnd = new Uint32Array(BATCH);
  let touched = 0;
  while (top > 0) {
    const k = Math.min(top, BATCH);
    for (let i = 0; i < k; i++) {
      const o = stack[--top] as number;
      batchStart[i] = edgeStart[o] as number;
      batchEnd[i] = edgeStart[o + 1] as number;
    }
    for (let i = 0; i < k; i++) touched ^= edgeTargets[batchStart[i] as number] ?? 0;
    for (let i = 0; i < k; i++) {
      const end = batchEnd[i] as number;
      for (let e = batchStart[i] as number; e < end; e++) {
        const t = edgeTargets[e] as number;
        const bit = 1 << (t & 31);
        if (((seen[t >>> 5] as number) & bit) === 0) {
          seen[t >>> 5] = (seen[t >>> 5] as number) | bit;
          live[t] = 1;
          stack[top++] = t;
        }
      }
    }
  }
  // Keep the touching loop from being optimised away.
  if (touched === -1) live.fill(live[0] ?? 0, 0, 0);
  let liveCount = 0;
  let liveBytes = 0;
  for (let o = 0; o < n; o++) {
    if (live[o] === 1) {
      liveCount++;
      liveBytes += sizes[o] as number;
    }
  }
  return {
    live,
    liveCount,
    liveBytes,
    garbageCount: n - liveCount,
    garbageBytes: graph.totalBytes - liveBytes,
  };
}

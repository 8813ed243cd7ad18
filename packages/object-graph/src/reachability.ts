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

/**
 * Marks everything reachable from the graph's roots: an iterative
 * depth-first walk over the forward CSR with an explicit stack (each object
 * is pushed at most once, so the stack never exceeds the object count).
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
  while (top > 0) {
    const o = stack[--top] as number;
    const end = edgeStart[o + 1] as number;
    for (let e = edgeStart[o] as number; e < end; e++) {
      const t = edgeTargets[e] as number;
      const bit = 1 << (t & 31);
      if (((seen[t >>> 5] as number) & bit) === 0) {
        seen[t >>> 5] = (seen[t >>> 5] as number) | bit;
        live[t] = 1;
        stack[top++] = t;
      }
    }
  }
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

import { assertOrdinal, type ObjectGraph } from "./graph.js";

/** Value of {@link DominatorTree.idom} for objects dominated only by the virtual root. */
export const VIRTUAL_ROOT = -1;
/** Value of {@link DominatorTree.idom} for unreachable objects. */
export const UNREACHABLE = -2;

/** The dominator tree of a graph and the retained size of every object. */
export interface DominatorTree {
  /**
   * Immediate dominator of each ordinal: another ordinal, {@link VIRTUAL_ROOT}
   * when only the virtual root (the set of all roots) dominates it, or
   * {@link UNREACHABLE}.
   */
  readonly idom: Int32Array;
  /**
   * Retained size of each ordinal: its own size plus the sizes of all objects
   * it dominates — the bytes a GC would free if this one object became
   * unreachable. 0 for unreachable objects.
   */
  readonly retainedSizes: Float64Array;
  /** Bytes reachable from the roots (the virtual root's retained size). */
  readonly reachableBytes: number;
  /** Number of reachable objects. */
  readonly reachableCount: number;
}

/**
 * How many vertices ahead the semidominator loop reads the forest entries of
 * predecessors (measured on a 3-million-object dump: 16..128 all help, 32 is
 * about the best; the loop then takes ~1.5 s instead of ~2.1 s).
 */
const PREFETCH_AHEAD = 32;

/**
 * Computes dominators with the SEMI-NCA algorithm — L. Georgiadis,
 * "Linear-Time Algorithms for Dominators and Related Problems", PhD thesis,
 * Princeton 2005, §3 — which computes semidominators exactly as in
 * T. Lengauer and R. E. Tarjan, "A Fast Algorithm for Finding Dominators in a
 * Flowgraph", ACM TOPLAS 1(1), 1979 (simple `link`/`eval` with path
 * compression), then derives each immediate dominator as the nearest common
 * ancestor of its DFS parent and semidominator in the partially built tree.
 *
 * A virtual root with an edge to every root target makes the graph a
 * flowgraph with one entry. Everything runs on typed arrays indexed by DFS
 * preorder number, with explicit stacks instead of recursion. Retained sizes
 * follow in one pass in reverse preorder (children before their dominators,
 * because an immediate dominator always has a smaller preorder number).
 */
export function dominators(graph: ObjectGraph): DominatorTree {
  const n = graph.objectCount;
  const { edgeStart, edgeTargets, rootTargets, sizes } = graph;
  const edgeCount = edgeTargets.length;
  const rootCount = graph.rootCount;
  // Preorder number 0 is the virtual root; the others are objects.
  const pre = new Int32Array(n).fill(-1); // ordinal -> preorder number
  const vertex = new Int32Array(n + 1); // preorder number -> ordinal (-1: virtual root)
  const parent = new Int32Array(n + 1); // preorder number -> parent's preorder number
  const isRootTarget = new Uint8Array(n);
  for (let r = 0; r < rootCount; r++) isRootTarget[rootTargets[r] as number] = 1;

  // Each object's edge range and its first few targets, side by side in one
  // slot (see SLOT_SHIFT), so that taking a vertex in the DFS costs one
  // cache miss instead of two dependent ones (its edgeStart entry, then its
  // targets). Also counts the edges per block of targets for the predecessor
  // sort below.
  const shift = n <= MAX_SLOTTED_OBJECTS ? SLOT_SHIFT : 1;
  const width = 1 << shift;
  const inlineMax = width - 2;
  const slots = new Int32Array(n * width);
  const ordBlocks = (n >>> BLOCK_BITS) + 1;
  const ordStart = new Uint32Array(ordBlocks + 1);
  let begin = n > 0 ? (edgeStart[0] as number) : 0;
  for (let o = 0; o < n; o++) {
    const end = edgeStart[o + 1] as number;
    let j = o * width;
    slots[j++] = begin;
    slots[j++] = end - begin;
    const inlineEnd = Math.min(end, begin + inlineMax);
    for (let e = begin; e < end; e++) {
      const t = edgeTargets[e] as number;
      if (e < inlineEnd) slots[j++] = t;
      const b = (t >>> BLOCK_BITS) + 1;
      ordStart[b] = (ordStart[b] as number) + 1;
    }
    begin = end;
  }
  for (let b = 0; b < ordBlocks; b++) {
    ordStart[b + 1] = (ordStart[b + 1] as number) + (ordStart[b] as number);
  }
  // Iterative DFS from the virtual root. Instead of keeping an edge cursor
  // per stack frame (which revisits a vertex's edge list once per child, a
  // cache miss each time on big graphs), a vertex's successors are all pushed
  // at once with the vertex as their would-be parent, and a vertex is
  // numbered when it is popped unvisited. That is still a depth-first
  // traversal: the most recently discovered edge into a vertex wins, exactly
  // as recursion would take it (successors are just explored in another
  // order). The stack holds at most one (ordinal, parent) entry per edge
  // plus one per root.
  const stack = new Int32Array(2 * (edgeCount + rootCount));
  let top = 0;
  for (let r = rootCount - 1; r >= 0; r--) {
    stack[top++] = rootTargets[r] as number;
    stack[top++] = 0;
  }
  vertex[0] = -1;
  parent[0] = 0;
  let count = 1;
  // A bit per object for the "seen" test keeps the hot check in cache; the
  // 4-byte preorder numbers are only written once per vertex.
  const seen = new Int32Array((n + 31) >>> 5);
  while (top > 0) {
    top -= 2;
    const node = stack[top] as number;
    const bit = 1 << (node & 31);
    if (((seen[node >>> 5] as number) & bit) !== 0) continue;
    seen[node >>> 5] = (seen[node >>> 5] as number) | bit;
    const w = count++;
    pre[node] = w;
    vertex[w] = node;
    parent[w] = stack[top + 1] as number;
    const base = node * width;
    const begin = slots[base] as number;
    const degree = slots[base + 1] as number;
    // Targets past the slot first, so that the inline ones (pushed last)
    // are explored first and need nothing more from memory.
    for (let e = begin + degree - 1; e >= begin + inlineMax; e--) {
      const t = edgeTargets[e] as number;
      if (((seen[t >>> 5] as number) & (1 << (t & 31))) === 0) {
        stack[top++] = t;
        stack[top++] = w;
      }
    }
    for (let i = base + 1 + Math.min(degree, inlineMax); i > base + 1; i--) {
      const t = slots[i] as number;
      if (((seen[t >>> 5] as number) & (1 << (t & 31))) === 0) {
        stack[top++] = t;
        stack[top++] = w;
      }
    }
  }

  // Semidominators, Lengauer–Tarjan style, in reverse preorder. Everything
  // below is indexed by preorder number. SEMI-NCA only needs semidominator
  // *values*, never the vertex that attains them, so the link/eval forest
  // keeps just [ancestor, min semi on the compressed path] per vertex, side
  // by side in one array (8 bytes, eight vertices per cache line): on big
  // random graphs every step of a forest walk is a cache miss, and this keeps
  // both the number of lines touched and the working set small.
  //
  // The arrays from here on mostly live in the slot and stack buffers, which
  // the DFS no longer needs: fresh memory costs a page fault per 4 KiB, and
  // these arrays add up to hundreds of megabytes on big heaps.
  const spareA = slots.buffer;
  const spareB = stack.buffer;
  const { predStart, predList } = preorderPredecessors(
    graph,
    pre,
    count,
    isRootTarget,
    ordStart,
    spareA,
    spareB,
  );
  // predStart and predList sit at the start of spareA (or elsewhere), so the
  // forest and semi go to spareB, where pass 2 of the sort left its data.
  const forest = int32At(spareB, 0, 2 * count);
  const semi = int32At(spareB, 8 * count, count);
  for (let i = 0; i < count; i++) {
    forest[i << 1] = -1; // ancestor: not linked yet
    forest[(i << 1) | 1] = i; // min semi so far: its own (initially its number)
  }

  // The first forest read of each eval is a cache miss on a random vertex,
  // and the walk cannot start before it lands. The predecessors of a vertex
  // handled PREFETCH_AHEAD iterations later are known now, so their forest
  // entries are read here, ahead of time: these reads depend on nothing, so
  // the CPU overlaps their misses, and the later walks mostly start in cache.
  // Reading early never changes a result (the values are thrown away).
  let prefetched = 0;
  for (let w = count - 1; w >= 1; w--) {
    const ahead = w - PREFETCH_AHEAD;
    if (ahead >= 1) {
      const aheadEnd = predStart[ahead + 1] as number;
      for (let e = predStart[ahead] as number; e < aheadEnd; e++) {
        // Predecessors numbered below `ahead` will not be walked.
        const v = predList[e] as number;
        if (v > ahead) prefetched ^= forest[v << 1] as number;
      }
    }
    let s = w;
    const end = predStart[w + 1] as number;
    for (let e = predStart[w] as number; e < end && s > 0; e++) {
      const v = predList[e] as number;
      let u = v;
      // Vertices numbered below w are not processed (nor linked) yet, so
      // eval(v) is v itself. Otherwise eval(v) is the minimum semi on the
      // forest path from v up to (not including) its tree's root. Each
      // vertex x keeps best(x) = the minimum semi on [x, ancestor(x)), so the
      // path is tiled by segments; one walk with path halving (R. E. Tarjan
      // and J. van Leeuwen, "Worst-case analysis of set union algorithms",
      // JACM 31(2), 1984) folds the segments and shortens the path for the
      // next walk, without the second pass that full compression needs.
      if (v > w) {
        u = w;
        let x = v;
        let a = forest[x << 1] as number;
        while (a !== -1) {
          const aa = forest[a << 1] as number;
          let best = forest[(x << 1) | 1] as number;
          if (aa !== -1) {
            // halve: x skips a, and its segment grows by a's
            const ab = forest[(a << 1) | 1] as number;
            if (ab < best) {
              best = ab;
              forest[(x << 1) | 1] = ab;
            }
            forest[x << 1] = aa;
            a = aa;
          }
          if (best < u) u = best;
          x = a;
          a = forest[x << 1] as number;
        }
      }
      if (u < s) s = u;
    }
    semi[w] = s;
    forest[(w << 1) | 1] = s;
    forest[w << 1] = parent[w] as number; // link(parent(w), w)
  }

  if (prefetched === 0x7fff_ffff) semi.fill(0, 0, 0); // keeps the prefetch reads alive

  // NCA step: idom(w) is the nearest ancestor of parent(w) whose preorder
  // number is at most semi(w), walking the already-final idoms.
  const idomPre = int32At(spareB, 12 * count, count);
  idomPre[0] = 0;
  for (let w = 1; w < count; w++) {
    let x = parent[w] as number;
    const s = semi[w] as number;
    while (x > s) x = idomPre[x] as number;
    idomPre[w] = x;
  }

  // Retained sizes in reverse preorder.
  // spareA is free again: the predecessors are no longer needed.
  const retainedPre = float64At(spareA, 0, count);
  retainedPre.fill(0);
  for (let w = count - 1; w >= 1; w--) {
    const o = vertex[w] as number;
    retainedPre[w] = (retainedPre[w] as number) + (sizes[o] as number);
    const d = idomPre[w] as number;
    retainedPre[d] = (retainedPre[d] as number) + (retainedPre[w] as number);
  }

  const idom = new Int32Array(n).fill(UNREACHABLE);
  const retainedSizes = new Float64Array(n);
  for (let w = 1; w < count; w++) {
    const o = vertex[w] as number;
    const d = idomPre[w] as number;
    idom[o] = d === 0 ? VIRTUAL_ROOT : (vertex[d] as number);
    retainedSizes[o] = retainedPre[w] as number;
  }
  return {
    idom,
    retainedSizes,
    reachableBytes: retainedPre[0] as number,
    reachableCount: count - 1,
  };
}

/** Numbers per block of the predecessor sort (see {@link preorderPredecessors}). */
const BLOCK_BITS = 14;

/**
 * log2 of the 32-bit words per object in the DFS's slot array: its first
 * edge, its edge count and up to six targets, 32 bytes, so one cache line.
 */
const SLOT_SHIFT = 3;
/** Above this many objects the slots would not fit an array; they keep just the edge range. */
const MAX_SLOTTED_OBJECTS = 1 << 27;

/**
 * The predecessors of every reachable vertex as preorder numbers, in a CSR
 * indexed by preorder number: the virtual root (0) for root targets, then
 * one entry per edge from a reachable object (in no particular order; the
 * semidominator is a minimum over them). Edges from unreachable objects are
 * left out.
 *
 * Looking up `pre` for each edge's far end one edge at a time is a cache miss
 * per edge on big heaps. Instead the edges go through three sequential
 * passes, each distributing pairs into blocks of 2^BLOCK_BITS consecutive
 * numbers whose counters and slices stay in cache: (1) walk the forward edges
 * in ordinal order, pairing each source's preorder number with its target,
 * into blocks by target ordinal (`ordStart` has the counts per block, taken
 * by the caller); (2) per block, translate the targets to preorder numbers
 * (a cached slice of `pre`) and redistribute into blocks by target preorder
 * number; (3) per block, a counting sort into place.
 */
function preorderPredecessors(
  graph: ObjectGraph,
  pre: Int32Array,
  count: number,
  isRootTarget: Uint8Array,
  ordStart: Uint32Array,
  spareA: ArrayBufferLike,
  spareB: ArrayBufferLike,
): { predStart: Uint32Array; predList: Int32Array } {
  const n = graph.objectCount;
  const { edgeStart, edgeTargets } = graph;
  const mask = (1 << BLOCK_BITS) - 1;
  const ordBlocks = (n >>> BLOCK_BITS) + 1;

  // Pass 1: (target ordinal within its block, source preorder number) for
  // every edge out of a reachable object. ordStart counts all edges, so the
  // edges of unreachable objects leave gaps: block b ends at ordEnd[b].
  const edgeCount = edgeTargets.length;
  const pairSource = int32At(spareA, 0, edgeCount);
  const lowTarget = uint16At(spareA, 4 * edgeCount, edgeCount);
  const ordEnd = ordStart.slice(0, ordBlocks);
  for (let o = 0; o < n; o++) {
    const ps = pre[o] as number;
    if (ps < 0) continue;
    const end = edgeStart[o + 1] as number;
    for (let e = edgeStart[o] as number; e < end; e++) {
      const t = edgeTargets[e] as number;
      const b = t >>> BLOCK_BITS;
      const pos = ordEnd[b] as number;
      ordEnd[b] = pos + 1;
      lowTarget[pos] = t & mask;
      pairSource[pos] = ps;
    }
  }

  // Pass 2: targets to preorder numbers (all reachable: their source is),
  // redistributed by target preorder number. Root targets get the virtual
  // root as a predecessor here too.
  const preBlocks = (count >>> BLOCK_BITS) + 1;
  const preStart = new Uint32Array(preBlocks + 1);
  let kept = 0;
  for (let b = 0; b < ordBlocks; b++) {
    const lo = b << BLOCK_BITS;
    const last = ordEnd[b] as number;
    kept += last - (ordStart[b] as number);
    for (let i = ordStart[b] as number; i < last; i++) {
      const slot = ((pre[lo + (lowTarget[i] as number)] as number) >>> BLOCK_BITS) + 1;
      preStart[slot] = (preStart[slot] as number) + 1;
    }
  }
  let rootEdges = 0;
  for (let o = 0; o < n; o++) {
    if (isRootTarget[o] === 1) {
      const slot = ((pre[o] as number) >>> BLOCK_BITS) + 1;
      preStart[slot] = (preStart[slot] as number) + 1;
      rootEdges++;
    }
  }
  for (let b = 0; b < preBlocks; b++) {
    preStart[b + 1] = (preStart[b + 1] as number) + (preStart[b] as number);
  }
  const total = kept + rootEdges;
  const pairPred = int32At(spareB, 0, total);
  const lowVertex = uint16At(spareB, 4 * total, total);
  const preFill = preStart.slice(0, preBlocks);
  for (let o = 0; o < n; o++) {
    if (isRootTarget[o] === 1) {
      const w = pre[o] as number;
      const pos = preFill[w >>> BLOCK_BITS] as number;
      preFill[w >>> BLOCK_BITS] = pos + 1;
      lowVertex[pos] = w & mask;
      pairPred[pos] = 0;
    }
  }
  for (let b = 0; b < ordBlocks; b++) {
    const lo = b << BLOCK_BITS;
    const last = ordEnd[b] as number;
    for (let i = ordStart[b] as number; i < last; i++) {
      const w = pre[lo + (lowTarget[i] as number)] as number;
      const pos = preFill[w >>> BLOCK_BITS] as number;
      preFill[w >>> BLOCK_BITS] = pos + 1;
      lowVertex[pos] = w & mask;
      pairPred[pos] = pairSource[i] as number;
    }
  }

  // Pass 3: counting sort within each block of preorder numbers.
  // Pass 1's pairs are dead now: the result goes to spareA.
  const predList = int32At(spareA, 0, total);
  const predStart = uint32At(spareA, 4 * total, count + 1);
  const fill = new Uint32Array(mask + 2);
  for (let b = 0; b < preBlocks; b++) {
    const lo = b << BLOCK_BITS;
    const width = Math.min(mask + 1, count - lo);
    const first = preStart[b] as number;
    const last = preStart[b + 1] as number;
    fill.fill(0);
    for (let i = first; i < last; i++) {
      const slot = (lowVertex[i] as number) + 1;
      fill[slot] = (fill[slot] as number) + 1;
    }
    fill[0] = first;
    for (let k = 0; k < width; k++) {
      fill[k + 1] = (fill[k + 1] as number) + (fill[k] as number);
      predStart[lo + k] = fill[k] as number;
    }
    for (let i = first; i < last; i++) {
      const k = lowVertex[i] as number;
      const pos = fill[k] as number;
      fill[k] = pos + 1;
      predList[pos] = pairPred[i] as number;
    }
  }
  predStart[count] = total;
  return { predStart, predList };
}

/*
 * Views of `length` elements at byte `offset` of a buffer whose previous
 * contents are dead, or new arrays when they do not fit. A reused view is not
 * zeroed: callers write every element before reading it.
 */
function int32At(buffer: ArrayBufferLike, offset: number, length: number): Int32Array {
  return offset + 4 * length <= buffer.byteLength
    ? new Int32Array(buffer, offset, length)
    : new Int32Array(length);
}
function uint32At(buffer: ArrayBufferLike, offset: number, length: number): Uint32Array {
  return offset + 4 * length <= buffer.byteLength
    ? new Uint32Array(buffer, offset, length)
    : new Uint32Array(length);
}
function uint16At(buffer: ArrayBufferLike, offset: number, length: number): Uint16Array {
  return offset + 2 * length <= buffer.byteLength
    ? new Uint16Array(buffer, offset, length)
    : new Uint16Array(length);
}
function float64At(buffer: ArrayBufferLike, offset: number, length: number): Float64Array {
  return offset + 8 * length <= buffer.byteLength
    ? new Float64Array(buffer, offset, length)
    : new Float64Array(length);
}

/** One object with its retained size, as listed by {@link topRetainers}. */
export interface Retainer {
  /** The object. */
  readonly ordinal: number;
  /** Its retained size in bytes. */
  readonly retainedSize: number;
}

/**
 * The `k` objects with the largest retained sizes, largest first (ties by
 * ordinal). A bounded min-heap keeps this O(n log k).
 */
export function topRetainers(tree: DominatorTree, k: number): Retainer[] {
  const sizes = tree.retainedSizes;
  const limit = Math.max(0, Math.min(k, sizes.length));
  if (limit === 0) return [];
  const heap = new Int32Array(limit); // ordinals; heap[0] is the smallest kept
  let len = 0;
  // a "less than" b: smaller size, or same size and larger ordinal
  const less = (a: number, b: number): boolean => {
    const sa = sizes[a] as number;
    const sb = sizes[b] as number;
    return sa < sb || (sa === sb && a > b);
  };
  const siftDown = (start: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < len && less(heap[l] as number, heap[m] as number)) m = l;
      if (r < len && less(heap[r] as number, heap[m] as number)) m = r;
      if (m === i) return;
      const t = heap[i] as number;
      heap[i] = heap[m] as number;
      heap[m] = t;
      i = m;
    }
  };
  for (let o = 0; o < sizes.length; o++) {
    if ((sizes[o] as number) <= 0) continue;
    if (len < limit) {
      let i = len++;
      heap[i] = o;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(heap[i] as number, heap[p] as number)) break;
        const t = heap[i] as number;
        heap[i] = heap[p] as number;
        heap[p] = t;
        i = p;
      }
    } else if (less(heap[0] as number, o)) {
      heap[0] = o;
      siftDown(0);
    }
  }
  const out = Array.from(heap.subarray(0, len), (o) => ({
    ordinal: o,
    retainedSize: sizes[o] as number,
  }));
  out.sort((a, b) => b.retainedSize - a.retainedSize || a.ordinal - b.ordinal);
  return out;
}

/** A chain of references from a root to an object. */
export interface RetainerPath {
  /** Index of the root (into the graph's root arrays) the path starts from. */
  readonly root: number;
  /** Ordinals from the root's target to the object, both included. */
  readonly ordinals: readonly number[];
}

/**
 * The shortest chain of references (fewest edges) from any root to
 * `ordinal`, found by a breadth-first search backwards over the retainer
 * edges; `undefined` when the object is garbage.
 */
export function shortestRetainerPath(
  graph: ObjectGraph,
  ordinal: number,
): RetainerPath | undefined {
  assertOrdinal(graph, ordinal);
  const n = graph.objectCount;
  const rootOf = new Int32Array(n).fill(-1);
  for (let r = graph.rootCount - 1; r >= 0; r--) rootOf[graph.rootTargets[r] as number] = r;
  // next[o] = the neighbour one step closer to `ordinal`; -2 = unvisited.
  const next = new Int32Array(n).fill(-2);
  const queue = new Uint32Array(n);
  let head = 0;
  let tail = 0;
  next[ordinal] = -1;
  queue[tail++] = ordinal;
  const { retainerStart, retainerSources } = graph;
  while (head < tail) {
    const o = queue[head++] as number;
    if ((rootOf[o] as number) >= 0) {
      const ordinals: number[] = [];
      for (let x = o; x !== -1; x = next[x] as number) ordinals.push(x);
      return { root: rootOf[o] as number, ordinals };
    }
    const end = retainerStart[o + 1] as number;
    for (let e = retainerStart[o] as number; e < end; e++) {
      const s = retainerSources[e] as number;
      if (next[s] === -2) {
        next[s] = o;
        queue[tail++] = s;
      }
    }
  }
  return undefined;
}

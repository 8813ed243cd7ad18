import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  dominators,
  shortestRetainerPath,
  topRetainers,
  UNREACHABLE,
  VIRTUAL_ROOT,
} from "./dominators.js";
import {
  type AbstractGraph,
  abstractGraphArb,
  buildAbstract,
  chainGraph,
  naiveReachable,
} from "./test-utils/synthetic.js";

/**
 * Naive oracle: d dominates v iff v is reachable and becomes unreachable
 * from the roots once d is removed. idom(v) is the strict dominator of v that
 * every other strict dominator of v dominates.
 */
function naiveDominators(g: AbstractGraph): { idom: number[]; retained: number[] } {
  const n = g.sizes.length;
  const reach = naiveReachable(n, g.edges, g.roots);
  const dom: boolean[][] = []; // dom[d][v]
  for (let d = 0; d < n; d++) {
    const without = naiveReachable(n, g.edges, g.roots, d);
    dom.push(reach.map((r, v) => r && (v === d || !without[v])));
  }
  const idom = new Array<number>(n).fill(UNREACHABLE);
  const retained = new Array<number>(n).fill(0);
  for (let v = 0; v < n; v++) {
    if (!reach[v]) continue;
    const strict: number[] = [];
    for (let d = 0; d < n; d++) if (d !== v && dom[d]?.[v]) strict.push(d);
    const candidates = strict.filter((d) => strict.every((e) => dom[e]?.[d]));
    expect(candidates.length).toBeLessThanOrEqual(1);
    idom[v] = candidates[0] ?? VIRTUAL_ROOT;
    for (let w = 0; w < n; w++)
      if (dom[v]?.[w]) retained[v] = (retained[v] as number) + (g.sizes[w] as number);
  }
  return { idom, retained };
}

/**
 * Second oracle for graphs too big for the removal one: the iterative
 * algorithm of K. D. Cooper, T. J. Harvey and K. Kennedy ("A Simple, Fast
 * Dominance Algorithm", 2001) over reverse postorder, with the virtual root
 * as node n, written plainly with arrays of arrays.
 */
function iterativeDominators(g: AbstractGraph): number[] {
  const n = g.sizes.length;
  const succ = (x: number): readonly number[] => (x === n ? g.roots : (g.edges[x] ?? []));
  const postNumber = new Array<number>(n + 1).fill(-1);
  const order: number[] = []; // postorder
  const visited = new Array<boolean>(n + 1).fill(false);
  const stack: [number, number][] = [[n, 0]];
  visited[n] = true;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as [number, number];
    const next = succ(frame[0])[frame[1]++];
    if (next === undefined) {
      stack.pop();
      postNumber[frame[0]] = order.length;
      order.push(frame[0]);
    } else if (!visited[next]) {
      visited[next] = true;
      stack.push([next, 0]);
    }
  }
  const preds: number[][] = Array.from({ length: n + 1 }, () => []);
  for (const x of order) for (const y of succ(x)) preds[y]?.push(x);
  const idom = new Array<number>(n + 1).fill(-1);
  idom[n] = n;
  const intersect = (a: number, b: number): number => {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((postNumber[x] as number) < (postNumber[y] as number)) x = idom[x] as number;
      while ((postNumber[y] as number) < (postNumber[x] as number)) y = idom[y] as number;
    }
    return x;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = order.length - 2; i >= 0; i--) {
      const v = order[i] as number;
      let d = -1;
      for (const p of preds[v] ?? []) {
        if (idom[p] === -1) continue;
        d = d === -1 ? p : intersect(p, d);
      }
      if (idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  return idom
    .slice(0, n)
    .map((d, v) => (!visited[v] ? UNREACHABLE : d === n ? VIRTUAL_ROOT : (d as number)));
}

/** Fewest edges from any root to v, by plain BFS; -1 when unreachable. */
function naiveDistance(g: AbstractGraph, v: number): number {
  const n = g.sizes.length;
  const dist = new Array<number>(n).fill(-1);
  const queue = [...new Set(g.roots)];
  for (const r of queue) dist[r] = 0;
  for (let i = 0; i < queue.length; i++) {
    const x = queue[i] as number;
    for (const w of g.edges[x] ?? []) {
      if (dist[w] === -1) {
        dist[w] = (dist[x] as number) + 1;
        queue.push(w);
      }
    }
  }
  return dist[v] as number;
}

describe("dominators", () => {
  it("finds the classic diamond and chain structure", () => {
    //      r0 -> 0 -> 1 -> 3 -> 4
    //              \-> 2 -/
    // 5 is a root too and points to 4, so 4 is dominated only by the virtual root.
    const g = buildAbstract({
      sizes: [1, 2, 4, 8, 16, 32, 64],
      edges: [[1, 2], [3], [3], [4], [], [4], []],
      roots: [0, 5],
    });
    const t = dominators(g);
    expect(Array.from(t.idom)).toEqual([
      VIRTUAL_ROOT,
      0,
      0,
      0,
      VIRTUAL_ROOT,
      VIRTUAL_ROOT,
      UNREACHABLE,
    ]);
    expect(Array.from(t.retainedSizes)).toEqual([15, 2, 4, 8, 16, 32, 0]);
    expect(t.reachableBytes).toBe(63);
    expect(t.reachableCount).toBe(6);
  });

  it("handles a deep chain of a million objects without recursion", () => {
    const n = 1_000_000;
    const g = chainGraph(n);
    const t = dominators(g);
    expect(t.retainedSizes[0]).toBe(8 * n);
    expect(t.idom[n - 1]).toBe(n - 2);
    expect(shortestRetainerPath(g, n - 1)?.ordinals.length).toBe(n);
  });

  test.prop([abstractGraphArb(14, 3)], { numRuns: 400 })(
    "idom and retained sizes agree with the removal oracle",
    (ag) => {
      const t = dominators(buildAbstract(ag));
      const oracle = naiveDominators(ag);
      expect(Array.from(t.idom)).toEqual(oracle.idom);
      expect(Array.from(t.retainedSizes)).toEqual(oracle.retained);
    },
  );

  // Up to 12 pointers per object (more than the DFS keeps inline) and, with
  // 40 000 objects, several blocks of the predecessor sort.
  test.prop(
    [
      fc.integer({ min: 2, max: 40_000 }).chain((n) =>
        fc.record({
          seed: fc.nat(),
          n: fc.constant(n),
          degree: fc.integer({ min: 1, max: 12 }),
          rootCount: fc.integer({ min: 1, max: 4 }),
        }),
      ),
    ],
    { numRuns: 12 },
  )(
    "agrees with the iterative algorithm on bigger random graphs",
    ({ seed, n, degree, rootCount }) => {
      let x = seed | 1;
      const rand = (k: number): number => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return (x >>> 0) % k;
      };
      const ag: AbstractGraph = {
        sizes: Array.from({ length: n }, () => 1 + rand(255)),
        edges: Array.from({ length: n }, () =>
          Array.from({ length: rand(degree + 1) }, () => rand(n)),
        ),
        roots: Array.from({ length: rootCount }, () => rand(n)),
      };
      const t = dominators(buildAbstract(ag));
      expect(Array.from(t.idom)).toEqual(iterativeDominators(ag));
    },
  );

  // Denser graphs with more cycles exercise path compression harder.
  test.prop([abstractGraphArb(30, 6)], { numRuns: 100 })("agrees on denser graphs", (ag) => {
    const t = dominators(buildAbstract(ag));
    expect(Array.from(t.idom)).toEqual(naiveDominators(ag).idom);
  });
});

describe("shortestRetainerPath", () => {
  test.prop(
    [abstractGraphArb(16, 3).chain((g) => fc.tuple(fc.constant(g), fc.nat(g.sizes.length - 1)))],
    {
      numRuns: 300,
    },
  )("is a real root-to-object path of minimum length", ([ag, v]) => {
    const g = buildAbstract(ag);
    const path = shortestRetainerPath(g, v);
    const d = naiveDistance(ag, v);
    if (d === -1) {
      expect(path).toBeUndefined();
      return;
    }
    expect(path).toBeDefined();
    if (path === undefined) return;
    expect(path.ordinals.length - 1).toBe(d);
    expect(path.ordinals[0]).toBe(g.rootTargets[path.root]);
    expect(path.ordinals.at(-1)).toBe(v);
    for (let i = 0; i + 1 < path.ordinals.length; i++) {
      expect(ag.edges[path.ordinals[i] as number]).toContain(path.ordinals[i + 1]);
    }
  });
});

describe("topRetainers", () => {
  test.prop([abstractGraphArb(20, 3), fc.integer({ min: 0, max: 25 })], { numRuns: 200 })(
    "matches sorting all retained sizes",
    (ag, k) => {
      const t = dominators(buildAbstract(ag));
      const all = Array.from(t.retainedSizes, (retainedSize, ordinal) => ({
        ordinal,
        retainedSize,
      }))
        .filter((r) => r.retainedSize > 0)
        .sort((a, b) => b.retainedSize - a.retainedSize || a.ordinal - b.ordinal);
      expect(topRetainers(t, k)).toEqual(all.slice(0, k));
    },
  );
});

describe("dominators on a graph of many thousands of objects", () => {
  it("gives a tree's parents as idoms when every extra edge points back to an ancestor", () => {
    // A random tree (parent ordinal below the child) plus edges from nodes to
    // their own ancestors, which open no new way in: the dominator tree is
    // the tree itself. Large enough that the predecessor sort spans several
    // blocks, with duplicate edges, several roots into one tree and
    // unreachable objects pointing into it.
    const n = 60_000;
    const garbage = 500; // the last objects: unreachable, pointing in
    let seed = 99;
    const rand = (k: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % k;
    };
    const live = n - garbage;
    const parent = new Int32Array(live).fill(-1);
    const edges: number[][] = Array.from({ length: n }, () => []);
    for (let i = 1; i < live; i++) {
      const p = rand(i);
      parent[i] = p;
      edges[p]?.push(i);
    }
    for (let i = 1; i < live; i++) {
      // back edges to up to two ancestors, sometimes the same one twice
      for (let a = parent[i] as number, hops = rand(6); a >= 0 && hops > 0; hops--) {
        if (rand(3) === 0) edges[i]?.push(a, a);
        a = parent[a] as number;
      }
    }
    for (let i = live; i < n; i++) edges[i]?.push(rand(live), rand(live));
    const sizes = Array.from({ length: n }, (_, i) => 16 + (i % 7) * 8);
    const g = buildAbstract({ sizes, edges, roots: [0, 0] });
    const tree = dominators(g);

    const retained = sizes.slice(0, live);
    for (let i = live - 1; i >= 1; i--) {
      const p = parent[i] as number;
      retained[p] = (retained[p] as number) + (retained[i] as number);
    }
    let mismatches = 0;
    for (let i = 0; i < n; i++) {
      const want = i >= live ? UNREACHABLE : i === 0 ? VIRTUAL_ROOT : parent[i];
      const wantSize = i >= live ? 0 : retained[i];
      if (tree.idom[i] !== want || tree.retainedSizes[i] !== wantSize) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(tree.reachableCount).toBe(live);
    expect(tree.reachableBytes).toBe(retained[0]);
  });
});

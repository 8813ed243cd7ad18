import { fc } from "@fast-check/vitest";
import { arrayGraphSource } from "../array-source.js";
import { buildGraphFromSource, type ObjectGraph } from "../graph.js";
import type { RootKind } from "../source.js";

/** A small abstract graph: node i has `edges[i]` successors, `roots` are node ids. */
export interface AbstractGraph {
  readonly sizes: readonly number[];
  readonly edges: readonly (readonly number[])[];
  readonly roots: readonly number[];
}

/** Address of node i in synthetic graphs: spaced 0x100 apart from 0x10000. */
export const addressOf = (i: number): number => 0x10000 + i * 0x100;

/** Builds an ObjectGraph whose ordinals equal the abstract node ids. */
export function buildAbstract(g: AbstractGraph, rootKind: RootKind = "data"): ObjectGraph {
  return buildGraphFromSource(
    arrayGraphSource({
      objects: g.sizes.map((size, i) => ({
        address: addressOf(i),
        size,
        pointers: (g.edges[i] ?? []).map(addressOf),
      })),
      roots: g.roots.map((r, k) => ({
        kind: rootKind,
        value: addressOf(r),
        description: `root ${k}`,
      })),
    }),
  );
}

/** fast-check arbitrary of small abstract graphs (sizes 1..0xff so objects never overlap). */
export function abstractGraphArb(maxNodes = 12, maxDegree = 3): fc.Arbitrary<AbstractGraph> {
  return fc.integer({ min: 1, max: maxNodes }).chain((n) =>
    fc.record({
      sizes: fc.array(fc.integer({ min: 1, max: 0xff }), { minLength: n, maxLength: n }),
      edges: fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: maxDegree }), {
        minLength: n,
        maxLength: n,
      }),
      roots: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
    }),
  );
}

/** Naive reachability: repeated relaxation until nothing changes. */
export function naiveReachable(
  n: number,
  edges: readonly (readonly number[])[],
  roots: readonly number[],
  removed = -1,
): boolean[] {
  const live = new Array<boolean>(n).fill(false);
  for (const r of roots) if (r !== removed) live[r] = true;
  let changed = true;
  while (changed) {
    changed = false;
    for (let v = 0; v < n; v++) {
      if (!live[v]) continue;
      for (const w of edges[v] ?? []) {
        if (w !== removed && w !== v && !live[w]) {
          live[w] = true;
          changed = true;
        }
      }
    }
  }
  return live;
}

/** A chain 0 -> 1 -> ... -> n-1 of 8-byte objects rooted at 0, without building n JS objects. */
export function chainGraph(n: number): ObjectGraph {
  return buildGraphFromSource({
    objectCount: n,
    objectAddress: (i) => 0x10000 + i * 16,
    objectSize: () => 8,
    forEachPointer: (i, visit) => {
      if (i + 1 < n) visit(0x10000 + (i + 1) * 16);
    },
    forEachRoot: (visit) => visit("data", 0x10000, "data+0x0"),
  });
}

import { test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { reachability } from "./reachability.js";
import {
  abstractGraphArb,
  buildAbstract,
  chainGraph,
  naiveReachable,
} from "./test-utils/synthetic.js";

describe("reachability", () => {
  it("splits a small heap into live and garbage", () => {
    // 0 -> 1 -> 2 (live), 3 -> 4 (garbage cycle 3 <-> 4)
    const g = buildAbstract({
      sizes: [10, 20, 30, 40, 50],
      edges: [[1], [2], [], [4], [3]],
      roots: [0],
    });
    const r = reachability(g);
    expect(Array.from(r.live)).toEqual([1, 1, 1, 0, 0]);
    expect(r).toMatchObject({ liveCount: 3, liveBytes: 60, garbageCount: 2, garbageBytes: 90 });
  });

  it("walks a chain of a million objects without recursion", () => {
    const n = 1_000_000;
    const g = chainGraph(n);
    expect(reachability(g).liveCount).toBe(n);
  });

  test.prop([abstractGraphArb(25, 4)], { numRuns: 300 })("agrees with the naive oracle", (ag) => {
    const r = reachability(buildAbstract(ag));
    const expected = naiveReachable(ag.sizes.length, ag.edges, ag.roots);
    expect(Array.from(r.live, (x) => x === 1)).toEqual(expected);
    const bytes = ag.sizes.reduce((s, size, i) => s + (expected[i] ? size : 0), 0);
    expect(r.liveBytes).toBe(bytes);
  });
});

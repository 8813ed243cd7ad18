import { describe, expect, it } from "vitest";
import { arrayGraphSource } from "./array-source.js";
import { diffGraphs } from "./diff.js";
import { dominators, shortestRetainerPath, topRetainers } from "./dominators.js";
import { buildGraphFromSource } from "./graph.js";
import { toHeapSnapshot } from "./heapsnapshot.js";
import { createMarker } from "./marker.js";
import { reachability } from "./reachability.js";
import { summarizeByRootKind, summarizeBySite, summarizeBySizeClass } from "./summaries.js";
import { checkHeapSnapshot } from "./test-utils/heapsnapshot-checker.js";

describe("an empty heap", () => {
  const g = buildGraphFromSource(
    arrayGraphSource({ objects: [], roots: [{ kind: "data", value: 0x1000 }] }),
  );
  it("has no objects, no edges and no resolvable roots", () => {
    expect(g.objectCount).toBe(0);
    expect(g.edgeTargets.length).toBe(0);
    expect(g.rootCount).toBe(0);
    expect(g.stats.unresolvedRoots).toBe(1);
    expect(g.resolveAddress(0x1000)).toBe(-1);
  });
  it("goes through every algorithm", () => {
    expect(reachability(g)).toMatchObject({ liveCount: 0, garbageCount: 0, liveBytes: 0 });
    const t = dominators(g);
    expect(t.reachableCount).toBe(0);
    expect(topRetainers(t, 5)).toEqual([]);
    const m = createMarker(g);
    expect(m.run()).toBe(1);
    expect(m.done).toBe(true);
    expect(summarizeBySite(g).sites).toEqual([]);
    expect(summarizeBySizeClass(g)).toEqual([]);
    expect(summarizeByRootKind(g)).toEqual([]);
    expect(diffGraphs(g, g).surviving.count).toBe(0);
    expect(checkHeapSnapshot(toHeapSnapshot(g)).nodes.length).toBe(7);
    expect(() => shortestRetainerPath(g, 0)).toThrowError(
      expect.objectContaining({ code: "INVALID_ORDINAL" }),
    );
  });
});

describe("roots", () => {
  it("may point at the same object many times and into its interior", () => {
    const g = buildGraphFromSource(
      arrayGraphSource({
        objects: [{ address: 0x1000, size: 64, pointers: [0x1008, 0x1000] }],
        roots: [
          { kind: "frame", value: 0x1000 },
          { kind: "frame", value: 0x1030 },
          { kind: "bss", value: 0x103f },
        ],
      }),
    );
    expect(Array.from(g.rootTargets)).toEqual([0, 0, 0]);
    expect(g.stats.selfPointers).toBe(2);
    const t = dominators(g);
    expect(t.retainedSizes[0]).toBe(64);
    expect(summarizeByRootKind(g)).toEqual([
      { kind: "bss", roots: 1, reachableCount: 1, reachableBytes: 64 },
      { kind: "frame", roots: 2, reachableCount: 1, reachableBytes: 64 },
    ]);
  });
});

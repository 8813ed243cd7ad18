import { describe, expect, it } from "vitest";
import { arrayGraphSource } from "./array-source.js";
import { diffGraphs } from "./diff.js";
import { buildGraphFromSource } from "./graph.js";
import {
  sizeClassOf,
  summarizeByRootKind,
  summarizeBySite,
  summarizeBySizeClass,
} from "./summaries.js";

const heap = buildGraphFromSource(
  arrayGraphSource({
    objects: [
      { address: 0x1000, size: 48, pointers: [0x2000], site: "main.a a.go:1" },
      { address: 0x2000, size: 48, pointers: [0x3000], site: "main.a a.go:1" },
      { address: 0x3000, size: 16, site: "main.b b.go:2" },
      { address: 0x4000, size: 40_000, site: "main.b b.go:2" }, // garbage
      { address: 0x20000, size: 8 }, // unsampled, reachable from a frame
    ],
    roots: [
      { kind: "data", value: 0x1000 },
      { kind: "frame", value: 0x20000 },
      { kind: "frame", value: 0x3000 },
    ],
  }),
);

describe("summaries", () => {
  it("groups by allocation site with live and garbage split", () => {
    const s = summarizeBySite(heap);
    expect(s.sites).toEqual([
      { site: "main.b b.go:2", count: 2, bytes: 40_016, liveCount: 1, liveBytes: 16 },
      { site: "main.a a.go:1", count: 2, bytes: 96, liveCount: 2, liveBytes: 96 },
    ]);
    expect(s.unsampled).toEqual({ count: 1, bytes: 8, liveCount: 1, liveBytes: 8 });
  });

  it("maps sizes to Go size classes", () => {
    expect([1, 8, 9, 16, 17, 32768, 32769].map(sizeClassOf)).toEqual([1, 1, 2, 2, 3, 67, 0]);
    expect(
      summarizeBySizeClass(heap).map((c) => [c.sizeClass, c.classSize, c.count, c.liveCount]),
    ).toEqual([
      [0, 0, 1, 0],
      [1, 8, 1, 1],
      [2, 16, 1, 1],
      [5, 48, 2, 2],
    ]);
  });

  it("counts what each root kind keeps alive", () => {
    expect(summarizeByRootKind(heap)).toEqual([
      { kind: "data", roots: 1, reachableCount: 3, reachableBytes: 112 },
      { kind: "frame", roots: 2, reachableCount: 2, reachableBytes: 24 },
    ]);
  });
});

describe("diffGraphs", () => {
  it("classifies objects by address and size and sums bytes per site", () => {
    const later = buildGraphFromSource(
      arrayGraphSource({
        objects: [
          { address: 0x1000, size: 48, site: "main.a a.go:1" }, // survives
          { address: 0x2000, size: 64, site: "main.c c.go:3" }, // same address, new size: freed + allocated
          { address: 0x5000, size: 32, site: "main.c c.go:3" }, // allocated
          { address: 0x20000, size: 8 }, // survives
        ],
        roots: [],
      }),
    );
    const d = diffGraphs(heap, later);
    expect(Array.from(d.surviving.ordinals)).toEqual([0, 3]);
    expect(Array.from(d.allocated.ordinals)).toEqual([1, 2]);
    expect(d.allocated.bytes).toBe(96);
    expect(Array.from(d.freed.ordinals)).toEqual([1, 2, 3]);
    expect(d.freed.bytes).toBe(48 + 16 + 40_000);
    expect(d.bySite).toEqual([
      {
        site: "main.b b.go:2",
        allocatedCount: 0,
        allocatedBytes: 0,
        freedCount: 2,
        freedBytes: 40_016,
        netBytes: -40_016,
      },
      {
        site: "main.c c.go:3",
        allocatedCount: 2,
        allocatedBytes: 96,
        freedCount: 0,
        freedBytes: 0,
        netBytes: 96,
      },
      {
        site: "main.a a.go:1",
        allocatedCount: 0,
        allocatedBytes: 0,
        freedCount: 1,
        freedBytes: 48,
        netBytes: -48,
      },
    ]);
  });
});

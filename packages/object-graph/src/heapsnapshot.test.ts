import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { arrayGraphSource } from "./array-source.js";
import { buildGraphFromSource } from "./graph.js";
import { toHeapSnapshot, writeHeapSnapshot } from "./heapsnapshot.js";
import { reachability } from "./reachability.js";
import { checkHeapSnapshot, reachableFromRoot } from "./test-utils/heapsnapshot-checker.js";
import { abstractGraphArb, buildAbstract } from "./test-utils/synthetic.js";

describe("toHeapSnapshot", () => {
  it("exports roots, objects, sites and slots in the documented layout", () => {
    const g = buildGraphFromSource(
      arrayGraphSource({
        objects: [
          {
            address: 0x1000,
            size: 48,
            pointers: [0x2000, 0x2000],
            site: "main.newNode main.go:12",
          },
          { address: 0x2000, size: 16, noscan: true },
          { address: 0x3000, size: 100_000 }, // garbage, large
        ],
        roots: [{ kind: "bss", value: 0x1000, description: "bss+0x40" }],
      }),
    );
    const p = checkHeapSnapshot(toHeapSnapshot(g));
    const NF = p.nodeFields.length;
    const names = [];
    for (let i = 0; i < p.nodes.length; i += NF) names.push(p.strings[p.nodes[i + 1] as number]);
    expect(names).toEqual(["", "(bss segment)", "main.newNode main.go:12", "Go object 16 B"]);
    expect(p.nodeTypes[p.nodes[3 * NF] as number]).toBe("native"); // noscan
    expect(p.strings).toContain("bss+0x40");
    const withGarbage = checkHeapSnapshot(toHeapSnapshot(g, { includeGarbage: true }));
    expect(withGarbage.strings).toContain("Go object (large, 100000 B)");
    expect(withGarbage.strings).toContain("(garbage)");
  });

  test.prop([abstractGraphArb(25, 4), fc.boolean()], { numRuns: 150 })(
    "is well-formed and reaches exactly the live objects from node 0",
    (ag, includeGarbage) => {
      const g = buildAbstract(ag);
      const p = checkHeapSnapshot(toHeapSnapshot(g, { includeGarbage }));
      const live = reachability(g).liveCount;
      const kinds = g.rootCount > 0 ? 1 : 0;
      const hasGarbageNode = includeGarbage && live < g.objectCount ? 1 : 0;
      // node 0, one root-kind node, the "(garbage)" node if any, the live
      // objects; garbage objects hang off "(garbage)" by weak edges only.
      expect(reachableFromRoot(p)).toBe(1 + kinds + hasGarbageNode + live);
      const garbageObjects = hasGarbageNode === 1 ? g.objectCount - live : 0;
      expect(p.nodes.length / p.nodeFields.length).toBe(
        1 + kinds + hasGarbageNode + live + garbageObjects,
      );
    },
  );

  it("streams in chunks that join to the same document", () => {
    const g = buildAbstract({ sizes: [8, 8, 8], edges: [[1], [2], [0]], roots: [0] });
    const chunks: string[] = [];
    writeHeapSnapshot(g, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join("")).toBe(toHeapSnapshot(g));
  });
});

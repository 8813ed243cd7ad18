import { readHeapDump } from "@tricolor/heapdump-reader";
import { describe, expect, it } from "vitest";
import {
  goVersions,
  parseAddressNumber,
  readFacts,
  readFixture,
  type StructuresFacts,
  type TimelineFacts,
} from "../../../fixtures/fixtures.js";
import {
  buildObjectGraph,
  Color,
  createMarker,
  diffGraphs,
  dominators,
  type ObjectGraph,
  reachability,
  rootKindName,
  shortestRetainerPath,
  summarizeByRootKind,
  summarizeBySite,
  toHeapSnapshot,
} from "../src/index.js";
import { checkHeapSnapshot } from "../src/test-utils/heapsnapshot-checker.js";

const versions = goVersions();

function graphOf(version: string, rel: string): ObjectGraph {
  return buildObjectGraph(readHeapDump(readFixture(version, rel)));
}

it("has fixture dumps to test on", () => {
  expect(versions.length).toBeGreaterThan(0);
});

describe.each(versions)("structures dump of %s", (version) => {
  const rel = "heap/structures.dump.gz";
  const facts = readFacts<StructuresFacts>(version, rel);
  const dump = readHeapDump(readFixture(version, rel));
  const g = buildObjectGraph(dump);
  const reach = reachability(g);
  const tree = dominators(g);
  const ordinal = (hex: string): number => {
    const o = g.resolveAddress(parseAddressNumber(hex));
    expect(o, `object at ${hex}`).toBeGreaterThanOrEqual(0);
    return o;
  };

  it("keeps the dump's ordinals and every object", () => {
    expect(g.objectCount).toBe(dump.objectCount);
    expect(g.addresses).toEqual(dump.objects.addresses);
    expect(g.rootCount).toBeGreaterThan(0);
  });

  it("finds the whole linked list reachable and retained by its head", () => {
    const nodes = facts.list.nodes.map(ordinal);
    expect(nodes.every((o) => reach.live[o] === 1)).toBe(true);
    const head = ordinal(facts.list.head);
    expect(head).toBe(nodes[0]);
    const listBytes = nodes.reduce((s, o) => s + (g.sizes[o] as number), 0);
    expect(tree.retainedSizes[head]).toBeGreaterThanOrEqual(listBytes);
    // every node's dominator chain runs through the head
    for (const o of nodes) {
      let d = o;
      while (d >= 0 && d !== head) d = tree.idom[d] as number;
      expect(d).toBe(head);
    }
    // and the shortest path to the tail starts at the ListHead global in bss
    const path = shortestRetainerPath(g, nodes.at(-1) as number);
    expect(path?.ordinals).toEqual(nodes);
    expect(rootKindName(g.rootKinds[path?.root ?? -1] as number)).toBe("bss");
  });

  it("finds the tree root retaining the whole tree", () => {
    const nodes = facts.tree.nodes.map((n) => ordinal(n.address));
    const root = ordinal(facts.tree.root);
    const treeBytes = nodes.reduce((s, o) => s + (g.sizes[o] as number), 0);
    expect(nodes.every((o) => reach.live[o] === 1)).toBe(true);
    expect(tree.retainedSizes[root]).toBeGreaterThanOrEqual(treeBytes);
    // a leaf retains only itself
    const leaf = facts.tree.nodes.find((n) => n.left === "0x0");
    if (leaf !== undefined) {
      const o = ordinal(leaf.address);
      expect(tree.retainedSizes[o]).toBe(g.sizes[o]);
    }
  });

  it("finds every deliberately dropped object to be garbage", () => {
    const garbage = facts.garbage.addresses.map(ordinal);
    expect(garbage.every((o) => reach.live[o] === 0)).toBe(true);
    expect(garbage.every((o) => tree.idom[o] === -2)).toBe(true);
    expect(reach.garbageCount).toBeGreaterThanOrEqual(garbage.length);
  });

  it("keeps a finalized object's referents alive but not the unreferenced object itself", () => {
    for (const f of facts.finalizers) {
      const obj = ordinal(f.address);
      const child = ordinal(f.child);
      expect(reach.live[child]).toBe(1);
      expect(reach.live[obj]).toBe(f.reachableFromGlobals ? 1 : 0);
      expect(g.finalizerObjects).toContain(obj);
      if (!f.reachableFromGlobals) {
        const path = shortestRetainerPath(g, child);
        expect(rootKindName(g.rootKinds[path?.root ?? 0] as number)).toBe("finalizer-referent");
      }
    }
    expect(summarizeByRootKind(g).map((s) => s.kind)).toContain("finalizer-referent");
  });

  it("attributes the workload's objects to their allocating functions", () => {
    const sites = summarizeBySite(g, reach).sites;
    const list = sites.find((s) => s.site.startsWith(`${facts.allocators.list} `));
    expect(list?.count).toBeGreaterThanOrEqual(facts.list.length);
    const garbage = sites.find((s) => s.site.startsWith(`${facts.allocators.garbage} `));
    expect(garbage?.count).toBeGreaterThanOrEqual(facts.garbage.addresses.length);
    expect(garbage?.liveCount).toBe(0);
  });

  it.each(["lifo", "span-fifo"] as const)("marks exactly the reachable objects (%s)", (policy) => {
    const m = createMarker(g, { policy });
    m.run();
    expect(m.markedCount).toBe(reach.liveCount);
    for (let o = 0; o < g.objectCount; o++) {
      expect(m.colors[o]).toBe(reach.live[o] === 1 ? Color.Black : Color.White);
    }
  });

  it("exports a well-formed .heapsnapshot of the live heap", () => {
    const p = checkHeapSnapshot(toHeapSnapshot(g));
    expect(p.nodes.length / p.nodeFields.length).toBeGreaterThan(reach.liveCount);
  });
});

describe.each(versions)("timeline dumps of %s", (version) => {
  const rels = [0, 1, 2].map((i) => `heap/timeline-${i}.dump.gz`);
  const graphs = rels.map((rel) => graphOf(version, rel));
  it.each([1, 2])("diff to dump %i matches the program's bookkeeping", (i) => {
    const facts = readFacts<TimelineFacts>(version, rels[i] as string);
    const step = facts.step;
    expect(step).not.toBeNull();
    if (step === null) return;
    const a = graphs[i - 1] as ObjectGraph;
    const b = graphs[i] as ObjectGraph;
    const d = diffGraphs(a, b);
    const addressesOf = (g: ObjectGraph, ordinals: Uint32Array) =>
      new Set(Array.from(ordinals, (o) => g.addresses[o] as number));
    const allocated = addressesOf(b, d.allocated.ordinals);
    const freed = addressesOf(a, d.freed.ordinals);
    const surviving = addressesOf(b, d.surviving.ordinals);
    for (const hex of step.allocated) expect(allocated.has(parseAddressNumber(hex))).toBe(true);
    for (const hex of step.freed) expect(freed.has(parseAddressNumber(hex))).toBe(true);
    for (const hex of step.surviving) expect(surviving.has(parseAddressNumber(hex))).toBe(true);
    expect(d.allocated.count + d.surviving.count).toBe(b.objectCount);
    expect(d.freed.count + d.surviving.count).toBe(a.objectCount);
  });
});

// Real dumps from fixtures/ for every Go version present, checked against the
// facts the generating program wrote (never against this reader's own output).

import {
  type HeapDump,
  type HeapDumpRecord,
  readHeapDump,
  readHeapDumpRecords,
} from "@tricolor/heapdump-reader";
import { describe, expect, it } from "vitest";
import {
  goVersions,
  parseAddressNumber,
  readFacts,
  readFixture,
  type StructuresFacts,
  type TimelineFacts,
} from "../../../fixtures/fixtures.js";

const versions = goVersions();
const STRUCTURES = "heap/structures.dump.gz";

function pointerAt(dump: HeapDump, ordinal: number, offset: number): number {
  const o = dump.objects;
  for (let s = o.ptrStart[ordinal] as number; s < (o.ptrStart[ordinal + 1] as number); s++) {
    if (o.ptrOffsets[s] === offset) return o.readPointer(s, ordinal);
  }
  throw new Error(`no pointer slot at +${offset} of object ${ordinal}`);
}

function objectAt(dump: HeapDump, hex: string): number {
  const address = parseAddressNumber(hex);
  const ordinal = dump.lookupObject(address);
  expect(ordinal, `object ${hex}`).toBeGreaterThanOrEqual(0);
  expect(dump.objects.addresses[ordinal]).toBe(address);
  return ordinal;
}

it("has fixtures to test", () => {
  expect(versions.length).toBeGreaterThan(0);
});

describe.each(versions)("%s heap/structures", (version) => {
  const bytes = readFixture(version, STRUCTURES);
  const facts = readFacts<StructuresFacts>(version, STRUCTURES);
  const dump = readHeapDump(bytes);
  const records: HeapDumpRecord[] = [...readHeapDumpRecords(bytes)];

  it("reads params, record counts and the live object count", () => {
    expect(dump.goVersion.startsWith(facts.goVersion)).toBe(true);
    expect(dump.params.pointerSize).toBe(facts.ptrSize);
    expect(dump.params.arch).toBe(facts.goarch);
    const byKind = new Map<string, number>();
    for (const r of records) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
    for (const [kind, n] of Object.entries(dump.recordCounts)) {
      expect(byKind.get(kind) ?? 0, kind).toBe(n);
    }
    expect(dump.recordCounts.params).toBe(1);
    expect(dump.recordCounts.memStats).toBe(1);
    expect(dump.recordCounts.data).toBe(1);
    expect(dump.recordCounts.bss).toBe(1);
    // The acceptance check: phantom tail slots filtered, exactly HeapObjects left.
    expect(BigInt(dump.objectCount)).toBe(dump.memStats?.HeapObjects);
    expect(dump.objectCount + dump.phantomObjectCount).toBe(dump.recordCounts.object);
    expect(dump.diagnostics.map((d) => d.code)).not.toContain("heap-objects-mismatch");
  });

  it("keeps the index sorted and consistent", () => {
    const o = dump.objects;
    for (let i = 1; i < o.count; i++) {
      expect((o.addresses[i - 1] as number) + (o.sizes[i - 1] as number)).toBeLessThanOrEqual(
        o.addresses[i] as number,
      );
    }
    expect(o.ptrStart[o.count]).toBe(o.ptrOffsets.length);
    // Contents are zero-copy views of the input.
    expect(o.contents(0).buffer).toBe(bytes.buffer);
  });

  it("follows the linked list through pointer slots", () => {
    const { nodes, nextOffset, valOffset, values, nodeSize } = facts.list;
    expect(nodes.length).toBe(facts.list.length);
    nodes.forEach((hex, i) => {
      const ordinal = objectAt(dump, hex);
      expect(dump.objects.sizes[ordinal]).toBeGreaterThanOrEqual(nodeSize);
      const next = pointerAt(dump, ordinal, nextOffset);
      expect(next).toBe(i + 1 < nodes.length ? parseAddressNumber(nodes[i + 1] as string) : 0);
      const view = new DataView(
        dump.objects.source.buffer,
        dump.objects.source.byteOffset + (dump.objects.contentOffsets[ordinal] as number),
      );
      expect(Number(view.getBigInt64(valOffset, !dump.params.bigEndian))).toBe(values[i]);
    });
  });

  it("finds the tree root's children, also through interior pointers", () => {
    const { nodes, leftOffset, rightOffset } = facts.tree;
    expect(nodes.length).toBe(facts.tree.size);
    for (const n of nodes) {
      const ordinal = objectAt(dump, n.address);
      expect(pointerAt(dump, ordinal, leftOffset)).toBe(parseAddressNumber(n.left));
      expect(pointerAt(dump, ordinal, rightOffset)).toBe(parseAddressNumber(n.right));
      expect(dump.lookupObject(parseAddressNumber(n.address) + rightOffset)).toBe(ordinal);
    }
    expect(nodes[0]?.address).toBe(facts.tree.root);
  });

  it("lists finalizers and roots their referents, not the objects", () => {
    const finalized = new Set(dump.finalizers.map((f) => f.objectAddress));
    const referents = new Set(
      dump.roots.filter((r) => r.kind === "finalizerReferent").map((r) => r.pointer),
    );
    for (const f of facts.finalizers) {
      expect(finalized.has(parseAddressNumber(f.address))).toBe(true);
      objectAt(dump, f.address);
      expect(referents.has(parseAddressNumber(f.child))).toBe(true);
    }
    expect(dump.roots.some((r) => r.kind === "finalizer")).toBe(true);
  });

  it("finds the globals among the bss roots", () => {
    const bss = dump.roots.filter((r) => r.kind === "bss");
    for (const g of facts.globals) {
      const offset = parseAddressNumber(g.address) - (dump.bss?.address ?? 0);
      const root = bss.find((r) => r.description.startsWith(`bss+0x${offset.toString(16)} `));
      expect(root, g.name).toBeDefined();
      expect(root?.pointer).toBe(parseAddressNumber(g.pointsTo));
    }
  });

  it("decodes goroutines: status, wait reasons, frames and defers", () => {
    for (const kind of facts.goroutines.kinds) {
      const matching = dump.goroutines.filter((g) =>
        g.frames.some((f) => f.functionName === kind.function),
      );
      expect(matching.length, kind.kind).toBe(kind.count);
      for (const g of matching) {
        expect(kind.waitReasons).toContain(g.waitReason);
        expect(g.statusName).toBe("waiting");
        expect(g.frames[0]?.depth).toBe(0);
        const frameRoots = dump.roots.filter((r) => r.kind === "frame" && r.goroutineId === g.id);
        expect(frameRoots.every((r) => r.description.includes(`goroutine ${g.id}`))).toBe(true);
      }
      if (kind.kind === "deferred") expect(matching[0]?.defers.length).toBeGreaterThan(0);
    }
    expect(dump.goroutines.length).toBeGreaterThanOrEqual(facts.goroutines.numGoroutine);
  });

  it("maps objects to their allocation stacks", () => {
    const site = dump.allocationSite(objectAt(dump, facts.list.head));
    expect(site?.frames.map((f) => f.functionName)).toContain(facts.allocators.list);
    const treeSite = dump.allocationSite(objectAt(dump, facts.tree.root));
    expect(treeSite?.frames.map((f) => f.functionName)).toContain(facts.allocators.tree);
    for (const g of facts.garbage.addresses) {
      const s = dump.allocationSite(objectAt(dump, g));
      expect(s?.frames.map((f) => f.functionName)).toContain(facts.allocators.garbage);
    }
  });

  it("keeps LastGC exact (above 2^53)", () => {
    const lastGC = dump.memStats?.LastGC ?? 0n;
    expect(lastGC > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(dump.memStats?.NumGC).toBeGreaterThanOrEqual(BigInt(facts.memStats.numGC));
    expect(dump.memStats?.PauseNs.length).toBe(256);
  });
});

describe.each(versions)("%s heap/timeline", (version) => {
  it.each([0, 1, 2])("dump %i holds the live tracked objects", (i) => {
    const rel = `heap/timeline-${i}.dump.gz`;
    const facts = readFacts<TimelineFacts>(version, rel);
    const dump = readHeapDump(readFixture(version, rel));
    expect(BigInt(dump.objectCount)).toBe(dump.memStats?.HeapObjects);
    for (const hex of facts.live) {
      const o = objectAt(dump, hex);
      // The dump records the slot (size class), the facts the requested size.
      expect(dump.objects.sizes[o]).toBeGreaterThanOrEqual(facts.sizes[hex] as number);
      expect(dump.objects.sizes[o]).toBeLessThan((facts.sizes[hex] as number) + 16);
    }
    // Freed slots may hold later runtime allocations of the same size class,
    // so "freed" addresses are not asserted absent here.
  });
});

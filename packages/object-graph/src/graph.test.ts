import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { AddressIndex } from "./address-index.js";
import { arrayGraphSource } from "./array-source.js";
import { isObjectGraphError } from "./errors.js";
import { buildGraphFromSource, rootKindName } from "./graph.js";
import { abstractGraphArb, buildAbstract } from "./test-utils/synthetic.js";

const edgesOf = (g: ReturnType<typeof buildGraphFromSource>, o: number): number[] =>
  Array.from(g.edgeTargets.subarray(g.edgeStart[o], g.edgeStart[o + 1]));

describe("buildGraphFromSource", () => {
  it("resolves interior pointers and drops nil, self and outside pointers", () => {
    const g = buildGraphFromSource(
      arrayGraphSource({
        objects: [
          // given out of address order on purpose
          { address: 0x3000, size: 32, pointers: [0x1008, 0x3010, 0, 0x9999_0000] },
          { address: 0x1000, size: 16, pointers: [0x3000, 0x2000] },
          { address: 0x2000, size: 64, pointers: [] },
        ],
        roots: [
          { kind: "bss", value: 0x1004, description: "bss+0x8" },
          { kind: "frame", value: 0x7fff_0000, description: "stack slot pointing into the stack" },
        ],
      }),
    );
    expect(g.objectCount).toBe(3);
    expect(Array.from(g.addresses)).toEqual([0x1000, 0x2000, 0x3000]);
    expect(Array.from(g.sizes)).toEqual([16, 64, 32]);
    expect(g.totalBytes).toBe(112);
    expect(edgesOf(g, 0)).toEqual([2, 1]);
    expect(edgesOf(g, 1)).toEqual([]);
    expect(edgesOf(g, 2)).toEqual([0]); // 0x1008 is inside the object at 0x1000
    expect(g.stats).toEqual({
      nilPointers: 1,
      selfPointers: 1,
      outsidePointers: 1,
      interiorPointers: 1,
      unresolvedRoots: 1,
    });
    expect(g.rootCount).toBe(1);
    expect(Array.from(g.rootTargets)).toEqual([0]);
    expect(rootKindName(g.rootKinds[0] as number)).toBe("bss");
    expect(g.rootDescriptions).toEqual(["bss+0x8"]);
    // retainers: 0 <- 2, 1 <- 0, 2 <- 0
    const ret = (o: number) =>
      Array.from(g.retainerSources.subarray(g.retainerStart[o], g.retainerStart[o + 1]));
    expect(ret(0)).toEqual([2]);
    expect(ret(1)).toEqual([0]);
    expect(ret(2)).toEqual([0]);
    expect(g.resolveAddress(0x203f)).toBe(1);
    expect(g.resolveAddress(0x2040)).toBe(-1);
    expect(g.resolveAddress(0xfff)).toBe(-1);
  });

  it("keeps sizes of 4 GiB and more exact (64-bit sizes from then on)", () => {
    const g = buildGraphFromSource(
      arrayGraphSource({
        objects: [
          { address: 0x1000, size: 48, pointers: [0x2_0000_0010] },
          { address: 0x2000, size: 0xffff_ffff, pointers: [] },
          { address: 0x2_0000_0000, size: 0x1_0000_0008, pointers: [0x1000] },
          { address: 0x4_0000_0000, size: 16, pointers: [] },
        ],
        roots: [{ kind: "data", value: 0x1000, description: "data" }],
      }),
    );
    expect(g.sizes).toBeInstanceOf(Float64Array);
    expect(Array.from(g.sizes)).toEqual([48, 0xffff_ffff, 0x1_0000_0008, 16]);
    expect(g.totalBytes).toBe(48 + 0xffff_ffff + 0x1_0000_0008 + 16);
    expect(g.resolveAddress(0x3_0000_0000)).toBe(2);
  });

  it("builds the retainer arrays once, on first use", () => {
    const g = buildGraphFromSource(
      arrayGraphSource({
        objects: [
          { address: 0x1000, size: 16, pointers: [0x2000, 0x2008] },
          { address: 0x2000, size: 16, pointers: [0x1000] },
        ],
        roots: [{ kind: "data", value: 0x1000, description: "data" }],
      }),
    );
    const start = g.retainerStart;
    const sources = g.retainerSources;
    expect(g.retainerStart).toBe(start);
    expect(g.retainerSources).toBe(sources);
    expect(Array.from(start)).toEqual([0, 1, 3]);
    expect(Array.from(sources)).toEqual([1, 0, 0]);
  });

  it("makes a finalized object's referents roots but not the object itself", () => {
    const g = buildGraphFromSource(
      arrayGraphSource({
        objects: [
          { address: 0x1000, size: 16, pointers: [0x2000] }, // has a finalizer
          { address: 0x2000, size: 16 },
          { address: 0x3000, size: 16 }, // the finalizer closure
        ],
        roots: [],
        finalizers: [{ object: 0x1000, fn: 0x3000 }],
      }),
    );
    expect(g.finalizerObjects).toEqual([0]);
    const kinds = Array.from(g.rootKinds, rootKindName);
    expect(kinds.sort()).toEqual(["finalizer-function", "finalizer-referent"]);
    expect(Array.from(g.rootTargets).sort()).toEqual([1, 2]);
  });

  it("rejects duplicate addresses and non-integer input with a typed error", () => {
    const dup = arrayGraphSource({
      objects: [
        { address: 0x1000, size: 8 },
        { address: 0x1000, size: 8 },
      ],
      roots: [],
    });
    expect(() => buildGraphFromSource(dup)).toThrowError(/two objects/);
    try {
      buildGraphFromSource(dup);
    } catch (e) {
      expect(isObjectGraphError(e) && e.code).toBe("INVALID_SOURCE");
    }
    const bad = arrayGraphSource({ objects: [{ address: Number.NaN, size: 8 }], roots: [] });
    expect(() => buildGraphFromSource(bad)).toThrowError(
      expect.objectContaining({ code: "INVALID_SOURCE" }),
    );
  });

  it("reports overlapping objects as a diagnostic, capped", () => {
    const objects = Array.from({ length: 10 }, (_, i) => ({ address: 0x1000 + i * 8, size: 16 }));
    const g = buildGraphFromSource(arrayGraphSource({ objects, roots: [] }), { maxDiagnostics: 3 });
    expect(g.diagnostics.slice(0, 3).every((d) => d.code === "overlapping-objects")).toBe(true);
    expect(g.diagnostics[3]?.code).toBe("diagnostics-capped");
  });

  it("uses 16-bit ordinals for small graphs and 32-bit ones beyond 65536 objects", () => {
    const small = buildAbstract({ sizes: [8, 8], edges: [[1], []], roots: [0] });
    expect(small.edgeTargets).toBeInstanceOf(Uint16Array);
    const n = 70_000;
    const big = buildGraphFromSource({
      objectCount: n,
      objectAddress: (i) => 0x10000 + i * 16,
      objectSize: () => 16,
      forEachPointer: (i, visit) => visit(0x10000 + ((i + 1) % n) * 16),
      forEachRoot: (visit) => visit("data", 0x10000, "data+0"),
    });
    expect(big.edgeTargets).toBeInstanceOf(Uint32Array);
    expect(big.edgeTargets[n - 1]).toBe(0);
  });

  it("lists retainers in source order, once per edge, across many thousands of objects", () => {
    // Big enough that the reverse sort splits the targets into several
    // blocks; duplicates and edges into every block on purpose.
    const n = 100_000;
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const pointers: number[][] = [];
    for (let i = 0; i < n; i++) {
      const k = next() % 4;
      const ps: number[] = [];
      for (let j = 0; j < k; j++) ps.push(next() % n);
      if (i % 1000 === 0 && ps.length > 0) ps.push(ps[0] as number); // a duplicate edge
      pointers.push(ps);
    }
    const g = buildGraphFromSource({
      objectCount: n,
      objectAddress: (i) => 0x100000 + i * 32,
      objectSize: () => 32,
      forEachPointer: (i, visit) => {
        for (const t of pointers[i] as number[]) visit(0x100000 + t * 32);
      },
      forEachRoot: () => {},
    });
    // Oracle: append each non-self edge to its target's list, sources ascending.
    const expected: number[][] = Array.from({ length: n }, () => []);
    for (let i = 0; i < n; i++) {
      for (const t of pointers[i] as number[]) if (t !== i) expected[t]?.push(i);
    }
    let total = 0;
    for (let o = 0; o < n; o++) {
      const got = Array.from(
        g.retainerSources.subarray(g.retainerStart[o], g.retainerStart[o + 1]),
      );
      total += got.length;
      if (got.join() !== (expected[o] as number[]).join()) {
        expect({ o, got }).toEqual({ o, got: expected[o] });
      }
    }
    expect(total).toBe(g.edgeTargets.length);
    expect(g.retainerStart[n]).toBe(g.edgeTargets.length);
  });

  test.prop([abstractGraphArb(20, 4)], { numRuns: 200 })(
    "forward and reverse CSR describe the same multiset of edges",
    (ag) => {
      const g = buildAbstract(ag);
      const fwd: string[] = [];
      const rev: string[] = [];
      for (let o = 0; o < g.objectCount; o++) {
        for (const t of edgesOf(g, o)) fwd.push(`${o}>${t}`);
        for (let e = g.retainerStart[o] as number; e < (g.retainerStart[o + 1] as number); e++) {
          rev.push(`${g.retainerSources[e]}>${o}`);
        }
      }
      const expected = ag.edges.flatMap((es, v) =>
        es.filter((w) => w !== v).map((w) => `${v}>${w}`),
      );
      expect(fwd.sort()).toEqual(expected.sort());
      expect(rev.sort()).toEqual(expected.sort());
    },
  );
});

describe("AddressIndex", () => {
  // Objects anywhere (sparse or dense ranges), probes anywhere: the page
  // table must agree with a linear scan.
  test.prop(
    [
      fc.uniqueArray(fc.integer({ min: 0, max: 1 << 22 }), { maxLength: 60 }),
      fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 60, maxLength: 60 }),
      fc.array(fc.integer({ min: 0, max: (1 << 22) + 50_000 }), { maxLength: 40 }),
      fc.boolean(),
    ],
    { numRuns: 300 },
  )("resolve agrees with a linear scan", (starts, sizes, probes, sparse) => {
    const sorted = starts.map((s) => (sparse ? s * 4096 : s)).sort((a, b) => a - b);
    const addresses = Float64Array.from(sorted);
    const sz = sorted.map((_, i) => sizes[i] as number);
    const index = new AddressIndex(addresses, sz);
    for (const raw of [...probes, ...sorted, ...sorted.map((a) => a - 1)]) {
      const p = sparse ? raw * 4096 + (raw % 7) : raw;
      let expected = -1;
      for (let i = 0; i < sorted.length; i++) {
        if ((sorted[i] as number) <= p) expected = i;
      }
      if (expected >= 0 && p >= (sorted[expected] as number) + (sz[expected] as number))
        expected = -1;
      expect(index.resolve(p)).toBe(expected);
    }
  });
});

describe("untrusted sources", () => {
  // Arbitrary numbers (NaN, negatives, huge, fractional, duplicates) must
  // either build a graph or throw ObjectGraphError, never anything else.
  const num = fc.oneof(
    fc.integer({ min: 0, max: 0x3000 }),
    fc.double(),
    fc.constantFrom(-1, Number.NaN, 2 ** 53, 2 ** 64, 0.5),
  );
  test.prop(
    [
      fc.array(fc.record({ address: num, size: num, pointers: fc.array(num, { maxLength: 4 }) }), {
        maxLength: 12,
      }),
      fc.array(num, { maxLength: 4 }),
    ],
    { numRuns: 300 },
  )("build or throw ObjectGraphError", (objects, roots) => {
    try {
      const g = buildGraphFromSource(
        arrayGraphSource({ objects, roots: roots.map((value) => ({ kind: "other", value })) }),
      );
      for (let o = 0; o < g.objectCount; o++) {
        for (let e = g.edgeStart[o] as number; e < (g.edgeStart[o + 1] as number); e++) {
          expect(g.edgeTargets[e]).toBeLessThan(g.objectCount);
        }
      }
    } catch (e) {
      expect(isObjectGraphError(e)).toBe(true);
    }
  });
});

describe("AddressIndex on span-like layouts", () => {
  // Pages of evenly spaced objects (some with free slots or a free tail),
  // sometimes a large object spanning pages: the stride fast path and the
  // fallback must both agree with a linear scan.
  const spanArb = fc.record({
    stride: fc.constantFrom(16, 48, 64, 80, 512, 8192, 20000),
    slots: fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
  });
  test.prop(
    [fc.array(spanArb, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 60 })],
    {
      numRuns: 300,
    },
  )("resolve agrees with a linear scan", (spans, probeSeeds) => {
    const starts: number[] = [];
    const sizes: number[] = [];
    let base = 0x20000;
    for (const { stride, slots } of spans) {
      slots.forEach((present, k) => {
        if (present) {
          starts.push(base + k * stride);
          sizes.push(stride);
        }
      });
      base += Math.ceil((slots.length * stride) / 8192) * 8192 + 8192 * (probeSeeds.length % 2);
    }
    const index = new AddressIndex(Float64Array.from(starts), sizes);
    const top = base + 8192;
    const probes = [
      ...probeSeeds.map((s) => 0x20000 - 64 + (s % (top - 0x20000))),
      ...starts,
      ...starts.map((a) => a - 1),
    ];
    for (const p of probes) {
      let expected = -1;
      for (let i = 0; i < starts.length; i++) {
        if ((starts[i] as number) <= p && p < (starts[i] as number) + (sizes[i] as number))
          expected = i;
      }
      expect(index.resolve(p)).toBe(expected);
    }
  });
});

import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { arrayGraphSource } from "./array-source.js";
import { diffGraphs } from "./diff.js";
import { buildGraphFromSource } from "./graph.js";

// Objects on a grid of 0x100-byte slots; each dump picks slots and a size per slot.
const dumpArb = fc.dictionary(
  fc.integer({ min: 0, max: 40 }).map(String),
  fc.constantFrom(16, 32, 48),
  { maxKeys: 30 },
);

const build = (d: Record<string, number>) =>
  buildGraphFromSource(
    arrayGraphSource({
      objects: Object.entries(d).map(([slot, size]) => ({
        address: 0x1000 + Number(slot) * 0x100,
        size,
      })),
      roots: [],
    }),
  );

test.prop([dumpArb, dumpArb], { numRuns: 200 })(
  "diffGraphs agrees with set arithmetic on (address, size)",
  (da, db) => {
    const a = build(da);
    const b = build(db);
    const d = diffGraphs(a, b);
    const key = (g: typeof a, o: number) => `${g.addresses[o]}/${g.sizes[o]}`;
    const keysA = new Set(Array.from({ length: a.objectCount }, (_, o) => key(a, o)));
    const keysB = new Set(Array.from({ length: b.objectCount }, (_, o) => key(b, o)));
    const surviving = Array.from(d.surviving.ordinals, (o) => key(b, o));
    const allocated = Array.from(d.allocated.ordinals, (o) => key(b, o));
    const freed = Array.from(d.freed.ordinals, (o) => key(a, o));
    expect(new Set(surviving)).toEqual(new Set([...keysB].filter((k) => keysA.has(k))));
    expect(new Set(allocated)).toEqual(new Set([...keysB].filter((k) => !keysA.has(k))));
    expect(new Set(freed)).toEqual(new Set([...keysA].filter((k) => !keysB.has(k))));
    expect(d.allocated.bytes + d.surviving.bytes).toBe(b.totalBytes);
  },
);

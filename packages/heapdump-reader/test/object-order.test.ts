import { fc, test } from "@fast-check/vitest";
import { type HeapDumpRecord, readHeapDump, writeHeapDump } from "@tricolor/heapdump-reader";
import { describe, expect } from "vitest";

// Objects at arbitrary (possibly repeated or overlapping) addresses in any
// dump order, spread over a few pages so that runs interleave or not: the
// index must hold every object once, in ascending address order, and the
// duplicate and overlap diagnostics must match a naive scan of the sorted list.
const base = 0xc000000000;
const objectArb = fc.record({
  // Two pages plus a far-away page: same-page neighbours, page crossings, gaps.
  address: fc.oneof(
    fc.integer({ min: 0, max: 2 * 8192 }).map((o) => base + o * 8),
    fc.integer({ min: 0, max: 64 }).map((o) => base + 2 ** 30 + o * 8),
  ),
  words: fc.integer({ min: 1, max: 6 }),
  pointerWords: fc.array(fc.nat({ max: 5 }), { maxLength: 3 }),
});

describe("readHeapDump object order", () => {
  test.prop([fc.array(objectArb, { minLength: 1, maxLength: 80 })], { numRuns: 300 })(
    "sorts duplicates, overlaps and interleaved runs like a naive sort",
    (objs) => {
      const records: HeapDumpRecord[] = [
        {
          kind: "params",
          bigEndian: false,
          pointerSize: 8,
          heapStart: base,
          heapEnd: base + 2 ** 31,
          arch: "amd64",
          goVersion: "go1.21.13",
          numCpu: 1,
        },
      ];
      const written = objs.map((o, i) => {
        const contents = new Uint8Array(o.words * 8);
        contents[0] = i & 0xff; // tells objects with equal address and size apart
        contents[1] = i >> 8;
        const pointerOffsets = [...new Set(o.pointerWords.filter((w) => w < o.words))].map(
          (w) => w * 8,
        );
        return { address: o.address, contents, pointerOffsets };
      });
      for (const o of written) records.push({ kind: "object", interfaceFields: [], ...o });
      const dump = readHeapDump(writeHeapDump(records));
      const idx = dump.objects;
      expect(idx.count).toBe(written.length);
      const got = Array.from({ length: idx.count }, (_, i) => {
        const c = idx.contents(i);
        const ptrs = [...idx.ptrOffsets.subarray(idx.ptrStart[i], idx.ptrStart[i + 1])];
        return `${idx.addresses[i]}/${idx.sizes[i]}/${c[0]}/${c[1]}/${ptrs.join(",")}`;
      });
      const want = written.map(
        (o) =>
          `${o.address}/${o.contents.length}/${o.contents[0]}/${o.contents[1]}/${o.pointerOffsets.join(",")}`,
      );
      expect([...got].sort()).toEqual([...want].sort());
      for (let i = 1; i < idx.count; i++) {
        expect(idx.addresses[i] as number).toBeGreaterThanOrEqual(idx.addresses[i - 1] as number);
      }
      const sorted = [...written].sort((a, b) => a.address - b.address);
      let duplicates = false;
      let overlaps = false;
      for (let i = 1; i < sorted.length; i++) {
        const prev = sorted[i - 1] as (typeof sorted)[number];
        const cur = sorted[i] as (typeof sorted)[number];
        if (prev.address === cur.address) duplicates = true;
        else if (prev.address + prev.contents.length > cur.address) overlaps = true;
      }
      const codes = dump.diagnostics.map((d) => d.code);
      expect(codes.includes("duplicate-address")).toBe(duplicates);
      // Among equal addresses the order is unspecified, and so is which of
      // them is compared with the next address: overlaps are exact only without.
      if (!duplicates) expect(codes.includes("overlapping-objects")).toBe(overlaps);
    },
  );
});

// Go >= 1.22 dumps: span tail slots ("phantoms") are filtered in both passes;
// objects of a few one-page spans in any page order, some records of other
// kinds between them. The filtered index must be the unfiltered one minus
// exactly phantomObjectCount objects, in order, entry for entry.
const spanArb = fc.record({
  page: fc.integer({ min: 0, max: 40 }),
  size: fc.constantFrom(8, 16, 48, 512),
  scan: fc.boolean(),
  slots: fc.array(fc.nat({ max: 1023 }), { maxLength: 40 }),
  typeAfter: fc.boolean(),
});

describe("readHeapDump phantom filtering", () => {
  test.prop([fc.uniqueArray(spanArb, { selector: (s) => s.page, minLength: 1, maxLength: 8 })], {
    numRuns: 200,
  })("keeps the same objects in both passes", (spans) => {
    const records: HeapDumpRecord[] = [
      {
        kind: "params",
        bigEndian: false,
        pointerSize: 8,
        heapStart: base,
        heapEnd: base + 2 ** 31,
        arch: "amd64",
        goVersion: "go1.26.8",
        numCpu: 1,
      },
    ];
    for (const s of spans) {
      const perSpan = Math.floor(8192 / s.size);
      const slots = [...new Set(s.slots.map((j) => j % perSpan))].sort((a, b) => a - b);
      for (const j of slots) {
        const contents = new Uint8Array(s.size);
        contents[0] = j & 0xff;
        records.push({
          kind: "object",
          address: base + s.page * 8192 + j * s.size,
          contents,
          pointerOffsets: s.scan ? [0] : [],
          interfaceFields: [],
        });
      }
      if (s.typeAfter) {
        records.push({
          kind: "type",
          address: 0x1000 + s.page,
          size: 8,
          name: "T",
          indirect: false,
        });
      }
    }
    const bytes = writeHeapDump(records);
    const all = readHeapDump(bytes, { keepPhantomObjects: true }).objects;
    const dump = readHeapDump(bytes);
    const kept = dump.objects;
    expect(kept.count + dump.phantomObjectCount).toBe(all.count);
    const entry = (idx: typeof all, i: number) =>
      `${idx.addresses[i]}/${idx.sizes[i]}/${idx.contentOffsets[i]}/${[
        ...idx.ptrOffsets.subarray(idx.ptrStart[i], idx.ptrStart[i + 1]),
      ].join(",")}`;
    const allEntries = Array.from({ length: all.count }, (_, i) => entry(all, i));
    let k = 0;
    for (let i = 0; i < kept.count; i++) {
      const e = entry(kept, i);
      while (k < allEntries.length && allEntries[k] !== e) k++;
      expect(k).toBeLessThan(allEntries.length); // found, in order
      k++;
    }
  });
});

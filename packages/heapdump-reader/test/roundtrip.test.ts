import { fc, test } from "@fast-check/vitest";
import {
  goroutineStatusName,
  type HeapDumpRecord,
  readHeapDump,
  readHeapDumpRecords,
  streamHeapDump,
  writeHeapDump,
} from "@tricolor/heapdump-reader";
import { describe, expect, it } from "vitest";
import { asyncChunks, chunked, recordList } from "./arbitraries.js";

async function collect(it: AsyncIterable<HeapDumpRecord>): Promise<HeapDumpRecord[]> {
  const out: HeapDumpRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describe("writeHeapDump / readHeapDumpRecords", () => {
  test.prop([recordList], { numRuns: 300 })("round-trips any record list", (records) => {
    expect([...readHeapDumpRecords(writeHeapDump(records))]).toEqual(records);
  });

  test.prop([recordList, fc.array(fc.nat(), { maxLength: 40 })], { numRuns: 150 })(
    "streams the same records for any chunking",
    async (records, cuts) => {
      const bytes = writeHeapDump(records);
      expect(await collect(streamHeapDump(asyncChunks(chunked(bytes, cuts))))).toEqual(records);
    },
  );

  it("writes the varints of heapdump.go's dumpint (encoding/binary uvarint)", () => {
    const bytes = writeHeapDump([
      {
        kind: "params",
        bigEndian: false,
        pointerSize: 8,
        heapStart: 300,
        heapEnd: 2 ** 53 - 1,
        arch: "amd64",
        goVersion: "go1.26.8",
        numCpu: 2,
      },
    ]);
    const expected = [
      ..."go1.7 heap dump\n".split("").map((ch) => ch.charCodeAt(0)),
      6, // tag params
      0, // little-endian
      8,
      0xac,
      0x02, // 300
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0x0f, // 2^53 - 1
      5,
      ..."amd64".split("").map((ch) => ch.charCodeAt(0)),
      8,
      ..."go1.26.8".split("").map((ch) => ch.charCodeAt(0)),
      2,
      0, // EOF
    ];
    expect([...bytes]).toEqual(expected);
  });

  it("refuses values the format cannot carry", () => {
    const bad = {
      kind: "itab",
      address: -1,
      typeAddress: 0,
    } as const;
    expect(() => writeHeapDump([bad])).toThrow(expect.objectContaining({ code: "BAD_RECORD" }));
    expect(() => writeHeapDump([{ ...bad, address: 1.5 }])).toThrow(
      expect.objectContaining({ code: "BAD_RECORD" }),
    );
  });
});

describe("goroutineStatusName", () => {
  it.each([
    [0, "idle"],
    [1, "runnable"],
    [2, "running"],
    [3, "syscall"],
    [4, "waiting"],
    [6, "dead"],
    [8, "copystack"],
    [9, "preempted"],
    [0x1004, "scan+waiting"],
    [0x1001, "scan+runnable"],
    [99, "unknown(99)"],
    [0x2004, "unknown(8196)"],
  ])("names status %i as in runtime2.go", (status, name) => {
    expect(goroutineStatusName(status)).toBe(name);
  });
});

// Objects with unique addresses in random dump order (a Go 1.21 dump, so no
// phantom filtering), compared with a naive sort-and-scan oracle.
const objectsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 60 })
  .chain((slots) =>
    fc.tuple(
      fc.constant(slots),
      fc.array(fc.nat({ max: 3 }), { minLength: slots.length, maxLength: slots.length }),
      fc.array(fc.array(fc.nat({ max: 3 }), { maxLength: 3 }), {
        minLength: slots.length,
        maxLength: slots.length,
      }),
      fc.array(fc.nat({ max: 5000 * 64 }), { minLength: slots.length, maxLength: slots.length }),
    ),
  );

describe("readHeapDump object index", () => {
  test.prop([objectsArb, fc.boolean(), fc.integer({ min: 0, max: 2 ** 20 })], { numRuns: 200 })(
    "sorts, resolves interior pointers and reads pointer values like the oracle",
    (args, bigEndian, probeSeed) => {
      const [slots, sizeWords, ptrWords, values] = args;
      const base = 0xc000000000;
      const records: HeapDumpRecord[] = [
        {
          kind: "params",
          bigEndian,
          pointerSize: 8,
          heapStart: base,
          heapEnd: base + 2 ** 20,
          arch: "amd64",
          goVersion: "go1.21.13",
          numCpu: 1,
        },
      ];
      // Slot k spans [base + 64k, base + 64k + 8*(1+sizeWords)) — never overlapping.
      const objs = slots.map((k, i) => {
        const words = 1 + (sizeWords[i] as number);
        const contents = new Uint8Array(words * 8);
        const view = new DataView(contents.buffer);
        const ptrs = [...new Set((ptrWords[i] as number[]).filter((w) => w < words))];
        for (const w of ptrs) {
          view.setBigUint64(w * 8, BigInt(base + (values[i] as number)), !bigEndian);
        }
        return { address: base + 64 * k, contents, pointerOffsets: ptrs.map((w) => w * 8) };
      });
      for (const o of objs) records.push({ kind: "object", interfaceFields: [], ...o });
      const dump = readHeapDump(writeHeapDump(records));
      const sorted = [...objs].sort((a, b) => a.address - b.address);
      expect([...dump.objects.addresses]).toEqual(sorted.map((o) => o.address));
      expect([...dump.objects.sizes]).toEqual(sorted.map((o) => o.contents.length));
      sorted.forEach((o, i) => {
        const start = dump.objects.ptrStart[i] as number;
        const end = dump.objects.ptrStart[i + 1] as number;
        expect([...dump.objects.ptrOffsets.subarray(start, end)]).toEqual(o.pointerOffsets);
        for (let s = start; s < end; s++) {
          const expected = new DataView(o.contents.buffer).getBigUint64(
            dump.objects.ptrOffsets[s] as number,
            !bigEndian,
          );
          expect(dump.objects.readPointerBigInt(s)).toBe(expected);
          expect(dump.objects.readPointer(s)).toBe(Number(expected));
        }
        expect([...dump.objects.contents(i)]).toEqual([...o.contents]);
      });
      // lookupObject against a linear scan, at random probe addresses.
      for (let p = 0; p < 50; p++) {
        const a = base + ((probeSeed * (p + 1) * 7919) % (64 * 4100));
        const expected = sorted.findIndex(
          (o) => a >= o.address && a < o.address + o.contents.length,
        );
        expect(dump.lookupObject(a)).toBe(expected);
      }
      expect(dump.phantomObjectCount).toBe(0);
    },
  );

  it("records memstats values above 2^53 exactly and refuses them in number fields", () => {
    const big = (1n << 63n) + 12345n;
    const stats = Object.fromEntries(
      [
        "Alloc",
        "TotalAlloc",
        "Sys",
        "Lookups",
        "Mallocs",
        "Frees",
        "HeapAlloc",
        "HeapSys",
        "HeapIdle",
        "HeapInuse",
        "HeapReleased",
        "HeapObjects",
        "StackInuse",
        "StackSys",
        "MSpanInuse",
        "MSpanSys",
        "MCacheInuse",
        "MCacheSys",
        "BuckHashSys",
        "GCSys",
        "OtherSys",
        "NextGC",
        "LastGC",
        "PauseTotalNs",
        "NumGC",
      ].map((k) => [k, 0n]),
    );
    const params: HeapDumpRecord = {
      kind: "params",
      bigEndian: false,
      pointerSize: 8,
      heapStart: 0,
      heapEnd: 0,
      arch: "amd64",
      goVersion: "go1.26.8",
      numCpu: 1,
    };
    const dump = readHeapDump(
      writeHeapDump([
        params,
        {
          kind: "memStats",
          stats: { ...stats, LastGC: big, PauseNs: new Array(256).fill(big) } as never,
        },
      ]),
    );
    expect(dump.memStats?.LastGC).toBe(big);
    expect(dump.memStats?.PauseNs[255]).toBe(big);
    // An itab address of 2^53 written by hand: refused, not rounded.
    const bytes = writeHeapDump([params, { kind: "itab", address: 0, typeAddress: 0 }]);
    const itabAt = bytes.lastIndexOf(8, bytes.length - 3); // tag 8, then address 0, type 0, EOF
    const patched = new Uint8Array([
      ...bytes.subarray(0, itabAt + 1),
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x80,
      0x10, // 2^53
      ...bytes.subarray(itabAt + 2),
    ]);
    expect(() => readHeapDump(patched)).toThrow(
      expect.objectContaining({
        name: "HeapDumpError",
        code: "UNSAFE_INTEGER",
        offset: itabAt + 1,
      }),
    );
  });
});

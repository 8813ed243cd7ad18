import { readHeapDump, writeHeapDump } from "@tricolor/heapdump-reader";
import { describe, expect, it } from "vitest";
import { buildObjectGraph } from "./from-heapdump.js";

/** Writes `value` as a `size`-byte word at `at`. */
function putWord(b: Uint8Array, at: number, value: number, size: number, bigEndian: boolean): void {
  let v = BigInt(value);
  for (let i = 0; i < size; i++) {
    b[bigEndian ? at + size - 1 - i : at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

describe("buildObjectGraph", () => {
  describe.each([
    { pointerSize: 8, bigEndian: false, base: 0xc0_0000_0000 },
    { pointerSize: 8, bigEndian: true, base: 0xc0_0000_0000 },
    { pointerSize: 4, bigEndian: false, base: 0x1000_0000 },
    { pointerSize: 4, bigEndian: true, base: 0x1000_0000 },
  ])(
    "pointer words of $pointerSize bytes, big-endian $bigEndian",
    ({ pointerSize, bigEndian, base }) => {
      it("reads every pointer word of every object", () => {
        const size = 8 * pointerSize;
        const at = (i: number): number => base + i * size;
        // Object i's words: nil, an interior pointer, a self pointer, a pointer outside the heap.
        const words: number[][] = [
          [at(1), 0, at(2) + pointerSize, at(0)],
          [at(0) + 2 * pointerSize, base - 64, at(2)],
          [0x7fff_0000, at(1), at(1)],
        ];
        const records = words.map((ws, i) => {
          const contents = new Uint8Array(size);
          for (const [k, w] of ws.entries()) {
            putWord(contents, (2 * k + 1) * pointerSize, w, pointerSize, bigEndian);
          }
          return {
            kind: "object" as const,
            address: at(i),
            contents,
            pointerOffsets: ws.map((_, k) => (2 * k + 1) * pointerSize),
            interfaceFields: [],
          };
        });
        const bytes = writeHeapDump([
          {
            kind: "params",
            bigEndian,
            pointerSize,
            heapStart: base,
            heapEnd: base + 0x10_0000,
            arch: pointerSize === 8 ? "amd64" : "386",
            goVersion: "go1.26.8",
            numCpu: 2,
          },
          ...records,
          { kind: "otherRoot", description: "test root", pointer: at(0) },
        ]);
        const g = buildObjectGraph(readHeapDump(bytes));
        expect(g.objectCount).toBe(3);
        const edges = (o: number): number[] =>
          Array.from(g.edgeTargets.subarray(g.edgeStart[o], g.edgeStart[o + 1]));
        expect(edges(0)).toEqual([1, 2]);
        expect(edges(1)).toEqual([0, 2]);
        expect(edges(2)).toEqual([1, 1]);
        expect(g.stats.nilPointers).toBe(1);
        expect(g.stats.selfPointers).toBe(1);
        expect(g.stats.outsidePointers).toBe(2);
        expect(g.stats.interiorPointers).toBe(2);
        expect(Array.from(g.rootTargets)).toEqual([0]);
      });
    },
  );
});

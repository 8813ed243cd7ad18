// Span tail slots ("phantom" object records) on synthetic one-page spans.
// Expected counts are worked out by hand from initSpan in src/runtime/mheap.go:
// nelems = (8192 - reserve) / elemsize, reserve = 8192/8/8 = 128 bytes of heap
// bits for small scan spans (Go >= 1.22) plus 128 bytes of inline mark bits
// for 16..512-byte spans under the Green Tea GC.

import { type HeapDumpRecord, readHeapDump, writeHeapDump } from "@tricolor/heapdump-reader";
import { describe, expect, it } from "vitest";

const PAGE = 0xc000010000; // 8 KiB aligned

function spanDump(goVersion: string, size: number, scan: boolean, slots?: number[]): Uint8Array {
  const records: HeapDumpRecord[] = [
    {
      kind: "params",
      bigEndian: false,
      pointerSize: 8,
      heapStart: 0xc000000000,
      heapEnd: 0xc004000000,
      arch: "amd64",
      goVersion,
      numCpu: 1,
    },
  ];
  const n = Math.floor(8192 / size); // what dumpobjs walks
  for (const j of slots ?? Array.from({ length: n }, (_, i) => i)) {
    records.push({
      kind: "object",
      address: PAGE + j * size,
      contents: new Uint8Array(size),
      pointerOffsets: scan ? [0] : [],
      interfaceFields: [],
    });
  }
  return writeHeapDump(records);
}

describe("phantom tail slots", () => {
  it.each([
    // version, size, scan, kept, phantoms
    ["go1.21.13", 16, true, 512, 0],
    ["go1.22.12", 16, true, 504, 8],
    ["go1.22.12", 16, false, 512, 0],
    ["go1.22.12", 8, true, 1008, 16],
    ["go1.22.12", 48, true, 168, 2],
    ["go1.22.12", 512, true, 15, 1],
    ["go1.22.12", 1024, true, 8, 0],
    ["go1.25.5", 16, false, 512, 0],
    ["go1.25.5 X:greenteagc", 16, false, 504, 8],
    ["go1.26.8", 16, false, 504, 8],
    ["go1.26.8", 16, true, 496, 16],
    ["go1.26.8", 8, true, 1008, 16],
    ["go1.26.8", 8, false, 1024, 0],
    ["go1.26.8-X:nogreenteagc", 16, false, 512, 0],
    ["go1.26.8 X:nogreenteagc", 16, true, 504, 8],
  ] as const)("%s, %i-byte slots, scan=%s: %i objects, %i phantoms", (v, size, scan, kept, ph) => {
    const dump = readHeapDump(spanDump(v, size, scan));
    expect(dump.objectCount).toBe(kept);
    expect(dump.phantomObjectCount).toBe(ph);
    expect(dump.lookupObject(PAGE + (kept - 1) * size)).toBe(kept - 1);
    expect(dump.lookupObject(PAGE + kept * size)).toBe(-1);
    const raw = readHeapDump(spanDump(v, size, scan), { keepPhantomObjects: true });
    expect(raw.objectCount).toBe(kept + ph);
  });

  it("classifies a lone tail slot by its own pointer fields, else keeps it and says so", () => {
    // go1.22, 48-byte slots: slots 168 and 169 exist in noscan spans only.
    const withPtr = readHeapDump(spanDump("go1.22.12", 48, true, [168]));
    expect(withPtr.objectCount).toBe(0);
    const noPtr = readHeapDump(spanDump("go1.22.12", 48, false, [168]));
    expect(noPtr.objectCount).toBe(1);
    expect(noPtr.diagnostics.map((d) => d.code)).toContain("ambiguous-tail-slots");
    // go1.26 (Green Tea), 48-byte slots: noscan spans hold 168, so 169 exists in neither.
    const beyond = readHeapDump(spanDump("go1.26.8", 48, false, [169]));
    expect(beyond.objectCount).toBe(0);
  });
});

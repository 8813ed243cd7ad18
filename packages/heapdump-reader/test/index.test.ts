import {
  type HeapDumpRecord,
  isHeapDumpError,
  readHeapDump,
  streamHeapDump,
  writeHeapDump,
} from "@tricolor/heapdump-reader";
import { describe, expect, it } from "vitest";
import { asyncChunks } from "./arbitraries.js";

const params = (goVersion = "go1.21.13"): HeapDumpRecord => ({
  kind: "params",
  bigEndian: false,
  pointerSize: 8,
  heapStart: 0xc000000000,
  heapEnd: 0xc004000000,
  arch: "amd64",
  goVersion,
  numCpu: 1,
});

function object(address: number, size: number, pointerOffsets: number[] = []): HeapDumpRecord {
  return {
    kind: "object",
    address,
    contents: new Uint8Array(size),
    pointerOffsets,
    interfaceFields: [],
  };
}

describe("readHeapDump edge cases", () => {
  it("keeps duplicate addresses sorted and says so", () => {
    const base = 0xc000000000;
    const dump = readHeapDump(
      writeHeapDump([params(), object(base + 64, 16), object(base, 16), object(base + 64, 16)]),
    );
    expect([...dump.objects.addresses]).toEqual([base, base + 64, base + 64]);
    expect(dump.diagnostics.map((d) => d.code)).toContain("duplicate-address");
  });

  it("turns interface fields into two pointer slots and ignores out-of-range offsets", () => {
    const base = 0xc000000000;
    const dump = readHeapDump(
      writeHeapDump([
        params(),
        {
          kind: "object",
          address: base,
          contents: new Uint8Array(32),
          pointerOffsets: [0, 40],
          interfaceFields: [{ kind: "eface", offset: 8 }],
        },
      ]),
    );
    const { ptrStart, ptrOffsets } = dump.objects;
    expect([...ptrOffsets.subarray(ptrStart[0], ptrStart[1])]).toEqual([0, 8, 16]);
    expect(dump.diagnostics.map((d) => d.code)).toContain("pointer-offset-out-of-range");
  });

  it("uses 32-bit pointer offsets when an offset needs them", () => {
    const base = 0xc000000000;
    const dump = readHeapDump(writeHeapDump([params(), object(base, 70000, [0, 69992])]));
    expect(dump.objects.ptrOffsets).toBeInstanceOf(Uint32Array);
    expect([...dump.objects.ptrOffsets]).toEqual([0, 69992]);
    const small = readHeapDump(writeHeapDump([params(), object(base, 64, [8])]));
    expect(small.objects.ptrOffsets).toBeInstanceOf(Uint16Array);
  });

  it("diagnoses an unknown version string and a missing memstats record", () => {
    const dump = readHeapDump(writeHeapDump([params("devel +abcdef"), object(0xc000000000, 16)]));
    const codes = dump.diagnostics.map((d) => d.code);
    expect(codes).toContain("unknown-go-version");
    expect(codes).toContain("missing-memstats");
    expect(dump.memStats).toBeUndefined();
  });

  it("caps diagnostics", () => {
    const dump = readHeapDump(
      writeHeapDump([params(), params(), params(), object(0xc000000000, 16)]),
      { maxDiagnostics: 1 },
    );
    expect(dump.diagnostics.length).toBe(1);
    expect(dump.diagnosticsDropped).toBeGreaterThan(0);
  });

  it("attaches frames, defers and panics to their goroutine and roots them", () => {
    const g = 0xc000001000;
    const frame = new Uint8Array(16);
    new DataView(frame.buffer).setBigUint64(8, 0xc000000010n, true);
    const dump = readHeapDump(
      writeHeapDump([
        params(),
        object(0xc000000000, 32),
        {
          kind: "goroutine",
          address: g,
          stackPointer: 1,
          id: 7,
          creatorPc: 2,
          status: 4,
          statusName: "waiting",
          isSystem: false,
          isBackground: false,
          waitSince: 0,
          waitReason: "chan receive",
          context: 0xc000000008,
          threadAddress: 0,
          deferAddress: 0xc000002000,
          panicAddress: 0,
        },
        {
          kind: "stackFrame",
          stackPointer: 1,
          depth: 0,
          childStackPointer: 0,
          contents: frame,
          entryPc: 3,
          pc: 4,
          continuationPc: 4,
          functionName: "main.wait",
          pointerOffsets: [0, 8],
          interfaceFields: [],
        },
        {
          kind: "defer",
          address: 0xc000002000,
          goroutineAddress: g,
          stackPointer: 1,
          pc: 5,
          funcAddress: 0x500000,
          functionPc: 6,
          nextAddress: 0,
        },
      ]),
    );
    const [gr] = dump.goroutines;
    expect(gr?.frames.map((f) => f.functionName)).toEqual(["main.wait"]);
    expect(gr?.defers.length).toBe(1);
    const frameRoots = dump.roots.filter((r) => r.kind === "frame");
    // The zero slot at +0 is no reference; the slot at +8 points into object 0.
    expect(frameRoots.map((r) => r.pointer)).toEqual([0xc000000010]);
    expect(frameRoots[0]?.description).toBe("main.wait frame slot +0x8 (goroutine 7, depth 0)");
    expect(dump.lookupObject(frameRoots[0]?.pointer ?? 0)).toBe(0);
    const ctx = dump.roots.find((r) => r.kind === "goroutineContext");
    expect(ctx?.pointer).toBe(0xc000000008);
    expect(ctx?.goroutineId).toBe(7);
    expect(dump.roots.filter((r) => r.kind === "defer").map((r) => r.pointer)).toEqual([
      0xc000002000, 0x500000,
    ]);
  });
});

describe("streamHeapDump limits", () => {
  it("refuses a record larger than maxRecordBytes instead of buffering it", async () => {
    const bytes = writeHeapDump([params(), object(0xc000000000, 100_000)]);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 1000) chunks.push(bytes.subarray(i, i + 1000));
    let caught: unknown;
    try {
      for await (const _ of streamHeapDump(asyncChunks(chunks), { maxRecordBytes: 10_000 })) {
        // drain
      }
    } catch (e) {
      caught = e;
    }
    expect(isHeapDumpError(caught) && caught.code).toBe("LIMIT_EXCEEDED");
  });
});

// fast-check arbitraries for heap dump records (test-only).

import {
  goroutineStatusName,
  type HeapDumpRecord,
  type InterfaceField,
  type MemStats,
  type ParamsRecord,
} from "@tricolor/heapdump-reader";
import fc from "fast-check";

const MEMSTATS_SCALARS = [
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
] as const;

/** Small values most of the time, the full safe range sometimes. */
export const uint = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 300 }) },
  { weight: 1, arbitrary: fc.maxSafeNat() },
);
const str = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 6 }));
const bytes = fc.uint8Array({ maxLength: 48 });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const offsets = fc.array(uint, { maxLength: 5 });
const ifaces: fc.Arbitrary<InterfaceField[]> = fc.array(
  fc.record({ kind: fc.constantFrom("iface" as const, "eface" as const), offset: uint }),
  { maxLength: 2 },
);

export const paramsRecord: fc.Arbitrary<ParamsRecord> = fc.record({
  kind: fc.constant("params" as const),
  bigEndian: fc.boolean(),
  pointerSize: fc.constantFrom(4, 8),
  heapStart: uint,
  heapEnd: uint,
  arch: str,
  goVersion: str,
  numCpu: uint,
});

export const memStats: fc.Arbitrary<MemStats> = fc
  .tuple(
    fc.array(u64, { minLength: 24, maxLength: 24 }),
    fc.array(u64, { minLength: 256, maxLength: 256 }),
    u64,
  )
  .map(([scalars, pause, numGC]) => {
    const m: Record<string, unknown> = {};
    MEMSTATS_SCALARS.forEach((name, i) => {
      m[name] = scalars[i];
    });
    m.PauseNs = pause;
    m.NumGC = numGC;
    return m as unknown as MemStats;
  });

/** Any record except params (params must come first). */
export const bodyRecord: fc.Arbitrary<HeapDumpRecord> = fc.oneof(
  fc.record({
    kind: fc.constant("object" as const),
    address: uint,
    contents: bytes,
    pointerOffsets: offsets,
    interfaceFields: ifaces,
  }),
  fc.record({ kind: fc.constant("otherRoot" as const), description: str, pointer: uint }),
  fc.record({
    kind: fc.constant("type" as const),
    address: uint,
    size: uint,
    name: str,
    indirect: fc.boolean(),
  }),
  fc
    .record({
      kind: fc.constant("goroutine" as const),
      address: uint,
      stackPointer: uint,
      id: uint,
      creatorPc: uint,
      status: fc.oneof(fc.nat({ max: 12 }), fc.constantFrom(0x1001, 0x1004), uint),
      isSystem: fc.boolean(),
      isBackground: fc.boolean(),
      waitSince: uint,
      waitReason: str,
      context: uint,
      threadAddress: uint,
      deferAddress: uint,
      panicAddress: uint,
    })
    // statusName is derived from status, not stored in the dump.
    .map((g) => ({ ...g, statusName: goroutineStatusName(g.status) })),
  fc.record({
    kind: fc.constant("stackFrame" as const),
    stackPointer: uint,
    depth: uint,
    childStackPointer: uint,
    contents: bytes,
    entryPc: uint,
    pc: uint,
    continuationPc: uint,
    functionName: str,
    pointerOffsets: offsets,
    interfaceFields: ifaces,
  }),
  fc.record({
    kind: fc.constantFrom("finalizer" as const, "queuedFinalizer" as const),
    objectAddress: uint,
    funcAddress: uint,
    functionPc: uint,
    argTypeAddress: uint,
    objectTypeAddress: uint,
  }),
  fc.record({ kind: fc.constant("itab" as const), address: uint, typeAddress: uint }),
  fc.record({ kind: fc.constant("osThread" as const), address: uint, id: uint, osId: uint }),
  fc.record({ kind: fc.constant("memStats" as const), stats: memStats }),
  fc.record({
    kind: fc.constantFrom("data" as const, "bss" as const),
    address: uint,
    contents: bytes,
    pointerOffsets: offsets,
    interfaceFields: ifaces,
  }),
  fc.record({
    kind: fc.constant("defer" as const),
    address: uint,
    goroutineAddress: uint,
    stackPointer: uint,
    pc: uint,
    funcAddress: uint,
    functionPc: uint,
    nextAddress: uint,
  }),
  fc.record({
    kind: fc.constant("panic" as const),
    address: uint,
    goroutineAddress: uint,
    argTypeAddress: uint,
    argDataAddress: uint,
    deferAddress: uint,
    nextAddress: uint,
  }),
  fc.record({
    kind: fc.constant("memProf" as const),
    bucketAddress: uint,
    size: uint,
    frames: fc.array(fc.record({ functionName: str, file: str, line: uint }), { maxLength: 4 }),
    allocs: uint,
    frees: uint,
  }),
  fc.record({
    kind: fc.constant("allocSample" as const),
    objectAddress: uint,
    bucketAddress: uint,
  }),
);

/** A record list a dump can hold: params first, then anything. */
export const recordList: fc.Arbitrary<HeapDumpRecord[]> = fc
  .tuple(paramsRecord, fc.array(bodyRecord, { maxLength: 25 }))
  .map(([p, rest]) => [p, ...rest]);

/** Splits bytes into chunks at random cut points. */
export function chunked(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

export async function* asyncChunks(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

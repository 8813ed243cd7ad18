// One measured path of bench/heapdump/run.ts, in its own process so that its
// peak RSS is its own. Prints one JSON line.
//   child.ts memory FILE   readHeapDump over the file already in memory
//   child.ts file FILE     readHeapDumpFile: read the file, then index it
//   child.ts stream FILE   streamHeapDumpFile: every record, memory bounded
//   child.ts floor FILE OBJECTS SLOTS WIDE
//                          no parsing: the file read and typed arrays of the
//                          index's sizes (WIDE=1: 32-bit pointer offsets)
//                          written once, for the RSS no index can go below
import { readFileSync } from "node:fs";
import { readHeapDump } from "@tricolor/heapdump-reader";
import { readHeapDumpFile, streamHeapDumpFile } from "@tricolor/heapdump-reader/node";

const [mode, file, ...rest] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: child.ts memory|file|stream|floor FILE ...");

let bytes: Uint8Array | undefined;
if (mode === "memory" || mode === "floor") bytes = readFileSync(file); // a Buffer is a Uint8Array: no copy

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let objects = 0;
let records = 0;
let indexBytes = 0;
let slots = 0;
let wideSlots = 0;
if (mode === "memory" || mode === "file") {
  const dump = mode === "memory" ? readHeapDump(bytes as Uint8Array) : await readHeapDumpFile(file);
  objects = dump.objectCount;
  records = Object.values(dump.recordCounts).reduce((a, b) => a + b, 0);
  const o = dump.objects;
  for (const a of [o.addresses, o.sizes, o.contentOffsets, o.ptrStart, o.ptrOffsets]) {
    indexBytes += a.byteLength;
  }
  slots = o.ptrOffsets.length;
  wideSlots = o.ptrOffsets instanceof Uint32Array ? 1 : 0;
} else if (mode === "stream") {
  for await (const r of streamHeapDumpFile(file)) {
    records++;
    if (r.kind === "object") objects++;
  }
} else if (mode === "floor") {
  const [n, slots, wide] = rest.map(Number) as [number, number, number];
  const src = bytes as Uint8Array;
  const arrays = [
    new Float64Array(n),
    new Uint32Array(n),
    new Uint32Array(n),
    new Uint32Array(n + 1),
    wide ? new Uint32Array(slots) : new Uint16Array(slots),
  ];
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) a[i] = src[i] as number;
    indexBytes += a.byteLength;
  }
  objects = n;
} else throw new Error(`unknown mode ${mode}`);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    objects,
    records,
    indexBytes,
    slots,
    wideSlots,
  }),
);

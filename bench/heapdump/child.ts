// One measured path of bench/heapdump/run.ts, in its own process so that its
// peak RSS is its own. Prints one JSON line.
//   child.ts memory FILE   readHeapDump over the file already in memory
//   child.ts file FILE     readHeapDumpFile: read the file, then index it
//   child.ts stream FILE   streamHeapDumpFile: every record, memory bounded
import { readFileSync } from "node:fs";
import { readHeapDump } from "@tricolor/heapdump-reader";
import { readHeapDumpFile, streamHeapDumpFile } from "@tricolor/heapdump-reader/node";

const [mode, file] = process.argv.slice(2);
if (file === undefined) throw new Error("usage: child.ts memory|file|stream FILE");

let bytes: Uint8Array | undefined;
if (mode === "memory") bytes = readFileSync(file); // a Buffer is a Uint8Array: no copy

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let objects = 0;
let records = 0;
if (mode === "memory" || mode === "file") {
  const dump = mode === "memory" ? readHeapDump(bytes as Uint8Array) : await readHeapDumpFile(file);
  objects = dump.objectCount;
  records = Object.values(dump.recordCounts).reduce((a, b) => a + b, 0);
} else if (mode === "stream") {
  for await (const r of streamHeapDumpFile(file)) {
    records++;
    if (r.kind === "object") objects++;
  }
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
  }),
);

// What a Go heap dump holds, read with @tricolor/heapdump-reader: the
// params, the object index (checked against MemStats.HeapObjects), the
// goroutines and why they wait, the roots by kind, and the allocation sites
// with the most objects — on a real dump bundled with the repository
// (fixtures/<go version>/heap/structures.dump.gz).
//
//   npx tsx --conditions=@tricolor/source examples/heapdump-reader-basic/main.ts [dump[.gz]]
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { readHeapDump } from "@tricolor/heapdump-reader";

const here = dirname(fileURLToPath(import.meta.url));
const path =
  process.argv[2] ?? join(here, "..", "..", "fixtures", "go1.26.8", "heap", "structures.dump.gz");
const raw = readFileSync(path);
const bytes = path.endsWith(".gz") ? gunzipSync(raw) : raw;

const dump = readHeapDump(bytes);
const { params, objects, memStats } = dump;
const hex = (a: number): string => `0x${a.toString(16)}`;

console.log(
  `${dump.goVersion} ${params.arch}, ${params.pointerSize}-byte pointers, ${bytes.length} bytes`,
);
console.log(
  `objects: ${dump.objectCount} (MemStats.HeapObjects: ${memStats?.HeapObjects}), ` +
    `${dump.phantomObjectCount} phantom tail slots left out`,
);
let bytesInObjects = 0;
for (let i = 0; i < objects.count; i++) bytesInObjects += objects.sizes[i] as number;
console.log(
  `heap bytes in objects: ${bytesInObjects}, pointer slots: ${objects.ptrOffsets.length}`,
);

// Goroutines by status and wait reason.
const waits = new Map<string, number>();
for (const g of dump.goroutines) {
  const key = `${g.statusName} (${g.waitReason || "-"})`;
  waits.set(key, (waits.get(key) ?? 0) + 1);
}
console.log(`goroutines: ${dump.goroutines.length}`);
for (const [k, n] of [...waits].sort((a, b) => b[1] - a[1])) console.log(`  ${n} ${k}`);

// Roots by kind, and how many of them point at a heap object.
const rootKinds = new Map<string, [number, number]>();
for (const r of dump.roots) {
  const e = rootKinds.get(r.kind) ?? [0, 0];
  e[0]++;
  if (dump.lookupObject(r.pointer) >= 0) e[1]++;
  rootKinds.set(r.kind, e);
}
console.log(`roots: ${dump.roots.length}`);
for (const [k, [n, heap]] of rootKinds) console.log(`  ${k}: ${n} (${heap} into the heap)`);

// Allocation sites with the most sampled objects (MemProfileRate=1 in the fixture).
const bySite = new Map<string, number>();
for (let i = 0; i < objects.count; i++) {
  const site = dump.allocationSite(i);
  if (site === undefined) continue;
  const top = site.frames.find((f) => !f.functionName.startsWith("runtime.")) ?? site.frames[0];
  const name = top === undefined ? "?" : top.functionName;
  bySite.set(name, (bySite.get(name) ?? 0) + 1);
}
console.log("top allocation sites:");
for (const [name, n] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 5)) {
  console.log(`  ${String(n).padStart(5)} ${name}`);
}

// An interior pointer resolves to the object containing it.
const first = objects.addresses[0] as number;
console.log(`lookupObject(${hex(first + 1)}) = ${dump.lookupObject(first + 1)}`);
console.log(`diagnostics: ${dump.diagnostics.map((d) => d.code).join(", ") || "none"}`);

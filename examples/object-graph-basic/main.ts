// What a Go heap dump says about liveness: reachability, the tri-color mark
// phase step by step, the biggest retainers and a retainer path, on a real
// dump bundled with the repository (fixtures/<go version>/heap/structures.dump.gz).
//
//   npx tsx --conditions=@tricolor/source examples/object-graph-basic/main.ts [dump.gz]
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { readHeapDump } from "@tricolor/heapdump-reader";
import {
  buildObjectGraph,
  createMarker,
  dominators,
  reachability,
  rootKindName,
  shortestRetainerPath,
  summarizeBySite,
  topRetainers,
} from "@tricolor/object-graph";

const here = dirname(fileURLToPath(import.meta.url));
const path =
  process.argv[2] ?? join(here, "..", "..", "fixtures", "go1.26.8", "heap", "structures.dump.gz");
const raw = readFileSync(path);
const bytes = path.endsWith(".gz") ? gunzipSync(raw) : raw;

const dump = readHeapDump(bytes);
const graph = buildObjectGraph(dump);
const hex = (a: number): string => `0x${a.toString(16)}`;
console.log(
  `${dump.goVersion}: ${graph.objectCount} objects, ${graph.edgeTargets.length} pointers, ${graph.rootCount} roots`,
);

// 1. What would the next GC free?
const reach = reachability(graph);
console.log(`live:    ${reach.liveCount} objects, ${reach.liveBytes} bytes`);
console.log(`garbage: ${reach.garbageCount} objects, ${reach.garbageBytes} bytes`);

// 2. The mark phase, step by step: count events of the Go 1.26 "green tea" marker.
const marker = createMarker(graph, { policy: "span-fifo" });
const counts = new Map<string, number>();
for (const event of marker.events()) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
console.log(
  `marker:  ${marker.steps} steps, ${[...counts].map(([type, n]) => `${n} ${type}`).join(", ")}; ${marker.markedCount} objects black`,
);

// 3. Who holds the memory?
const tree = dominators(graph);
console.log("top retainers:");
for (const { ordinal, retainedSize } of topRetainers(tree, 3)) {
  const site = graph.siteIds?.[ordinal] ?? -1;
  const label = site >= 0 ? graph.sites[site] : "(no allocation sample)";
  console.log(
    `  ${hex(graph.addresses[ordinal] as number)} retains ${retainedSize} bytes  ${label}`,
  );
}

// 4. Why is the biggest one alive?
const [top] = topRetainers(tree, 1);
if (top !== undefined) {
  const path = shortestRetainerPath(graph, top.ordinal);
  if (path !== undefined) {
    const kind = rootKindName(graph.rootKinds[path.root] as number);
    console.log(
      `path:    ${kind} root "${graph.rootDescriptions[path.root]}" -> ${path.ordinals.map((o) => hex(graph.addresses[o] as number)).join(" -> ")}`,
    );
  }
}

// 5. Where were the objects allocated?
const { sites } = summarizeBySite(graph, reach);
console.log("top allocation sites:");
for (const s of sites.slice(0, 3))
  console.log(`  ${s.count} objects, ${s.bytes} bytes (${s.liveBytes} live)  ${s.site}`);

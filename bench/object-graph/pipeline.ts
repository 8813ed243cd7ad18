// One measured run of the object-graph pipeline, in its own process so that
// its peak RSS is its own. Prints one JSON line. Used by run.ts.
//
//   pipeline.ts dump <path>        read a heap dump file, then the graph phases
//   pipeline.ts synthetic <n> <m>  a random graph of n objects and about m pointer slots
import { readFileSync } from "node:fs";
import { readHeapDump } from "@tricolor/heapdump-reader";
import {
  buildGraphFromSource,
  buildObjectGraph,
  createMarker,
  dominators,
  type GraphSource,
  type ObjectGraph,
  reachability,
} from "@tricolor/object-graph";

interface Phase {
  name: string;
  /** Wall-clock milliseconds. */
  ms: number;
  /** CPU milliseconds (user + system) of this process during the phase. */
  cpuMs: number;
  /** Peak RSS of the process so far, MiB. */
  rssMiB: number;
}

const phases: Phase[] = [];
let last = performance.now();
let lastCpu = process.cpuUsage();
const lap = (name: string): void => {
  const now = performance.now();
  const cpu = process.cpuUsage(lastCpu);
  phases.push({
    name,
    ms: now - last,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMiB: process.resourceUsage().maxRSS / 1024,
  });
  last = now;
  lastCpu = process.cpuUsage();
};

/**
 * A deterministic random heap laid out like Go's small-object heap: each
 * 8 KiB page holds objects of one size class (16..80 bytes) back to back, as
 * a span does; ~m/n pointers per object to random objects; 1000 roots.
 */
function syntheticSource(n: number, m: number): GraphSource {
  let seed = 12345;
  const rand = (): number => {
    // xorshift32
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x1_0000_0000;
  };
  const classes = [16, 32, 48, 64, 80];
  const addr = new Float64Array(n);
  const size = new Uint32Array(n);
  let page = 0xc000000000;
  let i = 0;
  while (i < n) {
    const s = classes[Math.floor(rand() * classes.length)] as number;
    for (let a = page; a + s <= page + 8192 && i < n; a += s, i++) {
      addr[i] = a;
      size[i] = s;
    }
    page += 8192;
  }
  const per = m / n;
  return {
    objectCount: n,
    objectAddress: (i) => addr[i] as number,
    objectSize: (i) => size[i] as number,
    // Called once per object in ordinal order, so the stream of random
    // numbers (and the graph) is the same on every run.
    forEachPointer(_i, visit) {
      const k = Math.floor(rand() * 2 * per + 0.5);
      for (let j = 0; j < k; j++) visit(addr[Math.floor(rand() * n)] as number);
    },
    forEachRoot(visit) {
      for (let r = 0; r < 1000; r++) visit("data", addr[r * 997] as number, `data+${r * 8}`);
    },
  };
}

const [mode, arg1, arg2] = process.argv.slice(2);
let graph: ObjectGraph;
let slots = 0;
if (mode === "dump") {
  const bytes = readFileSync(arg1 as string);
  lap("read file");
  const dump = readHeapDump(bytes);
  slots = dump.objects.ptrOffsets.length;
  lap("readHeapDump");
  graph = buildObjectGraph(dump);
  lap("build graph");
} else {
  const source = syntheticSource(Number(arg1), Number(arg2));
  lap("make synthetic source");
  graph = buildGraphFromSource(source);
  lap("build graph");
}
const reach = reachability(graph);
lap("reachability");
const marker = createMarker(graph, { policy: "span-fifo" });
marker.run();
lap("marker run (span-fifo)");
const lifo = createMarker(graph, { policy: "lifo" });
lifo.run();
lap("marker run (lifo)");
const tree = dominators(graph);
lap("dominators + retained");
if (marker.markedCount !== reach.liveCount || tree.reachableCount !== reach.liveCount) {
  throw new Error("phases disagree on the live set");
}
console.log(
  JSON.stringify({
    objects: graph.objectCount,
    pointerSlots: slots,
    edges: graph.edgeTargets.length,
    roots: graph.rootCount,
    live: reach.liveCount,
    markerSteps: marker.steps,
    phases,
  }),
);

// bench/object-graph: the object-graph pipeline on a ~3-million-object heap
// dump, phase by phase, next to a Go peer that reads the same file.
//
//   npx tsx --conditions=@tricolor/source bench/object-graph/run.ts [--dump PATH] [--objects N] [--no-synthetic] [--no-go]
//
// The dump is bench/.data/bigheap.dump (shared with bench/heapdump); when it
// is missing and fixtures/gen/cmd/bigheap exists, it is generated first.
// Each measured pipeline runs in its own Node process (pipeline.ts) so its
// peak RSS is its own. The Go peer (go/main.go) lists every pointer of the
// dump record by record; github.com/burntcarrot/heaputil, the peer the issue
// names, is not served by the Go module proxy (403), see go/main.go.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const objects = Number(flag("--objects") ?? 3_000_000);
const dumpPath = flag("--dump") ?? join(repo, "bench", ".data", "bigheap.dump");
const goBin = join(repo, "bench", ".go-bin");

interface Phase {
  name: string;
  ms: number;
  cpuMs: number;
  rssMiB: number;
}
interface PipelineResult {
  objects: number;
  pointerSlots: number;
  edges: number;
  roots: number;
  live: number;
  phases: Phase[];
}

function ensureDump(): boolean {
  if (existsSync(dumpPath)) return true;
  const gen = join(repo, "fixtures", "gen");
  if (!existsSync(join(gen, "cmd", "bigheap"))) return false;
  mkdirSync(goBin, { recursive: true });
  mkdirSync(dirname(dumpPath), { recursive: true });
  console.log(`generating ${relative(repo, dumpPath)} (${objects} objects)...`);
  const bin = join(goBin, "bigheap");
  execFileSync("go", ["build", "-o", bin, "./cmd/bigheap"], { cwd: gen, stdio: "inherit" });
  execFileSync(bin, ["-out", dumpPath, "-objects", String(objects), "-seed", "1"], {
    stdio: "inherit",
    env: { ...process.env, GOMAXPROCS: "2" },
  });
  return existsSync(dumpPath);
}

function pipeline(...pipelineArgs: string[]): PipelineResult {
  const out = execFileSync(
    process.execPath,
    [
      "--max-old-space-size=4096",
      "--conditions=@tricolor/source",
      "--import",
      "tsx",
      join(here, "pipeline.ts"),
      ...pipelineArgs,
    ],
    { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(out.trim().split("\n").at(-1) as string) as PipelineResult;
}

interface GoResult {
  seconds: number;
  objects: number;
  pointers: number;
  maxRssKiB: number;
}
function goPeer(): GoResult {
  mkdirSync(goBin, { recursive: true });
  const bin = join(goBin, "objgraph-peer");
  execFileSync("go", ["build", "-o", bin, "."], { cwd: join(here, "go"), stdio: "inherit" });
  const out = execFileSync(bin, [dumpPath], { encoding: "utf8" });
  return JSON.parse(out) as GoResult;
}

const fmt = (x: number, d = 0): string => x.toFixed(d);
function printPipeline(title: string, r: PipelineResult, peerMs?: number): void {
  console.log(`\n${title}`);
  console.log(
    `  ${r.objects} objects, ${r.pointerSlots || "-"} pointer slots, ${r.edges} edges, ${r.roots} roots, ${r.live} live`,
  );
  console.log(
    `  ${"phase".padEnd(28)} ${"wall ms".padStart(9)} ${"cpu ms".padStart(9)} ${"peak RSS MiB".padStart(13)}`,
  );
  for (const p of r.phases) {
    console.log(
      `  ${p.name.padEnd(28)} ${fmt(p.ms).padStart(9)} ${fmt(p.cpuMs).padStart(9)} ${fmt(p.rssMiB).padStart(13)}`,
    );
  }
  // The pipeline the issue times: everything but reading the file into
  // memory and the second (LIFO) marker run, which is reported for comparison.
  const counted = r.phases.filter((p) => p.name !== "read file" && p.name !== "marker run (lifo)");
  const wall = counted.reduce((s, p) => s + p.ms, 0);
  const cpu = counted.reduce((s, p) => s + p.cpuMs, 0);
  const rss = Math.max(...r.phases.map((p) => p.rssMiB));
  console.log(
    `  ${"pipeline total".padEnd(28)} ${fmt(wall).padStart(9)} ${fmt(cpu).padStart(9)} ${fmt(rss).padStart(13)}`,
  );
  // The four graph phases alone (what issue 4 times): no file reading, no
  // dump parsing, no synthetic-source set-up.
  const graphPhases = counted.filter(
    (p) => p.name !== "readHeapDump" && p.name !== "make synthetic source",
  );
  const graphWall = graphPhases.reduce((s, p) => s + p.ms, 0);
  const graphCpu = graphPhases.reduce((s, p) => s + p.cpuMs, 0);
  console.log(
    `  ${"graph phases (no reader)".padEnd(28)} ${fmt(graphWall).padStart(9)} ${fmt(graphCpu).padStart(9)}`,
  );
  console.log(
    `  targets: < 5000 ms ${wall < 5000 ? "met" : "MISSED"} (pipeline total, wall), graph phases < 5000 ms ${graphWall < 5000 ? "met" : "MISSED"} wall / ${graphCpu < 5000 ? "met" : "MISSED"} CPU, < 2048 MiB ${rss < 2048 ? "met" : "MISSED"}`,
  );
  if (peerMs !== undefined) {
    const ratio = peerMs / wall;
    console.log(
      `  vs Go peer: pipeline is ${ratio >= 1 ? `${fmt(ratio, 2)}x faster` : `${fmt(1 / ratio, 2)}x slower`} than the peer's pointer listing (target >= 10x faster: ${ratio >= 10 ? "met" : "MISSED"})`,
    );
  }
}

let load = "";
try {
  const { loadavg } = await import("node:os");
  load = loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
} catch {
  // not fatal
}
console.log(`bench/object-graph   node ${process.version}   load average ${load}`);

const haveDump = ensureDump();
let peer: GoResult | undefined;
if (haveDump && !args.includes("--no-go")) {
  peer = goPeer();
  console.log(
    `\nGo peer (bench/object-graph/go, record loop listing pointers) on ${relative(repo, dumpPath)}: ` +
      `${fmt(peer.seconds * 1000)} ms, ${peer.objects} object records, ${peer.pointers} non-nil pointers, peak RSS ${fmt(peer.maxRssKiB / 1024)} MiB`,
  );
}
if (haveDump) {
  printPipeline(
    `tricolor on ${relative(repo, dumpPath)}`,
    pipeline("dump", dumpPath),
    peer && peer.seconds * 1000,
  );
} else {
  console.log(
    `\n${relative(repo, dumpPath)} is missing and fixtures/gen/cmd/bigheap is not there to make it.`,
  );
}
if (!args.includes("--no-synthetic")) {
  printPipeline(
    `tricolor on a synthetic random graph (${objects} objects, ~13.7M pointers; no dump reading)`,
    pipeline("synthetic", String(objects), "13700000"),
  );
}

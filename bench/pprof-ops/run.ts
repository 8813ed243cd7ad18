// Operations and reports of @tricolor/pprof-proto next to google/pprof (Go),
// in one run:
//   - merge of a profile with itself, compact, focus filter: ours vs
//     github.com/google/pprof/profile (Merge, Compact, FilterSamplesByName),
//     timed in-process by bench/pprof-ops/go (built into bench/.go-bin/);
//   - top (`go tool pprof -top`): ours in-process (decode + top) vs the
//     `go tool pprof -top` command (parse + report, plus process start-up,
//     so the Go figure is an upper bound); wall time for both.
// The JS peer pprof-format (npm) has no merge/filter/report, so there is no
// JS column. Times are CPU time per operation (user+system of the process;
// steadier than wall time on a shared machine), best of three blocks.
// Inputs: bench/.data/bigallocs.pb.gz (~200k samples, made by
// `pnpm fixtures --big`) when present, and the latest fixture cpu/allocs.
//
//   npx tsx --conditions=@tricolor/source bench/pprof-ops/run.ts [--min-ms 1500]

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import {
  compactProfile,
  decodeProfile,
  filterProfile,
  mergeProfiles,
  type Profile,
  topReport,
} from "@tricolor/pprof-proto";

const root = join(import.meta.dirname, "..", "..");
const goBin = join(root, "bench", ".go-bin");
const minMsArg = process.argv.indexOf("--min-ms");
const minMs = minMsArg > 0 ? Number(process.argv[minMsArg + 1]) : 1500;
const FOCUS = "main";

function inputs(): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  const big = join(root, "bench", ".data", "bigallocs.pb.gz");
  if (existsSync(big)) out.push({ name: "bigallocs", path: big });
  else
    console.log(
      "(skipping bigallocs: run `pnpm fixtures --big` to generate bench/.data/bigallocs.pb.gz)",
    );
  const versions = readdirSync(join(root, "fixtures"))
    .filter((d) => /^go\d+\.\d+/.test(d))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const latest = versions[versions.length - 1];
  if (latest) {
    for (const kind of ["cpu", "allocs"]) {
      out.push({
        name: `${latest}/${kind}`,
        path: join(root, "fixtures", latest, "pprof", `${kind}.pb.gz`),
      });
    }
  }
  return out;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU ms per call of `f`: best of three blocks of at least minMs/3 each. */
function measure(f: () => unknown): number {
  f();
  let best = Number.POSITIVE_INFINITY;
  for (let block = 0; block < 3; block++) {
    const start = performance.now();
    const c0 = cpuMs();
    let n = 0;
    while (performance.now() - start < minMs / 3 || n < 2) {
      f();
      n++;
    }
    best = Math.min(best, (cpuMs() - c0) / n);
  }
  return best;
}

interface GoResult {
  file: string;
  op: string;
  cpuNsPerOp: number;
}

function goPeer(files: string[]): Map<string, number> | undefined {
  mkdirSync(goBin, { recursive: true });
  const bin = join(goBin, "pprof-opsbench");
  const b = spawnSync("go", ["build", "-o", bin, "."], {
    cwd: join(import.meta.dirname, "go"),
    stdio: "inherit",
  });
  if (b.status !== 0) {
    console.log("(no Go peer: cannot build bench/pprof-ops/go)");
    return undefined;
  }
  const r = spawnSync(bin, ["-min-ms", String(minMs), "-focus", FOCUS, ...files], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) {
    console.log(`(Go peer failed: ${r.stderr})`);
    return undefined;
  }
  const out = new Map<string, number>();
  for (const line of r.stdout.trim().split("\n")) {
    const g = JSON.parse(line) as GoResult;
    out.set(`${g.file}\u0000${g.op}`, g.cpuNsPerOp / 1e6);
  }
  return out;
}

/** Wall ms of `go tool pprof -top` on `file` (parse + report + process start-up), best of three. */
function goTop(file: string): number | undefined {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = spawnSync("go", ["tool", "pprof", "-top", "-nodecount=20", file], {
      stdio: "ignore",
    });
    if (r.status !== 0) return undefined;
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** Wall ms per call of `f`, best of three runs. */
function measureWall(f: () => unknown): number {
  f();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const rows: string[][] = [];
const files = inputs();
const go = goPeer(files.map((f) => f.path));
for (const f of files) {
  const bytes = new Uint8Array(readFileSync(f.path));
  const p: Profile = decodeProfile(bytes);
  const goMs = (op: string) => go?.get(`${f.path}\u0000${op}`);
  const add = (op: string, ours: number, theirs: number | undefined) => {
    rows.push([
      f.name,
      op,
      ours.toFixed(2),
      theirs === undefined ? "-" : theirs.toFixed(2),
      theirs === undefined ? "-" : `${(theirs / ours).toFixed(2)}x`,
    ]);
  };
  add(
    "merge(p, p)",
    measure(() => mergeProfiles([p, p])),
    goMs("merge2"),
  );
  add(
    "compact",
    measure(() => compactProfile(p)),
    goMs("compact"),
  );
  const goFocus = goMs("focus+copy");
  const goCopy = goMs("copy");
  add(
    `filter focus=${FOCUS}`,
    measure(() => filterProfile(p, { focus: FOCUS })),
    goFocus !== undefined && goCopy !== undefined ? Math.max(goFocus - goCopy, 0) : undefined,
  );
  add(
    "decode+top, wall (vs go tool pprof -top)",
    measureWall(() => topReport(decodeProfile(bytes), { nodeCount: 20 })),
    goTop(f.path),
  );
  console.error(`${f.name}: ${p.samples.count} samples done`);
}

const header = ["input", "operation", "tricolor ms", "google/pprof ms", "speed-up"];
const widths = header.map((h, i) =>
  Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
);
const fmt = (r: string[]) =>
  r
    .map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
    .join("  ");
console.log(
  `CPU ms per operation (best of 3 blocks, >= ${minMs} ms each run); load average ${loadavg()[0]?.toFixed(1)}`,
);
console.log(fmt(header));
for (const r of rows) console.log(fmt(r));
console.log("speed-up = google/pprof time / tricolor time (> 1: tricolor faster).");

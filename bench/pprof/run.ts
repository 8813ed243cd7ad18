// Decode/encode throughput of @tricolor/pprof-proto next to its peers, in one run:
//   - pprof-format (npm), the JS peer: Profile.decode / Profile#encode
//   - github.com/google/pprof/profile (Go): ParseData / WriteUncompressed,
//     timed by bench/pprof/go (built into bench/.go-bin/)
// Inputs: google/pprof's large.cpu and DataDog's test.pprof from the shared
// corpus, and a ~200k-sample allocs profile from fixtures/gen/cmd/bigallocs
// (bench/.data/bigallocs.pb.gz, generated when missing and possible).
//
// Throughput is MB/s of *uncompressed* proto bytes per CPU second: on a
// shared machine, CPU time (user+system of the whole process, GC threads
// included, for Node and Go alike) is steadier than wall time, which also
// counts waiting for a core. Median wall times are printed next to it. Each
// JS implementation is timed in its own block after a full GC, twice in
// alternating order, keeping the better block.
//
//   npx tsx --conditions=@tricolor/source bench/pprof/run.ts [--min-ms 1500]

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gunzipSync } from "node:zlib";
import { decodeProfile, encodeProfile, type Profile } from "@tricolor/pprof-proto";
import { Profile as PeerProfile } from "pprof-format";

const root = join(import.meta.dirname, "..", "..");
const corpus = join(root, "..", "shared", "corpus");
const goBin = join(root, "bench", ".go-bin");
const dataDir = join(root, "bench", ".data");
const minMsArg = process.argv.indexOf("--min-ms");
const minMs = minMsArg > 0 ? Number(process.argv[minMsArg + 1]) : 1500;

interface Input {
  name: string;
  path: string;
}

function inputs(): Input[] {
  const out: Input[] = [];
  const large = join(corpus, "google-pprof", "proto", "large.cpu");
  if (existsSync(large)) out.push({ name: "large.cpu", path: large });
  else console.log(`(skipping large.cpu: ${large} absent)`);
  const big = bigallocs();
  if (big) out.push({ name: "bigallocs", path: big });
  const dd = join(corpus, "datadog-pprof-format", "test.pprof");
  if (existsSync(dd)) out.push({ name: "test.pprof", path: dd });
  else console.log(`(skipping test.pprof: ${dd} absent)`);
  return out;
}

/** bench/.data/bigallocs.pb.gz, generated with fixtures/gen/cmd/bigallocs when missing. */
function bigallocs(): string | undefined {
  const out = join(dataDir, "bigallocs.pb.gz");
  if (existsSync(out)) return out;
  const src = join(root, "fixtures", "gen", "cmd", "bigallocs");
  if (!existsSync(join(src, "main.go"))) {
    console.log("(skipping bigallocs: fixtures/gen/cmd/bigallocs has no sources yet)");
    return undefined;
  }
  mkdirSync(goBin, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  const bin = join(goBin, "bigallocs");
  const b = spawnSync("go", ["build", "-o", bin, "./cmd/bigallocs"], {
    cwd: join(root, "fixtures", "gen"),
    stdio: "inherit",
  });
  if (b.status !== 0) {
    console.log("(skipping bigallocs: cannot build the generator)");
    return undefined;
  }
  console.log("generating bench/.data/bigallocs.pb.gz ...");
  const r = spawnSync(bin, ["-out", out], { stdio: "inherit" });
  return r.status === 0 && existsSync(out) ? out : undefined;
}

interface GoResult {
  file: string;
  rawBytes: number;
  parseNs: number;
  parseGzipNs: number;
  writeNs: number;
  parseCpuNs: number;
  parseGzipCpuNs: number;
  writeCpuNs: number;
  samples: number;
}

function goResults(files: string[]): Map<string, GoResult> {
  const res = new Map<string, GoResult>();
  if (spawnSync("go", ["version"]).status !== 0) {
    console.log("(Go not installed: no google/pprof column)");
    return res;
  }
  mkdirSync(goBin, { recursive: true });
  const bin = join(goBin, "pprofbench");
  const b = spawnSync("go", ["build", "-o", bin, "."], {
    cwd: join(root, "bench", "pprof", "go"),
    stdio: "inherit",
  });
  if (b.status !== 0) {
    console.log("(cannot build bench/pprof/go: no google/pprof column)");
    return res;
  }
  const r = spawnSync(bin, ["-min", `${minMs}ms`, ...files], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) {
    console.log(`(bench/pprof/go failed: ${r.stderr})`);
    return res;
  }
  for (const line of r.stdout.trim().split("\n")) {
    const g = JSON.parse(line) as GoResult;
    res.set(g.file, g);
  }
  return res;
}

interface Timing {
  /** Median wall-clock ms per call. */
  wall: number;
  /** Mean user+system CPU ms per call (process-wide, so GC threads count). */
  cpu: number;
}

// A full GC between measurements, so one implementation's garbage is not
// collected on another's time.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/**
 * Times each function in its own block, twice in alternating order, and keeps
 * the better block. Each entry is a factory called at the start of its block,
 * so what it needs (a decoded profile to encode) lives only during that block:
 * a big retained heap would make every other block's full GCs slower.
 */
function timeAll(factories: Record<string, () => () => unknown>): Record<string, Timing> {
  const names = Object.keys(factories);
  const best: Record<string, Timing> = {};
  for (const order of [names, [...names].reverse()]) {
    for (const n of order) {
      gc();
      let f: (() => unknown) | undefined = (factories[n] as () => () => unknown)();
      f();
      f();
      const times: number[] = [];
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      while (times.length < 5 || performance.now() - t0 < minMs / 2) {
        const t = performance.now();
        f();
        times.push(performance.now() - t);
      }
      const c = process.cpuUsage(c0);
      f = undefined;
      times.sort((a, b) => a - b);
      const timing = {
        wall: times[times.length >> 1] as number,
        cpu: (c.user + c.system) / 1000 / times.length,
      };
      const prev = best[n];
      if (!prev || timing.cpu < prev.cpu) best[n] = timing;
    }
  }
  return best;
}

/** Reads everything a decoded profile holds, so lazy parts are paid for. */
function touchAll(p: Profile): number {
  return p.strings.toArray().length + p.locations.length + p.functions.length;
}

const list = inputs();
const go = goResults(list.map((i) => i.path));
const rows: string[][] = [];
const mbps = (bytes: number, ms: number | undefined) =>
  ms === undefined ? "-" : (bytes / 1e6 / (ms / 1000)).toFixed(1);
const ratio = (a: number, b: number | undefined) =>
  b === undefined ? "-" : `${(b / a).toFixed(1)}x`;
const loadBefore = loadavg()[0] as number;

for (const input of list) {
  const stored = new Uint8Array(readFileSync(input.path));
  const raw = stored[0] === 0x1f ? new Uint8Array(gunzipSync(stored)) : stored;
  const summary = decodeProfile(raw);
  const t = timeAll({
    decode: () => () => decodeProfile(raw),
    decodeAll: () => () => touchAll(decodeProfile(raw)),
    decodeGzip: () => () => decodeProfile(stored),
    peerDecode: () => () => PeerProfile.decode(raw),
    encode: () => {
      const p = decodeProfile(raw);
      return () => encodeProfile(p, { gzip: false });
    },
    peerEncode: () => {
      const peer = PeerProfile.decode(raw);
      return () => peer.encode();
    },
  }) as Record<string, Timing>;
  const g = go.get(input.path);
  const goT = (wall: number | undefined, cpu: number | undefined): Timing | undefined =>
    wall === undefined || cpu === undefined ? undefined : { wall: wall / 1e6, cpu: cpu / 1e6 };
  const n = raw.length;
  const row = (what: string, mine: Timing, peerT: Timing | undefined, goTm: Timing | undefined) => [
    input.name,
    what,
    mine.cpu.toFixed(1),
    mine.wall.toFixed(1),
    mbps(n, mine.cpu),
    mbps(n, peerT?.cpu),
    mbps(n, goTm?.cpu),
    `${ratio(mine.cpu, peerT?.cpu)} (${ratio(mine.wall, peerT?.wall)})`,
    `${ratio(mine.cpu, goTm?.cpu)} (${ratio(mine.wall, goTm?.wall)})`,
  ];
  rows.push(row("decode (raw)", t.decode as Timing, t.peerDecode, goT(g?.parseNs, g?.parseCpuNs)));
  rows.push(
    row(
      "decode + materialise all",
      t.decodeAll as Timing,
      t.peerDecode,
      goT(g?.parseNs, g?.parseCpuNs),
    ),
  );
  rows.push(
    row(
      "decode (gzip as stored)",
      t.decodeGzip as Timing,
      undefined,
      goT(g?.parseGzipNs, g?.parseGzipCpuNs),
    ),
  );
  rows.push(row("encode (raw)", t.encode as Timing, t.peerEncode, goT(g?.writeNs, g?.writeCpuNs)));
  console.log(
    `${input.name}: ${(n / 1e6).toFixed(2)} MB raw, ${summary.samples.count} samples, ${summary.locationCount} locations`,
  );
}

const header = [
  "input",
  "operation",
  "cpu ms",
  "wall ms",
  "tricolor MB/s",
  "pprof-format MB/s",
  "google/pprof MB/s",
  "vs pprof-format",
  "vs google/pprof",
];
const widths = header.map((h, i) =>
  Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
);
const line = (r: string[]) => r.map((c, i) => c.padStart(widths[i] as number)).join("  ");
console.log(`\n${line(header)}`);
for (const r of rows) console.log(line(r));
console.log(
  `\nMB/s = uncompressed proto bytes per second of CPU time (user+system, GC threads included).\n` +
    "'vs' = how many times faster tricolor is: by CPU time, and (in parentheses) by median wall\n" +
    "time. 'decode' leaves locations, functions and strings lazy; 'decode + materialise all'\n" +
    `also creates every location/function object and string. Load average: ${loadBefore.toFixed(1)}\n` +
    `before, ${(loadavg()[0] as number).toFixed(1)} after, on ${cpus().length} CPUs.`,
);

// Decode/encode throughput of @tricolor/pprof-proto next to its peers, in one run:
//   - pprof-format (npm), the JS peer: Profile.decode / Profile#encode
//   - github.com/google/pprof/profile (Go): ParseData / WriteUncompressed,
//     timed by bench/pprof/go (built into bench/.go-bin/)
// Inputs: google/pprof's large.cpu and DataDog's test.pprof from the shared
// corpus, and a ~200k-sample allocs profile from fixtures/gen/cmd/bigallocs
// (bench/.data/bigallocs.pb.gz, generated when missing and possible).
//
// Throughput is MB/s of *uncompressed* proto bytes over the median time.
// JS implementations are measured round-robin so load spikes on a shared
// machine hit all of them alike.
//
//   npx tsx --conditions=@tricolor/source bench/pprof/run.ts [--min-ms 1500]

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
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

/** Round-robin timing: returns the median ms of each function. */
function timeAll(fns: Record<string, () => unknown>): Record<string, number> {
  const names = Object.keys(fns);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) for (let i = 0; i < 2; i++) (fns[n] as () => unknown)(); // warm up
  const spent: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (;;) {
    const pending = names.filter(
      (n) => (times[n] as number[]).length < 5 || (spent[n] as number) < minMs,
    );
    if (pending.length === 0) break;
    for (const n of pending) {
      const t0 = performance.now();
      (fns[n] as () => unknown)();
      const dt = performance.now() - t0;
      (times[n] as number[]).push(dt);
      spent[n] = (spent[n] as number) + dt;
    }
  }
  const out: Record<string, number> = {};
  for (const n of names) {
    const t = (times[n] as number[]).sort((a, b) => a - b);
    out[n] = t[t.length >> 1] as number;
  }
  return out;
}

/** Reads everything a decoded profile holds, so lazy parts are paid for. */
function touchAll(p: Profile): number {
  return p.strings.toArray().length + p.locations.length + p.functions.length;
}

const list = inputs();
const go = goResults(list.map((i) => i.path));
const rows: string[][] = [];
const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
const ratio = (a: number, b: number | undefined) =>
  b === undefined ? "-" : `${(b / a).toFixed(1)}x`;

for (const input of list) {
  const stored = new Uint8Array(readFileSync(input.path));
  const raw = stored[0] === 0x1f ? new Uint8Array(gunzipSync(stored)) : stored;
  const p = decodeProfile(raw);
  const peer = PeerProfile.decode(raw);
  const t = timeAll({
    decode: () => decodeProfile(raw),
    decodeAll: () => touchAll(decodeProfile(raw)),
    decodeGzip: () => decodeProfile(stored),
    peerDecode: () => PeerProfile.decode(raw),
    encode: () => encodeProfile(p, { gzip: false }),
    peerEncode: () => peer.encode(),
  }) as Record<string, number>;
  const g = go.get(input.path);
  const goParse = g ? g.parseNs / 1e6 : undefined;
  const goParseGz = g ? g.parseGzipNs / 1e6 : undefined;
  const goWrite = g ? g.writeNs / 1e6 : undefined;
  const n = raw.length;
  const row = (what: string, ms: number, peerMs: number | undefined, goMs: number | undefined) => [
    input.name,
    what,
    ms.toFixed(2),
    mbps(n, ms),
    peerMs === undefined ? "-" : mbps(n, peerMs),
    goMs === undefined ? "-" : mbps(n, goMs),
    ratio(ms, peerMs),
    ratio(ms, goMs),
  ];
  rows.push(row("decode (raw)", t.decode as number, t.peerDecode, goParse));
  rows.push(row("decode + materialise all", t.decodeAll as number, t.peerDecode, goParse));
  rows.push(row("decode (gzip as stored)", t.decodeGzip as number, undefined, goParseGz));
  rows.push(row("encode (raw)", t.encode as number, t.peerEncode, goWrite));
  console.log(
    `${input.name}: ${(n / 1e6).toFixed(2)} MB raw, ${p.samples.count} samples, ${p.locationCount} locations`,
  );
}

const header = [
  "input",
  "operation",
  "tricolor ms",
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
  "\nMB/s = uncompressed proto bytes / median time. 'vs' = how many times faster tricolor is\n" +
    "(peer time / tricolor time). 'decode' leaves locations, functions and strings lazy;\n" +
    "'decode + materialise all' also creates every location/function object and string.",
);

#!/usr/bin/env node
// Regenerates the committed Go fixtures (fixtures/go<version>/) and, with --big, the
// large benchmark inputs (bench/.data/). The Go programs live in fixtures/gen.
//
//   pnpm fixtures                                 installed go -> fixtures/go<version>/
//   pnpm fixtures --go go1.22.12 --go go1.23.12    those toolchains via GOTOOLCHAIN
//   pnpm fixtures --go /usr/lib/go-1.19/bin/go     a go binary by path
//   pnpm fixtures --only heap,trace               a subset (heap, trace, pprof)
//   pnpm fixtures --big [--objects 3000000] [--seed 1] [--trace-mb 100] [--trace-seconds 20]
//                                                 bench/.data/{bigheap.dump,bigallocs.pb.gz,gcload-gctrace.log}
//                                                 (each with a .facts.json sidecar)

import { spawn, spawnSync } from "node:child_process";
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const genDir = join(root, "fixtures", "gen");

function usage(msg) {
  if (msg) console.error(`fixtures: ${msg}`);
  console.error(
    "usage: node scripts/fixtures.mjs [--go <goX.Y.Z|path/to/go>]... [--only heap,trace,pprof] [--big [--objects N] [--seed S] [--trace-mb N] [--trace-seconds N]]",
  );
  process.exit(2);
}

const opts = {
  gos: [],
  only: "heap,trace,pprof",
  big: false,
  objects: 3_000_000,
  traceMb: 100,
  traceSeconds: 20,
  seed: 1,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const next = () => argv[++i] ?? usage(`${a} needs a value`);
  if (a === "--go") opts.gos.push(...next().split(","));
  else if (a === "--only") opts.only = next();
  else if (a === "--big") opts.big = true;
  else if (a === "--objects") opts.objects = Number(next());
  else if (a === "--trace-mb") opts.traceMb = Number(next());
  else if (a === "--trace-seconds") opts.traceSeconds = Number(next());
  else if (a === "--seed") opts.seed = Number(next());
  else if (a === "-h" || a === "--help") usage();
  else usage(`unknown argument ${a}`);
}

/** The go command and environment for a --go value (toolchain name or binary path). */
function toolchain(spec) {
  const env = { ...process.env };
  for (const k of ["GODEBUG", "GOGC", "GOMEMLIMIT", "GOMAXPROCS", "GOFLAGS"]) delete env[k];
  if (spec === undefined) return { go: "go", env: { ...env, GOTOOLCHAIN: "local" } };
  if (spec.includes("/")) return { go: spec, env: { ...env, GOTOOLCHAIN: "local" } };
  return { go: "go", env: { ...env, GOTOOLCHAIN: spec } };
}

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...options });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

function build(tc, cmd, outDir) {
  const bin = join(outDir, cmd);
  run(tc.go, ["build", "-trimpath", "-o", bin, `./cmd/${cmd}`], { cwd: genDir, env: tc.env });
  return bin;
}

function kib(n) {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

function generateSet(spec) {
  const tc = toolchain(spec);
  const version = run(tc.go, ["env", "GOVERSION"], { cwd: genDir, env: tc.env }).trim();
  if (!/^go\d+\.\d+(\.\d+)?$/.test(version)) throw new Error(`unexpected GOVERSION ${version}`);
  const tmp = mkdtempSync(join(tmpdir(), "tricolor-fixtures-"));
  try {
    const bin = build(tc, "gen", tmp);
    const out = join(root, "fixtures", version);
    const full = opts.only === "heap,trace,pprof";
    // A full run replaces the directory so no stale file survives; a partial run
    // rewrites only its parts (and the manifest).
    if (full) rmSync(out, { recursive: true, force: true });
    console.log(`== ${version} -> ${relative(root, out)}/ (${opts.only})`);
    run(bin, ["-out", out, "-only", opts.only], {
      env: tc.env,
      stdio: ["ignore", "inherit", "pipe"],
    });
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    let total = 0;
    for (const e of manifest.entries) {
      total += e.bytes;
      console.log(`  ${e.path.padEnd(44)} ${kib(e.bytes).padStart(10)}`);
    }
    console.log(`  ${"total".padEnd(44)} ${kib(total).padStart(10)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const traceGodebug = "gctrace=1,gcpacertrace=1";

/**
 * Runs gcload with GODEBUG tracing for up to `seconds` or until its stderr reaches
 * `bytes`, whichever comes first, and returns the captured bytes. On 2 cores gcload
 * manages a few hundred KB of trace per second, so a 100 MB file is the real capture
 * tiled (see tileTrace).
 */
function captureTrace(bin, bytes, seconds, env) {
  return new Promise((resolvePromise, reject) => {
    const chunks = [];
    let written = 0;
    const child = spawn(bin, ["-live", "2000", "-gogc", "10"], {
      env: { ...env, GODEBUG: traceGodebug, GOMAXPROCS: "2" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const timer = setTimeout(() => child.kill("SIGTERM"), seconds * 1000);
    child.stderr.on("data", (chunk) => {
      if (written >= bytes) return;
      const part = written + chunk.length > bytes ? chunk.subarray(0, bytes - written) : chunk;
      written += part.length;
      chunks.push(part);
      if (written >= bytes) child.kill("SIGTERM");
    });
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      // Cut after the last newline so the capture ends on a whole line.
      const end = all.lastIndexOf(10);
      resolvePromise(end >= 0 ? all.subarray(0, end + 1) : all);
    });
  });
}

/**
 * Writes `capture` to `path` repeatedly until `bytes` are written. In every repeat
 * after the first, "gc N @" numbers are shifted past the previous repeat's largest, so
 * cycle numbers keep increasing through the file as they do in one long run.
 */
async function tileTrace(capture, path, bytes) {
  const text = capture.toString("latin1");
  let maxGc = 0;
  for (const m of text.matchAll(/gc (\d+) @/g)) maxGc = Math.max(maxGc, Number(m[1]));
  const out = createWriteStream(path);
  let written = 0;
  let tiles = 0;
  while (written < bytes) {
    const shift = tiles * maxGc;
    let tile =
      shift === 0
        ? capture
        : Buffer.from(
            text.replace(/gc (\d+) @/g, (_, n) => `gc ${Number(n) + shift} @`),
            "latin1",
          );
    if (written + tile.length > bytes) {
      const cut = tile.lastIndexOf(10, bytes - written - 1);
      if (cut < 0) break;
      tile = tile.subarray(0, cut + 1);
    }
    if (!out.write(tile)) await new Promise((r) => out.once("drain", r));
    written += tile.length;
    tiles++;
    if (tile.length === 0) break;
  }
  await new Promise((r) => out.end(r));
  return { written, tiles };
}

async function generateBig() {
  const tc = toolchain(opts.gos[0]);
  const data = join(root, "bench", ".data");
  const binDir = join(root, "bench", ".go-bin");
  mkdirSync(data, { recursive: true });
  mkdirSync(binDir, { recursive: true });
  const env = { ...tc.env, GOMAXPROCS: "2" };
  console.log(`== large inputs -> ${relative(root, data)}/`);

  const bigheap = build(tc, "bigheap", binDir);
  const heapPath = join(data, "bigheap.dump");
  run(bigheap, ["-out", heapPath, "-objects", String(opts.objects), "-seed", String(opts.seed)], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  console.log(
    `  ${relative(root, heapPath).padEnd(44)} ${kib(statSync(heapPath).size).padStart(10)}`,
  );

  const bigallocs = build(tc, "bigallocs", binDir);
  const allocsPath = join(data, "bigallocs.pb.gz");
  run(bigallocs, ["-out", allocsPath], { env, stdio: ["ignore", "inherit", "inherit"] });
  console.log(
    `  ${relative(root, allocsPath).padEnd(44)} ${kib(statSync(allocsPath).size).padStart(10)}`,
  );

  const gcload = build(tc, "gcload", binDir);
  const tracePath = join(data, "gcload-gctrace.log");
  const target = opts.traceMb * (1 << 20);
  const capture = await captureTrace(gcload, target, opts.traceSeconds, env);
  const { written, tiles } = await tileTrace(capture, tracePath, target);
  writeFileSync(
    `${tracePath}.facts.json`,
    `${JSON.stringify(
      {
        kind: "gcload-trace",
        goVersion: run(tc.go, ["env", "GOVERSION"], { cwd: genDir, env: tc.env }).trim(),
        godebug: traceGodebug,
        gomaxprocs: 2,
        capturedBytes: capture.length,
        tiles,
        bytes: written,
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `  ${relative(root, tracePath).padEnd(44)} ${kib(written).padStart(10)}  (${kib(capture.length)} captured, ${tiles} tiles)`,
  );
}

try {
  if (opts.big) {
    await generateBig();
  } else {
    for (const spec of opts.gos.length > 0 ? opts.gos : [undefined]) generateSet(spec);
  }
} catch (e) {
  console.error(`fixtures: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}

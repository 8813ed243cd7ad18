#!/usr/bin/env node
// Regenerates the committed Go fixtures (fixtures/go<version>/) and, with --big, the
// large benchmark inputs (bench/.data/). The Go programs live in fixtures/gen.
//
//   pnpm fixtures                                 installed go -> fixtures/go<version>/
//   pnpm fixtures --go go1.22.12 --go go1.23.12    those toolchains via GOTOOLCHAIN
//   pnpm fixtures --go /usr/lib/go-1.19/bin/go     a go binary by path
//   pnpm fixtures --only heap,trace               a subset (heap, trace, pprof)
//   pnpm fixtures --big [--objects 3000000] [--trace-mb 100]
//                                                 bench/.data/{bigheap.dump,bigallocs.pb.gz,gcload-gctrace.log}

import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const genDir = join(root, "fixtures", "gen");

function usage(msg) {
  if (msg) console.error(`fixtures: ${msg}`);
  console.error(
    "usage: node scripts/fixtures.mjs [--go <goX.Y.Z|path/to/go>]... [--only heap,trace,pprof] [--big [--objects N] [--trace-mb N] [--seed S]]",
  );
  process.exit(2);
}

const opts = {
  gos: [],
  only: "heap,trace,pprof",
  big: false,
  objects: 3_000_000,
  traceMb: 100,
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

/** Runs gcload with GODEBUG tracing until its stderr reaches `bytes`, then stops it. */
function captureTrace(bin, path, bytes, env) {
  return new Promise((resolvePromise, reject) => {
    const out = createWriteStream(path);
    let written = 0;
    const child = spawn(bin, ["-duration", "30m"], {
      env: { ...env, GODEBUG: "gctrace=1,gcpacertrace=1", GOMAXPROCS: "2" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr.on("data", (chunk) => {
      if (written >= bytes) return;
      const part = written + chunk.length > bytes ? chunk.subarray(0, bytes - written) : chunk;
      written += part.length;
      out.write(part);
      if (written >= bytes) child.kill("SIGTERM");
    });
    child.on("error", reject);
    child.on("close", () => out.end(() => resolvePromise(written)));
  });
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
  const n = await captureTrace(gcload, tracePath, opts.traceMb * (1 << 20), env);
  console.log(`  ${relative(root, tracePath).padEnd(44)} ${kib(n).padStart(10)}`);
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

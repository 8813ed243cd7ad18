/**
 * Benchmark: parse a ~100 MB GODEBUG trace log.
 *
 *   npx tsx --conditions=@tricolor/source bench/gctrace/run.ts [--mb 100] [--runs 3]
 *
 * The log is synthesized once into bench/.data/ from the real fixture logs
 * (fixtures/go*\/trace/*.log: gctrace 1 and 2, gcpacertrace, scavtrace, inittrace,
 * schedtrace with and without scheddetail, their interleaved program lines and the
 * lines the program split), repeated with renumbered GC cycles and extra program
 * lines. Both parsers read the same file as a byte stream and split lines the same way.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { baseline, floor, ours, oursBatches } from "./runners.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const targetMB = arg("mb", 100);
const runs = arg("runs", 3);
const dataDir = join(root, "bench", ".data");
const file = join(dataDir, `gctrace-${targetMB}mb.log`);

function sourceLines(): string[] {
  const fx = join(root, "fixtures");
  const lines: string[] = [];
  for (const v of readdirSync(fx)
    .filter((d) => /^go\d/.test(d))
    .sort()) {
    const dir = join(fx, v, "trace");
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith(".log"))
      .sort()) {
      const text = readFileSync(join(dir, f), "utf8");
      lines.push(...text.split("\n").filter((l) => l !== ""));
    }
  }
  if (lines.length === 0) throw new Error("no fixtures/go*/trace/*.log found");
  return lines;
}

function generate(): void {
  mkdirSync(dataDir, { recursive: true });
  const src = sourceLines();
  const fd = openSync(file, "w");
  const limit = targetMB * 1024 * 1024;
  let written = 0;
  let cycle = 0;
  let rep = 0;
  const gcHead = /^gc \d+ @/;
  while (written < limit) {
    let chunk = "";
    for (let i = 0; i < src.length; i++) {
      let l = src[i] as string;
      // Keep cycle numbers increasing across repetitions, as in one long run.
      if (gcHead.test(l)) l = l.replace(/^gc \d+ @/, `gc ${++cycle} @`);
      chunk += `${l}\n`;
      if (i % 7 === 0)
        chunk += `app: request ${rep}-${i} served in ${(i * 37) % 900}us status=200\n`;
    }
    rep++;
    written += writeSync(fd, chunk);
  }
  closeSync(fd);
}

async function timeIt(fn: () => Promise<number>): Promise<{ ms: number; lines: number }> {
  const t0 = performance.now();
  const lines = await fn();
  return { ms: performance.now() - t0, lines };
}

async function main(): Promise<void> {
  if (!existsSync(file) || statSync(file).size < targetMB * 1024 * 1024) {
    console.log(`generating ${file} ...`);
    generate();
  }
  const bytes = statSync(file).size;
  const mb = bytes / (1024 * 1024);
  const peers: [string, () => Promise<number>][] = [
    ["baseline: one anchored regex per kind, in turn", () => baseline(file)],
    ["@tricolor/gctrace-parser parseGcTraceStreamBatches", () => oursBatches(file)],
    ["@tricolor/gctrace-parser parseGcTraceStream (per event)", () => ours(file)],
    ["reference: read + decode + find line ends only (no parsing)", () => floor(file)],
  ];
  const best = new Map<string, { ms: number; lines: number }>();
  // One untimed pass each so every peer is measured with warm JIT code.
  for (const [, fn] of peers) await fn();
  // Interleave the peers so both see the same machine state.
  for (let r = 0; r < runs; r++) {
    for (const [name, fn] of peers) {
      const t = await timeIt(fn);
      const b = best.get(name);
      if (b === undefined || t.ms < b.ms) best.set(name, t);
    }
  }
  const base = best.get(peers[0]?.[0] as string) as { ms: number; lines: number };
  console.log(
    `\ninput: ${file} (${mb.toFixed(1)} MB), best of ${runs} runs, node ${process.version}\n`,
  );
  console.log(`| parser | time (ms) | MB/s | lines/s | speed vs baseline |`);
  console.log(`| --- | ---: | ---: | ---: | ---: |`);
  for (const [name] of peers) {
    const t = best.get(name) as { ms: number; lines: number };
    const mbs = mb / (t.ms / 1000);
    const lps = t.lines / (t.ms / 1000);
    console.log(
      `| ${name} | ${t.ms.toFixed(0)} | ${mbs.toFixed(1)} | ${(lps / 1e6).toFixed(2)} M | ${(base.ms / t.ms).toFixed(2)}x |`,
    );
  }
}

await main();

/**
 * Per-kind cost: splits the generated log into lines, groups them by the kind of
 * event the parser gives (or `other`), and times `GcTraceParser.push` on each group
 * alone (CPU time, best of --runs), on the text as the byte stream has it (one char
 * per byte, lines as windows of it). For finding which line kinds need work.
 *
 *   npx tsx --conditions=@tricolor/source bench/gctrace/kinds.ts [--mb 100] [--runs 5]
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type GcTraceEvent, GcTraceParser, parseGcTraceLine } from "@tricolor/gctrace-parser";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const file = join(here, "..", ".data", `gctrace-${arg("mb", 100)}mb.log`);
// As the byte stream reads it: one char per byte, each line a window of the text.
const text = readFileSync(file, "latin1");
const utf8 = readFileSync(file, "utf8");
const groups = new Map<string, number[]>();
let start = 0;
let u = 0;
for (;;) {
  const nl = text.indexOf("\n", start);
  if (nl < 0) break;
  const unl = utf8.indexOf("\n", u);
  const ev = parseGcTraceLine(utf8.slice(u, unl));
  u = unl + 1;
  let k: string = ev?.kind ?? "other";
  if (ev?.kind === "pacer") k = `pacer-${ev.form}`;
  let g = groups.get(k);
  if (g === undefined) {
    g = [];
    groups.set(k, g);
  }
  g.push(start, nl);
  start = nl + 1;
}
let total = 0;
const rows: [string, number, number, number][] = [];
for (const [k, windows] of groups) {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < arg("runs", 5); r++) {
    const p = new GcTraceParser();
    let out: GcTraceEvent[] = [];
    const c0 = process.cpuUsage();
    for (let i = 0; i < windows.length; i += 2) {
      p.pushLatin1(text, out, windows[i] as number, windows[i + 1] as number);
      if (out.length >= 1024) out = [];
    }
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  let bytes = 0;
  for (let i = 0; i < windows.length; i += 2)
    bytes += (windows[i + 1] as number) - (windows[i] as number) + 1;
  rows.push([k, windows.length / 2, bytes, best]);
  total += best;
}
rows.sort((a, b) => b[3] - a[3]);
for (const [k, n, bytes, ms] of rows)
  console.log(
    `${k.padEnd(14)} ${String(n).padStart(8)} lines ${(bytes / 1048576).toFixed(1).padStart(6)} MB ${ms.toFixed(0).padStart(6)} ms ${((ms * 1e6) / n).toFixed(0).padStart(6)} ns/line`,
  );
console.log(`total ${total.toFixed(0)} ms`);

/**
 * Profiling harness: runs one peer several times on the generated log, printing CPU
 * time per pass (run bench/gctrace/run.ts first to generate the file).
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx --conditions=@tricolor/source \
 *     bench/gctrace/profile.ts [ours|baseline] [--mb 100] [--runs 3]
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { baseline, oursBatches } from "./runners.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const which = args[0] === "baseline" ? "baseline" : "ours";
const file = join(here, "..", ".data", `gctrace-${arg("mb", 100)}mb.log`);

const fn = which === "ours" ? () => oursBatches(file) : () => baseline(file);
for (let r = 0; r < arg("runs", 3); r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const lines = await fn();
  const c = process.cpuUsage(c0);
  console.log(
    `${which}: ${lines} lines, wall ${(performance.now() - t0).toFixed(0)} ms, cpu ${((c.user + c.system) / 1000).toFixed(0)} ms`,
  );
}

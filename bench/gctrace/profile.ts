/**
 * Profiling harness: runs one peer several times on the generated log, printing CPU
 * time per pass (run bench/gctrace/run.ts first to generate the file).
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx --conditions=@tricolor/source \
 *     bench/gctrace/profile.ts [ours|baseline] [--mb 100] [--runs 3]
 */
import { createReadStream } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type GcTraceEvent, parseGcTraceStreamBatches } from "@tricolor/gctrace-parser";
import { baselineLine } from "./baseline.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const which = args[0] === "baseline" ? "baseline" : "ours";
const file = join(here, "..", ".data", `gctrace-${arg("mb", 100)}mb.log`);

async function ours(): Promise<number> {
  let lines = 0;
  for await (const batch of parseGcTraceStreamBatches(
    createReadStream(file, { highWaterMark: 1 << 20 }),
  )) {
    lines = (batch[batch.length - 1] as GcTraceEvent).line;
  }
  return lines;
}

async function baseline(): Promise<number> {
  const decoder = new TextDecoder();
  let carry = "";
  let lineNo = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = carry + decoder.decode(chunk as Uint8Array, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      baselineLine(text.slice(start, nl), ++lineNo);
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  return lineNo;
}

const fn = which === "ours" ? ours : baseline;
for (let r = 0; r < arg("runs", 3); r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const lines = await fn();
  const c = process.cpuUsage(c0);
  console.log(
    `${which}: ${lines} lines, wall ${(performance.now() - t0).toFixed(0)} ms, cpu ${((c.user + c.system) / 1000).toFixed(0)} ms`,
  );
}

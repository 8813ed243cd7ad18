// Parse real GODEBUG=gctrace=1,gcpacertrace=1 output with @tricolor/gctrace-parser:
// count the events by kind, show the lines the program's own writes had split (and
// that the parser reassembled), and summarise the GC cycles — on a log bundled with
// the repository (fixtures/<go version>/trace/gctrace-1-gcpacertrace-1.log).
//
//   npx tsx --conditions=@tricolor/source examples/gctrace-parser-basic/main.ts [trace.log]
import { createReadStream } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  formatGcTraceEvent,
  type GcTraceEvent,
  parseGcTraceStream,
  summarizeGc,
} from "@tricolor/gctrace-parser";

const here = dirname(fileURLToPath(import.meta.url));
const path =
  process.argv[2] ??
  join(here, "..", "..", "fixtures", "go1.26.8", "trace", "gctrace-1-gcpacertrace-1.log");

// The file is read as a byte stream and split into lines chunk by chunk.
const events: GcTraceEvent[] = [];
for await (const ev of parseGcTraceStream(createReadStream(path))) events.push(ev);

const byKind = new Map<string, number>();
for (const e of events) {
  const key = e.kind === "pacer" ? `pacer/${e.form}` : e.kind;
  byKind.set(key, (byKind.get(key) ?? 0) + 1);
}
console.log(`${path.split("/").slice(-3).join("/")}: ${events.length} events`);
for (const [kind, n] of [...byKind].sort()) console.log(`  ${kind}: ${n}`);

const repaired = events.filter((e) => e.repaired === true);
console.log(`repaired split lines: ${repaired.length}`);
for (const e of repaired.slice(0, 3)) {
  const programText = events.filter((o) => o.kind === "other" && o.line === e.line);
  console.log(`  line ${e.line}: ${formatGcTraceEvent(e).slice(0, 60)}...`);
  for (const o of programText)
    if (o.kind === "other") console.log(`    program text: ${JSON.stringify(o.text)}`);
}

const gc = summarizeGc(events);
console.log(
  `gc cycles: ${gc.cycles} (forced: ${gc.forcedCycles}, missing: ${gc.missingCycles.length})`,
);
console.log(
  `stop-the-world pauses: total ${gc.pauses.totalMs.toFixed(3)} ms, p50 ${gc.pauses.p50Ms} ms, p99 ${gc.pauses.p99Ms} ms, max ${gc.pauses.maxMs} ms`,
);
console.log(`GC CPU at the end: ${gc.finalCpuPercent}%`);
console.log(`peak live heap: ${gc.peakLiveMB} MB, peak goal: ${gc.peakGoalMB} MB`);
const done = events.findLast((e) => e.kind === "other" && e.text.startsWith("app: done"));
if (done?.kind === "other") console.log(`program said: ${done.text}`);

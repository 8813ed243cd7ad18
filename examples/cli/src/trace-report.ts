/**
 * Summaries of GODEBUG trace output for `tricolor gctrace` and `tricolor run`,
 * built on `@tricolor/gctrace-parser`. The tracker keeps only what the
 * summary needs (the `gc` events and a few pacer figures), so a long log
 * does not keep its program output in memory.
 */
import {
  type GcEvent,
  type GcSummary,
  type GcTraceEvent,
  GcTraceParser,
  type SchedSummary,
  summarizeGc,
  summarizeSched,
} from "@tricolor/gctrace-parser";
import { formatCount, formatDuration, formatTable, heading } from "./format.js";

/** What `tricolor gctrace` / `tricolor run` report. */
export interface TraceSummary {
  /** Input lines read. */
  lines: number;
  /** Events per kind (`gc`, `pacer`, `scav`, `other`, ...). */
  eventCounts: Record<string, number>;
  /** Cycles, pauses, GC CPU and heap figures (from `summarizeGc`, without the per-cycle series). */
  gc: Omit<GcSummary, "points">;
  /** The last `gc` line seen. */
  lastCycle: GcEvent | undefined;
  /** `gcpacertrace` figures, when present. */
  pacer: PacerFigures;
  /** `schedtrace` figures (without the per-sample series), when present. */
  sched: Omit<SchedSummary, "points"> | undefined;
  /** Trace lines the parser reassembled after the program's output split them. */
  repairedLines: number;
  /** Parser diagnostics (capped list length plus the dropped count). */
  diagnostics: number;
}

/** Figures from `pacer:` lines (Go 1.18+ end-of-cycle form). */
export interface PacerFigures {
  /** End-of-cycle lines (`pacer: 25% CPU (25 exp.) ...`). */
  cycleLines: number;
  /** Median measured GC CPU utilisation of the mark phases, percent. */
  medianUtilizationPercent: number | undefined;
  /** The utilisation goal printed (`exp.`), percent. */
  goalUtilizationPercent: number | undefined;
  /** `cons/mark` of the last cycle. */
  lastConsMark: number | undefined;
  /** Start-of-mark lines (`pacer: assist ratio=...`). */
  assistLines: number;
  /** Sweep-done lines. */
  sweepLines: number;
}

/** Incremental trace reader; see {@link createTraceTracker}. */
export interface TraceTracker {
  /**
   * Feeds one line (without its newline) and returns the events it
   * completed. A line split by program output may complete later, so events
   * can belong to earlier lines.
   */
  push(line: string): readonly GcTraceEvent[];
  /** Flushes lines held back for split-line repair; returns their events. */
  end(): readonly GcTraceEvent[];
  /** Number of `gc` cycles seen so far. */
  cycles(): number;
  /** The last `n` `gc` events. */
  recentCycles(n: number): GcEvent[];
  /** The summary of everything seen so far. */
  summary(): TraceSummary;
}

/** Creates a {@link TraceTracker}. */
export function createTraceTracker(): TraceTracker {
  const parser = new GcTraceParser();
  const gcEvents: GcEvent[] = [];
  // SCHED lines and the P/M/G detail lines that follow them (scheddetail=1).
  const schedEvents: GcTraceEvent[] = [];
  const counts: Record<string, number> = {};
  const utilizations: number[] = [];
  const pacer: PacerFigures = {
    cycleLines: 0,
    medianUtilizationPercent: undefined,
    goalUtilizationPercent: undefined,
    lastConsMark: undefined,
    assistLines: 0,
    sweepLines: 0,
  };
  let lines = 0;
  let repaired = 0;
  const out: GcTraceEvent[] = [];
  const take = (): GcTraceEvent[] => {
    const events = out.splice(0, out.length);
    for (const event of events) {
      counts[event.kind] = (counts[event.kind] ?? 0) + 1;
      if (event.repaired === true) repaired++;
      if (event.kind === "gc") gcEvents.push(event);
      else if (
        event.kind === "sched" ||
        event.kind === "P" ||
        event.kind === "M" ||
        event.kind === "G"
      ) {
        schedEvents.push(event);
      } else if (event.kind === "pacer") {
        if (event.form === "cycle") {
          pacer.cycleLines++;
          utilizations.push(event.cpuPercent);
          pacer.goalUtilizationPercent = event.expectedPercent;
          pacer.lastConsMark = event.consMark;
        } else if (event.form === "assist") pacer.assistLines++;
        else if (event.form === "sweep") pacer.sweepLines++;
      }
    }
    return events;
  };
  return {
    push(line) {
      lines++;
      parser.push(line, out);
      return take();
    },
    end() {
      parser.end(out);
      return take();
    },
    cycles: () => gcEvents.length,
    recentCycles: (n) => (n <= 0 ? [] : gcEvents.slice(-n)),
    summary() {
      const { points: _points, ...gc } = summarizeGc(gcEvents);
      const sorted = [...utilizations].sort((a, b) => a - b);
      let sched: Omit<SchedSummary, "points"> | undefined;
      if (schedEvents.length > 0) {
        const { points: _schedPoints, ...rest } = summarizeSched(schedEvents);
        sched = rest;
      }
      return {
        lines,
        eventCounts: { ...counts },
        gc,
        lastCycle: gcEvents.at(-1),
        pacer: {
          ...pacer,
          medianUtilizationPercent:
            sorted.length === 0 ? undefined : sorted[Math.ceil(sorted.length / 2) - 1],
        },
        sched,
        repairedLines: repaired,
        diagnostics: parser.diagnostics.length + parser.droppedDiagnostics,
      };
    },
  };
}

/** True when the summary saw any runtime trace line at all. */
export function hasTraceLines(summary: TraceSummary): boolean {
  return Object.entries(summary.eventCounts).some(([kind, n]) => kind !== "other" && n > 0);
}

/** The one-line live summary `tricolor run` keeps on the terminal. */
export function formatLiveLine(summary: TraceSummary): string {
  const last = summary.lastCycle;
  if (last === undefined)
    return `waiting for the first GC cycle (${formatCount(summary.lines)} lines)`;
  const p = summary.gc.pauses;
  return [
    `gc ${last.cycle} @${last.startSeconds.toFixed(3)}s`,
    `GC CPU ${last.cpuPercent}%`,
    `pause p50 ${formatDuration(p.p50Ms)} p99 ${formatDuration(p.p99Ms)} max ${formatDuration(p.maxMs)}`,
    `heap ${last.heapLiveMB} MB live / ${last.heapGoalMB} MB goal`,
  ].join("  ");
}

function heapLine(e: GcEvent): string {
  return `${e.heapBeforeMB}->${e.heapAfterMB}->${e.heapLiveMB} MB`;
}

/**
 * The full text report. Heap sizes are in MB exactly as the runtime prints
 * them (`>>20`, so mebibytes); times are the runtime's wall-clock figures.
 */
export function formatTraceReport(
  summary: TraceSummary,
  options: { title: string; lastCycles?: readonly GcEvent[] },
): string {
  const { gc, lastCycle: last } = summary;
  const other = summary.eventCounts.other ?? 0;
  const rows: [string, string][] = [];
  rows.push([
    "lines",
    `${formatCount(summary.lines)} (${formatCount(summary.lines - other)} runtime, ${formatCount(other)} program output)`,
  ]);
  if (last === undefined) {
    rows.push(["GC cycles", "none seen (is GODEBUG=gctrace=1 set?)"]);
  } else {
    const first = gc.cycles > 0 ? `, last #${last.cycle} @${last.startSeconds.toFixed(3)}s` : "";
    rows.push([
      "GC cycles",
      `${formatCount(gc.cycles)} (${formatCount(gc.forcedCycles)} forced)${first}`,
    ]);
    const p = gc.pauses;
    rows.push([
      "pauses (STW)",
      `p50 ${formatDuration(p.p50Ms)}  p99 ${formatDuration(p.p99Ms)}  max ${formatDuration(p.maxMs)}  total ${formatDuration(p.totalMs)}`,
    ]);
    rows.push(["GC CPU", `${gc.finalCpuPercent}% since program start (at the last cycle)`]);
    rows.push([
      "heap",
      `last cycle ${heapLine(last)}, goal ${last.heapGoalMB} MB; peak live ${gc.peakLiveMB} MB, peak goal ${gc.peakGoalMB} MB`,
    ]);
    if (gc.missingCycles.length > 0) {
      const shown = gc.missingCycles.slice(0, 10).join(", ");
      const more = gc.missingCycles.length > 10 ? `, … (${gc.missingCycles.length} in all)` : "";
      rows.push(["missing cycles", `${shown}${more}`]);
    }
  }
  const pacer = summary.pacer;
  if (pacer.cycleLines > 0) {
    rows.push([
      "pacer",
      `mark-phase CPU utilisation p50 ${pacer.medianUtilizationPercent}% (goal ${pacer.goalUtilizationPercent}%), last cons/mark ${pacer.lastConsMark?.toPrecision(3)}`,
    ]);
  }
  if (summary.sched !== undefined && summary.sched.samples > 0) {
    const sc = summary.sched;
    rows.push([
      "scheduler",
      `${formatCount(sc.samples)} SCHED samples, up to ${sc.maxThreads} threads, at most ${sc.maxRunnable} runnable goroutines queued`,
    ]);
  }
  const extra = Object.entries(summary.eventCounts)
    .filter(([kind]) => kind !== "gc" && kind !== "other")
    .map(([kind, n]) => `${kind} ${formatCount(n)}`);
  if (extra.length > 0) rows.push(["other events", extra.join(", ")]);
  if (summary.repairedLines > 0) {
    rows.push(["repaired", `${summary.repairedLines} trace lines split by program output`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [heading(options.title), ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)];
  const cycles = options.lastCycles ?? [];
  if (cycles.length > 0) {
    lines.push("", `Last ${cycles.length} cycles`);
    lines.push(
      formatTable(
        [
          { header: "cycle" },
          { header: "at" },
          { header: "cpu" },
          { header: "pause" },
          { header: "mark" },
          { header: "heap before->after->live", align: "left" },
          { header: "goal" },
          { header: "", align: "left" },
        ],
        cycles.map((e) => [
          String(e.cycle),
          `${e.startSeconds.toFixed(3)}s`,
          `${e.cpuPercent}%`,
          formatDuration(e.wall.sweepTermination + e.wall.markTermination),
          formatDuration(e.wall.mark),
          heapLine(e),
          `${e.heapGoalMB} MB`,
          e.forced ? "forced" : "",
        ]),
      ),
    );
  }
  return lines.join("\n");
}

/**
 * Summaries over parsed events: GC pauses, CPU and heap curves; scheduler series.
 */
import type { GcTraceEvent } from "./events.js";

/** Distribution of per-cycle stop-the-world pauses, in ms. */
export interface PauseStats {
  /** Number of cycles measured. */
  count: number;
  /** Sum of all pauses. */
  totalMs: number;
  /** Mean pause (0 when there are none). */
  meanMs: number;
  /** Nearest-rank percentiles (0 when there are none). */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One point of the GC curves, per `gc` line. */
export interface GcPoint {
  cycle: number;
  /** Seconds since program start. */
  seconds: number;
  /** Cumulative GC CPU percentage printed on the line. */
  cpuPercent: number;
  /** Stop-the-world time of the cycle: sweep termination + mark termination, ms. */
  pauseMs: number;
  heapBeforeMB: number;
  heapLiveMB: number;
  heapGoalMB: number;
  forced: boolean;
}

/** Result of {@link summarizeGc}. */
export interface GcSummary {
  /** Number of `gc` events. */
  cycles: number;
  /** Cycles marked `(forced)`. */
  forcedCycles: number;
  /** Cycle numbers missing between the first and last seen (lost or unparsed lines). */
  missingCycles: number[];
  /** Stop-the-world pauses. */
  pauses: PauseStats;
  /** Per-cycle series, in input order. */
  points: GcPoint[];
  /** The GC CPU percentage of the last cycle (the runtime's cumulative figure), or 0. */
  finalCpuPercent: number;
  /** Largest live heap and goal seen, MB. */
  peakLiveMB: number;
  peakGoalMB: number;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/**
 * Summarises the `gc` events of a trace: cycle and forced counts, stop-the-world
 * pause distribution (sweep termination + mark termination, the two STW phases in
 * `src/runtime/mgc.go`), the runtime's GC CPU percentage over time, and the heap
 * live/goal series.
 */
export function summarizeGc(events: Iterable<GcTraceEvent>): GcSummary {
  const points: GcPoint[] = [];
  const pauses: number[] = [];
  const seen = new Set<number>();
  let forced = 0;
  let minCycle = Number.POSITIVE_INFINITY;
  let maxCycle = Number.NEGATIVE_INFINITY;
  let peakLive = 0;
  let peakGoal = 0;
  for (const e of events) {
    if (e.kind !== "gc") continue;
    const pause = e.wall.sweepTermination + e.wall.markTermination;
    pauses.push(pause);
    if (e.forced) forced++;
    seen.add(e.cycle);
    if (e.cycle < minCycle) minCycle = e.cycle;
    if (e.cycle > maxCycle) maxCycle = e.cycle;
    if (e.heapLiveMB > peakLive) peakLive = e.heapLiveMB;
    if (e.heapGoalMB > peakGoal) peakGoal = e.heapGoalMB;
    points.push({
      cycle: e.cycle,
      seconds: e.startSeconds,
      cpuPercent: e.cpuPercent,
      pauseMs: pause,
      heapBeforeMB: e.heapBeforeMB,
      heapLiveMB: e.heapLiveMB,
      heapGoalMB: e.heapGoalMB,
      forced: e.forced,
    });
  }
  const missing: number[] = [];
  // Bounded so a corrupt cycle number cannot make this loop huge.
  if (points.length > 0 && maxCycle - minCycle < 10 * points.length + 1000) {
    for (let c = minCycle; c <= maxCycle; c++) if (!seen.has(c)) missing.push(c);
  }
  const sorted = [...pauses].sort((a, b) => a - b);
  const total = pauses.reduce((a, b) => a + b, 0);
  return {
    cycles: points.length,
    forcedCycles: forced,
    missingCycles: missing,
    pauses: {
      count: pauses.length,
      totalMs: total,
      meanMs: pauses.length === 0 ? 0 : total / pauses.length,
      p50Ms: percentile(sorted, 0.5),
      p90Ms: percentile(sorted, 0.9),
      p99Ms: percentile(sorted, 0.99),
      maxMs: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] as number),
    },
    points,
    finalCpuPercent: points.length === 0 ? 0 : (points[points.length - 1] as GcPoint).cpuPercent,
    peakLiveMB: peakLive,
    peakGoalMB: peakGoal,
  };
}

/** One `SCHED` sample. */
export interface SchedPoint {
  timeMs: number;
  gomaxprocs: number;
  idleprocs: number;
  threads: number;
  idlethreads: number;
  spinningthreads: number;
  /** Global run queue length. */
  runqueue: number;
  /** Sum of the per-P local run queues (from the bracket list or the `P` lines). */
  localRunqueue: number;
  /** `P`, `M` and `G` detail lines that followed this summary line. */
  pLines: number;
  mLines: number;
  gLines: number;
}

/** Result of {@link summarizeSched}. */
export interface SchedSummary {
  /** Number of `SCHED` lines. */
  samples: number;
  /** The series, in input order. */
  points: SchedPoint[];
  /** Largest `threads` seen. */
  maxThreads: number;
  /** Largest global + local run queue total seen. */
  maxRunnable: number;
}

/**
 * Summarises `schedtrace` output: a run-queue and thread series, one point per
 * `SCHED` line, with the counts of `P`/`M`/`G` detail lines that followed it.
 */
export function summarizeSched(events: Iterable<GcTraceEvent>): SchedSummary {
  const points: SchedPoint[] = [];
  let current: SchedPoint | undefined;
  let maxThreads = 0;
  for (const e of events) {
    if (e.kind === "sched") {
      let local = 0;
      if (e.localRunqueues !== undefined) for (const n of e.localRunqueues) local += n;
      current = {
        timeMs: e.timeMs,
        gomaxprocs: e.gomaxprocs,
        idleprocs: e.idleprocs,
        threads: e.threads,
        idlethreads: e.idlethreads,
        spinningthreads: e.spinningthreads ?? 0,
        runqueue: e.runqueue,
        localRunqueue: local,
        pLines: 0,
        mLines: 0,
        gLines: 0,
      };
      if (e.threads > maxThreads) maxThreads = e.threads;
      points.push(current);
    } else if (current !== undefined) {
      if (e.kind === "P") {
        current.pLines++;
        current.localRunqueue += e.runqsize;
      } else if (e.kind === "M") current.mLines++;
      else if (e.kind === "G") current.gLines++;
    }
  }
  let maxRunnable = 0;
  for (const p of points) maxRunnable = Math.max(maxRunnable, p.runqueue + p.localRunqueue);
  return { samples: points.length, points, maxThreads, maxRunnable };
}

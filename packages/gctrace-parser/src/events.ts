/**
 * Typed events for every line the Go runtime prints under the GODEBUG trace
 * settings. Field comments name the runtime expression that produced each value.
 *
 * Numeric types are chosen per field:
 * - counts printed in MB or KiB (`>>20`, `>>10` of a uint64) and times are `number`:
 *   a uint64 shifted right by 20 is below 2^44, and KiB values are bounded by the
 *   48-bit address space, so they are exact in a double;
 * - raw byte counts printed by the pacer (`B`, `H_*`, `W_a`) are `bigint`, because with
 *   `GOGC=off` or huge heaps they can exceed 2^53;
 * - floating-point values (`assist ratio=`, `cons/mark`, `h_t=` ...) are `number`.
 *
 * @module
 */

/** Fields common to every event. */
export interface EventBase {
  /** 1-based line number where the event's text starts in the input. */
  line: number;
  /**
   * Present (and `true`) when the line was split by the program's own output and
   * reassembled by the parser; the program's text is reported as a separate `other`.
   */
  repaired?: true;
}

/** How floats were printed: Go < 1.26 `+1.234567e-001`, or Go 1.26+ shortest form `0.1234567`. */
export type FloatSyntax = "legacy" | "shortest";

/**
 * Wall-clock phases of a GC cycle, in milliseconds. For Go 1.5's five-phase line, `mark`
 * is the sum of its scan, install-write-barrier and mark phases.
 */
export interface GcWallPhases {
  /** Stop-the-world sweep termination. */
  sweepTermination: number;
  /** Concurrent mark (and scan). */
  mark: number;
  /** Stop-the-world mark termination. */
  markTermination: number;
}

/** CPU time of a GC cycle by component, in milliseconds. */
export interface GcCpuPhases {
  /** Sweep termination (STW), times the number of Ps that took part. */
  sweepTermination: number;
  /** Mutator assists. */
  assist: number;
  /** Dedicated plus fractional background mark workers. */
  background: number;
  /** Idle mark workers. */
  idle: number;
  /** Mark termination (STW), times the number of Ps. */
  markTermination: number;
}

/**
 * `gctrace=1`: one line per GC cycle (`gcMarkTermination` in `src/runtime/mgc.go`).
 *
 * Go 1.5 prints five clock phases and seven CPU figures; Go 1.6+ three and five;
 * Go 1.18+ adds `MB stacks` and `MB globals`; Go 1.26 adds `(checking for goroutine leaks)`.
 */
export interface GcEvent extends EventBase {
  kind: "gc";
  /** `memstats.numgc`: the cycle number, starting at 1. */
  cycle: number;
  /** Seconds since program start at sweep termination (`@0.012s`). */
  startSeconds: number;
  /** `int(gc_cpu_fraction*100)`: percentage of CPU spent in GC since program start. */
  cpuPercent: number;
  /** The clock phases exactly as printed, in ms (3 entries, or 5 for Go 1.5). */
  clockMs: number[];
  /** The CPU figures exactly as printed, in ms (5 entries, or 7 for Go 1.5). */
  cpuMs: number[];
  /** Named view of {@link GcEvent.clockMs}. */
  wall: GcWallPhases;
  /**
   * Named view of {@link GcEvent.cpuMs}. For Go 1.5's seven figures, its scan and
   * install-write-barrier CPU are counted in `sweepTermination`.
   */
  cpu: GcCpuPhases;
  /** `work.heap0>>20`: heap in use at GC start, MB. */
  heapBeforeMB: number;
  /** `work.heap1>>20`: heap in use at GC end, MB. */
  heapAfterMB: number;
  /** `work.heap2>>20`: heap marked live, MB. */
  heapLiveMB: number;
  /** Heap goal, MB (`lastHeapGoal>>20`; huge with `GOGC=off`, still below 2^44). */
  heapGoalMB: number;
  /** Go 1.18+: `lastStackScan>>20`, MB of stacks scanned. */
  stacksMB?: number;
  /** Go 1.18+: `globalsScan>>20`, MB of globals scanned. */
  globalsMB?: number;
  /** `work.maxprocs`: number of Ps. */
  procs: number;
  /** `(forced)`: the cycle was started by `runtime.GC()` or `debug.FreeOSMemory`. */
  forced: boolean;
  /** Go 1.26+ `(checking for goroutine leaks)`. */
  goroutineLeakCheck: boolean;
}

/** `gcpacertrace=1` at the start of the mark phase (`startCycle` in `src/runtime/mgcpacer.go`). */
export interface PacerAssistEvent extends EventBase {
  kind: "pacer";
  form: "assist";
  /** `assistWorkPerByte`: scan work an assist must do per allocated byte. */
  assistRatio: number;
  /** `heapScan>>20`: expected scannable heap, MB. */
  scanMB: number;
  /** `work.initialHeapLive>>20`, MB. */
  heapLiveMB: number;
  /** `heapGoal>>20`, MB. */
  heapGoalMB: number;
  /** `dedicatedMarkWorkersNeeded`. */
  dedicatedWorkers: number;
  /** `fractionalUtilizationGoal` (an integer count before Go 1.10). */
  fractionalWorkers: number;
  /** Float syntax of the line. */
  floatSyntax: FloatSyntax;
}

/** `gcpacertrace=1` at the end of the mark phase, Go 1.18+ (`endCycle` in `src/runtime/mgcpacer.go`). */
export interface PacerCycleEvent extends EventBase {
  kind: "pacer";
  form: "cycle";
  /** `int(utilization*100)`: measured GC CPU utilisation, percent. */
  cpuPercent: number;
  /** `int(gcGoalUtilization*100)`: target utilisation, percent. */
  expectedPercent: number;
  /** `heapScanWork`, bytes. */
  heapScanWork: bigint;
  /** `stackScanWork`, bytes. */
  stackScanWork: bigint;
  /** `globalsScanWork`, bytes. */
  globalsScanWork: bigint;
  /** `lastHeapScan+lastStackScan+globalsScan`: expected work, bytes. */
  expectedWork: bigint;
  /** `triggered`: heap size at which the cycle was triggered, bytes. */
  triggered: bigint;
  /** `heapLive` at the end of mark, bytes. */
  live: bigint;
  /** `∆goal`: `live - lastHeapGoal`, bytes (signed). */
  goalDelta: bigint;
  /** `cons/mark` ratio used by the pacer. */
  consMark: number;
  /** Float syntax of the line. */
  floatSyntax: FloatSyntax;
}

/** `gcpacertrace=1` at the end of the mark phase, Go 1.5–1.17 (`endCycle` in `src/runtime/mgc.go` / `mgcpacer.go`). */
export interface PacerLegacyEvent extends EventBase {
  kind: "pacer";
  form: "legacy";
  /** `H_m_prev`: heap marked in the previous cycle, bytes. */
  heapMarkedPrev: bigint;
  /** `h_t`: trigger ratio. */
  triggerRatio: number;
  /** `H_T`: trigger heap size, bytes. */
  trigger: bigint;
  /** `h_a`: actual growth ratio. */
  actualGrowth: number;
  /** `H_a`: live heap at the end of mark, bytes. */
  heapLive: bigint;
  /** `h_g`: goal growth ratio. */
  goalGrowth: number;
  /** `H_g`: heap goal, bytes (int64). */
  heapGoal: bigint;
  /** `u_a`: actual utilisation. */
  utilization: number;
  /** `u_g`: goal utilisation. */
  goalUtilization: number;
  /** `W_a`: scan work, bytes. */
  scanWork: bigint;
  /** `goalΔ`: `h_g - h_t`. */
  goalDelta: number;
  /** `actualΔ`: `h_a - h_t`. */
  actualDelta: number;
  /** `u_a/u_g`. */
  utilizationRatio: number;
  /** Float syntax of the line. */
  floatSyntax: FloatSyntax;
}

/** `gcpacertrace=1` when background sweeping finishes (`sweepone` in `src/runtime/mgcsweep.go`). */
export interface PacerSweepEvent extends EventBase {
  kind: "pacer";
  form: "sweep";
  /** `heapLive>>20`, MB. */
  heapMB: number;
  /** `(live-sweepHeapLiveBasis)>>20`: MB allocated while sweeping. */
  allocatedMB: number;
  /** `pagesSwept`. */
  pagesSwept: number;
  /** `sweepPagesPerByte`. */
  pagesPerByte: number;
  /** Float syntax of the line. */
  floatSyntax: FloatSyntax;
}

/** Any `pacer:` line. */
export type PacerEvent = PacerAssistEvent | PacerCycleEvent | PacerLegacyEvent | PacerSweepEvent;

/**
 * First-generation scavenger line, printed under `gctrace=1` by Go 1.5–1.12
 * (`scavenge` in `src/runtime/mheap.go`): `scvg3: 1 MB released` or
 * `scvg3: inuse: 4, idle: 1, sys: 5, released: 0, consumed: 5 (MB)`.
 * `scvg-1` and `forced scvg` are `debug.FreeOSMemory`.
 */
export interface ScvgEvent extends EventBase {
  kind: "scvg";
  /** The `k` after `scvg` (-1 when forced), or `null` for the Go 1.13 `scvg:` form. */
  id: number | null;
  /** `forced scvg:` prefix (Go 1.13). */
  forcedPrefix: boolean;
  /** Which of the two lines this is. */
  form: "released" | "stats";
  /** MB released (`released` form) or `heap_released>>20` (`stats` form). */
  releasedMB: number;
  /** `stats` form: `heap_inuse>>20`. */
  inuseMB?: number;
  /** `stats` form: `heap_idle>>20`. */
  idleMB?: number;
  /** `stats` form: `heap_sys>>20`. */
  sysMB?: number;
  /** `stats` form: `(heap_sys-heap_released)>>20`. */
  consumedMB?: number;
}

/**
 * `scavtrace=1` (`printScavTrace` in `src/runtime/mgcscavenge.go`).
 *
 * Go 1.14–1.20: `scav [gen ]W KiB work, T KiB total, U% util` (the generation number
 * was printed by Go 1.15–1.17); Go 1.21+: `scav B KiB work (bg), E KiB work (eager),
 * N KiB now, U% util`. Either may end in `(forced)` or, from Go 1.19, `[controller reset]`.
 */
export interface ScavEvent extends EventBase {
  kind: "scav";
  /** Scavenger generation, when printed. */
  generation?: number;
  /** Pre-1.21 form: KiB released since the last line. */
  workKiB?: number;
  /** Go 1.21+: KiB released by the background scavenger. */
  workBgKiB?: number;
  /** Go 1.21+: KiB released eagerly (by allocation). */
  workEagerKiB?: number;
  /** `heapReleased>>10`: KiB currently released to the OS (`total` before 1.21, `now` after). */
  releasedKiB: number;
  /** `heapInUse*100/heapRetained`. */
  utilPercent: number;
  /** `(forced)`: `debug.FreeOSMemory`. */
  forced: boolean;
  /** `[controller reset]` (Go 1.19+). */
  controllerReset: boolean;
}

/** `schedtrace=N`: the `SCHED` summary line (`schedtrace` in `src/runtime/proc.go`). */
export interface SchedEvent extends EventBase {
  kind: "sched";
  /** Milliseconds since the first schedtrace. */
  timeMs: number;
  gomaxprocs: number;
  idleprocs: number;
  threads: number;
  /** `nmspinning` (absent in the oldest formats). */
  spinningthreads?: number;
  /** Go 1.20+: `sched.needspinning`. */
  needspinning?: number;
  idlethreads: number;
  /** Length of the global run queue. */
  runqueue: number;
  /** Non-detailed form: length of each P's local run queue (`[ 0 1 ]`, or `[0 1]` before Go 1.25). */
  localRunqueues?: number[];
  /** Go 1.25+ `schedticks=[ ... ]`: per-P `schedtick`. */
  schedticks?: number[];
  /** Detailed form (`scheddetail=1`): `gcwaiting` (printed as `0/1` before Go 1.20, `false/true` from Go 1.20). */
  gcwaiting?: boolean;
  /** Detailed form: `nmidlelocked`. */
  nmidlelocked?: number;
  /** Detailed form: `stopwait`. */
  stopwait?: number;
  /** Detailed form: `sysmonwait`. */
  sysmonwait?: boolean;
}

/** `scheddetail=1`: one line per P. `m` is `null` for `nil` (Go 1.20+) or `-1` (older). */
export interface SchedPEvent extends EventBase {
  kind: "P";
  id: number;
  status: number;
  schedtick: number;
  syscalltick: number;
  m: number | null;
  runqsize: number;
  gfreecnt: number;
  /** Go 1.14+. */
  timerslen?: number;
}

/** `scheddetail=1`: one line per M. Id fields are `null` for `nil` or `-1`. */
export interface SchedMEvent extends EventBase {
  kind: "M";
  id: number;
  p: number | null;
  curg: number | null;
  mallocing: number;
  throwing: number;
  /** Reason preemption is off; empty when it is on. May contain spaces. */
  preemptoff: string;
  locks: number;
  dying: number;
  /** Go ≤ 1.11 `helpgc=`. */
  helpgc?: number;
  spinning: boolean;
  blocked: boolean;
  lockedg: number | null;
}

/** `scheddetail=1`: one line per goroutine. */
export interface SchedGEvent extends EventBase {
  kind: "G";
  id: number;
  /** `readgstatus(gp)`, the raw `_G*` status. */
  status: number;
  /** `waitreason.String()`, possibly empty; may contain spaces and parentheses. */
  waitReason: string;
  m: number | null;
  lockedm: number | null;
}

/** `inittrace=1`: one line per package init (`doInit1` in `src/runtime/proc.go`). */
export interface InitEvent extends EventBase {
  kind: "init";
  /** Package path. */
  pkg: string;
  /** Start, ms since program start. */
  atMs: number;
  /** Wall time of the init functions, ms. */
  clockMs: number;
  /** Bytes allocated. */
  bytes: number;
  /** Allocations. */
  allocs: number;
}

/**
 * Go 1.25+ `gctrace=2` scan statistics (`dumpScanStats` in
 * `src/runtime/mgcmark_greenteagc.go` / `mgcmark_nogreenteagc.go`).
 */
export interface ScanEvent extends EventBase {
  kind: "scan";
  /** `total`, the large-object class `L`, or a size class (see `classBytes`). */
  scope: "total" | "large" | "class";
  /** Object size in bytes of the size class when `scope` is `class`. */
  classBytes?: number;
  /** Objects scanned (the total after `=` in the green-tea form). */
  objects: number;
  /** Green tea: sparse objects, objects in sparse spans, objects in dense spans. */
  objectsBreakdown?: [number, number, number];
  /** Green tea: spans scanned. */
  spans?: number;
  /** Green tea: sparse and dense spans. */
  spansBreakdown?: [number, number];
}

/** `GC forced`: printed by the forcegc helper in `src/runtime/proc.go` under gctrace. */
export interface ForcedEvent extends EventBase {
  kind: "forced";
}

/** Anything else: the program's own output, kept verbatim. */
export interface OtherEvent extends EventBase {
  kind: "other";
  /** The text of the line (or of the piece of a split line) without its newline. */
  text: string;
}

/** Every event the parser produces. */
export type GcTraceEvent =
  | GcEvent
  | PacerEvent
  | ScvgEvent
  | ScavEvent
  | SchedEvent
  | SchedPEvent
  | SchedMEvent
  | SchedGEvent
  | InitEvent
  | ScanEvent
  | ForcedEvent
  | OtherEvent;

/** The `kind` of a {@link GcTraceEvent}. */
export type GcTraceEventKind = GcTraceEvent["kind"];

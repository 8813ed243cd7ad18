/**
 * The naive baseline: what most trace tools do. Split the text into lines, then
 * try one anchored regular expression per line kind, in turn, and build an object
 * from the capture groups. No repair of split lines.
 */

const F = String.raw`([+-]?(?:\d+(?:\.\d+)?(?:e[+-]\d+)?|Inf|NaN))`;

const rules: [string, RegExp, (m: RegExpExecArray) => unknown][] = [
  [
    "gc",
    /^gc (\d+) @(\d+\.\d+)s (\d+)%(?: \(checking for goroutine leaks\))?: ([\d.+]+) ms clock, ([\d.+/]+) ms cpu, (\d+)->(\d+)->(\d+) MB, (\d+) MB goal, (?:(\d+) MB stacks, (\d+) MB globals, )?(\d+) P( \(forced\))?$/,
    (m) => ({
      kind: "gc",
      cycle: Number(m[1]),
      startSeconds: Number(m[2]),
      cpuPercent: Number(m[3]),
      clockMs: (m[4] as string).split("+").map(Number),
      cpuMs: (m[5] as string).split(/[+/]/).map(Number),
      heapBeforeMB: Number(m[6]),
      heapAfterMB: Number(m[7]),
      heapLiveMB: Number(m[8]),
      heapGoalMB: Number(m[9]),
      stacksMB: m[10] === undefined ? undefined : Number(m[10]),
      globalsMB: m[11] === undefined ? undefined : Number(m[11]),
      procs: Number(m[12]),
      forced: m[13] !== undefined,
    }),
  ],
  [
    "pacer-assist",
    new RegExp(
      `^pacer: assist ratio=${F} \\(scan (\\d+) MB in (\\d+)->(\\d+) MB\\) workers=(\\d+)\\+${F}$`,
    ),
    (m) => ({
      kind: "pacer",
      assistRatio: Number(m[1]),
      scanMB: Number(m[2]),
      heapLiveMB: Number(m[3]),
      heapGoalMB: Number(m[4]),
      dedicatedWorkers: Number(m[5]),
      fractionalWorkers: Number(m[6]),
    }),
  ],
  [
    "pacer-cycle",
    new RegExp(
      `^pacer: (-?\\d+)% CPU \\((\\d+) exp\\.\\) for (\\d+)\\+(\\d+)\\+(\\d+) B work \\((\\d+) B exp\\.\\) in (\\d+) B -> (\\d+) B \\(∆goal (-?\\d+), cons/mark ${F}\\)$`,
    ),
    (m) => ({
      kind: "pacer",
      cpuPercent: Number(m[1]),
      expectedPercent: Number(m[2]),
      heapScanWork: BigInt(m[3] as string),
      stackScanWork: BigInt(m[4] as string),
      globalsScanWork: BigInt(m[5] as string),
      expectedWork: BigInt(m[6] as string),
      triggered: BigInt(m[7] as string),
      live: BigInt(m[8] as string),
      goalDelta: BigInt(m[9] as string),
      consMark: Number(m[10]),
    }),
  ],
  [
    "pacer-sweep",
    new RegExp(
      `^pacer: sweep done at heap size (\\d+)MB; allocated (\\d+)MB during sweep; swept (\\d+) pages at ${F} pages/byte$`,
    ),
    (m) => ({
      kind: "pacer",
      heapMB: Number(m[1]),
      allocatedMB: Number(m[2]),
      pagesSwept: Number(m[3]),
      pagesPerByte: Number(m[4]),
    }),
  ],
  [
    "scav",
    /^scav (\d+) KiB work \(bg\), (\d+) KiB work \(eager\), (\d+) KiB now, (\d+)% util( \(forced\))?( \[controller reset\])?$/,
    (m) => ({
      kind: "scav",
      workBgKiB: Number(m[1]),
      workEagerKiB: Number(m[2]),
      releasedKiB: Number(m[3]),
      utilPercent: Number(m[4]),
      forced: m[5] !== undefined,
      controllerReset: m[6] !== undefined,
    }),
  ],
  [
    "scav-old",
    /^scav (?:(\d+) )?(\d+) KiB work, (\d+) KiB total, (\d+)% util( \(forced\))?( \[controller reset\])?$/,
    (m) => ({
      kind: "scav",
      workKiB: Number(m[2]),
      releasedKiB: Number(m[3]),
      utilPercent: Number(m[4]),
    }),
  ],
  [
    "sched",
    /^SCHED (\d+)ms: gomaxprocs=(\d+) idleprocs=(\d+) threads=(\d+) spinningthreads=(\d+)(?: needspinning=(\d+))? idlethreads=(\d+) runqueue=(\d+)(?: gcwaiting=(\w+) nmidlelocked=(\d+) stopwait=(\d+) sysmonwait=(\w+))?(?: \[ ?([\d ]*?) ?\])?(?: schedticks=\[ ([\d ]*)\])?$/,
    (m) => ({
      kind: "sched",
      timeMs: Number(m[1]),
      gomaxprocs: Number(m[2]),
      idleprocs: Number(m[3]),
      threads: Number(m[4]),
      spinningthreads: Number(m[5]),
      needspinning: m[6] === undefined ? undefined : Number(m[6]),
      idlethreads: Number(m[7]),
      runqueue: Number(m[8]),
      localRunqueues: m[13] === undefined ? undefined : m[13].split(" ").map(Number),
      schedticks: m[14] === undefined ? undefined : m[14].trim().split(" ").map(Number),
    }),
  ],
  [
    "P",
    /^ {2}P(\d+): status=(\d+) schedtick=(\d+) syscalltick=(\d+) m=(\d+|nil|-1) runqsize=(\d+) gfreecnt=(\d+)(?: timerslen=(\d+))?$/,
    (m) => ({ kind: "P", id: Number(m[1]), status: Number(m[2]), m: m[5] }),
  ],
  [
    "M",
    /^ {2}M(\d+): p=(\d+|nil|-1) curg=(\d+|nil|-1) mallocing=(\d+) throwing=(\d+) preemptoff=(.*) locks=(\d+) dying=(\d+) spinning=(\w+) blocked=(\w+) lockedg=(\d+|nil|-1)$/,
    (m) => ({ kind: "M", id: Number(m[1]), preemptoff: m[6] }),
  ],
  [
    "G",
    /^ {2}G(\d+): status=(\d+)\((.*)\) m=(\d+|nil|-1) lockedm=(\d+|nil|-1)$/,
    (m) => ({ kind: "G", id: Number(m[1]), status: Number(m[2]), waitReason: m[3] }),
  ],
  [
    "init",
    /^init (\S+) @(\d+(?:\.\d+)?) ms, (\d+(?:\.\d+)?) ms clock, (\d+) bytes, (\d+) allocs$/,
    (m) => ({
      kind: "init",
      pkg: m[1],
      atMs: Number(m[2]),
      clockMs: Number(m[3]),
      bytes: Number(m[4]),
      allocs: Number(m[5]),
    }),
  ],
  [
    "scan",
    /^scan: (total|class L|class (\d+)B) (\d+)(?:\+(\d+)\+(\d+)=(\d+))? objs(?:, (\d+)\+(\d+)=(\d+) spans)?$/,
    (m) => ({ kind: "scan", scope: m[1], objects: Number(m[6] ?? m[3]) }),
  ],
  ["forced", /^GC forced$/, () => ({ kind: "forced" })],
];

/** Parses one line the naive way. */
export function baselineLine(line: string, lineNo: number): unknown {
  for (const [, re, build] of rules) {
    const m = re.exec(line);
    if (m !== null) {
      const e = build(m) as Record<string, unknown>;
      e.line = lineNo;
      return e;
    }
  }
  return { kind: "other", line: lineNo, text: line };
}

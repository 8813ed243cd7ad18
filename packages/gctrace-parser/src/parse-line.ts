/**
 * One parser per runtime printer. Each takes the window `s[start:end]` of a single
 * line (no newline) and returns a typed event, or `undefined` when the text is not
 * exactly a line of that kind. Parsers are strict (the whole window must be
 * consumed) so that the repair logic can use them as an oracle for "is this a
 * complete trace line?".
 */
import type {
  FloatSyntax,
  GcEvent,
  GcTraceEvent,
  InitEvent,
  PacerEvent,
  ScanEvent,
  ScavEvent,
  SchedEvent,
  SchedGEvent,
  SchedMEvent,
  SchedPEvent,
  ScvgEvent,
} from "./events.js";
import {
  fastDetail,
  fastScan,
  fastSched,
  gcOrReject,
  pacerOrReject,
  rejectedAt,
  scavOrReject,
  schedComplete,
} from "./fast-path.js";
import {
  big,
  bool,
  cur,
  done,
  expect,
  find,
  float,
  int,
  lit,
  ms,
  optId,
  reset,
  secs3,
  uint,
} from "./scanner.js";

/** Set by the last successful parse when an integer above 2^53 was read as a `number`. */
export let lastParseImprecise = false;

/**
 * After a parse that gave `undefined`: -1, or an index `f` such that every text with
 * the same characters as this one in `[start, f]` (and at least one more after) is
 * refused too. The gc, pacer and scav fast paths set it; the repair logic uses it
 * to skip cuts.
 */
export let lastRejectedAt = -1;

function floatSyntax(): FloatSyntax {
  return cur.legacyFloat ? "legacy" : "shortest";
}

/**
 * Parses one line window. Returns `undefined` when it is not a known trace line.
 * The `line` number is stored on the event.
 *
 * With `latin1`, `s` is bytes decoded one char per byte (chars above 0x7f are
 * undecoded UTF-8): the pacer fast path then also takes the delta character as its
 * UTF-8 bytes. Anything else that holds such chars is not what the UTF-8 text would
 * give, and the caller must check (see `GcTraceParser.pushLatin1`).
 */
export function parseTraceLine(
  s: string,
  start: number,
  end: number,
  line: number,
  latin1 = false,
): GcTraceEvent | undefined {
  lastRejectedAt = -1;
  // Tolerate CRLF line ends (a log that went through a Windows tool).
  if (end > start && s.charCodeAt(end - 1) === 13) end--;
  if (end - start < 3) return undefined;
  // The fast paths never read numbers that could be imprecise; the slow ones set this.
  cur.imprecise = false;
  let ev: GcTraceEvent | undefined;
  switch (s.charCodeAt(start)) {
    case 103: {
      // g; null: the strict parser would refuse the line too.
      const f = gcOrReject(s, start, end, line);
      if (f === undefined) ev = parseGc(s, start, end, line);
      else if (f === null) lastRejectedAt = rejectedAt();
      else ev = f;
      break;
    }
    case 112: {
      // p
      const f = pacerOrReject(s, start, end, line, latin1);
      if (f === undefined) ev = parsePacer(s, start, end, line);
      else if (f === null) lastRejectedAt = rejectedAt();
      else ev = f;
      break;
    }
    case 115: // s
      // Scan lines are the most frequent: the fast path checks their prefix itself.
      ev = fastScan(s, start, end, line);
      if (ev !== undefined) break;
      if (s.startsWith("scan: ", start)) ev = parseScan(s, start, end, line);
      else if (s.startsWith("scav ", start)) {
        const f = scavOrReject(s, start, end, line);
        if (f === undefined) ev = parseScav(s, start, end, line);
        else if (f === null) lastRejectedAt = rejectedAt();
        else ev = f;
      } else if (s.startsWith("scvg", start)) ev = parseScvg(s, start, end, line, false);
      break;
    case 102: // f
      if (s.startsWith("forced scvg", start)) ev = parseScvg(s, start, end, line, true);
      break;
    case 83: // S
      ev = fastSched(s, start, end, line) ?? parseSched(s, start, end, line);
      break;
    case 32: // ' '
      ev = fastDetail(s, start, end, line) ?? parseSchedDetail(s, start, end, line);
      break;
    case 105: // i
      ev = parseInit(s, start, end, line);
      break;
    case 71: // G
      if (end - start === 9 && s.startsWith("GC forced", start)) ev = { kind: "forced", line };
      break;
  }
  lastParseImprecise = ev !== undefined && cur.imprecise;
  return ev;
}

/**
 * `gctrace=1` line, printed by `gcMarkTermination` in `src/runtime/mgc.go`:
 * `gc 1 @0.001s 15%: 0.12+0.46+0.030 ms clock, 0.25+0.14/0.22/0+0.060 ms cpu,
 * 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)`.
 */
export function parseGc(s: string, start: number, end: number, line: number): GcEvent | undefined {
  reset(s, start, end);
  if (!lit("gc ")) return undefined;
  lit("#"); // tolerated: some docs and tools write the cycle as `gc #1`
  const cycle = uint();
  expect(" @");
  const startSeconds = secs3();
  expect("s ");
  const cpuPercent = uint();
  // int(gc_cpu_fraction*100) is a share of all CPU time: never above 100.
  if (cpuPercent > 100) return undefined;
  expect("%");
  const goroutineLeakCheck = lit(" (checking for goroutine leaks)");
  expect(": ");
  if (!cur.ok) return undefined;
  const clockMs: number[] = [ms()];
  while (lit("+")) clockMs.push(ms());
  expect(" ms clock, ");
  const cpuMs: number[] = [ms()];
  let seps = "";
  for (;;) {
    if (lit("+")) seps += "+";
    else if (lit("/")) seps += "/";
    else break;
    cpuMs.push(ms());
  }
  expect(" ms cpu, ");
  const heapBeforeMB = uint();
  expect("->");
  const heapAfterMB = uint();
  expect("->");
  const heapLiveMB = uint();
  expect(" MB, ");
  const heapGoalMB = uint();
  expect(" MB goal, ");
  if (!cur.ok) return undefined;
  // Go 1.18+ adds stacks and globals; a plain number followed by " P" is the P count.
  const n = uint();
  let stacksMB: number | undefined;
  let globalsMB: number | undefined;
  let procs: number;
  if (lit(" MB stacks, ")) {
    stacksMB = n;
    globalsMB = uint();
    expect(" MB globals, ");
    procs = uint();
  } else {
    procs = n;
  }
  expect(" P");
  const forced = lit(" (forced)");
  if (!done()) return undefined;
  let wall: GcEvent["wall"];
  let cpu: GcEvent["cpu"];
  const c = clockMs;
  const u = cpuMs;
  if (c.length === 3 && seps === "+//+") {
    wall = {
      sweepTermination: c[0] as number,
      mark: c[1] as number,
      markTermination: c[2] as number,
    };
    cpu = {
      sweepTermination: u[0] as number,
      assist: u[1] as number,
      background: u[2] as number,
      idle: u[3] as number,
      markTermination: u[4] as number,
    };
  } else if (c.length === 5 && seps === "+++//+") {
    // Go 1.5: sweep term, scan, install WB, mark, mark term.
    wall = {
      sweepTermination: c[0] as number,
      mark: (c[1] as number) + (c[2] as number) + (c[3] as number),
      markTermination: c[4] as number,
    };
    cpu = {
      sweepTermination: (u[0] as number) + (u[1] as number) + (u[2] as number),
      assist: u[3] as number,
      background: u[4] as number,
      idle: u[5] as number,
      markTermination: u[6] as number,
    };
  } else {
    return undefined;
  }
  const ev: GcEvent = {
    kind: "gc",
    line,
    cycle,
    startSeconds,
    cpuPercent,
    clockMs,
    cpuMs,
    wall,
    cpu,
    heapBeforeMB,
    heapAfterMB,
    heapLiveMB,
    heapGoalMB,
    procs,
    forced,
    goroutineLeakCheck,
  };
  if (stacksMB !== undefined && globalsMB !== undefined) {
    ev.stacksMB = stacksMB;
    ev.globalsMB = globalsMB;
  }
  return ev;
}

/** Either delta character: U+2206 (Go 1.18+ `∆goal`) or U+0394 (Go ≤ 1.17 `goalΔ`). */
function delta(): void {
  if (!lit("\u2206") && !lit("\u0394")) cur.ok = false;
}

/**
 * `gcpacertrace=1` lines: `startCycle`/`endCycle` in `src/runtime/mgcpacer.go`
 * (`mgc.go` before Go 1.11) and `sweepone` in `src/runtime/mgcsweep.go`.
 */
export function parsePacer(
  s: string,
  start: number,
  end: number,
  line: number,
): PacerEvent | undefined {
  reset(s, start, end);
  if (!lit("pacer: ")) return undefined;
  if (lit("assist ratio=")) {
    const assistRatio = float();
    expect(" (scan ");
    const scanMB = uint();
    expect(" MB in ");
    const heapLiveMB = uint();
    expect("->");
    const heapGoalMB = uint();
    expect(" MB) workers=");
    const dedicatedWorkers = int();
    expect("+");
    const fractionalWorkers = float();
    if (!done()) return undefined;
    return {
      kind: "pacer",
      form: "assist",
      line,
      assistRatio,
      scanMB,
      heapLiveMB,
      heapGoalMB,
      dedicatedWorkers,
      fractionalWorkers,
      floatSyntax: floatSyntax(),
    };
  }
  if (lit("sweep done at heap size ")) {
    const heapMB = uint();
    expect("MB; allocated ");
    const allocatedMB = uint();
    expect("MB during sweep; swept ");
    const pagesSwept = uint();
    expect(" pages at ");
    const pagesPerByte = float();
    expect(" pages/byte");
    if (!done()) return undefined;
    return {
      kind: "pacer",
      form: "sweep",
      line,
      heapMB,
      allocatedMB,
      pagesSwept,
      pagesPerByte,
      floatSyntax: floatSyntax(),
    };
  }
  if (lit("H_m_prev=")) {
    const heapMarkedPrev = big();
    expect(" h_t=");
    const triggerRatio = float();
    expect(" H_T=");
    const trigger = big();
    expect(" h_a=");
    const actualGrowth = float();
    expect(" H_a=");
    const heapLive = big();
    expect(" h_g=");
    const goalGrowth = float();
    expect(" H_g=");
    const heapGoal = big();
    expect(" u_a=");
    const utilization = float();
    expect(" u_g=");
    const goalUtilization = float();
    expect(" W_a=");
    const scanWork = big();
    expect(" goal");
    delta();
    expect("=");
    const goalDelta = float();
    expect(" actual");
    delta();
    expect("=");
    const actualDelta = float();
    expect(" u_a/u_g=");
    const utilizationRatio = float();
    if (!done()) return undefined;
    return {
      kind: "pacer",
      form: "legacy",
      line,
      heapMarkedPrev,
      triggerRatio,
      trigger,
      actualGrowth,
      heapLive,
      goalGrowth,
      heapGoal,
      utilization,
      goalUtilization,
      scanWork,
      goalDelta,
      actualDelta,
      utilizationRatio,
      floatSyntax: floatSyntax(),
    };
  }
  const cpuPercent = int();
  expect("% CPU (");
  const expectedPercent = int();
  expect(" exp.) for ");
  const heapScanWork = big();
  expect("+");
  const stackScanWork = big();
  expect("+");
  const globalsScanWork = big();
  expect(" B work (");
  const expectedWork = big();
  expect(" B exp.) in ");
  const triggered = big();
  expect(" B -> ");
  const live = big();
  expect(" B (");
  delta();
  expect("goal ");
  const goalDelta = big();
  expect(", cons/mark ");
  const consMark = float();
  expect(")");
  if (!done()) return undefined;
  return {
    kind: "pacer",
    form: "cycle",
    line,
    cpuPercent,
    expectedPercent,
    heapScanWork,
    stackScanWork,
    globalsScanWork,
    expectedWork,
    triggered,
    live,
    goalDelta,
    consMark,
    floatSyntax: floatSyntax(),
  };
}

/**
 * First-generation scavenger lines (`scavenge` in `src/runtime/mheap.go`, Go 1.5–1.12,
 * and the Go 1.13 background scavenger in `mgcscavenge.go`), printed under gctrace.
 */
function parseScvg(
  s: string,
  start: number,
  end: number,
  line: number,
  forcedPrefix: boolean,
): ScvgEvent | undefined {
  reset(s, start, end);
  if (forcedPrefix) expect("forced ");
  expect("scvg");
  let id: number | null = null;
  if (!lit(": ")) {
    id = int();
    expect(": ");
  }
  if (!cur.ok) return undefined;
  if (lit("inuse: ")) {
    const inuseMB = uint();
    expect(", idle: ");
    const idleMB = uint();
    expect(", sys: ");
    const sysMB = uint();
    expect(", released: ");
    const releasedMB = uint();
    expect(", consumed: ");
    const consumedMB = uint();
    expect(" (MB)");
    if (!done()) return undefined;
    return {
      kind: "scvg",
      line,
      id,
      forcedPrefix,
      form: "stats",
      releasedMB,
      inuseMB,
      idleMB,
      sysMB,
      consumedMB,
    };
  }
  const releasedMB = uint();
  expect(" MB released");
  if (!done()) return undefined;
  return { kind: "scvg", line, id, forcedPrefix, form: "released", releasedMB };
}

/** `scavtrace=1`: `printScavTrace` in `src/runtime/mgcscavenge.go` (Go 1.14+). */
export function parseScav(
  s: string,
  start: number,
  end: number,
  line: number,
): ScavEvent | undefined {
  reset(s, start, end);
  expect("scav ");
  let generation: number | undefined;
  let first = uint();
  if (!s.startsWith(" KiB", cur.p) && lit(" ")) {
    // Go 1.15–1.17 print the generation first.
    generation = first;
    first = uint();
  }
  expect(" KiB work");
  let ev: ScavEvent;
  if (generation === undefined && lit(" (bg), ")) {
    const workEagerKiB = uint();
    expect(" KiB work (eager), ");
    const releasedKiB = uint();
    expect(" KiB now, ");
    const utilPercent = uint();
    expect("% util");
    ev = {
      kind: "scav",
      line,
      workBgKiB: first,
      workEagerKiB,
      releasedKiB,
      utilPercent,
      forced: false,
      controllerReset: false,
    };
  } else {
    expect(", ");
    const releasedKiB = uint();
    expect(" KiB total, ");
    const utilPercent = uint();
    expect("% util");
    ev = {
      kind: "scav",
      line,
      workKiB: first,
      releasedKiB,
      utilPercent,
      forced: false,
      controllerReset: false,
    };
  }
  if (lit(" (forced)")) ev.forced = true;
  else if (lit(" [controller reset]")) ev.controllerReset = true;
  if (!done()) return undefined;
  if (generation !== undefined) ev.generation = generation;
  return ev;
}

/** Go 1.25+ `gctrace=2`: `dumpScanStats` in `src/runtime/mgcmark_greenteagc.go` and `mgcmark_nogreenteagc.go`. */
export function parseScan(
  s: string,
  start: number,
  end: number,
  line: number,
): ScanEvent | undefined {
  reset(s, start, end);
  expect("scan: ");
  let scope: ScanEvent["scope"];
  let classBytes: number | undefined;
  if (lit("total ")) scope = "total";
  else if (lit("class L ")) scope = "large";
  else {
    expect("class ");
    scope = "class";
    classBytes = uint();
    expect("B ");
  }
  const a = uint();
  let ev: ScanEvent;
  if (lit("+")) {
    const b = uint();
    expect("+");
    const c = uint();
    expect("=");
    const objects = uint();
    expect(" objs, ");
    const sa = uint();
    expect("+");
    const sb = uint();
    expect("=");
    const spans = uint();
    expect(" spans");
    ev = {
      kind: "scan",
      line,
      scope,
      objects,
      objectsBreakdown: [a, b, c],
      spans,
      spansBreakdown: [sa, sb],
    };
  } else {
    expect(" objs");
    ev = { kind: "scan", line, scope, objects: a };
  }
  if (!done()) return undefined;
  if (classBytes !== undefined) ev.classBytes = classBytes;
  return ev;
}

const SCHED_NUMERIC = new Set([
  "gomaxprocs",
  "idleprocs",
  "threads",
  "spinningthreads",
  "needspinning",
  "idlethreads",
  "runqueue",
  "nmidlelocked",
  "stopwait",
]);

/** Reads `[ 1 2 ]` (Go 1.25+) or `[1 2]` (older): space-separated integers in brackets. */
function bracketList(): number[] {
  expect("[");
  const out: number[] = [];
  lit(" ");
  while (cur.ok && !lit("]")) {
    out.push(uint());
    if (!lit(" ") && !(cur.p < cur.end && cur.s.charCodeAt(cur.p) === 93)) cur.ok = false;
    if (out.length > 1 << 16) cur.ok = false;
  }
  return out;
}

/** `schedtrace=N`: the summary line printed by `schedtrace` in `src/runtime/proc.go`. */
export function parseSched(
  s: string,
  start: number,
  end: number,
  line: number,
): SchedEvent | undefined {
  reset(s, start, end);
  if (!lit("SCHED ")) return undefined;
  const timeMs = int();
  expect("ms:");
  if (!cur.ok) return undefined;
  const ev: SchedEvent = {
    kind: "sched",
    line,
    timeMs,
    gomaxprocs: -1,
    idleprocs: -1,
    threads: -1,
    idlethreads: -1,
    runqueue: -1,
  };
  const rec = ev as unknown as Record<string, number | boolean | number[]>;
  while (cur.ok && cur.p < cur.end) {
    expect(" ");
    if (cur.p < cur.end && s.charCodeAt(cur.p) === 91 /* [ */) {
      if (ev.localRunqueues !== undefined) return undefined;
      ev.localRunqueues = bracketList();
      continue;
    }
    const eq = find("=");
    if (eq < 0) return undefined;
    const key = s.slice(cur.p, eq);
    cur.p = eq + 1;
    if (key === "schedticks") {
      ev.schedticks = bracketList();
    } else if (key === "gcwaiting" || key === "sysmonwait") {
      rec[key] = bool();
    } else if (SCHED_NUMERIC.has(key)) {
      rec[key] = int();
    } else {
      return undefined;
    }
  }
  if (!done()) return undefined;
  return schedComplete(ev) ? ev : undefined;
}

/** `scheddetail=1` P, M and G lines, printed by `schedtrace` in `src/runtime/proc.go`. */
export function parseSchedDetail(
  s: string,
  start: number,
  end: number,
  line: number,
): SchedPEvent | SchedMEvent | SchedGEvent | undefined {
  reset(s, start, end);
  if (!lit("  ")) return undefined;
  const which = s.charCodeAt(cur.p);
  cur.p++;
  const id = uint();
  expect(": ");
  if (!cur.ok) return undefined;
  if (which === 71 /* G */) {
    expect("status=");
    const status = uint();
    expect("(");
    // The wait reason may itself contain parentheses ("chan receive (nil chan)").
    const close = s.lastIndexOf(") m=", end);
    if (!cur.ok || close < cur.p) return undefined;
    const waitReason = s.slice(cur.p, close);
    cur.p = close + 4;
    const m = optId();
    expect(" lockedm=");
    const lockedm = optId();
    if (!done()) return undefined;
    return { kind: "G", line, id, status, waitReason, m, lockedm };
  }
  if (which === 80 /* P */) {
    expect("status=");
    const status = uint();
    expect(" schedtick=");
    const schedtick = uint();
    expect(" syscalltick=");
    const syscalltick = uint();
    expect(" m=");
    const m = optId();
    expect(" runqsize=");
    const runqsize = uint();
    expect(" gfreecnt=");
    const gfreecnt = uint();
    let timerslen: number | undefined;
    if (lit(" timerslen=")) timerslen = uint();
    if (!done()) return undefined;
    const ev: SchedPEvent = {
      kind: "P",
      line,
      id,
      status,
      schedtick,
      syscalltick,
      m,
      runqsize,
      gfreecnt,
    };
    if (timerslen !== undefined) ev.timerslen = timerslen;
    return ev;
  }
  if (which === 77 /* M */) {
    expect("p=");
    const p = optId();
    expect(" curg=");
    const curg = optId();
    expect(" mallocing=");
    const mallocing = int();
    expect(" throwing=");
    const throwing = int();
    expect(" preemptoff=");
    // preemptoff is a free-form string (possibly empty, possibly with spaces).
    const locks = find(" locks=");
    if (!cur.ok || locks < 0) return undefined;
    const preemptoff = s.slice(cur.p, locks);
    cur.p = locks + 7;
    const nlocks = int();
    expect(" dying=");
    const dying = int();
    let helpgc: number | undefined;
    if (lit(" helpgc=")) helpgc = int();
    expect(" spinning=");
    const spinning = bool();
    expect(" blocked=");
    const blocked = bool();
    expect(" lockedg=");
    const lockedg = optId();
    if (!done()) return undefined;
    const ev: SchedMEvent = {
      kind: "M",
      line,
      id,
      p,
      curg,
      mallocing,
      throwing,
      preemptoff,
      locks: nlocks,
      dying,
      spinning,
      blocked,
      lockedg,
    };
    if (helpgc !== undefined) ev.helpgc = helpgc;
    return ev;
  }
  return undefined;
}

/** `inittrace=1`: printed by `doInit1` in `src/runtime/proc.go` (Go 1.16+). */
function parseInit(s: string, start: number, end: number, line: number): InitEvent | undefined {
  reset(s, start, end);
  if (!lit("init ")) return undefined;
  const at = find(" @");
  if (at <= cur.p) return undefined;
  const pkg = s.slice(cur.p, at);
  if (pkg.includes(" ")) return undefined;
  cur.p = at + 2;
  const atMs = ms();
  expect(" ms, ");
  const clockMs = ms();
  expect(" ms clock, ");
  const bytes = uint();
  expect(" bytes, ");
  const allocs = uint();
  expect(" allocs");
  if (!done()) return undefined;
  return { kind: "init", line, pkg, atMs, clockMs, bytes, allocs };
}

/**
 * The literal first piece each runtime printer writes. A line beginning with one of
 * these that does not parse may be a trace line split by the program's own output.
 */
export const TRACE_PREFIXES: readonly string[] = [
  "gc ",
  "pacer: ",
  "scav ",
  "scvg",
  "forced scvg",
  "scan: ",
  "SCHED ",
  "  P",
  "  M",
  "  G",
  "init ",
  "GC forced",
];

/** Returns the trace prefix `s` starts with at `pos`, or `undefined`. */
export function tracePrefixAt(s: string, pos: number): string | undefined {
  const c = s.charCodeAt(pos);
  // Cheap first-character filter before the startsWith checks.
  if (
    c !== 103 &&
    c !== 112 &&
    c !== 115 &&
    c !== 102 &&
    c !== 83 &&
    c !== 32 &&
    c !== 105 &&
    c !== 71
  )
    return undefined;
  for (const p of TRACE_PREFIXES) if (s.startsWith(p, pos)) return p;
  return undefined;
}

/**
 * Fast paths for the most frequent current line forms. Each one validates the whole
 * line with a single sticky regular expression (native code, no allocation: `test`
 * only) and then reads the numbers at positions the regex has already proven, with
 * no further checks. A line the regex does not accept falls back to the strict
 * general parser in parse-line.ts, which also covers every older form; the property
 * tests check that both paths give the same events.
 */
import type {
  GcEvent,
  PacerAssistEvent,
  PacerCycleEvent,
  PacerSweepEvent,
  ScanEvent,
  ScavEvent,
} from "./events.js";

// Shapes of printed numbers (see scanner.ts for the reasoning).
const U = String.raw`(?:0|[1-9]\d*)`;
const I = `-?${U}`;
const MS = String.raw`(?:[1-9]\d+|0\.0(?:0[1-9]|[1-9]\d)|0\.[1-9]\d|[1-9]\.\d|0)`;
/** Go 1.26 shortest float (no 3-digit exponent, which the legacy syntax also has). */
const FS = String.raw`(?:-?\d+(?:\.\d+)?(?:e[+-]\d\d)?)`;
/** Legacy printfloat. */
const FL = String.raw`(?:[+-]\d\.\d{6}e[+-]\d{3})`;

const LEAK = " (checking for goroutine leaks)";
const GC_RE = new RegExp(
  `gc ${U} @${U}\\.\\d{3}s ${U}%(?: \\(checking for goroutine leaks\\))?: ${MS}\\+${MS}\\+${MS} ms clock, ${MS}\\+${MS}/${MS}/${MS}\\+${MS} ms cpu, ${U}->${U}->${U} MB, ${U} MB goal, (?:${U} MB stacks, ${U} MB globals, )?${U} P(?: \\(forced\\))?$`,
  "ym",
);
const SCAN_GREEN_RE = new RegExp(
  `scan: (?:total|class L|class ${U}B) ${U}\\+${U}\\+${U}=${U} objs, ${U}\\+${U}=${U} spans$`,
  "ym",
);
const SCAV_RE = new RegExp(
  `scav ${U} KiB work \\(bg\\), ${U} KiB work \\(eager\\), ${U} KiB now, ${U}% util(?: \\(forced\\)| \\[controller reset\\])?$`,
  "ym",
);
const ASSIST_RE = (f: string) =>
  new RegExp(
    `pacer: assist ratio=${f} \\(scan ${U} MB in ${U}->${U} MB\\) workers=${I}\\+${f}$`,
    "ym",
  );
const ASSIST_S = ASSIST_RE(FS);
const ASSIST_L = ASSIST_RE(FL);
const CYCLE_RE = (f: string) =>
  new RegExp(
    `pacer: ${I}% CPU \\(${I} exp\\.\\) for ${U}\\+${U}\\+${U} B work \\(${U} B exp\\.\\) in ${U} B -> ${U} B \\(\u2206goal ${I}, cons/mark ${f}\\)$`,
    "ym",
  );
const CYCLE_S = CYCLE_RE(FS);
const CYCLE_L = CYCLE_RE(FL);
const SWEEP_S = new RegExp(
  `pacer: sweep done at heap size ${U}MB; allocated ${U}MB during sweep; swept ${U} pages at ${FS} pages/byte$`,
  "ym",
);

const POW10 = [1, 10, 100, 1000];

let s = "";
let p = 0;
/** Set by `u` when it read more than 15 digits (the value may have been rounded). */
let long = false;

function matches(re: RegExp, str: string, start: number, end: number): boolean {
  re.lastIndex = start;
  return re.test(str) && re.lastIndex === end;
}

/** Unchecked unsigned integer (the regex proved it is there and below 2^53 is the caller's concern). */
function u(): number {
  let v = 0;
  const start = p;
  let c = s.charCodeAt(p);
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    c = s.charCodeAt(++p);
  }
  if (p - start > 15) long = true;
  return v;
}

function i(): number {
  if (s.charCodeAt(p) === 45) {
    p++;
    return -u();
  }
  return u();
}

/** Unchecked `fmtNSAsMS` / `itoaDiv` decimal: at most 3 decimals, so m / 10^d is exact rounding. */
function ms(): number {
  let m = u();
  if (s.charCodeAt(p) !== 46) return m;
  p++;
  let d = 0;
  let c = s.charCodeAt(p);
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    d++;
    c = s.charCodeAt(++p);
  }
  return m / (POW10[d] as number);
}

/** Unchecked float token: the regex proved its syntax. */
function f(): number {
  const start = p;
  let c = s.charCodeAt(p);
  while (c === 43 || c === 45 || c === 46 || c === 101 || (c >= 48 && c <= 57))
    c = s.charCodeAt(++p);
  return Number(s.slice(start, p));
}

/** Unchecked integer as bigint; doubles are exact below 2^53, so go through BigInt(number) there. */
function b(): bigint {
  const start = p;
  if (s.charCodeAt(p) === 45) p++;
  const d = p;
  let c = s.charCodeAt(p);
  while (c >= 48 && c <= 57) c = s.charCodeAt(++p);
  if (p - d <= 15) return BigInt(Number(s.slice(start, p)));
  return BigInt(s.slice(start, p));
}

/**
 * Whether a digit run is longer than `max`: 15 for integers read as numbers (longer
 * ones could have been rounded), 20 for byte counts read as bigint (the strict
 * scanner refuses anything longer than a uint64 prints).
 */
function tooLong(start: number, end: number, max = 15): boolean {
  let run = 0;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      if (++run > max) return true;
    } else run = 0;
  }
  return false;
}

export function fastGc(str: string, start: number, end: number, line: number): GcEvent | undefined {
  if (!matches(GC_RE, str, start, end)) return undefined;
  s = str;
  if (tooLong(start, end)) return undefined;
  p = start + 3;
  const cycle = u();
  p += 2;
  const startSeconds = ms();
  p += 2;
  const cpuPercent = u();
  if (cpuPercent > 100) return undefined;
  p += 1;
  let goroutineLeakCheck = false;
  if (s.charCodeAt(p) === 32) {
    goroutineLeakCheck = true;
    p += LEAK.length;
  }
  p += 2;
  const c0 = ms();
  p++;
  const c1 = ms();
  p++;
  const c2 = ms();
  p += " ms clock, ".length;
  const u0 = ms();
  p++;
  const u1 = ms();
  p++;
  const u2 = ms();
  p++;
  const u3 = ms();
  p++;
  const u4 = ms();
  p += " ms cpu, ".length;
  const heapBeforeMB = u();
  p += 2;
  const heapAfterMB = u();
  p += 2;
  const heapLiveMB = u();
  p += " MB, ".length;
  const heapGoalMB = u();
  p += " MB goal, ".length;
  const n = u();
  let procs = n;
  let stacksMB = -1;
  let globalsMB = -1;
  if (s.charCodeAt(p + 1) === 77 /* M */) {
    stacksMB = n;
    p += " MB stacks, ".length;
    globalsMB = u();
    p += " MB globals, ".length;
    procs = u();
  }
  p += " P".length;
  const ev: GcEvent = {
    kind: "gc",
    line,
    cycle,
    startSeconds,
    cpuPercent,
    clockMs: [c0, c1, c2],
    cpuMs: [u0, u1, u2, u3, u4],
    wall: { sweepTermination: c0, mark: c1, markTermination: c2 },
    cpu: { sweepTermination: u0, assist: u1, background: u2, idle: u3, markTermination: u4 },
    heapBeforeMB,
    heapAfterMB,
    heapLiveMB,
    heapGoalMB,
    procs,
    forced: p < end,
    goroutineLeakCheck,
  };
  if (stacksMB >= 0) {
    ev.stacksMB = stacksMB;
    ev.globalsMB = globalsMB;
  }
  return ev;
}

export function fastScan(
  str: string,
  start: number,
  end: number,
  line: number,
): ScanEvent | undefined {
  if (!matches(SCAN_GREEN_RE, str, start, end)) return undefined;
  s = str;
  if (tooLong(start, end)) return undefined;
  p = start + 6; // "scan: "
  let scope: ScanEvent["scope"];
  let classBytes = -1;
  if (s.charCodeAt(p) === 116 /* t */) {
    scope = "total";
    p += 6;
  } else if (s.charCodeAt(p + 6) === 76 /* L */) {
    scope = "large";
    p += 8;
  } else {
    scope = "class";
    p += 6;
    classBytes = u();
    p += 2;
  }
  const a = u();
  p++;
  const bb = u();
  p++;
  const c = u();
  p++;
  const objects = u();
  p += " objs, ".length;
  const sa = u();
  p++;
  const sb = u();
  p++;
  const spans = u();
  const ev: ScanEvent = {
    kind: "scan",
    line,
    scope,
    objects,
    objectsBreakdown: [a, bb, c],
    spans,
    spansBreakdown: [sa, sb],
  };
  if (classBytes >= 0) ev.classBytes = classBytes;
  return ev;
}

export function fastScav(
  str: string,
  start: number,
  end: number,
  line: number,
): ScavEvent | undefined {
  if (!matches(SCAV_RE, str, start, end)) return undefined;
  s = str;
  if (tooLong(start, end)) return undefined;
  p = start + 5;
  const workBgKiB = u();
  p += " KiB work (bg), ".length;
  const workEagerKiB = u();
  p += " KiB work (eager), ".length;
  const releasedKiB = u();
  p += " KiB now, ".length;
  const utilPercent = u();
  p += "% util".length;
  const tail = p < end ? s.charCodeAt(p + 1) : 0;
  return {
    kind: "scav",
    line,
    workBgKiB,
    workEagerKiB,
    releasedKiB,
    utilPercent,
    forced: tail === 40 /* ( */,
    controllerReset: tail === 91 /* [ */,
  };
}

// The long digit runs of pacer lines are floats (read with Number) and byte counts
// (read as bigint, at most 20 digits like the strict scanner); the remaining
// integers are MB counts, percentages and worker counts, far below 2^53.
export function fastPacer(
  str: string,
  start: number,
  end: number,
  line: number,
): PacerAssistEvent | PacerCycleEvent | PacerSweepEvent | undefined {
  const c = str.charCodeAt(start + 7);
  if (c === 97 /* a */) {
    const legacy = matches(ASSIST_L, str, start, end);
    if (!legacy && !matches(ASSIST_S, str, start, end)) return undefined;
    s = str;
    long = false;
    p = start + 20; // "pacer: assist ratio="
    const assistRatio = f();
    p += " (scan ".length;
    const scanMB = u();
    p += " MB in ".length;
    const heapLiveMB = u();
    p += 2;
    const heapGoalMB = u();
    p += " MB) workers=".length;
    const dedicatedWorkers = i();
    p++;
    const fractionalWorkers = f();
    if (long) return undefined;
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
      floatSyntax: legacy ? "legacy" : "shortest",
    };
  }
  if (c === 115 /* s */) {
    if (!matches(SWEEP_S, str, start, end)) return undefined;
    s = str;
    long = false;
    p = start + 31; // "pacer: sweep done at heap size "
    const heapMB = u();
    p += "MB; allocated ".length;
    const allocatedMB = u();
    p += "MB during sweep; swept ".length;
    const pagesSwept = u();
    p += " pages at ".length;
    const pagesPerByte = f();
    if (long) return undefined;
    return {
      kind: "pacer",
      form: "sweep",
      line,
      heapMB,
      allocatedMB,
      pagesSwept,
      pagesPerByte,
      floatSyntax: "shortest",
    };
  }
  const legacy = matches(CYCLE_L, str, start, end);
  if (!legacy && !matches(CYCLE_S, str, start, end)) return undefined;
  s = str;
  if (tooLong(start, end, 20)) return undefined;
  p = start + 7;
  const cpuPercent = i();
  p += "% CPU (".length;
  const expectedPercent = i();
  p += " exp.) for ".length;
  const heapScanWork = b();
  p++;
  const stackScanWork = b();
  p++;
  const globalsScanWork = b();
  p += " B work (".length;
  const expectedWork = b();
  p += " B exp.) in ".length;
  const triggered = b();
  p += " B -> ".length;
  const live = b();
  p += " B (∆goal ".length;
  const goalDelta = b();
  p += ", cons/mark ".length;
  const consMark = f();
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
    floatSyntax: legacy ? "legacy" : "shortest",
  };
}

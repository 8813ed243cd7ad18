/**
 * Fast paths for the line forms the current runtimes print. Each one reads its line
 * in a single pass, checking every literal and reading every number as it goes,
 * with the same acceptance rules and the same arithmetic as the strict parsers in
 * parse-line.ts, but for a narrower grammar: one shape per form, and integers of at
 * most 15 digits (exact in a double, so never "imprecise"). Whatever falls outside
 * makes the fast path return `undefined` and the strict parser decides. So a fast
 * path gives exactly the strict parser's event or nothing; the property tests check
 * that on whole, truncated and damaged lines.
 *
 * Style, for speed: every reader takes the text, a position and the window end, and
 * returns the position after what it read, or -1 when the text does not continue
 * as required (-1 in gives -1 out, so a parser checks once at the end). The value
 * read goes to the shared record `R`. Positions stay in local variables, which the
 * compiler keeps in registers; module-level `let` cursors cost a memory round trip
 * (and a hole check) per character.
 */
import type {
  GcEvent,
  PacerAssistEvent,
  PacerCycleEvent,
  PacerSweepEvent,
  ScanEvent,
  ScavEvent,
  SchedEvent,
  SchedGEvent,
  SchedMEvent,
  SchedPEvent,
} from "./events.js";

/** 10^0 .. 10^22: exact doubles (5^22 < 2^53), built by exact multiplications. */
const POW10: number[] = [];
for (let k = 0, v = 1; k <= 22; k++, v *= 10) POW10.push(v);

/**
 * Values read by the last reader; whether a legacy-syntax float was read; whether a
 * reader refused only for being longer than the fast path reads (the strict reader
 * might accept it); and, for the gc path, the highest index a refusing reader looked
 * at (FAR when it met the window's end), so that a refusal is known to hold for any
 * text with the same characters up to there.
 */
const R = { v: 0, b: 0n, id: 0 as number | null, flag: false, legacy: false, soft: false, hi: -1 };

/** For `R.hi`: the outcome depended on where the window ends. */
const FAR = 2 ** 31;

/** Records that a refusal depended on the text up to index `i` (see `R.hi`). */
function saw(i: number): void {
  if (i > R.hi) R.hi = i;
}

/** The char codes of an ASCII literal. */
function codes(l: string): Uint8Array {
  const a = new Uint8Array(l.length);
  for (let k = 0; k < l.length; k++) a[k] = l.charCodeAt(k);
  return a;
}

/**
 * The literals the fast paths read, as char codes: reading a typed array is cheaper
 * than `charCodeAt` on a string the compiler does not know (the readers are too many
 * to be inlined into the long parsers, where the literal would be a constant).
 */
const L = {
  NAN: codes("NaN"),
  PLUS_INF: codes("+Inf"),
  MINUS_INF: codes("-Inf"),
  GC_SP: codes("gc "),
  SP_AT: codes(" @"),
  S_SP: codes("s "),
  COLON_SP: codes(": "),
  MS_CLOCK: codes(" ms clock, "),
  MS_CPU: codes(" ms cpu, "),
  ARROW: codes("->"),
  MB: codes(" MB, "),
  MB_GOAL: codes(" MB goal, "),
  MB_STACKS: codes(" MB stacks, "),
  MB_GLOBALS: codes(" MB globals, "),
  SP_P: codes(" P"),
  FORCED: codes(" (forced)"),
  SCAN_COLON: codes("scan: "),
  TOTAL_SP: codes("total "),
  CLASS_L: codes("class L "),
  CLASS_SP: codes("class "),
  B_SP: codes("B "),
  SP_OBJS_COMMA: codes(" objs, "),
  SPANS: codes(" spans"),
  SP_OBJS: codes(" objs"),
  SCAV_SP: codes("scav "),
  KIB_WORK: codes(" KiB work"),
  BG: codes(" (bg), "),
  KIB_WORK_EAGER: codes(" KiB work (eager), "),
  KIB_NOW: codes(" KiB now, "),
  PCT_UTIL: codes("% util"),
  COMMA_SP: codes(", "),
  KIB_TOTAL: codes(" KiB total, "),
  CONTROLLER_RESET: codes(" [controller reset]"),
  PACER_COLON: codes("pacer: "),
  ASSIST_RATIO: codes("assist ratio="),
  SP_PAREN_SCAN: codes(" (scan "),
  MB_IN: codes(" MB in "),
  MB_WORKERS: codes(" MB) workers="),
  SWEEP_DONE_AT_HEAP_SIZE: codes("sweep done at heap size "),
  MB_ALLOCATED: codes("MB; allocated "),
  MB_DURING_SWEEP_SWEPT: codes("MB during sweep; swept "),
  PAGES_AT: codes(" pages at "),
  PAGES_BYTE: codes(" pages/byte"),
  PCT_CPU: codes("% CPU ("),
  EXP_FOR: codes(" exp.) for "),
  B_WORK: codes(" B work ("),
  B_EXP_IN: codes(" B exp.) in "),
  SP_B_ARROW: codes(" B -> "),
  SP_B_PAREN: codes(" B ("),
  GOAL_SP: codes("goal "),
  CONS_MARK: codes(", cons/mark "),
  TRUE: codes("true"),
  FALSE: codes("false"),
  SCHED_SP: codes("SCHED "),
  MS: codes("ms:"),
  TWO_SP: codes("  "),
  STATUS: codes("status="),
  SCHEDTICK: codes(" schedtick="),
  SYSCALLTICK: codes(" syscalltick="),
  M: codes(" m="),
  RUNQSIZE: codes(" runqsize="),
  GFREECNT: codes(" gfreecnt="),
  TIMERSLEN: codes(" timerslen="),
  P: codes("p="),
  CURG: codes(" curg="),
  MALLOCING: codes(" mallocing="),
  THROWING: codes(" throwing="),
  PREEMPTOFF: codes(" preemptoff="),
  DYING: codes(" dying="),
  SPINNING: codes(" spinning="),
  BLOCKED: codes(" blocked="),
  LOCKEDG: codes(" lockedg="),
  LOCKEDM: codes(" lockedm="),
  NIL: codes("nil"),
  MINUS_ONE: codes("-1"),
  LEAK: codes(" (checking for goroutine leaks)"),
};

/** `l` at `p`: the position after it, or -1. */
function lit(s: string, p: number, e: number, l: Uint8Array): number {
  const n = l.length;
  if (p < 0) return -1;
  if (p + n > e) {
    R.hi = FAR;
    return -1;
  }
  for (let k = 0; k < n; k++) {
    if (s.charCodeAt(p + k) !== l[k]) {
      saw(p + k);
      return -1;
    }
  }
  return p + n;
}

/** The single character `c` at `p`. */
function ch(s: string, p: number, e: number, c: number): number {
  if (p < 0) return -1;
  if (p < e && s.charCodeAt(p) === c) return p + 1;
  saw(p < e ? p : FAR);
  return -1;
}

/** Strict `uint` limited to 1–15 digits (below 2^53): no leading zero. */
function num(s: string, p: number, e: number): number {
  if (p < 0) return -1;
  const st = p;
  let v = 0;
  while (p < e) {
    const c = s.charCodeAt(p);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    p++;
  }
  const n = p - st;
  if (n === 0 || n > 15 || (n > 1 && s.charCodeAt(st) === 48)) {
    if (n > 15) R.soft = true;
    saw(p < e ? p : FAR);
    return -1;
  }
  R.v = v;
  return p;
}

/** Strict `int`: an optional `-`, then {@link num} (`-0` stays `-0`, as there). */
function int(s: string, p: number, e: number): number {
  if (p >= 0 && p < e && s.charCodeAt(p) === 45) {
    p = num(s, p + 1, e);
    R.v = -R.v;
    return p;
  }
  return num(s, p, e);
}

/** Strict `ms` (`fmtNSAsMS`): `0`, whole ms >= 10, or two significant digits with 1–3 decimals. */
function msv(s: string, p: number, e: number): number {
  if (p < 0) return -1;
  const st = p;
  let v = 0;
  while (p < e) {
    const c = s.charCodeAt(p);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    p++;
  }
  const n = p - st;
  if (n === 0 || (n > 1 && s.charCodeAt(st) === 48)) {
    saw(p < e ? p : FAR);
    return -1;
  }
  if (p >= e || s.charCodeAt(p) !== 46) {
    if (n > 15) R.soft = true;
    if (n > 15 || (v > 0 && v < 10)) {
      saw(p < e ? p : FAR);
      return -1;
    }
    R.v = v;
    return p;
  }
  if (n > 1) {
    saw(p);
    return -1;
  }
  p++;
  const f = p;
  while (p < e) {
    const c = s.charCodeAt(p);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    p++;
  }
  const d = p - f;
  if (d < 1 || d > 3 || v < 1 || v > 99 || (d < 3 && v < 10)) {
    saw(p < e ? p : FAR);
    return -1;
  }
  R.v = v / (POW10[d] as number);
  return p;
}

/** Strict `secs3` (`itoaDiv(ms, 3)`): digits, a point, exactly three decimals; at most 15 digits. */
function secs(s: string, p: number, e: number): number {
  if (p < 0) return -1;
  const st = p;
  let v = 0;
  while (p < e) {
    const c = s.charCodeAt(p);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    p++;
  }
  const n = p - st;
  if (n === 0 || n > 12 || (n > 1 && s.charCodeAt(st) === 48)) {
    if (n > 12) R.soft = true;
    saw(p < e ? p : FAR);
    return -1;
  }
  if (p + 4 > e) {
    R.hi = FAR;
    return -1;
  }
  for (let k = 0; k <= 3; k++) {
    const c = s.charCodeAt(p + k);
    if (k === 0 ? c !== 46 : c < 48 || c > 57) {
      saw(p + k);
      return -1;
    }
    if (k > 0) v = v * 10 + (c - 48);
  }
  p += 4;
  if (p < e) {
    const c = s.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      saw(p);
      return -1;
    }
  }
  R.v = v / 1000;
  return p;
}

function skipDigits(s: string, p: number, e: number): number {
  while (p < e) {
    const c = s.charCodeAt(p);
    if (c < 48 || c > 57) break;
    p++;
  }
  return p;
}

/** Strict `float`: the legacy `printfloat` syntax or Go 1.26's shortest one (and NaN, ±Inf). */
function flt(s: string, p: number, e: number): number {
  if (p < 0) return -1;
  const st = p;
  let c = p < e ? s.charCodeAt(p) : -1;
  if (c === 78 || c === 43 || c === 45) {
    let q = lit(s, p, e, L.NAN);
    if (q < 0) q = lit(s, p, e, L.PLUS_INF);
    if (q < 0) q = lit(s, p, e, L.MINUS_INF);
    if (q >= 0) {
      R.v = c === 78 ? Number.NaN : c === 43 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      return q;
    }
  }
  let signed = false;
  if (c === 43 || c === 45) {
    signed = true;
    p++;
  }
  let q = skipDigits(s, p, e);
  const intDigits = q - p;
  if (intDigits === 0) {
    saw(q < e ? q : FAR);
    return -1;
  }
  p = q;
  let fracDigits = -1;
  if (p < e && s.charCodeAt(p) === 46) {
    q = skipDigits(s, p + 1, e);
    fracDigits = q - p - 1;
    if (fracDigits === 0) {
      saw(q < e ? q : FAR);
      return -1;
    }
    p = q;
  }
  let expDigits = -1;
  let expNeg = false;
  if (p < e && s.charCodeAt(p) === 101) {
    p++;
    c = p < e ? s.charCodeAt(p) : -1;
    expNeg = c === 45;
    if (c !== 43 && c !== 45) {
      saw(p < e ? p : FAR);
      return -1;
    }
    q = skipDigits(s, p + 1, e);
    expDigits = q - p - 1;
    if (expDigits === 0) {
      saw(q < e ? q : FAR);
      return -1;
    }
    p = q;
  }
  if (signed && intDigits === 1 && fracDigits === 6 && expDigits === 3) R.legacy = true;
  else if (signed && s.charCodeAt(st) === 43) {
    saw(p < e ? p : FAR);
    return -1;
  }
  // Up to 15 significant digits and a power of ten up to 10^22: the mantissa and the
  // power are exact doubles, so one multiplication or division is the correctly
  // rounded value, the same double Number() gives for the text.
  const frac = Math.max(fracDigits, 0);
  if (intDigits + frac <= 15 && expDigits <= 3) {
    const ds = signed ? st + 1 : st;
    const intEnd = ds + intDigits;
    let m = 0;
    for (let k = ds; k < intEnd; k++) m = m * 10 + (s.charCodeAt(k) - 48);
    for (let k = intEnd + 1; k <= intEnd + frac; k++) m = m * 10 + (s.charCodeAt(k) - 48);
    let scale = -frac;
    if (expDigits > 0) {
      let x = 0;
      for (let k = p - expDigits; k < p; k++) x = x * 10 + (s.charCodeAt(k) - 48);
      scale += expNeg ? -x : x;
    }
    if (scale >= -22 && scale <= 22) {
      const v = scale >= 0 ? m * (POW10[scale] as number) : m / (POW10[-scale] as number);
      R.v = s.charCodeAt(st) === 45 ? -v : v;
      return p;
    }
  }
  R.v = Number(s.slice(st, p));
  return p;
}

/** Strict `big`: an optionally negative integer of at most 20 digits, exactly. */
function big(s: string, p: number, e: number): number {
  if (p < 0) return -1;
  const st = p;
  if (p < e && s.charCodeAt(p) === 45) p++;
  const d = p;
  let v = 0;
  while (p < e) {
    const c = s.charCodeAt(p);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    p++;
  }
  const n = p - d;
  if (n === 0 || n > 20 || (n > 1 && s.charCodeAt(d) === 48)) {
    saw(p < e ? p : FAR);
    return -1;
  }
  R.b = n <= 15 ? BigInt(d === st ? v : -v) : BigInt(s.slice(st, p));
  return p;
}

/** `gctrace=1`, Go 1.6+ (three clock phases, five CPU figures). */
/**
 * After {@link gcOrReject}, {@link pacerOrReject} or {@link scavOrReject} returned `null`: the highest index whose character the
 * refusal depended on, or a huge number when it depended on where the window ends.
 * Any text with the same characters up to that index is refused too.
 */
export function rejectedAt(): number {
  return R.hi;
}

/** A refusal: certain (`null`) unless a reader refused only for length. `p >= 0` means text was left over. */
function refuse(p: number): null | undefined {
  if (p >= 0) R.hi = FAR;
  return R.soft ? undefined : null;
}

export function fastGc(s: string, start: number, e: number, line: number): GcEvent | undefined {
  return gcOrReject(s, start, e, line) ?? undefined;
}

/**
 * {@link fastGc}, but `null` when the strict `parseGc` certainly refuses the line
 * too, so the caller can skip it (this matters when the repair logic tries many cuts
 * of a split line). `undefined` means "ask the strict parser": the line has a shape
 * the fast path leaves to it (`gc #1`, five clock phases, a number too long to read
 * here).
 */
export function gcOrReject(
  s: string,
  start: number,
  e: number,
  line: number,
): GcEvent | null | undefined {
  R.soft = false;
  R.hi = -1;
  let p = lit(s, start, e, L.GC_SP);
  if (p < 0) return null;
  // Tolerated by the strict parser only.
  if (p < e && s.charCodeAt(p) === 35) return undefined;
  p = num(s, p, e);
  const cycle = R.v;
  p = lit(s, p, e, L.SP_AT);
  p = secs(s, p, e);
  const startSeconds = R.v;
  p = lit(s, p, e, L.S_SP);
  p = num(s, p, e);
  const cpuPercent = R.v;
  p = ch(s, p, e, 37); // %
  if (p < 0 || cpuPercent > 100) {
    saw(p - 1); // cpuPercent > 100: decided by the text up to the `%`
    return R.soft ? undefined : null;
  }
  let goroutineLeakCheck = false;
  if (p < e && s.charCodeAt(p) === 32) {
    p = lit(s, p, e, L.LEAK);
    goroutineLeakCheck = true;
  }
  p = lit(s, p, e, L.COLON_SP);
  p = msv(s, p, e);
  const c0 = R.v;
  p = ch(s, p, e, 43);
  p = msv(s, p, e);
  const c1 = R.v;
  p = ch(s, p, e, 43);
  p = msv(s, p, e);
  const c2 = R.v;
  // Go 1.5's five clock phases: the strict parser's.
  if (p >= 0 && p < e && s.charCodeAt(p) === 43) return undefined;
  p = lit(s, p, e, L.MS_CLOCK);
  if (p < 0) return R.soft ? undefined : null;
  p = msv(s, p, e);
  const u0 = R.v;
  p = ch(s, p, e, 43);
  p = msv(s, p, e);
  const u1 = R.v;
  p = ch(s, p, e, 47);
  p = msv(s, p, e);
  const u2 = R.v;
  p = ch(s, p, e, 47);
  p = msv(s, p, e);
  const u3 = R.v;
  p = ch(s, p, e, 43);
  p = msv(s, p, e);
  const u4 = R.v;
  // After three clock phases the strict parser wants exactly these CPU separators.
  p = lit(s, p, e, L.MS_CPU);
  if (p < 0) return R.soft ? undefined : null;
  p = num(s, p, e);
  const heapBeforeMB = R.v;
  p = lit(s, p, e, L.ARROW);
  p = num(s, p, e);
  const heapAfterMB = R.v;
  p = lit(s, p, e, L.ARROW);
  p = num(s, p, e);
  const heapLiveMB = R.v;
  p = lit(s, p, e, L.MB);
  p = num(s, p, e);
  const heapGoalMB = R.v;
  p = lit(s, p, e, L.MB_GOAL);
  p = num(s, p, e);
  let procs = R.v;
  let stacksMB = -1;
  let globalsMB = -1;
  const q = lit(s, p, e, L.MB_STACKS);
  if (q >= 0) {
    stacksMB = procs;
    p = num(s, q, e);
    globalsMB = R.v;
    p = lit(s, p, e, L.MB_GLOBALS);
    p = num(s, p, e);
    procs = R.v;
  }
  p = lit(s, p, e, L.SP_P);
  let forced = false;
  if (p >= 0 && p < e) {
    p = lit(s, p, e, L.FORCED);
    forced = true;
  }
  if (p !== e) {
    if (p >= 0) R.hi = FAR; // more text: depends on where it ends
    return R.soft ? undefined : null;
  }
  // The same keys in the same order as the strict parser's event (stacks and
  // globals last), built in one literal each: no property added later.
  if (stacksMB >= 0)
    return {
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
      forced,
      goroutineLeakCheck,
      stacksMB,
      globalsMB,
    };
  return {
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
    forced,
    goroutineLeakCheck,
  };
}

/** Go 1.25+ `gctrace=2` scan lines, both forms. */
export function fastScan(s: string, start: number, e: number, line: number): ScanEvent | undefined {
  let p = lit(s, start, e, L.SCAN_COLON);
  if (p < 0) return undefined;
  let scope: ScanEvent["scope"];
  let classBytes = -1;
  let q = lit(s, p, e, L.TOTAL_SP);
  if (q >= 0) scope = "total";
  else {
    q = lit(s, p, e, L.CLASS_L);
    if (q >= 0) scope = "large";
    else {
      scope = "class";
      q = num(s, lit(s, p, e, L.CLASS_SP), e);
      classBytes = R.v;
      q = lit(s, q, e, L.B_SP);
    }
  }
  p = num(s, q, e);
  const a = R.v;
  if (p < 0) return undefined;
  let ev: ScanEvent;
  if (p < e && s.charCodeAt(p) === 43) {
    p = num(s, p + 1, e);
    const b = R.v;
    p = ch(s, p, e, 43);
    p = num(s, p, e);
    const c = R.v;
    p = ch(s, p, e, 61);
    p = num(s, p, e);
    const objects = R.v;
    p = lit(s, p, e, L.SP_OBJS_COMMA);
    p = num(s, p, e);
    const sa = R.v;
    p = ch(s, p, e, 43);
    p = num(s, p, e);
    const sb = R.v;
    p = ch(s, p, e, 61);
    p = num(s, p, e);
    const spans = R.v;
    p = lit(s, p, e, L.SPANS);
    if (p !== e) return undefined;
    if (classBytes >= 0)
      return {
        kind: "scan",
        line,
        scope,
        objects,
        objectsBreakdown: [a, b, c],
        spans,
        spansBreakdown: [sa, sb],
        classBytes,
      };
    return {
      kind: "scan",
      line,
      scope,
      objects,
      objectsBreakdown: [a, b, c],
      spans,
      spansBreakdown: [sa, sb],
    };
  } else {
    p = lit(s, p, e, L.SP_OBJS);
    if (p !== e) return undefined;
    ev = { kind: "scan", line, scope, objects: a };
  }
  if (classBytes >= 0) ev.classBytes = classBytes;
  return ev;
}

/** `scavtrace=1`, both the Go 1.21+ and the older form. */
export function fastScav(s: string, start: number, e: number, line: number): ScavEvent | undefined {
  return scavOrReject(s, start, e, line) ?? undefined;
}

/** {@link fastScav}, or `null` when the strict `parseScav` certainly refuses the line too. */
export function scavOrReject(
  s: string,
  start: number,
  e: number,
  line: number,
): ScavEvent | null | undefined {
  R.soft = false;
  R.hi = -1;
  let p = lit(s, start, e, L.SCAV_SP);
  p = num(s, p, e);
  if (p < 0) return refuse(p);
  // The strict parser looks at up to 4 characters here, window or not.
  saw(p + 4 <= e ? p + 3 : FAR);
  let generation = -1;
  let first = R.v;
  // Go 1.15-1.17 print the generation first (decided as the strict parser does).
  if (!s.startsWith(" KiB", p) && p < e && s.charCodeAt(p) === 32) {
    generation = first;
    p = num(s, p + 1, e);
    first = R.v;
  }
  p = lit(s, p, e, L.KIB_WORK);
  let ev: ScavEvent;
  const q = generation < 0 ? lit(s, p, e, L.BG) : -1;
  if (q >= 0) {
    p = num(s, q, e);
    const workEagerKiB = R.v;
    p = lit(s, p, e, L.KIB_WORK_EAGER);
    p = num(s, p, e);
    const releasedKiB = R.v;
    p = lit(s, p, e, L.KIB_NOW);
    p = num(s, p, e);
    const utilPercent = R.v;
    p = lit(s, p, e, L.PCT_UTIL);
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
    p = lit(s, p, e, L.COMMA_SP);
    p = num(s, p, e);
    const releasedKiB = R.v;
    p = lit(s, p, e, L.KIB_TOTAL);
    p = num(s, p, e);
    const utilPercent = R.v;
    p = lit(s, p, e, L.PCT_UTIL);
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
  if (p >= 0 && p < e) {
    const f = lit(s, p, e, L.FORCED);
    if (f >= 0) {
      p = f;
      ev.forced = true;
    } else {
      p = lit(s, p, e, L.CONTROLLER_RESET);
      ev.controllerReset = true;
    }
  }
  if (p !== e) return refuse(p);
  if (generation >= 0) ev.generation = generation;
  return ev;
}

/** `gcpacertrace=1`: the assist, cycle (Go 1.18+) and sweep lines; the legacy form is left to the strict parser. */
export function fastPacer(
  s: string,
  start: number,
  e: number,
  line: number,
): PacerAssistEvent | PacerCycleEvent | PacerSweepEvent | undefined {
  return pacerOrReject(s, start, e, line) ?? undefined;
}

/**
 * {@link fastPacer}, or `null` when the strict `parsePacer` certainly refuses the
 * line too. The strict parser tries `assist ratio=`, `sweep done at heap size `,
 * `H_m_prev=` and then reads a number, so a line whose form letter is `a` or `s`
 * and that does not go on with that form's words is refused by it as well.
 */
export function pacerOrReject(
  s: string,
  start: number,
  e: number,
  line: number,
  latin1 = false,
): PacerAssistEvent | PacerCycleEvent | PacerSweepEvent | null | undefined {
  R.soft = false;
  R.hi = -1;
  let p = lit(s, start, e, L.PACER_COLON);
  if (p < 0) return null;
  if (p >= e) {
    R.hi = FAR;
    return null;
  }
  R.legacy = false;
  const c = s.charCodeAt(p);
  saw(p);
  if (c === 97) {
    p = lit(s, p, e, L.ASSIST_RATIO);
    p = flt(s, p, e);
    const assistRatio = R.v;
    p = lit(s, p, e, L.SP_PAREN_SCAN);
    p = num(s, p, e);
    const scanMB = R.v;
    p = lit(s, p, e, L.MB_IN);
    p = num(s, p, e);
    const heapLiveMB = R.v;
    p = lit(s, p, e, L.ARROW);
    p = num(s, p, e);
    const heapGoalMB = R.v;
    p = lit(s, p, e, L.MB_WORKERS);
    p = int(s, p, e);
    const dedicatedWorkers = R.v;
    p = ch(s, p, e, 43);
    p = flt(s, p, e);
    const fractionalWorkers = R.v;
    if (p !== e) return refuse(p);
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
      floatSyntax: R.legacy ? "legacy" : "shortest",
    };
  }
  if (c === 115) {
    p = lit(s, p, e, L.SWEEP_DONE_AT_HEAP_SIZE);
    p = num(s, p, e);
    const heapMB = R.v;
    p = lit(s, p, e, L.MB_ALLOCATED);
    p = num(s, p, e);
    const allocatedMB = R.v;
    p = lit(s, p, e, L.MB_DURING_SWEEP_SWEPT);
    p = num(s, p, e);
    const pagesSwept = R.v;
    p = lit(s, p, e, L.PAGES_AT);
    p = flt(s, p, e);
    const pagesPerByte = R.v;
    p = lit(s, p, e, L.PAGES_BYTE);
    if (p !== e) return refuse(p);
    return {
      kind: "pacer",
      form: "sweep",
      line,
      heapMB,
      allocatedMB,
      pagesSwept,
      pagesPerByte,
      floatSyntax: R.legacy ? "legacy" : "shortest",
    };
  }
  // `H_m_prev=` is the Go <= 1.17 form, and strict `int` never starts with a letter.
  if (c === 72) return undefined;
  if (c !== 45 && (c < 48 || c > 57)) return null;
  p = int(s, p, e);
  const cpuPercent = R.v;
  p = lit(s, p, e, L.PCT_CPU);
  p = int(s, p, e);
  const expectedPercent = R.v;
  p = lit(s, p, e, L.EXP_FOR);
  if (p < 0) return refuse(p);
  p = big(s, p, e);
  const heapScanWork = R.b;
  p = ch(s, p, e, 43);
  p = big(s, p, e);
  const stackScanWork = R.b;
  p = ch(s, p, e, 43);
  p = big(s, p, e);
  const globalsScanWork = R.b;
  p = lit(s, p, e, L.B_WORK);
  p = big(s, p, e);
  const expectedWork = R.b;
  p = lit(s, p, e, L.B_EXP_IN);
  p = big(s, p, e);
  const triggered = R.b;
  p = lit(s, p, e, L.SP_B_ARROW);
  p = big(s, p, e);
  const live = R.b;
  p = lit(s, p, e, L.SP_B_PAREN);
  // ∆ (U+2206, Go 1.18+) or Δ (U+0394); with `latin1` (text of bytes decoded one
  // char per byte), also their UTF-8 bytes: E2 88 86 and CE 94.
  if (latin1 && p >= 0 && p < e) p = latin1Delta(s, p, e);
  else p = p >= 0 && p < e && s.charCodeAt(p) === 0x2206 ? p + 1 : ch(s, p, e, 0x394);
  p = lit(s, p, e, L.GOAL_SP);
  p = big(s, p, e);
  const goalDelta = R.b;
  p = lit(s, p, e, L.CONS_MARK);
  p = flt(s, p, e);
  const consMark = R.v;
  p = ch(s, p, e, 41); // )
  if (p !== e) return refuse(p);
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
    floatSyntax: R.legacy ? "legacy" : "shortest",
  };
}

/** The delta character at `p` < `e`, as one char or as its UTF-8 bytes read as latin1. */
function latin1Delta(s: string, p: number, e: number): number {
  const c = s.charCodeAt(p);
  if (c === 0x2206 || c === 0x394) return p + 1;
  if (c === 0xe2) {
    if (p + 3 <= e && s.charCodeAt(p + 1) === 0x88 && s.charCodeAt(p + 2) === 0x86) return p + 3;
  } else if (c === 0xce) {
    if (p + 2 <= e && s.charCodeAt(p + 1) === 0x94) return p + 2;
  }
  saw(p);
  return -1;
}

/** Strict `optId`: a number, or `nil` / `-1` for none (in `R.id`). */
function optId(s: string, p: number, e: number): number {
  if (p < 0) return -1;
  const c = p < e ? s.charCodeAt(p) : -1;
  if (c === 110 || c === 45) {
    const q = lit(s, p, e, c === 110 ? L.NIL : L.MINUS_ONE);
    if (q >= 0) {
      R.id = null;
      return q;
    }
  }
  p = num(s, p, e);
  R.id = R.v;
  return p;
}

/** Strict `bool`: `true`/`1` or `false`/`0` (in `R.flag`). */
function bool(s: string, p: number, e: number): number {
  if (p < 0 || p >= e) return -1;
  const c = s.charCodeAt(p);
  if (c === 116 || c === 49) {
    R.flag = true;
    return c === 49 ? p + 1 : lit(s, p, e, L.TRUE);
  }
  R.flag = false;
  if (c === 48) return p + 1;
  return c === 102 ? lit(s, p, e, L.FALSE) : -1;
}

/** The list read by {@link list}. */
let listOut: number[] = [];

/** Strict `bracketList`: `[ 1 2 ]` or `[1 2]` (in `listOut`). */
function list(s: string, p: number, e: number): number {
  p = ch(s, p, e, 91);
  if (p < 0) return -1;
  if (p < e && s.charCodeAt(p) === 32) p++;
  const out: number[] = [];
  for (;;) {
    if (p < e && s.charCodeAt(p) === 93) {
      p++;
      break;
    }
    p = num(s, p, e);
    if (p < 0) return -1;
    out.push(R.v);
    if (p < e && s.charCodeAt(p) === 32) p++;
    else if (!(p < e && s.charCodeAt(p) === 93)) return -1;
    if (out.length > 1 << 16) return -1;
  }
  listOut = out;
  return p;
}

/** `schedtrace=N`: the `SCHED` line, every form (the strict parser's key loop, with known keys). */
export function fastSched(
  s: string,
  start: number,
  e: number,
  line: number,
): SchedEvent | undefined {
  let p = lit(s, start, e, L.SCHED_SP);
  p = int(s, p, e);
  const timeMs = R.v;
  p = lit(s, p, e, L.MS);
  if (p < 0) return undefined;
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
  while (p < e) {
    p = ch(s, p, e, 32);
    if (p < 0) return undefined;
    if (p < e && s.charCodeAt(p) === 91) {
      if (ev.localRunqueues !== undefined) return undefined;
      p = list(s, p, e);
      if (p < 0) return undefined;
      ev.localRunqueues = listOut;
      continue;
    }
    let q = p;
    while (q < e && s.charCodeAt(q) !== 61) q++;
    if (q >= e) return undefined;
    const key = s.slice(p, q);
    p = q + 1;
    switch (key) {
      case "gomaxprocs":
        p = int(s, p, e);
        ev.gomaxprocs = R.v;
        break;
      case "idleprocs":
        p = int(s, p, e);
        ev.idleprocs = R.v;
        break;
      case "threads":
        p = int(s, p, e);
        ev.threads = R.v;
        break;
      case "spinningthreads":
        p = int(s, p, e);
        ev.spinningthreads = R.v;
        break;
      case "needspinning":
        p = int(s, p, e);
        ev.needspinning = R.v;
        break;
      case "idlethreads":
        p = int(s, p, e);
        ev.idlethreads = R.v;
        break;
      case "runqueue":
        p = int(s, p, e);
        ev.runqueue = R.v;
        break;
      case "nmidlelocked":
        p = int(s, p, e);
        ev.nmidlelocked = R.v;
        break;
      case "stopwait":
        p = int(s, p, e);
        ev.stopwait = R.v;
        break;
      case "gcwaiting":
        p = bool(s, p, e);
        ev.gcwaiting = R.flag;
        break;
      case "sysmonwait":
        p = bool(s, p, e);
        ev.sysmonwait = R.flag;
        break;
      case "schedticks":
        p = list(s, p, e);
        ev.schedticks = listOut;
        break;
      default:
        return undefined;
    }
    if (p < 0) return undefined;
  }
  return schedComplete(ev) ? ev : undefined;
}

/** `scheddetail=1` P, M and G lines. */
export function fastDetail(
  s: string,
  start: number,
  e: number,
  line: number,
): SchedPEvent | SchedMEvent | SchedGEvent | undefined {
  let p = lit(s, start, e, L.TWO_SP);
  if (p < 0 || p >= e) return undefined;
  const which = s.charCodeAt(p);
  p = num(s, p + 1, e);
  const id = R.v;
  p = lit(s, p, e, L.COLON_SP);
  if (p < 0) return undefined;
  if (which === 80 /* P */) {
    p = lit(s, p, e, L.STATUS);
    p = num(s, p, e);
    const status = R.v;
    p = lit(s, p, e, L.SCHEDTICK);
    p = num(s, p, e);
    const schedtick = R.v;
    p = lit(s, p, e, L.SYSCALLTICK);
    p = num(s, p, e);
    const syscalltick = R.v;
    p = lit(s, p, e, L.M);
    p = optId(s, p, e);
    const m = R.id;
    p = lit(s, p, e, L.RUNQSIZE);
    p = num(s, p, e);
    const runqsize = R.v;
    p = lit(s, p, e, L.GFREECNT);
    p = num(s, p, e);
    const gfreecnt = R.v;
    let timerslen = -1;
    if (p >= 0 && p < e) {
      p = num(s, lit(s, p, e, L.TIMERSLEN), e);
      timerslen = R.v;
    }
    if (p !== e) return undefined;
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
    if (timerslen >= 0) ev.timerslen = timerslen;
    return ev;
  }
  if (which === 77 /* M */) {
    p = lit(s, p, e, L.P);
    p = optId(s, p, e);
    const mp = R.id;
    p = lit(s, p, e, L.CURG);
    p = optId(s, p, e);
    const curg = R.id;
    p = lit(s, p, e, L.MALLOCING);
    p = int(s, p, e);
    const mallocing = R.v;
    p = lit(s, p, e, L.THROWING);
    p = int(s, p, e);
    const throwing = R.v;
    p = lit(s, p, e, L.PREEMPTOFF);
    if (p < 0) return undefined;
    // A free-form string up to the first " locks=" (as the strict parser reads it).
    const at = s.indexOf(" locks=", p);
    if (at < 0 || at + 7 > e) return undefined;
    const preemptoff = s.slice(p, at);
    p = int(s, at + 7, e);
    const locks = R.v;
    p = lit(s, p, e, L.DYING);
    p = int(s, p, e);
    const dying = R.v;
    if (p >= 0 && p + 1 < e && s.charCodeAt(p + 1) === 104) return undefined; // helpgc: strict parser
    p = lit(s, p, e, L.SPINNING);
    p = bool(s, p, e);
    const spinning = R.flag;
    p = lit(s, p, e, L.BLOCKED);
    p = bool(s, p, e);
    const blocked = R.flag;
    p = lit(s, p, e, L.LOCKEDG);
    p = optId(s, p, e);
    const lockedg = R.id;
    if (p !== e) return undefined;
    return {
      kind: "M",
      line,
      id,
      p: mp,
      curg,
      mallocing,
      throwing,
      preemptoff,
      locks,
      dying,
      spinning,
      blocked,
      lockedg,
    };
  }
  if (which === 71 /* G */) {
    p = lit(s, p, e, L.STATUS);
    p = num(s, p, e);
    const status = R.v;
    p = ch(s, p, e, 40);
    if (p < 0) return undefined;
    // The wait reason may hold parentheses: it ends at the last ") m=" (as the strict parser reads it).
    const close = s.lastIndexOf(") m=", e);
    if (close < p) return undefined;
    const waitReason = s.slice(p, close);
    p = optId(s, close + 4, e);
    const m = R.id;
    p = lit(s, p, e, L.LOCKEDM);
    p = optId(s, p, e);
    const lockedm = R.id;
    if (p !== e) return undefined;
    return { kind: "G", line, id, status, waitReason, m, lockedm };
  }
  return undefined;
}

/** Whether a SCHED line gave every field the summary needs (unset ones stay -1). */
export function schedComplete(ev: SchedEvent): boolean {
  return (
    ev.gomaxprocs >= 0 &&
    ev.idleprocs >= 0 &&
    ev.threads >= 0 &&
    ev.idlethreads >= 0 &&
    ev.runqueue >= 0
  );
}

/**
 * Formatters: the inverse of the parsers, one per event kind, writing the line the
 * same runtime printer would write. `parseGcTrace(formatGcTraceEvent(e))` yields `e`
 * again (up to `line` and `repaired`), which the property tests check.
 */
import { GcTraceError, GcTraceErrorCode } from "./errors.js";
import type {
  FloatSyntax,
  GcEvent,
  GcTraceEvent,
  PacerEvent,
  ScanEvent,
  ScavEvent,
  SchedEvent,
  SchedGEvent,
  SchedMEvent,
  SchedPEvent,
  ScvgEvent,
} from "./events.js";

/** Formats a non-negative decimal the way `itoaDiv`/`fmtNSAsMS` would (no exponent). */
function fmtDec(v: number): string {
  const s = String(v);
  if (!s.includes("e")) return s;
  return v.toFixed(20).replace(/\.?0+$/, "");
}

/**
 * Formats a duration the way `fmtNSAsMS` (src/runtime/mgc.go) does: whole ms from
 * 10 up, otherwise two significant digits with at most three decimals (so 0.1 ms is
 * written `0.10`, as the runtime would).
 */
function fmtMs(v: number): string {
  if (v === 0) return "0";
  if (v >= 10) return fmtDec(Math.round(v));
  if (v >= 1) return v.toFixed(1);
  if (v >= 0.1) return v.toFixed(2);
  return v.toFixed(3);
}

/**
 * Go's `strconv.FormatFloat(v, 'g', -1, 64)`, which the Go 1.26 runtime uses for
 * `print(float64)` (src/runtime/print.go): shortest digits, `%e` form when the
 * exponent is < -4 or >= 6 (the precision used for shortest), with at least two
 * exponent digits.
 */
export function formatGoFloatShortest(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const sign = v < 0 ? "-" : "";
  const [mant, expStr] = Math.abs(v).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
  }
  const dp = exp + 1; // digits before the decimal point
  if (dp <= 0) return `${sign}0.${"0".repeat(-dp)}${digits}`;
  if (digits.length <= dp) return `${sign}${digits}${"0".repeat(dp - digits.length)}`;
  return `${sign}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/**
 * The pre-1.26 runtime `printfloat` syntax (src/runtime/print.go): sign, one digit,
 * six decimals, `e`, sign, three exponent digits, e.g. `+2.500000e-001`.
 */
export function formatGoFloatLegacy(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  const neg = v < 0 || Object.is(v, -0);
  const [mant, expStr] = Math.abs(v).toExponential(6).split("e") as [string, string];
  const exp = Number(expStr);
  const ae = String(Math.abs(exp)).padStart(3, "0");
  return `${neg ? "-" : "+"}${mant}e${exp < 0 ? "-" : "+"}${ae}`;
}

function fmtFloat(v: number, syntax: FloatSyntax): string {
  return syntax === "legacy" ? formatGoFloatLegacy(v) : formatGoFloatShortest(v);
}

function id(v: number | null): string {
  return v === null ? "nil" : String(v);
}

function formatGc(e: GcEvent): string {
  const c = e.cpuMs.map(fmtMs);
  let cpu: string;
  if (c.length === 5) cpu = `${c[0]}+${c[1]}/${c[2]}/${c[3]}+${c[4]}`;
  else if (c.length === 7) cpu = `${c[0]}+${c[1]}+${c[2]}+${c[3]}/${c[4]}/${c[5]}+${c[6]}`;
  else throw new GcTraceError(GcTraceErrorCode.InvalidEvent, "gc event needs 5 or 7 cpu figures");
  const extra =
    e.stacksMB !== undefined && e.globalsMB !== undefined
      ? `${e.stacksMB} MB stacks, ${e.globalsMB} MB globals, `
      : "";
  return (
    `gc ${e.cycle} @${e.startSeconds.toFixed(3)}s ${e.cpuPercent}%` +
    (e.goroutineLeakCheck ? " (checking for goroutine leaks)" : "") +
    `: ${e.clockMs.map(fmtMs).join("+")} ms clock, ${cpu} ms cpu, ` +
    `${e.heapBeforeMB}->${e.heapAfterMB}->${e.heapLiveMB} MB, ${e.heapGoalMB} MB goal, ` +
    `${extra}${e.procs} P${e.forced ? " (forced)" : ""}`
  );
}

function formatPacer(e: PacerEvent): string {
  const f = (v: number) => fmtFloat(v, e.floatSyntax);
  switch (e.form) {
    case "assist":
      return (
        `pacer: assist ratio=${f(e.assistRatio)} (scan ${e.scanMB} MB in ${e.heapLiveMB}->` +
        `${e.heapGoalMB} MB) workers=${e.dedicatedWorkers}+${f(e.fractionalWorkers)}`
      );
    case "sweep":
      return (
        `pacer: sweep done at heap size ${e.heapMB}MB; allocated ${e.allocatedMB}MB during sweep; ` +
        `swept ${e.pagesSwept} pages at ${f(e.pagesPerByte)} pages/byte`
      );
    case "legacy":
      return (
        `pacer: H_m_prev=${e.heapMarkedPrev} h_t=${f(e.triggerRatio)} H_T=${e.trigger} ` +
        `h_a=${f(e.actualGrowth)} H_a=${e.heapLive} h_g=${f(e.goalGrowth)} H_g=${e.heapGoal} ` +
        `u_a=${f(e.utilization)} u_g=${f(e.goalUtilization)} W_a=${e.scanWork} ` +
        `goal\u0394=${f(e.goalDelta)} actual\u0394=${f(e.actualDelta)} u_a/u_g=${f(e.utilizationRatio)}`
      );
    case "cycle":
      return (
        `pacer: ${e.cpuPercent}% CPU (${e.expectedPercent} exp.) for ${e.heapScanWork}+` +
        `${e.stackScanWork}+${e.globalsScanWork} B work (${e.expectedWork} B exp.) in ` +
        `${e.triggered} B -> ${e.live} B (\u2206goal ${e.goalDelta}, cons/mark ${f(e.consMark)})`
      );
  }
}

function formatScvg(e: ScvgEvent): string {
  const head = `${e.forcedPrefix ? "forced " : ""}scvg${e.id === null ? "" : e.id}: `;
  if (e.form === "released") return `${head}${e.releasedMB} MB released`;
  return (
    `${head}inuse: ${e.inuseMB ?? 0}, idle: ${e.idleMB ?? 0}, sys: ${e.sysMB ?? 0}, ` +
    `released: ${e.releasedMB}, consumed: ${e.consumedMB ?? 0} (MB)`
  );
}

function formatScav(e: ScavEvent): string {
  const gen = e.generation === undefined ? "" : `${e.generation} `;
  const body =
    e.workBgKiB !== undefined
      ? `${e.workBgKiB} KiB work (bg), ${e.workEagerKiB ?? 0} KiB work (eager), ${e.releasedKiB} KiB now, `
      : `${e.workKiB ?? 0} KiB work, ${e.releasedKiB} KiB total, `;
  const tail = e.forced ? " (forced)" : e.controllerReset ? " [controller reset]" : "";
  return `scav ${gen}${body}${e.utilPercent}% util${tail}`;
}

function formatScan(e: ScanEvent): string {
  const scope =
    e.scope === "total"
      ? "total "
      : e.scope === "large"
        ? "class L "
        : `class ${e.classBytes ?? 0}B `;
  if (e.objectsBreakdown !== undefined && e.spansBreakdown !== undefined) {
    const [a, b, c] = e.objectsBreakdown;
    const [sa, sb] = e.spansBreakdown;
    return `scan: ${scope}${a}+${b}+${c}=${e.objects} objs, ${sa}+${sb}=${e.spans ?? 0} spans`;
  }
  return `scan: ${scope}${e.objects} objs`;
}

function formatSched(e: SchedEvent): string {
  let s = `SCHED ${e.timeMs}ms: gomaxprocs=${e.gomaxprocs} idleprocs=${e.idleprocs} threads=${e.threads}`;
  if (e.spinningthreads !== undefined) s += ` spinningthreads=${e.spinningthreads}`;
  if (e.needspinning !== undefined) s += ` needspinning=${e.needspinning}`;
  s += ` idlethreads=${e.idlethreads} runqueue=${e.runqueue}`;
  if (e.gcwaiting !== undefined) s += ` gcwaiting=${e.gcwaiting}`;
  if (e.nmidlelocked !== undefined) s += ` nmidlelocked=${e.nmidlelocked}`;
  if (e.stopwait !== undefined) s += ` stopwait=${e.stopwait}`;
  if (e.sysmonwait !== undefined) s += ` sysmonwait=${e.sysmonwait}`;
  // Go 1.25 switched to the spaced `[ 0 0 ]` form when it added schedticks.
  const spaced = e.schedticks !== undefined;
  if (e.localRunqueues !== undefined) {
    s += spaced ? ` [ ${e.localRunqueues.join(" ")} ]` : ` [${e.localRunqueues.join(" ")}]`;
  }
  if (e.schedticks !== undefined)
    s += ` schedticks=[ ${e.schedticks.map((t) => `${t} `).join("")}]`;
  return s;
}

function formatP(e: SchedPEvent): string {
  return (
    `  P${e.id}: status=${e.status} schedtick=${e.schedtick} syscalltick=${e.syscalltick} ` +
    `m=${id(e.m)} runqsize=${e.runqsize} gfreecnt=${e.gfreecnt}` +
    (e.timerslen === undefined ? "" : ` timerslen=${e.timerslen}`)
  );
}

function formatM(e: SchedMEvent): string {
  return (
    `  M${e.id}: p=${id(e.p)} curg=${id(e.curg)} mallocing=${e.mallocing} throwing=${e.throwing} ` +
    `preemptoff=${e.preemptoff} locks=${e.locks} dying=${e.dying}` +
    (e.helpgc === undefined ? "" : ` helpgc=${e.helpgc}`) +
    ` spinning=${e.spinning} blocked=${e.blocked} lockedg=${id(e.lockedg)}`
  );
}

function formatG(e: SchedGEvent): string {
  return `  G${e.id}: status=${e.status}(${e.waitReason}) m=${id(e.m)} lockedm=${id(e.lockedm)}`;
}

/**
 * Formats one event as the runtime would print it (without the newline).
 * `other` events give back their text.
 */
export function formatGcTraceEvent(e: GcTraceEvent): string {
  switch (e.kind) {
    case "gc":
      return formatGc(e);
    case "pacer":
      return formatPacer(e);
    case "scvg":
      return formatScvg(e);
    case "scav":
      return formatScav(e);
    case "scan":
      return formatScan(e);
    case "sched":
      return formatSched(e);
    case "P":
      return formatP(e);
    case "M":
      return formatM(e);
    case "G":
      return formatG(e);
    case "init":
      return `init ${e.pkg} @${fmtMs(e.atMs)} ms, ${fmtMs(e.clockMs)} ms clock, ${e.bytes} bytes, ${e.allocs} allocs`;
    case "forced":
      return "GC forced";
    case "other":
      return e.text;
    default:
      throw new GcTraceError(
        GcTraceErrorCode.InvalidEvent,
        `unknown event kind ${String((e as { kind?: unknown }).kind)}`,
      );
  }
}

/** Formats events as trace text, one line each, every line ending in `\n`. */
export function formatGcTrace(events: Iterable<GcTraceEvent>): string {
  let s = "";
  for (const e of events) s += `${formatGcTraceEvent(e)}\n`;
  return s;
}

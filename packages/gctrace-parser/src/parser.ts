/**
 * The incremental parser: lines in, events out, with repair of trace lines that the
 * program's own writes split in the middle.
 *
 * Why lines get split: the runtime's `print` (src/runtime/print.go) writes every
 * argument with its own `write(2)` call on fd 2, and `printlock` only serialises the
 * runtime's own printers. A program writing to stderr from another thread can land
 * between any two arguments, e.g. `gc 12 @0.5s 3%: ` + `hello\n` + `0.1+0.2+...`.
 * Because each argument is a single write, a split never falls inside a number or a
 * literal word; the parser uses that to rule out impossible reassemblies.
 *
 * Three shapes are repaired:
 * 1. the line holds a trace prefix followed by program text, and the remainder of the
 *    trace line arrives as a later line (possibly after whole program lines);
 * 2. program text without a newline precedes a trace line on the same line;
 * 3. the program wrote text without a newline just before the runtime's final `\n`
 *    (the trace line ends with program text and no remainder ever comes).
 */
import { GcTraceError, GcTraceErrorCode } from "./errors.js";
import type { GcTraceEvent, OtherEvent } from "./events.js";
import { lastParseImprecise, lastRejectedAt, parseTraceLine, tracePrefixAt } from "./parse-line.js";

/** Options of {@link GcTraceParser} and the `parseGcTrace*` functions. */
export interface GcTraceParseOptions {
  /** Reassemble trace lines split by program output (default `true`). */
  repair?: boolean;
  /**
   * How many following lines a partial trace line waits for its remainder
   * (default 32, 1–4096). Output behind a waiting line is held back that long.
   */
  repairWindow?: number;
  /** Most diagnostics kept (default 100, 0–100000). */
  maxDiagnostics?: number;
  /** Number of the first line (default 1). */
  firstLine?: number;
}

/** A recoverable anomaly noticed while parsing. */
export interface GcTraceDiagnostic {
  /** 1-based line it refers to. */
  line: number;
  /** What happened. */
  code: "unrepaired-split" | "imprecise-number" | "long-line";
  /** Human-readable explanation. */
  message: string;
}

/** Lines longer than this are never considered for repair (they stay `other`). */
const MAX_REPAIR_LINE = 4096;
/** At most this many partial lines wait at once. */
const MAX_PENDING = 4;

/**
 * Program text may contain a trace line's start somewhere in the middle (shape 2).
 * Only strong starts are searched for, so ordinary prose is not cut up.
 */
const EMBEDDED_START =
  /gc #?\d+ @|pacer: |scav \d|(?:forced )?scvg-?\d*: |scan: |SCHED \d|init \S+ @|GC forced| {2}[PMG]\d+: /g;

class Pending {
  line: number;
  text: string;
  /** Program text that preceded the trace start on the same line (shape 2). */
  lead: string;
  /** Shortest prefix of `text` that can be kept as trace text. */
  minKeep: number;
  /** Cycle number a `gc` line here should carry (last one seen before it, plus one), or -1. */
  nextCycle: number;
  constructor(line: number, text: string, lead: string, minKeep: number, nextCycle: number) {
    this.line = line;
    this.text = text;
    this.lead = lead;
    this.minKeep = minKeep;
    this.nextCycle = nextCycle;
  }
}

type Held = GcTraceEvent | Pending | GcTraceEvent[];

/** 1 for digits and '.', 2 for ASCII letters, 0 otherwise. */
function charClass(c: number): number {
  if ((c >= 48 && c <= 57) || c === 46) return 1;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return 2;
  return 0;
}

/**
 * Whether trace text can be cut between `a[k-1]` and `b[bStart]`. The runtime writes
 * each number and each literal in one `write`, and no two adjacent pieces of any
 * printer join digit to digit or letter to letter, so such a cut is impossible.
 * (Digit-to-letter cuts do happen: `SCHED ` + `12` + `ms: ...`, `  P` + `0` + `: ...`.)
 */
function canSplit(a: string, k: number, b: string, bStart: number): boolean {
  if (k === 0 || bStart >= b.length) return true;
  const x = charClass(a.charCodeAt(k - 1));
  return x === 0 || x !== charClass(b.charCodeAt(bStart));
}

/** At the end of a trace line (before its `\n`), only a number cannot continue. */
function canEnd(t: string, k: number): boolean {
  return !(charClass(t.charCodeAt(k - 1)) === 1 && charClass(t.charCodeAt(k)) === 1);
}

function endsWith(s: string, end: number, suffix: string): boolean {
  return s.startsWith(suffix, end - suffix.length);
}

/**
 * Whether a line that starts with the trace prefix `t` starts with and ends with
 * `text` could parse, judged by its end only: each strict parser consumes its whole
 * line, so it ends with what the printer writes last (`gc`: ` P` or ` P (forced)`,
 * `init`: ` allocs`, ...). Lines ending with a number or an id may end any kind of
 * `pacer:`, `SCHED` and P/M/G line, so those are only checked loosely. A `false`
 * is certain; `true` means "try". Short texts are always tried (their end would
 * involve `t`).
 */
function mayEnd(t: string, text: string): boolean {
  let end = text.length;
  // parseTraceLine drops one trailing CR.
  if (end > 0 && text.charCodeAt(end - 1) === 13) end--;
  if (end < 32) return true;
  const last = text.charCodeAt(end - 1);
  const digit = last >= 48 && last <= 57;
  switch (t.charCodeAt(0)) {
    case 103: // gc
      return endsWith(text, end, " P") || endsWith(text, end, " P (forced)");
    case 112: // pacer: cycle `)`, sweep ` pages/byte`, assist and legacy a float
      return (
        digit ||
        last === 41 ||
        endsWith(text, end, " pages/byte") ||
        endsWith(text, end, "NaN") ||
        endsWith(text, end, "Inf")
      );
    case 115: // scan: / scav / scvg
      if (t.startsWith("scan: "))
        return endsWith(text, end, " objs") || endsWith(text, end, " spans");
      if (t.startsWith("scav "))
        return (
          endsWith(text, end, "% util") ||
          endsWith(text, end, "% util (forced)") ||
          endsWith(text, end, "% util [controller reset]")
        );
      return endsWith(text, end, " MB released") || endsWith(text, end, " (MB)");
    case 102: // forced scvg
      return endsWith(text, end, " MB released") || endsWith(text, end, " (MB)");
    case 105: // init
      return endsWith(text, end, " allocs");
    case 32: // P/M/G: a number, `nil` or `-1`
      return digit || endsWith(text, end, "nil");
    case 83: // SCHED: a number, `]`, `true`/`false`
      return digit || last === 93 || endsWith(text, end, "true") || endsWith(text, end, "false");
    default:
      return true;
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Whether `s[start:end]` is all ASCII. */
function isAscii(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

function other(line: number, text: string): OtherEvent {
  return { kind: "other", line, text };
}

function checkInt(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new GcTraceError(
      GcTraceErrorCode.InvalidOption,
      `option ${name} must be an integer in [${min}, ${max}], got ${String(v)}`,
    );
  }
  return v;
}

/**
 * Incremental GODEBUG trace parser. Feed it lines with {@link GcTraceParser.push}
 * and collect events; call {@link GcTraceParser.end} when the input is over.
 *
 * Events come out in input order. While a split trace line waits for its
 * remainder, later events are held back (at most `repairWindow` lines).
 *
 * @example
 * ```ts
 * const p = new GcTraceParser();
 * const out: GcTraceEvent[] = [];
 * p.push("gc 1 @0.001s 15%: 0.12+0.46+0.030 ms clock, 0.25+0.14/0.22/0+0.060 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P", out);
 * p.end(out);
 * ```
 */
export class GcTraceParser {
  /** Recoverable anomalies, capped at `maxDiagnostics`. */
  readonly diagnostics: GcTraceDiagnostic[] = [];
  /** Number of diagnostics that did not fit in {@link GcTraceParser.diagnostics}. */
  droppedDiagnostics = 0;
  private nextLine: number;
  private readonly repair: boolean;
  private readonly window: number;
  private readonly maxDiagnostics: number;
  private readonly pending: Pending[] = [];
  private readonly held: Held[] = [];
  /** Cycle number of the last `gc` event, used to choose between ambiguous repairs. */
  private lastCycle = 0;

  constructor(options: GcTraceParseOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new GcTraceError(GcTraceErrorCode.InvalidOption, "options must be an object");
    }
    this.repair = options.repair ?? true;
    if (typeof this.repair !== "boolean") {
      throw new GcTraceError(GcTraceErrorCode.InvalidOption, "option repair must be a boolean");
    }
    this.window = checkInt("repairWindow", options.repairWindow ?? 32, 1, 4096);
    this.maxDiagnostics = checkInt("maxDiagnostics", options.maxDiagnostics ?? 100, 0, 100_000);
    this.nextLine = checkInt("firstLine", options.firstLine ?? 1, 0, Number.MAX_SAFE_INTEGER);
  }

  /** The number the next pushed line will get. */
  get line(): number {
    return this.nextLine;
  }

  /**
   * Parses one line (without its newline), given as the window `s[start:end]`
   * (whole `s` by default), appending finished events to `out`.
   */
  push(s: string, out: GcTraceEvent[], start = 0, end = s.length): void {
    const line = this.nextLine++;
    const ev = parseTraceLine(s, start, end, line);
    if (ev !== undefined) this.parsed(ev, line, out);
    else this.unparsed(start === 0 && end === s.length ? s : s.slice(start, end), line, out);
  }

  /**
   * @internal The byte stream's {@link GcTraceParser.push}: `s` is bytes decoded one
   * char per byte (latin1), so chars above 0x7f are pieces of UTF-8 sequences. Takes
   * the line when that gives what its UTF-8 text would: it is all ASCII, or it is a
   * pacer line whose only non-ASCII is the delta character, or an event whose
   * free text (wait reason, preemptoff, package) is ASCII. Otherwise returns `false`
   * and leaves the parser as it was: the caller decodes the line as UTF-8 and pushes that.
   */
  pushLatin1(s: string, out: GcTraceEvent[], start: number, end: number): boolean {
    const line = this.nextLine;
    const ev = parseTraceLine(s, start, end, line, true);
    if (ev !== undefined) {
      switch (ev.kind) {
        case "G":
          if (!isAscii(ev.waitReason, 0, ev.waitReason.length)) return false;
          break;
        case "M":
          if (!isAscii(ev.preemptoff, 0, ev.preemptoff.length)) return false;
          break;
        case "init":
          if (!isAscii(ev.pkg, 0, ev.pkg.length)) return false;
          break;
      }
      this.nextLine++;
      this.parsed(ev, line, out);
      return true;
    }
    const text = start === 0 && end === s.length ? s : s.slice(start, end);
    // A regular expression scans a one-byte string faster than a charCodeAt loop.
    if (NON_ASCII.test(text)) return false;
    this.nextLine++;
    this.unparsed(text, line, out);
    return true;
  }

  private parsed(ev: GcTraceEvent, line: number, out: GcTraceEvent[]): void {
    if (ev.kind === "gc") this.lastCycle = ev.cycle;
    if (lastParseImprecise)
      this.diagnose(line, "imprecise-number", "an integer above 2^53 was rounded");
    this.emit(ev, out);
    if (this.pending.length > 0) this.expire(line, out);
  }

  /** A line that is not one whole trace line: repair, or program text. */
  private unparsed(text: string, line: number, out: GcTraceEvent[]): void {
    if (!this.repair) {
      this.emit(other(line, text), out);
      return;
    }
    if (text.length > MAX_REPAIR_LINE) {
      this.diagnose(
        line,
        "long-line",
        `line of ${text.length} characters not considered for repair`,
      );
      this.emit(other(line, text), out);
      if (this.pending.length > 0) this.expire(line, out);
      return;
    }
    if (this.pending.length === 0 || !this.complete(text, out)) {
      this.classify(line, text, out);
    }
    if (this.pending.length > 0) this.expire(line, out);
  }

  /** Finishes the input: resolves every waiting partial line and flushes events to `out`. */
  end(out: GcTraceEvent[]): void {
    while (this.pending.length > 0) this.giveUp(this.pending[0] as Pending, out);
    this.flush(out);
  }

  /** The cycle the next `gc` line should carry, or -1 before any `gc` line was seen. */
  private expectedCycle(): number {
    return this.lastCycle > 0 ? this.lastCycle + 1 : -1;
  }

  private diagnose(line: number, code: GcTraceDiagnostic["code"], message: string): void {
    if (this.diagnostics.length < this.maxDiagnostics)
      this.diagnostics.push({ line, code, message });
    else this.droppedDiagnostics++;
  }

  private emit(ev: GcTraceEvent, out: GcTraceEvent[]): void {
    if (this.held.length === 0) out.push(ev);
    else this.held.push(ev);
  }

  /** A line that is neither a trace line nor a remainder: start of a split line, or program text. */
  private classify(line: number, text: string, out: GcTraceEvent[]): void {
    const prefix = tracePrefixAt(text, 0);
    if (prefix !== undefined) {
      this.wait(new Pending(line, text, "", prefix.length, this.expectedCycle()), out);
      return;
    }
    // Shape 2: program text without newline, then a trace line.
    EMBEDDED_START.lastIndex = 1;
    let m = EMBEDDED_START.exec(text);
    while (m !== null) {
      const i = m.index;
      if (i > 0) {
        const ev = parseTraceLine(text, i, text.length, line);
        if (ev !== undefined) {
          ev.repaired = true;
          if (ev.kind === "gc") this.lastCycle = ev.cycle;
          this.emit(other(line, text.slice(0, i)), out);
          this.emit(ev, out);
          return;
        }
        const p = tracePrefixAt(text, i);
        if (p !== undefined) {
          this.wait(
            new Pending(line, text.slice(i), text.slice(0, i), p.length, this.expectedCycle()),
            out,
          );
          return;
        }
      }
      m = EMBEDDED_START.exec(text);
    }
    this.emit(other(line, text), out);
  }

  private wait(p: Pending, out: GcTraceEvent[]): void {
    if (this.pending.length >= MAX_PENDING) this.giveUp(this.pending[0] as Pending, out);
    this.pending.push(p);
    this.held.push(p);
  }

  /** Shape 1: try `text` as the remainder of each waiting line, newest first. */
  private complete(text: string, out: GcTraceEvent[]): boolean {
    for (let j = this.pending.length - 1; j >= 0; j--) {
      const p = this.pending[j] as Pending;
      const t = p.text;
      // Every cut below keeps the trace prefix and ends with `text`: when `text`
      // cannot end a line of that kind, none of them can parse.
      if (!mayEnd(t, text)) continue;
      let best: GcTraceEvent | undefined;
      let bestK = -1;
      for (let k = t.length; k >= p.minKeep; k--) {
        if (!canSplit(t, k, text, 0)) continue;
        const joined = t.slice(0, k) + text;
        const ev = parseTraceLine(joined, 0, joined.length, p.line);
        if (ev === undefined) {
          // Refused for what it holds up to index f < k, which every longer cut
          // down to f + 1 shares: go straight to cut f.
          const f = lastRejectedAt;
          if (f >= 0 && f < k) k = f + 1;
          continue;
        }
        if (best === undefined) {
          best = ev;
          bestK = k;
        }
        // Several cuts can parse when the program's text starts with digits
        // (`gc 2` + `19 allocated...`). The longest cut wins unless a shorter one
        // continues the cycle numbering.
        if (ev.kind !== "gc" || ev.cycle === p.nextCycle) {
          best = ev;
          bestK = k;
          break;
        }
      }
      if (best !== undefined) {
        this.accept(p, best, bestK, out);
        return true;
      }
    }
    return false;
  }

  private accept(p: Pending, ev: GcTraceEvent, k: number, out: GcTraceEvent[]): void {
    ev.repaired = true;
    if (ev.kind === "gc") this.lastCycle = ev.cycle;
    const evs: GcTraceEvent[] = [];
    if (p.lead !== "") evs.push(other(p.line, p.lead));
    evs.push(ev, other(p.line, p.text.slice(k)));
    this.resolve(p, evs, out);
  }

  /** Resolves waiting lines that have waited `repairWindow` lines. */
  private expire(line: number, out: GcTraceEvent[]): void {
    while (this.pending.length > 0 && line - (this.pending[0] as Pending).line >= this.window) {
      this.giveUp(this.pending[0] as Pending, out);
    }
  }

  /**
   * No remainder came. Shape 3: the line may be a whole trace line followed by program
   * text written just before the runtime's newline. Otherwise it is program text.
   */
  private giveUp(p: Pending, out: GcTraceEvent[]): void {
    const t = p.text;
    let best: GcTraceEvent | undefined;
    let bestK = -1;
    for (let k = t.length - 1; k >= p.minKeep; k--) {
      if (!canEnd(t, k)) continue;
      const ev = parseTraceLine(t, 0, k, p.line);
      if (ev === undefined) continue;
      if (best === undefined) {
        best = ev;
        bestK = k;
      }
      if (ev.kind !== "gc" || ev.cycle === p.nextCycle) {
        best = ev;
        bestK = k;
        break;
      }
    }
    if (best !== undefined) {
      this.accept(p, best, bestK, out);
      return;
    }
    if (p.lead === "" && t.length > p.minKeep + 2) {
      this.diagnose(
        p.line,
        "unrepaired-split",
        "line starts like a trace line but could not be parsed or repaired",
      );
    }
    this.resolve(p, [other(p.line, p.lead + t)], out);
  }

  private resolve(p: Pending, evs: GcTraceEvent[], out: GcTraceEvent[]): void {
    const i = this.pending.indexOf(p);
    if (i >= 0) this.pending.splice(i, 1);
    const h = this.held.indexOf(p);
    if (h >= 0) this.held[h] = evs;
    this.flush(out);
  }

  /** Emits held events up to the first still-waiting line. */
  private flush(out: GcTraceEvent[]): void {
    let n = 0;
    const held = this.held;
    while (n < held.length) {
      const h = held[n] as Held;
      if (h instanceof Pending) break;
      if (Array.isArray(h)) for (const e of h) out.push(e);
      else out.push(h);
      n++;
    }
    if (n > 0) held.splice(0, n);
  }
}

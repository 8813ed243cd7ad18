// Pieces shared by the text parsers: options, the "not this format" result
// that lets the dispatcher try the next parser (google/pprof's
// errUnrecognized), hex address lists, and the debug=1 extras runtime/pprof
// prints as comments (symbol lines and `# labels:`), which google/pprof's
// legacy parser skips and this package keeps.

import { PprofError, PprofErrorCode } from "../errors.js";
import { parseGoLabelSet } from "./go-string.js";
import {
  diagnose,
  type LFunction,
  type LLine,
  type LLocation,
  type LProfile,
  type LSample,
} from "./legacy-model.js";

/** Options for the text-format parsers. */
export interface TextParseOptions {
  /**
   * Attach the function, file and line of runtime/pprof's `#\t0x…\tname+0x…\tfile:line`
   * comment lines to the matching locations (default `true`). With `false`
   * (and `labels: false`) the result is exactly what google/pprof's `Parse` builds.
   */
  symbols?: boolean;
  /** Keep `# labels: {…}` comment lines as string labels of their sample (default `true`). */
  labels?: boolean;
  /** Also copy a heap profile's `# runtime.MemStats` trailer into the profile's comments (default `false`). */
  memStatsComments?: boolean;
}

/** Returned by a parser whose format does not match the input (google/pprof's errUnrecognized). */
export interface Unrecognized {
  readonly unrecognized: true;
  /** Why the parser gave up. */
  readonly reason: string;
  /** 1-based line where it gave up. */
  readonly line: number;
}

/** A {@link Unrecognized} result. */
export function unrecognized(reason: string, line: number): Unrecognized {
  return { unrecognized: true, reason, line };
}

/** True when `x` is an {@link Unrecognized} result. */
export function isUnrecognized(x: unknown): x is Unrecognized {
  return typeof x === "object" && x !== null && (x as Unrecognized).unrecognized === true;
}

/** A text-format error at `line`. */
export function badText(message: string, line: number, cause?: unknown): PprofError {
  return new PprofError(
    PprofErrorCode.BadText,
    message,
    cause !== undefined ? { line, cause } : { line },
  );
}

const U64 = (1n << 64n) - 1n;

/**
 * parseHexAddresses: every `0x[0-9a-f]+` in `s` as uint64; throws when one
 * does not fit 64 bits (Go reports that as a malformed profile).
 */
export function parseHexAddresses(s: string, line: number): bigint[] {
  const out: bigint[] = [];
  for (const m of s.matchAll(/0x[0-9a-f]+/g)) {
    const v = BigInt(m[0]);
    if (v > U64) throw badText(`address ${m[0]} does not fit in 64 bits`, line);
    out.push(v);
  }
  return out;
}

/**
 * strconv.ParseInt(s, 0, 64) for the digit strings the legacy regexps
 * capture: a leading 0 means octal, as in Go. `undefined` when invalid or out of range.
 */
export function parseIntBase0(s: string): bigint | undefined {
  let v: bigint;
  if (/^[0-9]+$/.test(s)) {
    if (s.length > 1 && s[0] === "0") {
      if (!/^[0-7]+$/.test(s)) return undefined;
      v = BigInt(`0o${s.slice(1)}`);
    } else {
      v = BigInt(s);
    }
  } else if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(s)) {
    const neg = s[0] === "-";
    v = BigInt(s.replace(/^[+-]/, ""));
    if (neg) v = -v;
  } else if (/^[+-][0-9]+$/.test(s)) {
    const r = parseIntBase0(s.slice(1));
    if (r === undefined) return undefined;
    v = s[0] === "-" ? -r : r;
  } else {
    return undefined;
  }
  return v < -(1n << 63n) || v > (1n << 63n) - 1n ? undefined : v;
}

/** A symbol comment line of a runtime/pprof debug=1 profile (runtime/pprof/pprof.go printStackRecord). */
export interface SymbolLine {
  pc: bigint;
  name: string | undefined;
  file: string;
  line: number;
}

/**
 * Parses a symbol comment line, or returns `undefined` when `line` is not
 * one: "#\t0x53bc10\tpkg.fn+0x30\tfile.go:122" with columns padded by
 * tabwriter with more tabs, or "#\t0x0" when the PC has no symbol. Split by
 * hand rather than by a backtracking regexp, which a long line could stall.
 */
export function parseSymbolLine(line: string): SymbolLine | undefined {
  if (!line.startsWith("#\t")) return undefined;
  const cols = line
    .slice(1)
    .replace(/[\t ]+$/, "")
    .split(/\t+/);
  // cols[0] is the empty text before the first tab.
  const pcText = cols[1] ?? "";
  if (!/^0x[0-9a-f]+$/.test(pcText)) return undefined;
  const pc = BigInt(pcText);
  if (pc > U64) return undefined;
  if (cols.length === 2) return { pc, name: undefined, file: "", line: 0 };
  if (cols.length !== 4) return undefined;
  const nameOff = cols[2] as string;
  const plus = nameOff.lastIndexOf("+0x");
  if (plus <= 0 || !/^[0-9a-f]+$/.test(nameOff.slice(plus + 3))) return undefined;
  const fileLine = cols[3] as string;
  const colon = fileLine.lastIndexOf(":");
  const lineText = fileLine.slice(colon + 1);
  if (colon < 0 || !/^[0-9]+$/.test(lineText)) return undefined;
  return {
    pc,
    name: nameOff.slice(0, plus),
    file: fileLine.slice(0, colon),
    line: Number(lineText),
  };
}

/**
 * Collects the comment lines that follow a debug=1 sample and, when the
 * sample ends, attaches them: symbol lines become the lines of the location
 * whose (already decremented) address equals the printed PC, consecutive
 * lines with one PC being inlined calls innermost first; `# labels:` becomes
 * string labels.
 */
export class Debug1Extras {
  readonly #p: LProfile;
  readonly #symbols: boolean;
  readonly #labels: boolean;
  readonly #functions = new Map<string, LFunction>();
  #sample: LSample | undefined;
  #sampleLine = 0;
  #pending: SymbolLine[] = [];
  /** True once any location received symbols. */
  symbolized = false;

  constructor(p: LProfile, options: TextParseOptions) {
    this.#p = p;
    this.#symbols = options.symbols ?? true;
    this.#labels = options.labels ?? true;
  }

  /** Starts collecting for `sample` (flushing the previous one). */
  begin(sample: LSample, line: number): void {
    this.flush();
    this.#sample = sample;
    this.#sampleLine = line;
  }

  /** Offers a comment line; returns true when it was used. */
  comment(line: string, lineNo: number): boolean {
    const s = this.#sample;
    if (!s) return false;
    if (line.startsWith("# labels: ")) {
      if (!this.#labels) return true;
      const set = parseGoLabelSet(line.slice("# labels: ".length));
      if (set) s.labels.push(...set);
      else diagnose(this.#p, "bad-labels", "unreadable # labels: line", lineNo);
      return true;
    }
    if (!this.#symbols) return false;
    const sym = parseSymbolLine(line);
    if (!sym) return false;
    this.#pending.push(sym);
    return true;
  }

  /** Attaches what was collected to the current sample. */
  flush(): void {
    const s = this.#sample;
    const pending = this.#pending;
    this.#sample = undefined;
    this.#pending = [];
    if (!s || pending.length === 0) return;
    let i = 0;
    while (i < pending.length) {
      const pc = (pending[i] as SymbolLine).pc;
      let j = i;
      while (j < pending.length && (pending[j] as SymbolLine).pc === pc) j++;
      const group = pending.slice(i, j).filter((x) => x.name !== undefined);
      i = j;
      if (group.length === 0) continue;
      const at = s.locations.findIndex((l: LLocation) => l.address === pc);
      const loc = s.locations[at];
      if (!loc) {
        diagnose(
          this.#p,
          "unmatched-symbol",
          `symbol line for 0x${pc.toString(16)} matches no address of its sample`,
          this.#sampleLine,
        );
        continue;
      }
      if (loc.lines.length > 0) continue;
      // Equal PCs in a row are inlined calls of one location, or the same
      // location repeated by recursion: with `c` consecutive occurrences of
      // the address in the stack, the lines split into `c` equal chunks.
      let c = 1;
      while (s.locations[at + c] === loc) c++;
      let size = group.length;
      if (c > 1 && group.length % c === 0) {
        const chunk = group.length / c;
        const same = group.every((g, k) => {
          const ref = group[k % chunk] as SymbolLine;
          return g.name === ref.name && g.file === ref.file && g.line === ref.line;
        });
        if (same) size = chunk;
      }
      loc.lines = group
        .slice(0, size)
        .map((g): LLine => ({ fn: this.#function(g.name as string, g.file), line: g.line }));
      this.symbolized = true;
    }
  }

  #function(name: string, file: string): LFunction {
    const key = `${name}\u0000${file}`;
    let f = this.#functions.get(key);
    if (!f) {
      f = { name, systemName: name, filename: file };
      this.#functions.set(key, f);
      this.#p.functions.push(f);
    }
    return f;
  }
}

/**
 * After remapping: mark the mappings that hold symbolized locations as
 * carrying functions, files, lines and inlined frames (debug=1 text lists
 * every logical frame, inlined ones included).
 */
export function markSymbolizedMappings(p: LProfile): void {
  for (const l of p.locations) {
    if (l.lines.length === 0 || !l.mapping) continue;
    const m = l.mapping;
    m.hasFunctions = true;
    m.hasFilenames = true;
    m.hasLineNumbers = true;
    m.hasInlineFrames = true;
  }
}

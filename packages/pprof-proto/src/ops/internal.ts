// Shared plumbing for the profile operations: growable sample columns, exact
// int64 arithmetic on the model's "double + sparse exact side table" values,
// label canonicalisation, and copying a profile's header fields.
//
// Nothing here is exported from the package entry.

import { PprofError, PprofErrorCode } from "../errors.js";
import { type Location, Profile, type SampleTable, type ValueType } from "../model.js";
import { StringTable } from "../string-table.js";

const SAFE = Number.MAX_SAFE_INTEGER;

/** Growable typed column (doubling). */
class Grow<T extends Float64Array | Uint32Array> {
  data: T;
  length = 0;
  readonly #make: (n: number) => T;
  constructor(make: (n: number) => T, initial = 64) {
    this.#make = make;
    this.data = make(Math.max(16, initial));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.#make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  take(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/**
 * Accumulates samples column by column. Values are written through
 * {@link setValue}/{@link addValue} so exact int64s survive.
 */
export class SampleSink {
  readonly valueCount: number;
  readonly values: Grow<Float64Array>;
  readonly exactValues = new Map<number, bigint>();
  readonly locationStarts: Grow<Uint32Array>;
  readonly locations: Grow<Uint32Array>;
  readonly labelStarts: Grow<Uint32Array>;
  readonly labelKeys: Grow<Uint32Array>;
  readonly labelStrs: Grow<Uint32Array>;
  readonly labelNums: Grow<Float64Array>;
  readonly exactLabelNums = new Map<number, bigint>();
  readonly labelUnits: Grow<Uint32Array>;
  count = 0;

  constructor(valueCount: number, expectedSamples = 64) {
    this.valueCount = valueCount;
    const f64 = (n: number) => new Float64Array(n);
    const u32 = (n: number) => new Uint32Array(n);
    this.values = new Grow(f64, expectedSamples * valueCount);
    this.locationStarts = new Grow(u32, expectedSamples + 1);
    this.locations = new Grow(u32, expectedSamples * 8);
    this.labelStarts = new Grow(u32, expectedSamples + 1);
    this.labelKeys = new Grow(u32);
    this.labelStrs = new Grow(u32);
    this.labelNums = new Grow(f64);
    this.labelUnits = new Grow(u32);
    this.locationStarts.push(0);
    this.labelStarts.push(0);
  }

  /** Appends a sample's values (all zero) and returns the sample index; then push locations and labels and call {@link end}. */
  begin(): number {
    for (let j = 0; j < this.valueCount; j++) this.values.push(0);
    return this.count;
  }

  /** Appends one location index to the open sample. */
  pushLocation(li: number): void {
    this.locations.push(li);
  }

  /** Appends one label to the open sample. */
  pushLabel(
    key: number,
    str: number,
    num: number,
    exactNum: bigint | undefined,
    unit: number,
  ): void {
    const k = this.labelKeys.length;
    this.labelKeys.push(key);
    this.labelStrs.push(str);
    this.labelNums.push(num);
    if (exactNum !== undefined) this.exactLabelNums.set(k, exactNum);
    this.labelUnits.push(unit);
  }

  /** Closes the open sample. */
  end(): void {
    this.locationStarts.push(this.locations.length);
    this.labelStarts.push(this.labelKeys.length);
    this.count++;
  }

  /** Sets value `j` of sample `i`. `exact` is required when `v` is not a safe integer. */
  setValue(i: number, j: number, v: number, exact?: bigint): void {
    const k = i * this.valueCount + j;
    this.values.data[k] = v;
    if (exact !== undefined && !(v <= SAFE && v >= -SAFE)) this.exactValues.set(k, exact);
    else if (this.exactValues.size > 0) this.exactValues.delete(k);
  }

  /** Adds to value `j` of sample `i` with int64 wrap-around, exactly. */
  addValue(i: number, j: number, v: number, exact: bigint | undefined): void {
    const k = i * this.valueCount + j;
    const cur = this.values.data[k] as number;
    const curExact = this.exactValues.get(k);
    const sum = cur + v;
    if (curExact === undefined && exact === undefined && sum <= SAFE && sum >= -SAFE) {
      this.values.data[k] = sum;
      return;
    }
    const big = BigInt.asIntN(64, (curExact ?? BigInt(cur)) + (exact ?? BigInt(v)));
    const d = Number(big);
    this.values.data[k] = d;
    if (d > SAFE || d < -SAFE) this.exactValues.set(k, big);
    else this.exactValues.delete(k);
  }

  /** Value `j` of sample `i` as a double. */
  value(i: number, j: number): number {
    return this.values.data[i * this.valueCount + j] as number;
  }

  /** The finished columns. */
  table(): SampleTable {
    return {
      count: this.count,
      valueCount: this.valueCount,
      values: this.values.take(),
      exactValues: this.exactValues,
      locationStarts: this.locationStarts.take(),
      locations: this.locations.take(),
      labelStarts: this.labelStarts.take(),
      labelKeys: this.labelKeys.take(),
      labelStrs: this.labelStrs.take(),
      labelNums: this.labelNums.take(),
      exactLabelNums: this.exactLabelNums,
      labelUnits: this.labelUnits.take(),
    };
  }
}

/** Exact value of flat index `k` of a sample table. */
export function exactAt(s: SampleTable, k: number): bigint | undefined {
  return s.exactValues.size === 0 ? undefined : s.exactValues.get(k);
}

/** True when every value of sample `i` is zero (`isZeroSample` in profile/merge.go). */
export function isZeroSample(s: SampleTable, i: number): boolean {
  const base = i * s.valueCount;
  for (let j = 0; j < s.valueCount; j++) if ((s.values[base + j] as number) !== 0) return false;
  return true;
}

/**
 * Copies sample `i` of `src` into `sink` unchanged except for its stack,
 * which is `stack` (location indices, leaf first) when given.
 */
export function copySample(
  src: SampleTable,
  i: number,
  sink: SampleSink,
  stack?: ArrayLike<number>,
): void {
  const out = sink.begin();
  const vc = src.valueCount;
  for (let j = 0; j < vc; j++) {
    const k = i * vc + j;
    sink.setValue(out, j, src.values[k] as number, exactAt(src, k));
  }
  if (stack) {
    for (let n = 0; n < stack.length; n++) sink.pushLocation(stack[n] as number);
  } else {
    for (let n = src.locationStarts[i] as number; n < (src.locationStarts[i + 1] as number); n++) {
      sink.pushLocation(src.locations[n] as number);
    }
  }
  copyLabels(src, i, sink);
  sink.end();
}

/** Copies the labels of sample `i` of `src` into the open sample of `sink` (same string table). */
export function copyLabels(src: SampleTable, i: number, sink: SampleSink): void {
  for (let n = src.labelStarts[i] as number; n < (src.labelStarts[i + 1] as number); n++) {
    sink.pushLabel(
      src.labelKeys[n] as number,
      src.labelStrs[n] as number,
      src.labelNums[n] as number,
      src.exactLabelNums.size === 0 ? undefined : src.exactLabelNums.get(n),
      src.labelUnits[n] as number,
    );
  }
}

/**
 * A new profile with `p`'s header fields (string table shared, tables
 * shared, diagnostics not carried over) and the given replacements.
 */
export function withParts(
  p: Profile,
  parts: {
    samples?: SampleTable;
    locations?: Location[];
    strings?: StringTable;
    sampleTypes?: ValueType[];
  },
): Profile {
  return new Profile({
    strings: parts.strings ?? p.strings,
    sampleTypes: parts.sampleTypes ?? p.sampleTypes.map((t) => ({ ...t })),
    samples: parts.samples ?? p.samples,
    mappings: p.mappings,
    locations: parts.locations ?? p.locations,
    functions: p.functions,
    dropFrames: p.dropFrames,
    keepFrames: p.keepFrames,
    timeNanos: p.timeNanos,
    durationNanos: p.durationNanos,
    periodType: p.periodType ? { ...p.periodType } : undefined,
    period: p.period,
    comments: p.comments.slice(),
    defaultSampleType: p.defaultSampleType,
    docUrl: p.docUrl,
  });
}

/** A private, appendable copy of a string table (so interning never touches the input). */
export function copyStrings(t: StringTable): StringTable {
  return StringTable.fromStrings(t.toArray());
}

/** Deep copy of the location table (lines arrays are fresh). */
export function copyLocations(locs: readonly Location[]): Location[] {
  return locs.map((l) => ({ ...l, lines: l.lines.map((ln) => ({ ...ln })) }));
}

const posixClasses: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

/**
 * Rewrites the RE2 constructs JS lacks: leading `(?i)`/`(?s)`/`(?m)` flag
 * groups become inline-free equivalents via flags, `[[:alpha:]]` POSIX
 * classes become ranges, `\z` becomes `$` (no multiline), `\Q…\E` is quoted.
 * Everything else (the regexps people pass to -focus) has the same meaning.
 */
function translateGoRegexp(src: string): string {
  let out = "";
  let i = 0;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  let flags = "";
  if (lead) {
    flags = lead[1] as string;
    i = lead[0].length;
  }
  while (i < src.length) {
    const c = src[i] as string;
    if (c === "\\" && src[i + 1] === "Q") {
      const end = src.indexOf("\\E", i + 2);
      const lit = src.slice(i + 2, end < 0 ? src.length : end);
      out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
      i = end < 0 ? src.length : end + 2;
      continue;
    }
    if (c === "\\" && src[i + 1] === "z") {
      out += "$";
      i += 2;
      continue;
    }
    if (c === "\\") {
      out += src.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "[" && src[i + 1] === ":") {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
      if (m && posixClasses[m[2] as string] !== undefined) {
        out += m[1] ? `[^${posixClasses[m[2] as string]}]` : `[${posixClasses[m[2] as string]}]`;
        i += m[0].length;
        continue;
      }
    }
    if (c === "[") {
      // Copy a bracket expression, expanding POSIX classes inside it.
      let j = i + 1;
      let body = "[";
      if (src[j] === "^") {
        body += "^";
        j++;
      }
      if (src[j] === "]") {
        body += "\\]";
        j++;
      }
      while (j < src.length && src[j] !== "]") {
        const m = /^\[:([a-z]+):\]/.exec(src.slice(j));
        if (m && posixClasses[m[1] as string] !== undefined) {
          body += posixClasses[m[1] as string];
          j += m[0].length;
        } else if (src[j] === "\\") {
          body += src.slice(j, j + 2);
          j += 2;
        } else {
          body += src[j];
          j++;
        }
      }
      if (j >= src.length) {
        // Unterminated: hand it over as is, so RegExp reports the error.
        out += src.slice(i);
        break;
      }
      out += `${body}]`;
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return applyFlags(out, flags);
}

/** JS has no inline flags before Node 23: encode them as a prefix the caller splits off. */
function applyFlags(body: string, flags: string): string {
  // `s` (dot matches newline) and `i` become RegExp flags; `m` too. `U` (ungreedy) is rare: ignored.
  const f = [...new Set(flags.replace("U", "").split(""))].join("");
  return f ? `${FLAG_MARK}${f}${FLAG_MARK}${body}` : body;
}

const FLAG_MARK = "\u0000";

/**
 * A JS RegExp for a Go (RE2) regexp, as `regexp.Compile` + `MatchString` use
 * it (unanchored search). `option` names the option in error messages.
 */
export function goRegExp(source: string, option: string): RegExp {
  let body: string;
  try {
    body = translateGoRegexp(source);
  } catch (e) {
    throw new PprofError(PprofErrorCode.InvalidArgument, `parsing ${option} regexp: ${e}`);
  }
  let flags = "";
  if (body.startsWith(FLAG_MARK)) {
    const end = body.indexOf(FLAG_MARK, 1);
    flags = body.slice(1, end);
    body = body.slice(end + 1);
  }
  try {
    return new RegExp(body, flags);
  } catch (e) {
    throw new PprofError(
      PprofErrorCode.InvalidArgument,
      `parsing ${option} regexp ${JSON.stringify(source)}: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/** Go's `math.Round` (half away from zero). */
export function goRound(x: number): number {
  const t = Math.trunc(x);
  const d = x - t;
  if (d >= 0.5) return t + 1;
  if (d <= -0.5) return t - 1;
  return t;
}

/** `int64(x)` for a double that is already integral, with the exact bigint when outside ±2^53. */
export function int64OfDouble(x: number): { value: number; exact: bigint | undefined } {
  if (Number.isNaN(x)) return { value: 0, exact: undefined };
  if (x <= SAFE && x >= -SAFE) return { value: x === 0 ? 0 : x, exact: undefined };
  // Go's conversion of an out-of-range float is implementation-defined; amd64 yields MinInt64.
  if (!(x < 2 ** 63 && x >= -(2 ** 63))) return { value: -(2 ** 63), exact: -(2n ** 63n) };
  return { value: x, exact: BigInt(x) };
}

/**
 * An open-addressing hash map from a pair of non-negative int32s to an int32,
 * in typed arrays (no per-entry allocation; V8 Maps with non-Smi number keys
 * are several times slower). Used to intern stacks and sample keys.
 */
export class PairTable {
  #a: Int32Array;
  #b: Int32Array;
  #v: Int32Array;
  #mask: number;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.#a = new Int32Array(cap).fill(-1);
    this.#b = new Int32Array(cap);
    this.#v = new Int32Array(cap);
    this.#mask = cap - 1;
  }

  #slot(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca6b);
    h ^= h >>> 13;
    let i = h & this.#mask;
    const keys = this.#a;
    const keys2 = this.#b;
    while (true) {
      const k = keys[i] as number;
      if (k === -1 || (k === a && keys2[i] === b)) return i;
      i = (i + 1) & this.#mask;
    }
  }

  /** The value for (a, b), or -1. */
  get(a: number, b: number): number {
    const i = this.#slot(a, b);
    return this.#a[i] === -1 ? -1 : (this.#v[i] as number);
  }

  /** Sets (a, b) -> v (v >= 0). */
  set(a: number, b: number, v: number): void {
    let i = this.#slot(a, b);
    if (this.#a[i] === -1) {
      if ((this.size + 1) * 2 > this.#a.length) {
        this.#grow();
        i = this.#slot(a, b);
      }
      this.#a[i] = a;
      this.#b[i] = b;
      this.size++;
    }
    this.#v[i] = v;
  }

  #grow(): void {
    const a = this.#a;
    const b = this.#b;
    const v = this.#v;
    const cap = a.length * 2;
    this.#a = new Int32Array(cap).fill(-1);
    this.#b = new Int32Array(cap);
    this.#v = new Int32Array(cap);
    this.#mask = cap - 1;
    for (let i = 0; i < a.length; i++) {
      const k = a[i] as number;
      if (k === -1) continue;
      const j = this.#slot(k, b[i] as number);
      this.#a[j] = k;
      this.#b[j] = b[i] as number;
      this.#v[j] = v[i] as number;
    }
  }
}

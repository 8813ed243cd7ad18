/**
 * A tiny cursor over one line of text, used by the line parsers. It is a
 * module-level singleton (the parsers are synchronous and never re-enter), which
 * keeps the per-line cost to a few integer operations and no allocation.
 *
 * Every reader returns a sentinel (`-1`, `NaN`, `undefined`) on mismatch and leaves
 * `ok` false; parsers check `cur.ok` once at the end instead of after every token.
 */

/** 10^0 .. 10^22 are exact doubles, so `n / POW10[d]` is a single correctly-rounded division. */
const POW10: number[] = [];
for (let i = 0, v = 1; i <= 22; i++, v *= 10) POW10.push(v);

const C0 = 48; // '0'
const C9 = 57; // '9'

export interface Cursor {
  s: string;
  p: number;
  end: number;
  ok: boolean;
  /** Set when a float in the legacy `+d.dddddde+ddd` syntax was read. */
  legacyFloat: boolean;
  /** Set when a float in Go 1.26's shortest syntax was read (a bare integer counts as neither). */
  shortestFloat: boolean;
  /** Set when an integer read as `number` exceeded 2^53. */
  imprecise: boolean;
}

/** The shared cursor. */
export const cur: Cursor = {
  s: "",
  p: 0,
  end: 0,
  ok: true,
  legacyFloat: false,
  shortestFloat: false,
  imprecise: false,
};

/** Points the cursor at `s[start:end]`. */
export function reset(s: string, start: number, end: number): void {
  cur.s = s;
  cur.p = start;
  cur.end = end;
  cur.ok = true;
  cur.legacyFloat = false;
  cur.shortestFloat = false;
  cur.imprecise = false;
}

/** Consumes `lit` if the text continues with it. */
export function lit(lit: string): boolean {
  const n = lit.length;
  const p = cur.p;
  if (!cur.ok || p + n > cur.end) return false;
  // A plain loop: cheaper than String.prototype.startsWith for these short literals.
  const s = cur.s;
  for (let i = 0; i < n; i++) if (s.charCodeAt(p + i) !== lit.charCodeAt(i)) return false;
  cur.p = p + n;
  return true;
}

/** Requires `lit`; marks the cursor failed otherwise. */
export function expect(l: string): void {
  if (!lit(l)) cur.ok = false;
}

/** Whether the whole window has been consumed (and nothing failed). */
export function done(): boolean {
  return cur.ok && cur.p === cur.end;
}

/** Index of the first non-digit at or after `p` (or `end`). */
function skipDigits(s: string, p: number, end: number): number {
  while (p < end) {
    const c = s.charCodeAt(p);
    if (c < C0 || c > C9) break;
    p++;
  }
  return p;
}

/** Reads an unsigned decimal integer. Returns -1 (and fails) when there is none. */
export function uint(): number {
  if (!cur.ok) return -1;
  const s = cur.s;
  let p = cur.p;
  const end = cur.end;
  let v = 0;
  const start = p;
  while (p < end) {
    const c = s.charCodeAt(p);
    if (c < C0 || c > C9) break;
    v = v * 10 + (c - C0);
    p++;
  }
  // The runtime never prints leading zeros, so "012" cannot be one number.
  if (p === start || p - start > 20 || (p - start > 1 && s.charCodeAt(start) === C0)) {
    cur.ok = false;
    return -1;
  }
  if (v > Number.MAX_SAFE_INTEGER) cur.imprecise = true;
  cur.p = p;
  return v;
}

/** Reads an optionally negative integer. Returns NaN (and fails) when there is none. */
export function int(): number {
  const neg = lit("-");
  const v = uint();
  if (v < 0) return Number.NaN;
  return neg ? -v : v;
}

/**
 * Reads `digits[.digits]` as printed by the runtime's `itoaDiv`/`fmtNSAsMS`.
 * The value is `mantissa / 10^decimals`, one correctly rounded division, so it is
 * the same double `Number(text)` would give.
 */
export function dec(): number {
  if (!cur.ok) return Number.NaN;
  const s = cur.s;
  let p = cur.p;
  const end = cur.end;
  let m = 0;
  let digits = 0;
  while (p < end) {
    const c = s.charCodeAt(p);
    if (c < C0 || c > C9) break;
    m = m * 10 + (c - C0);
    p++;
    digits++;
  }
  if (digits === 0) {
    cur.ok = false;
    return Number.NaN;
  }
  let d = 0;
  if (p < end && s.charCodeAt(p) === 46 /* . */) {
    p++;
    while (p < end) {
      const c = s.charCodeAt(p);
      if (c < C0 || c > C9) break;
      m = m * 10 + (c - C0);
      p++;
      d++;
      digits++;
    }
    if (d === 0) {
      cur.ok = false;
      return Number.NaN;
    }
  }
  if (digits > 15 || d > 22) {
    // Beyond exact-integer range: let the engine round the text correctly.
    const v = Number(s.slice(cur.p, p));
    cur.p = p;
    return v;
  }
  cur.p = p;
  return d === 0 ? m : m / (POW10[d] as number);
}

/**
 * Reads a Go float as printed by the runtime's `print(float64)`:
 * before Go 1.26 `printfloat` wrote `+1.234567e-001` (sign, 7 digits, 3-digit exponent),
 * Go 1.26 writes `strconv.AppendFloat(v, 'g', -1, 64)`. Also accepts `NaN`, `+Inf`,
 * `-Inf` and a bare integer (the pre-Go 1.10 integer worker count).
 */
export function float(): number {
  if (!cur.ok) return Number.NaN;
  const s = cur.s;
  const start = cur.p;
  const end = cur.end;
  if (lit("NaN")) return Number.NaN;
  if (lit("+Inf")) return Number.POSITIVE_INFINITY;
  if (lit("-Inf")) return Number.NEGATIVE_INFINITY;
  let p = start;
  let c = s.charCodeAt(p);
  let signed = false;
  if (c === 43 /* + */ || c === 45 /* - */) {
    signed = true;
    p++;
  }
  const intStart = p;
  p = skipDigits(s, p, end);
  const intDigits = p - intStart;
  if (intDigits === 0) {
    cur.ok = false;
    return Number.NaN;
  }
  let fracDigits = -1;
  if (p < end && s.charCodeAt(p) === 46) {
    p++;
    const f = p;
    p = skipDigits(s, p, end);
    fracDigits = p - f;
    if (fracDigits === 0) {
      cur.ok = false;
      return Number.NaN;
    }
  }
  let expDigits = -1;
  if (p < end && s.charCodeAt(p) === 101 /* e */) {
    p++;
    c = s.charCodeAt(p);
    if (c !== 43 && c !== 45) {
      cur.ok = false;
      return Number.NaN;
    }
    p++;
    const e = p;
    p = skipDigits(s, p, end);
    expDigits = p - e;
    if (expDigits === 0) {
      cur.ok = false;
      return Number.NaN;
    }
  }
  // printfloat always wrote a sign and exactly this shape; the shortest form writes
  // a sign only for negatives (a 3-digit exponent there is theoretically ambiguous).
  const legacy = signed && intDigits === 1 && fracDigits === 6 && expDigits === 3;
  if (legacy) cur.legacyFloat = true;
  else if (signed && s.charCodeAt(start) === 43) {
    // A '+' sign only ever appears in the legacy syntax.
    cur.ok = false;
    return Number.NaN;
  } else if (fracDigits >= 0 || expDigits >= 0) cur.shortestFloat = true;
  cur.p = p;
  return Number(s.slice(start, p));
}

/** Reads an optionally negative integer exactly, as a bigint. */
export function big(): bigint {
  if (!cur.ok) return 0n;
  const s = cur.s;
  const start = cur.p;
  let p = start;
  const end = cur.end;
  if (p < end && s.charCodeAt(p) === 45) p++;
  const d = p;
  p = skipDigits(s, p, end);
  if (p === d || p - d > 20 || (p - d > 1 && s.charCodeAt(d) === C0)) {
    cur.ok = false;
    return 0n;
  }
  cur.p = p;
  // Fast path: up to 15 digits fit a double exactly.
  if (p - d <= 15) {
    let v = 0;
    for (let i = d; i < p; i++) v = v * 10 + (s.charCodeAt(i) - C0);
    return BigInt(d === start ? v : -v);
  }
  return BigInt(s.slice(start, p));
}

/** Reads an id that the runtime prints as a number, `nil` (Go 1.20+) or `-1` (older). */
export function optId(): number | null {
  if (lit("nil")) return null;
  if (lit("-1")) return null;
  const v = uint();
  return v < 0 ? null : v;
}

/** Reads `true`/`false`, or the `0`/`1` older runtimes printed for integer flags. */
export function bool(): boolean {
  if (lit("true") || lit("1")) return true;
  if (lit("false") || lit("0")) return false;
  cur.ok = false;
  return false;
}

/** Returns the index of `needle` at or after the cursor within the window, or -1. */
export function find(needle: string): number {
  const i = cur.s.indexOf(needle, cur.p);
  return i < 0 || i + needle.length > cur.end ? -1 : i;
}

/**
 * Reads a duration in ms exactly as `fmtNSAsMS` (src/runtime/mgc.go) prints it:
 * `0`; whole milliseconds (>= 10) without decimals; or two significant digits with
 * at most three decimals (`0.005`, `0.091`, `0.12`, `1.2`). Anything else (say
 * `0.09118`, a number followed by program digits) is rejected, which lets the repair
 * logic find where a number really ended.
 */
export function ms(): number {
  if (!cur.ok) return Number.NaN;
  const s = cur.s;
  const start = cur.p;
  const end = cur.end;
  const intEnd = skipDigits(s, start, end);
  const intDigits = intEnd - start;
  if (intDigits === 0 || (intDigits > 1 && s.charCodeAt(start) === C0)) {
    cur.ok = false;
    return Number.NaN;
  }
  if (intEnd >= end || s.charCodeAt(intEnd) !== 46) {
    const v = uint();
    // Whole numbers are only printed for 0 and for >= 10 ms.
    if (v > 0 && v < 10) cur.ok = false;
    return v;
  }
  const fracEnd = skipDigits(s, intEnd + 1, end);
  const d = fracEnd - intEnd - 1;
  if (d < 1 || d > 3 || intDigits > 1) {
    cur.ok = false;
    return Number.NaN;
  }
  let m = 0;
  for (let i = start; i < fracEnd; i++) if (i !== intEnd) m = m * 10 + (s.charCodeAt(i) - C0);
  // dec=3 prints 1..99 (0.001-0.099); dec=2 and dec=1 print 10..99.
  if (m < 1 || m > 99 || (d < 3 && m < 10)) {
    cur.ok = false;
    return Number.NaN;
  }
  cur.p = fracEnd;
  return m / (POW10[d] as number);
}

/** Reads `itoaDiv(ms, 3)` seconds: digits, a point and exactly three decimals. */
export function secs3(): number {
  if (!cur.ok) return Number.NaN;
  const s = cur.s;
  const start = cur.p;
  const intEnd = skipDigits(s, start, cur.end);
  if (
    intEnd === start ||
    (intEnd - start > 1 && s.charCodeAt(start) === C0) ||
    s.charCodeAt(intEnd) !== 46 ||
    skipDigits(s, intEnd + 1, cur.end) !== intEnd + 4
  ) {
    cur.ok = false;
    return Number.NaN;
  }
  return dec();
}

// Unit scaling and number formatting exactly as `go tool pprof` prints them:
// google/pprof internal/measurement/measurement.go (Scale, ScaledLabel,
// Label, Percentage and the unit tables) plus the parts of Go's fmt/strconv
// they rely on ("%.2f" and "%5.2g" with round-half-even on the exact binary
// value, which JS's toFixed/toPrecision do not do).

interface Unit {
  name: string;
  aliases: readonly string[];
  factor: number;
}

interface UnitType {
  defaultUnit: Unit;
  units: readonly Unit[];
}

const SECOND = 1e9;
const unitTypes: readonly UnitType[] = [
  {
    units: [
      { name: "B", aliases: ["b", "byte"], factor: 1 },
      { name: "kB", aliases: ["kb", "kbyte", "kilobyte"], factor: 2 ** 10 },
      { name: "MB", aliases: ["mb", "mbyte", "megabyte"], factor: 2 ** 20 },
      { name: "GB", aliases: ["gb", "gbyte", "gigabyte"], factor: 2 ** 30 },
      { name: "TB", aliases: ["tb", "tbyte", "terabyte"], factor: 2 ** 40 },
      { name: "PB", aliases: ["pb", "pbyte", "petabyte"], factor: 2 ** 50 },
    ],
    defaultUnit: { name: "B", aliases: ["b", "byte"], factor: 1 },
  },
  {
    units: [
      { name: "ns", aliases: ["ns", "nanosecond"], factor: 1 },
      { name: "us", aliases: ["μs", "us", "microsecond"], factor: 1e3 },
      { name: "ms", aliases: ["ms", "millisecond"], factor: 1e6 },
      { name: "s", aliases: ["s", "sec", "second"], factor: SECOND },
      { name: "hrs", aliases: ["hour", "hr"], factor: 3600 * SECOND },
    ],
    defaultUnit: { name: "s", aliases: [], factor: SECOND },
  },
  {
    units: [
      { name: "n*GCU", aliases: ["nanogcu"], factor: 1e-9 },
      { name: "u*GCU", aliases: ["microgcu"], factor: 1e-6 },
      { name: "m*GCU", aliases: ["milligcu"], factor: 1e-3 },
      { name: "GCU", aliases: ["gcu"], factor: 1 },
      { name: "k*GCU", aliases: ["kilogcu"], factor: 1e3 },
      { name: "M*GCU", aliases: ["megagcu"], factor: 1e6 },
      { name: "G*GCU", aliases: ["gigagcu"], factor: 1e9 },
      { name: "T*GCU", aliases: ["teragcu"], factor: 1e12 },
      { name: "P*GCU", aliases: ["petagcu"], factor: 1e15 },
    ],
    defaultUnit: { name: "GCU", aliases: [], factor: 1 },
  },
];

const utf8 = new TextEncoder();

function sniffUnit(ut: UnitType, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  // Go trims a plural "s" when the string is longer than two *bytes*.
  if (utf8.encode(u).length > 2 && u.endsWith("s")) u = u.slice(0, -1);
  return ut.units.find((x) => x.aliases.includes(u));
}

function autoScale(ut: UnitType, value: number): [number, string] | undefined {
  let f = 0;
  let unit = "";
  for (const u of ut.units) {
    if (u.factor >= f && value / u.factor >= 1.0) {
      f = u.factor;
      unit = u.name;
    }
  }
  return f === 0 ? undefined : [value / f, unit];
}

function convertUnit(
  ut: UnitType,
  value: number,
  from: string,
  to: string,
): [number, string] | undefined {
  const fromUnit = sniffUnit(ut, from);
  if (!fromUnit) return undefined;
  const v = value * fromUnit.factor;
  if (to === "minimum" || to === "auto") {
    return autoScale(ut, v) ?? [v / ut.defaultUnit.factor, ut.defaultUnit.name];
  }
  const toUnit = sniffUnit(ut, to);
  if (!toUnit) return [v / ut.defaultUnit.factor, ut.defaultUnit.name];
  return [v / toUnit.factor, toUnit.name];
}

/**
 * Converts `value` (an int64, given as a double) from unit `from` to unit
 * `to` (`"minimum"`/`"auto"` pick a readable unit) and returns the scaled
 * value and the unit name to print (`""` when uninteresting). Same results as
 * google/pprof `measurement.Scale`.
 */
export function scaleValue(value: number, from: string, to: string): [number, string] {
  if (value < 0) {
    const [v, u] = scaleValue(-value, from, to);
    return [-v, u];
  }
  for (const ut of unitTypes) {
    const r = convertUnit(ut, value, from, to);
    if (r) return r;
  }
  switch (to) {
    case "count":
    case "sample":
    case "unit":
    case "minimum":
    case "auto":
      return [value, ""];
    default:
      return [value, to];
  }
}

/** `value` scaled from `from` to `to` and printed with two decimals, like `measurement.ScaledLabel`. */
export function scaledLabel(value: number, from: string, to: string): string {
  const [v, u] = scaleValue(value, from, to);
  let sv = formatFixed(v, 2);
  if (sv.endsWith(".00")) sv = sv.slice(0, -3);
  if (sv === "0" || sv === "-0") return "0";
  return sv + u;
}

/** `value` in `unit`, auto-scaled (`measurement.Label`), e.g. `900.56ms`. */
export function formatMeasurement(value: number, unit: string): string {
  return scaledLabel(value, unit, "auto");
}

/** `value` as a percentage of `total`, padded like `measurement.Percentage` (`" 5.00%"`, `"  100%"`). */
export function percentage(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return "  100%";
  if (ratio >= 1.0) return `${formatFixed(ratio, 2).padStart(5)}%`;
  return `${formatG(ratio, 2).padStart(5)}%`;
}

// ---------------------------------------------------------------------------
// Exact decimal formatting (strconv's algorithm shape: exact digits, then
// round half to even at the requested digit).

interface Digits {
  /** Decimal digits without leading zeros ("" for zero). */
  d: string;
  /** Position of the decimal point: value = 0.d × 10^dp. */
  dp: number;
  neg: boolean;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** The exact decimal expansion of a finite double. */
function exactDigits(x: number): Digits {
  const neg = x < 0 || Object.is(x, -0);
  f64[0] = Math.abs(x);
  const lo = u32[0] as number;
  const hi = u32[1] as number;
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  if (mant === 0n) return { d: "", dp: 0, neg };
  let digits: string;
  let scale: number; // value = digits × 10^-scale
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    scale = 0;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    scale = -e;
  }
  let dp = digits.length - scale;
  // Trim trailing zeros (they carry no information).
  let end = digits.length;
  while (end > 0 && digits[end - 1] === "0") end--;
  digits = digits.slice(0, end);
  if (digits === "") dp = 0;
  return { d: digits, dp, neg };
}

/** Rounds to `nd` digits, half to even, like strconv's decimal.Round. */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) {
    if (nd < 0) return { d: "", dp: 0, neg: x.neg };
    return x;
  }
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === x.d.length) {
    // Exactly halfway: round to even.
    up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else {
    up = next >= 5;
  }
  let d = x.d.slice(0, nd);
  let dp = x.dp;
  if (up) {
    let i = nd - 1;
    const arr = d.split("");
    while (i >= 0 && arr[i] === "9") {
      arr[i] = "0";
      i--;
    }
    if (i < 0) {
      arr.unshift("1");
      dp++;
    } else arr[i] = String.fromCharCode((arr[i] as string).charCodeAt(0) + 1);
    d = arr.join("");
  }
  let end = d.length;
  while (end > 0 && d[end - 1] === "0") end--;
  d = d.slice(0, end);
  if (d === "") dp = 0;
  return { d, dp, neg: x.neg };
}

function fmtF(x: Digits, prec: number): string {
  let s = x.neg ? "-" : "";
  if (x.dp > 0) {
    const m = Math.min(x.d.length, x.dp);
    s += x.d.slice(0, m) + "0".repeat(x.dp - m);
  } else s += "0";
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      s += j >= 0 && j < x.d.length ? x.d[j] : "0";
    }
  }
  return s;
}

/** Go's `fmt.Sprintf("%.{prec}f", x)`. */
export function formatFixed(x: number, prec: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "+Inf" : "-Inf";
  const d = roundDigits(exactDigits(x), exactDigits(x).dp + prec);
  return fmtF(d, prec);
}

/** Go's `fmt.Sprintf("%.{prec}g", x)` for finite x and prec >= 1. */
export function formatG(x: number, prec: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "NaN" : x > 0 ? "+Inf" : "-Inf";
  const digs = roundDigits(exactDigits(x), prec);
  let eprec = prec;
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
  const exp = digs.dp - 1;
  if (digs.d !== "" && (exp < -4 || exp >= eprec)) {
    const p = Math.min(prec, digs.d.length);
    let s = digs.neg ? "-" : "";
    s += digs.d[0] ?? "0";
    if (p - 1 > 0) s += `.${digs.d.slice(1, p).padEnd(p - 1, "0")}`;
    const e = Math.abs(exp);
    s += `e${exp < 0 ? "-" : "+"}${e < 10 ? `0${e}` : e}`;
    return s;
  }
  let p = prec;
  if (p > digs.dp) p = digs.d.length;
  return fmtF(digs, Math.max(p - digs.dp, 0));
}

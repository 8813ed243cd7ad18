// `pprof -raw` text: a port of Profile.String and its helpers in
// github.com/google/pprof/profile/profile.go, plus time.Time.String and
// time.Duration.String from Go's src/time/format.go and time.go, which that
// output embeds.

import type { Location, Mapping, Profile } from "./model.js";

/** Options for {@link toRawString}. */
export interface RawStringOptions {
  /**
   * Offset of the time zone used for the `Time:` line, in minutes east of
   * UTC, and its name. Go prints local time; the default is UTC
   * (`+0000 UTC`), which is what `TZ=UTC go tool pprof -raw` prints.
   */
  timeZone?: { offsetMinutes: number; name: string };
}

/**
 * The text `go tool pprof -raw` prints for a profile (google/pprof's
 * `Profile.String()`): comments, period, time, duration, samples with their
 * location ids and labels, locations with their lines, and mappings.
 */
export function toRawString(p: Profile, options: RawStringOptions = {}): string {
  p.strings.preload();
  const ss: string[] = [];
  for (const c of p.comments) ss.push(`Comment: ${p.string(c)}`);
  const doc = p.string(p.docUrl);
  if (doc !== "") ss.push(`Doc: ${doc}`);
  // Go's postDecode always creates a PeriodType, so an absent one prints empty.
  const pt = p.periodType;
  ss.push(`PeriodType: ${pt ? p.string(pt.type) : ""} ${pt ? p.string(pt.unit) : ""}`);
  ss.push(`Period: ${p.period}`);
  if (p.timeNanos !== 0n) ss.push(`Time: ${formatGoTime(p.timeNanos, options.timeZone)}`);
  if (p.durationNanos !== 0n) {
    // `%.4v` applies a precision of 4 to the Stringer's output: it keeps 4 runes.
    ss.push(`Duration: ${Array.from(formatGoDuration(p.durationNanos)).slice(0, 4).join("")}`);
  }
  ss.push("Samples:");
  const dflt = p.string(p.defaultSampleType);
  let sh1 = "";
  for (const t of p.sampleTypes) {
    const type = p.string(t.type);
    sh1 += `${type}/${p.string(t.unit)}${type === dflt ? "[dflt]" : ""} `;
  }
  ss.push(goTrimSpace(sh1));
  const s = p.samples;
  for (let i = 0; i < s.count; i++) {
    let sv = "";
    for (let j = 0; j < s.valueCount; j++)
      sv += ` ${p.sampleValueExact(i, j).toString().padStart(10)}`;
    sv += ": ";
    for (let k = s.locationStarts[i] as number; k < (s.locationStarts[i + 1] as number); k++) {
      sv += `${(p.locations[s.locations[k] as number] as Location).id} `;
    }
    ss.push(sv);
    const labelHeader = "                ";
    const r = p.resolveSample(i);
    if (r.labels.size > 0) {
      const ls: string[] = [];
      for (const [k, v] of r.labels) ls.push(`${k}:[${v.join(" ")}]`);
      ss.push(labelHeader + goSortStrings(ls).join(" "));
    }
    if (r.numLabels.size > 0) {
      const ls: string[] = [];
      for (const [k, v] of r.numLabels) {
        // Go pads units to the values' length once any value of the key has
        // one (encode.go postDecode), and prints "value unit" only then.
        const hasUnits = v.some((x) => x.unit !== "");
        ls.push(
          hasUnits
            ? `${k}:[${v.map((x) => `${x.exact} ${x.unit}`).join(" ")}]`
            : `${k}:[${v.map((x) => x.exact).join(" ")}]`,
        );
      }
      ss.push(labelHeader + goSortStrings(ls).join(" "));
    }
  }
  ss.push("Locations");
  for (const l of p.locations) ss.push(locationString(p, l));
  ss.push("Mappings");
  for (const m of p.mappings) ss.push(mappingString(p, m));
  return `${ss.join("\n")}\n`;
}

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

function locationString(p: Profile, l: Location): string {
  const ss: string[] = [];
  let locStr = `${l.id.toString().padStart(6)}: ${hex(l.address)} `;
  const m = l.mapping >= 0 ? p.mappings[l.mapping] : undefined;
  if (m) locStr += `M=${m.id} `;
  if (l.isFolded) locStr += "[F] ";
  if (l.lines.length === 0) ss.push(locStr);
  for (const ln of l.lines) {
    const fn = p.functions[ln.function];
    let lnStr = "??";
    if (fn) {
      const name = p.string(fn.name);
      const systemName = p.string(fn.systemName);
      lnStr = `${name} ${p.string(fn.filename)}:${ln.line}:${ln.column} s=${fn.startLine}`;
      if (name !== systemName) lnStr += `(${systemName})`;
    }
    ss.push(locStr + lnStr);
    locStr = "             ";
  }
  return ss.join("\n");
}

function mappingString(p: Profile, m: Mapping): string {
  let bits = "";
  if (m.hasFunctions) bits += "[FN]";
  if (m.hasFilenames) bits += "[FL]";
  if (m.hasLineNumbers) bits += "[LN]";
  if (m.hasInlineFrames) bits += "[IN]";
  return `${m.id}: ${hex(m.memoryStart)}/${hex(m.memoryLimit)}/${hex(m.fileOffset)} ${p.string(m.filename)} ${p.string(m.buildId)} ${bits}`;
}

/** Sorts like Go's sort.Strings (byte order of the UTF-8 encoding). */
function goSortStrings(a: string[]): string[] {
  return a.sort((x, y) => {
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const cx = x.charCodeAt(i);
      const cy = y.charCodeAt(i);
      if (cx === cy) continue;
      const sx = cx >= 0xd800 && cx <= 0xdfff;
      const sy = cy >= 0xd800 && cy <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1;
      return cx - cy;
    }
    return x.length - y.length;
  });
}

/** strings.TrimSpace for the ASCII spaces this output can contain. */
function goTrimSpace(s: string): string {
  return s.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, "");
}

/**
 * time.Duration.String (src/time/time.go): "72h3m0.5s", "1.5ms", "0s".
 * Exported for the report helpers.
 */
export function formatGoDuration(d: bigint): string {
  const neg = d < 0n;
  // Go negates in uint64, so the minimum int64 stays 2^63.
  let u = BigInt.asUintN(64, neg ? -d : d);
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return "0s";
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = "ns";
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = "\u00b5s";
    } else {
      prec = 6;
      unit = "ms";
    }
    const [frac, rest] = fmtFrac(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const [frac, rest] = fmtFrac(u, 9);
    u = rest;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** The fraction of v/10^prec without trailing zeros (and no dot when zero), and v/10^prec. */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let digits = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print ||= digit !== 0n;
    if (print) digits = digit.toString() + digits;
    v /= 10n;
  }
  return [print ? `.${digits}` : "", v];
}

/**
 * time.Time.String for `time.Unix(0, ns)` (src/time/format.go layout
 * "2006-01-02 15:04:05.999999999 -0700 MST"), in the given zone (UTC by default).
 */
export function formatGoTime(
  ns: bigint,
  zone: { offsetMinutes: number; name: string } = { offsetMinutes: 0, name: "UTC" },
): string {
  let sec = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    sec -= 1n;
  }
  const local = sec + BigInt(zone.offsetMinutes * 60);
  // Civil date from days since 1970-01-01 (Howard Hinnant's civil_from_days),
  // so every int64 instant works, unlike Date's ±8.64e15 ms range.
  let days = local / 86400n;
  let secOfDay = Number(local % 86400n);
  if (secOfDay < 0) {
    secOfDay += 86400;
    days -= 1n;
  }
  const z = Number(days) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const pad = (n: number, w = 2) => n.toString().padStart(w, "0");
  let fracStr = frac.toString().padStart(9, "0").replace(/0+$/, "");
  if (fracStr !== "") fracStr = `.${fracStr}`;
  const off = Math.abs(zone.offsetMinutes);
  const sign = zone.offsetMinutes < 0 ? "-" : "+";
  return (
    `${pad(year, 4)}-${pad(month)}-${pad(day)} ` +
    `${pad(Math.floor(secOfDay / 3600))}:${pad(Math.floor(secOfDay / 60) % 60)}:${pad(secOfDay % 60)}${fracStr} ` +
    `${sign}${pad(Math.floor(off / 60))}${pad(off % 60)} ${zone.name}`
  );
}

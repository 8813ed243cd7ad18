// Contention profiles in text: Go's block and mutex debug=1 output
// (runtime/pprof writeProfileInternal: "--- contention:" or "--- mutex:",
// "cycles/second=N", for mutex "sampling period=N", then
// "cycles count @ addrs" records with symbol comments) and the C++
// "--- contentionz" form. Values are converted as google/pprof's
// parseContention does (profile/legacy_profile.go): delays from cycles to
// nanoseconds and both values multiplied by the sampling period.

import {
  badText,
  Debug1Extras,
  markSymbolizedMappings,
  parseHexAddresses,
  parseIntBase0,
  type TextParseOptions,
  type Unrecognized,
  unrecognized,
} from "./common.js";
import { readAdditionalSections } from "./count.js";
import {
  decAddress,
  LocationsByAddress,
  type LProfile,
  newLProfile,
  parseInt64,
  toInt64,
} from "./legacy-model.js";
import { isSpaceOrComment, type LineReader, trimSpace } from "./lines.js";
import { matchContentionSample } from "./match.js";

/** Reads a contention profile, or reports it is not one. */
export function readContentionProfile(
  r: LineReader,
  options: TextParseOptions,
): LProfile | Unrecognized {
  if (!r.scan()) return unrecognized("empty input", 0);
  const first = r.text();
  if (
    !first.startsWith("--- contentionz ") &&
    !first.startsWith("--- mutex:") &&
    !first.startsWith("--- contention:")
  ) {
    return unrecognized("not a contention profile header", 1);
  }
  const p = newLProfile([
    ["contentions", "count"],
    ["delay", "nanoseconds"],
  ]);
  p.periodType = ["contentions", "count"];
  p.period = 1n;

  let cpuHz = 0n;
  while (r.scan()) {
    const t = trimSpace(r.text());
    if (isSpaceOrComment(t)) continue;
    if (t.startsWith("---")) break;
    const eq = t.indexOf("=");
    if (eq < 0) break;
    const key = trimSpace(t.slice(0, eq));
    const val = trimSpace(t.slice(eq + 1));
    const v = parseIntBase0(val);
    switch (key) {
      case "cycles/second":
        if (v === undefined) return unrecognized(`bad cycles/second ${val}`, r.line);
        cpuHz = v;
        break;
      case "sampling period":
        if (v === undefined) return unrecognized(`bad sampling period ${val}`, r.line);
        p.period = v;
        break;
      case "ms since reset":
        if (v === undefined) return unrecognized(`bad ms since reset ${val}`, r.line);
        p.durationNanos = toInt64(v * 1_000_000n);
        break;
      case "discarded samples":
        break;
      default:
        // "format" and "resolution" mark a Java contentionz profile.
        return unrecognized(`unknown contention attribute ${key}`, r.line);
    }
  }

  const locs = new LocationsByAddress(p);
  const extras = new Debug1Extras(p, options);
  for (;;) {
    const line = r.text();
    const t = trimSpace(line);
    if (t.startsWith("---")) break;
    if (isSpaceOrComment(t)) {
      extras.comment(line, r.line);
      if (!r.scan()) break;
      continue;
    }
    const m = matchContentionSample(t);
    if (!m)
      return unrecognized(`not a contention sample: ${JSON.stringify(t.slice(0, 80))}`, r.line);
    let v1 = parseInt64(m[0]);
    let v2 = parseInt64(m[1]);
    if (v1 === undefined || v2 === undefined) {
      throw badText(`malformed contention sample ${JSON.stringify(t.slice(0, 80))}`, r.line);
    }
    // Unsample: delays from cycles to nanoseconds, counts by the period.
    if (p.period > 0n) {
      if (cpuHz > 0n) {
        const cpuGHz = Number(cpuHz) / 1e9;
        const d = (Number(v1) * Number(p.period)) / cpuGHz;
        v1 = Number.isFinite(d) ? toInt64(BigInt(Math.trunc(d))) : -(1n << 63n);
      }
      v2 = toInt64(v2 * p.period);
    }
    const locations = parseHexAddresses(m[2], r.line).map((a) => locs.get(decAddress(a)));
    const sample = { values: [v2, v1], locations, labels: [], numLabels: [] };
    p.samples.push(sample);
    extras.begin(sample, r.line);
    if (!r.scan()) break;
  }
  extras.flush();
  readAdditionalSections(r, p);
  if (extras.symbolized) markSymbolizedMappings(p);
  return p;
}

// Scale and normalize, following google/pprof profile/profile.go (Scale,
// ScaleN) and profile/merge.go (Normalize).

import { PprofError, PprofErrorCode } from "../errors.js";
import type { Profile } from "../model.js";
import { copyLabels, exactAt, goRound, int64OfDouble, SampleSink, withParts } from "./internal.js";
import { checkCompatible } from "./merge.js";

/**
 * Multiplies sample values by `ratio` (one number for every sample type, or
 * one per sample type) and returns a new profile (google/pprof `ScaleN`).
 *
 * Each scaled value is `int64(math.Round(float64(v) * ratio))` (half away
 * from zero). As in Go, a sample is kept only when at least one of its
 * values whose ratio is not 1 is non-zero afterwards; when every ratio is 1
 * the result shares the input's tables. Throws `invalid-argument` when the
 * number of ratios differs from the number of sample types.
 * The result shares unchanged tables (functions, mappings, ...) with the
 * input: treat both as immutable.
 */
export function scaleProfile(p: Profile, ratio: number | readonly number[]): Profile {
  const n = p.sampleTypes.length;
  const ratios = typeof ratio === "number" ? new Array<number>(n).fill(ratio) : ratio.slice();
  if (ratios.length !== n) {
    throw new PprofError(
      PprofErrorCode.InvalidArgument,
      `mismatched scale ratios, got ${ratios.length}, want ${n}`,
    );
  }
  if (ratios.every((r) => r === 1)) return withParts(p, {});
  const s = p.samples;
  const vc = s.valueCount;
  const sink = new SampleSink(vc, s.count);
  const vals = new Float64Array(vc);
  const exacts: (bigint | undefined)[] = new Array(vc);
  for (let i = 0; i < s.count; i++) {
    let keep = false;
    for (let j = 0; j < vc; j++) {
      const k = i * vc + j;
      const r = ratios[j] as number;
      const v = s.values[k] as number;
      if (r === 1) {
        vals[j] = v;
        exacts[j] = exactAt(s, k);
        continue;
      }
      const scaled = int64OfDouble(goRound(v * r));
      vals[j] = scaled.value;
      exacts[j] = scaled.exact;
      if (scaled.value !== 0) keep = true;
    }
    if (!keep) continue;
    const out = sink.begin();
    for (let j = 0; j < vc; j++) sink.setValue(out, j, vals[j] as number, exacts[j]);
    for (let n2 = s.locationStarts[i] as number; n2 < (s.locationStarts[i + 1] as number); n2++) {
      sink.pushLocation(s.locations[n2] as number);
    }
    copyLabels(s, i, sink);
    sink.end();
  }
  return withParts(p, { samples: sink.table() });
}

/** Sum of each sample type's values over all samples (int64 with wrap-around, exact). */
export function sampleTotals(p: Profile): bigint[] {
  const s = p.samples;
  const vc = s.valueCount;
  const sums = new Float64Array(vc);
  for (let k = 0; k < s.values.length; k++)
    sums[k % vc] = (sums[k % vc] as number) + (s.values[k] as number);
  const out: bigint[] = [];
  for (let j = 0; j < vc; j++) {
    const d = sums[j] as number;
    if (s.exactValues.size === 0 && Math.abs(d) <= Number.MAX_SAFE_INTEGER) {
      out.push(BigInt(d));
      continue;
    }
    let big = 0n;
    for (let i = 0; i < s.count; i++) big += p.sampleValueExact(i, j);
    out.push(BigInt.asIntN(64, big));
  }
  return out;
}

/**
 * Scales `p` so that each sample type sums to the same total as in `base`
 * (google/pprof `Profile.Normalize`): ratio = sum(base) / sum(p) per type,
 * 0 when `p`'s sum is 0. Both profiles must be compatible (same sample and
 * period types). Returns a new profile.
 */
export function normalizeProfile(p: Profile, base: Profile): Profile {
  checkCompatible(p, base);
  const b = sampleTotals(base);
  const s = sampleTotals(p);
  const ratios = b.map((bv, j) => {
    const sv = s[j] as bigint;
    return sv === 0n ? 0 : Number(bv) / Number(sv);
  });
  return scaleProfile(p, ratios);
}

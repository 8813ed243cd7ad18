// Differential profiles the way `go tool pprof -diff_base` / `-base` build
// them (google/pprof internal/driver/fetch.go, fetchProfiles): the base's
// samples are labelled `pprof::base=true` (diff_base only), the profile is
// optionally normalized to the base, the base is negated with Scale(-1),
// and both are merged.

import type { Profile } from "../model.js";
import { copyStrings, SampleSink, withParts } from "./internal.js";
import { checkCompatible, mergeProfiles } from "./merge.js";
import { normalizeProfile, scaleProfile } from "./scale.js";

/** The label key that marks samples of a diff base (`pprof::base`). */
export const DIFF_BASE_LABEL = "pprof::base";

/** Options for {@link diffProfiles}. */
export interface DiffOptions {
  /**
   * `"diff_base"` (default) labels the base samples `pprof::base=true`, so
   * reports compute percentages against the base total (`-diff_base`);
   * `"base"` only subtracts (`-base`).
   */
  mode?: "diff_base" | "base";
  /** Scale `profile` first so its totals match the base's (`-normalize`). */
  normalize?: boolean;
}

/**
 * `profile - base` as a new profile: the base's values are negated and the
 * two are merged with google/pprof's keys. In `"base"` mode samples with the
 * same stack and labels cancel, and all-zero results are dropped. In
 * `"diff_base"` mode the base samples carry the extra `pprof::base=true`
 * label, so they stay separate (negative) samples, as in Go; reports then
 * take percentages against the base's total, and graph nodes still net the
 * two out. The profiles must be compatible (`invalid-argument` otherwise).
 */
export function diffProfiles(profile: Profile, base: Profile, options: DiffOptions = {}): Profile {
  checkCompatible(profile, base);
  let b = base;
  if ((options.mode ?? "diff_base") === "diff_base") b = setLabel(b, DIFF_BASE_LABEL, ["true"]);
  const p = options.normalize ? normalizeProfile(profile, b) : profile;
  return mergeProfiles([p, scaleProfile(b, -1)]);
}

/**
 * Sets string label `key` to exactly `values` on every sample, replacing any
 * values it had (google/pprof `Profile.SetLabel`). Returns a new profile.
 * The result shares unchanged tables (functions, mappings, ...) with the
 * input: treat both as immutable.
 */
export function setLabel(p: Profile, key: string, values: readonly string[]): Profile {
  const strings = copyStrings(p.strings);
  const k = strings.intern(key);
  const vs = values.map((v) => strings.intern(v));
  const s = p.samples;
  const sink = new SampleSink(s.valueCount, s.count);
  for (let i = 0; i < s.count; i++) {
    const out = sink.begin();
    for (let j = 0; j < s.valueCount; j++) {
      const idx = i * s.valueCount + j;
      sink.setValue(out, j, s.values[idx] as number, s.exactValues.get(idx));
    }
    for (let n = s.locationStarts[i] as number; n < (s.locationStarts[i + 1] as number); n++) {
      sink.pushLocation(s.locations[n] as number);
    }
    let placed = false;
    for (let n = s.labelStarts[i] as number; n < (s.labelStarts[i + 1] as number); n++) {
      // Only string labels of this key are replaced; a numeric label of the same key stays.
      if ((s.labelStrs[n] as number) !== 0 && strings.get(s.labelKeys[n] as number) === key) {
        if (!placed) for (const v of vs) sink.pushLabel(k, v, 0, undefined, 0);
        placed = true;
        continue;
      }
      sink.pushLabel(
        s.labelKeys[n] as number,
        s.labelStrs[n] as number,
        s.labelNums[n] as number,
        s.exactLabelNums.get(n),
        s.labelUnits[n] as number,
      );
    }
    if (!placed) for (const v of vs) sink.pushLabel(k, v, 0, undefined, 0);
    sink.end();
  }
  return withParts(p, { samples: sink.table(), strings });
}

// The report pipeline shared by top, traces, tree and flame graphs, in the
// order `go tool pprof` runs it (google/pprof internal/driver/driver.go,
// generateRawReport): pick the sample value, compute the total on the whole
// profile, then filter, then aggregate to the granularity.

import { PprofError, PprofErrorCode } from "../errors.js";
import type { Profile } from "../model.js";
import { aggregateProfile, type Granularity } from "../ops/aggregate.js";
import { DIFF_BASE_LABEL } from "../ops/diff.js";
import { type FilterOptions, filterProfile, numLabelUnits } from "../ops/filter.js";
import { copyStrings } from "../ops/internal.js";
import { basePath } from "./graph.js";
import { formatMeasurement, percentage, scaledLabel, scaleValue } from "./measurement.js";

/** Options shared by every report. */
export interface ReportOptions extends FilterOptions {
  /**
   * Which sample value to report: a sample type name (`"alloc_space"`; an
   * `inuse_` prefix is optional), an index, or absent for the profile's
   * default sample type (else the last one), like `-sample_index`.
   */
  sampleIndex?: string | number;
  /** Node granularity (default `"functions"`). */
  granularity?: Granularity;
  /** `-noinlines`: attribute inlined frames to their physical caller. */
  noInlines?: boolean;
  /** `-showcolumns`: keep column numbers at line/address granularity. */
  showColumns?: boolean;
  /** Output unit (`"minimum"` by default picks one, `"auto"` scales each value, or a unit such as `"ms"`, `"MB"`). */
  unit?: string;
  /** Time zone for the `Time:` header line (default UTC; `go tool pprof` uses the local zone). */
  timeZone?: { offsetMinutes: number; name: string };
  /** Percentages relative to the filtered profile instead of the whole one (`-relative_percentages`). */
  relativePercentages?: boolean;
}

/** The prepared state of a report. */
export interface PreparedReport {
  /** The profile after filtering and aggregation. */
  profile: Profile;
  /** Index of the reported value. */
  valueIndex: number;
  /** Sample type name of that value. */
  sampleType: string;
  /** Its unit as written in the profile. */
  sampleUnit: string;
  /** Total used for percentages (`computeTotal`). */
  total: number;
  /** Output unit currently in effect. */
  outputUnit: string;
  /** Units of numeric labels (`NumLabelUnits`), from the unfiltered profile. */
  numLabelUnits: Map<string, string>;
  /** The filters that were given, as `go tool pprof` lists them. */
  activeFilters: string[];
  /** Filter expressions that matched nothing (Go prints a warning for each). */
  warnings: string[];
  /** Options as given. */
  options: ReportOptions;
  /** The original profile (header fields). */
  source: Profile;
}

/** `Profile.SampleIndexByName`. */
export function sampleIndexOf(p: Profile, sampleIndex: string | number | undefined): number {
  const n = p.sampleTypes.length;
  if (n === 0) throw new PprofError(PprofErrorCode.InvalidArgument, "profile has no samples");
  const types = p.sampleTypes.map((t) => p.string(t.type));
  if (sampleIndex === undefined || sampleIndex === "") {
    const dst = p.string(p.defaultSampleType);
    if (dst !== "") {
      const i = types.indexOf(dst);
      if (i >= 0) return i;
    }
    return n - 1;
  }
  const asNum =
    typeof sampleIndex === "number"
      ? sampleIndex
      : /^[+-]?\d+$/.test(sampleIndex)
        ? Number(sampleIndex)
        : undefined;
  if (asNum !== undefined) {
    if (!(Number.isInteger(asNum) && asNum >= 0 && asNum < n)) {
      throw new PprofError(
        PprofErrorCode.InvalidArgument,
        `sample_index ${sampleIndex} is outside the range [0..${n - 1}]`,
      );
    }
    return asNum;
  }
  const noInuse = String(sampleIndex).replace(/^inuse_/, "");
  const i = types.findIndex((t) => t === sampleIndex || t === noInuse);
  if (i < 0) {
    throw new PprofError(
      PprofErrorCode.InvalidArgument,
      `sample_index ${JSON.stringify(sampleIndex)} must be one of: [${types.join(" ")}]`,
    );
  }
  return i;
}

/**
 * `computeTotal`: the sum of |value| over all samples, or, when samples of a
 * diff base (`pprof::base=true`) are present, over those only.
 */
export function computeTotal(p: Profile, valueIndex: number): number {
  const s = p.samples;
  const vc = s.valueCount;
  let total = 0;
  let diffTotal = 0;
  for (let i = 0; i < s.count; i++) {
    const v = Math.abs(s.values[i * vc + valueIndex] as number);
    total += v;
    if (isDiffBaseSample(p, i)) diffTotal += v;
  }
  return diffTotal > 0 ? diffTotal : total;
}

function isDiffBaseSample(p: Profile, i: number): boolean {
  const s = p.samples;
  for (let n = s.labelStarts[i] as number; n < (s.labelStarts[i + 1] as number); n++) {
    if (
      (s.labelStrs[n] as number) !== 0 &&
      p.string(s.labelKeys[n] as number) === DIFF_BASE_LABEL &&
      p.string(s.labelStrs[n] as number) === "true"
    ) {
      return true;
    }
  }
  return false;
}

/** Runs the shared part of the pipeline. */
export function prepareReport(p: Profile, options: ReportOptions = {}): PreparedReport {
  const valueIndex = sampleIndexOf(p, options.sampleIndex);
  const st = p.sampleTypes[valueIndex];
  const sampleType = st ? p.string(st.type) : "";
  const sampleUnit = st ? p.string(st.unit) : "";
  const units = numLabelUnits(p);
  const filtered = filterProfile(p, options, units);
  const total = computeTotal(options.relativePercentages ? filtered.profile : p, valueIndex);
  const aggregated = aggregateProfile(filtered.profile, options.granularity ?? "functions", {
    inlines: !options.noInlines,
    columns: options.showColumns ?? false,
    compact: false,
  });
  // newGraph's trimPath with no -trim_path/-source_path: only the
  // /proc/self/cwd prefixes go (google/pprof internal/report/source.go).
  if (
    aggregated.functions.some(
      (f) => trimDefaultPath(aggregated.string(f.filename)) !== aggregated.string(f.filename),
    )
  ) {
    // Never intern into a table the input profile shares.
    aggregated.strings = copyStrings(aggregated.strings);
    aggregated.functions = aggregated.functions.map((f) => {
      const name = aggregated.string(f.filename);
      const trimmed = trimDefaultPath(name);
      return trimmed === name ? f : { ...f, filename: aggregated.strings.intern(trimmed) };
    });
  }
  return {
    profile: aggregated,
    valueIndex,
    sampleType,
    sampleUnit,
    total,
    outputUnit: options.unit ?? "minimum",
    numLabelUnits: units,
    activeFilters: activeFilters(options),
    warnings: filtered.warnings,
    options,
    source: p,
  };
}

function trimDefaultPath(path: string): string {
  for (const prefix of ["/proc/self/cwd/./", "/proc/self/cwd/"]) {
    if (path.startsWith(prefix)) return path.slice(prefix.length);
  }
  return path;
}

function activeFilters(o: ReportOptions): string[] {
  const out: string[] = [];
  const add = (k: string, v: string | undefined) => {
    if (v) out.push(`${k}=${v}`);
  };
  add("focus", o.focus);
  add("ignore", o.ignore);
  add("hide", o.hide);
  add("show", o.show);
  add("show_from", o.showFrom);
  add("tagfocus", o.tagFocus);
  add("tagignore", o.tagIgnore);
  add("tagshow", o.tagShow);
  add("taghide", o.tagHide);
  return out;
}

/** Formats a value in the report's output unit (`rpt.formatValue`). */
export function formatValue(r: PreparedReport, v: number): string {
  return scaledLabel(v, r.sampleUnit, r.outputUnit);
}

const pad2 = (n: number) => n.toString().padStart(2, "0");

/** Go's `time.Unix(0, ns).Format("2006-01-02 15:04:05 MST")` in the given zone. */
export function formatReportTime(ns: bigint, zone = { offsetMinutes: 0, name: "UTC" }): string {
  let sec = ns / 1_000_000_000n;
  if (ns % 1_000_000_000n < 0n) sec -= 1n;
  const d = new Date((Number(sec) + zone.offsetMinutes * 60) * 1000);
  return (
    `${d.getUTCFullYear().toString().padStart(4, "0")}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${zone.name}`
  );
}

/** The profile header lines (`report.ProfileLabels`): File, Build ID, comments, Type, Doc, Time, Duration. */
export function profileLabels(r: PreparedReport): string[] {
  const p = r.source;
  const out: string[] = [];
  const m0 = p.mappings[0];
  if (m0) {
    const file = p.string(m0.filename);
    if (file !== "") out.push(`File: ${basePath(file)}`);
    const id = p.string(m0.buildId);
    if (id !== "") out.push(`Build ID: ${id}`);
  }
  for (const c of p.comments) {
    const text = p.string(c);
    if (!text.startsWith("#")) out.push(text);
  }
  if (r.sampleType !== "") out.push(`Type: ${r.sampleType}`);
  const doc = p.string(p.docUrl);
  if (doc !== "") out.push(`Doc: ${doc}`);
  if (p.timeNanos !== 0n) out.push(`Time: ${formatReportTime(p.timeNanos, r.options.timeZone)}`);
  if (p.durationNanos !== 0n) {
    const duration = formatMeasurement(Number(p.durationNanos), "nanoseconds");
    const [totalNanos, totalUnit] = scaleValue(r.total, r.sampleUnit, "nanoseconds");
    let ratio = "";
    if (totalUnit === "ns" && totalNanos !== 0) {
      ratio = `(${percentage(Math.trunc(totalNanos), Number(p.durationNanos))})`;
    }
    out.push(`Duration: ${duration}, Total samples = ${formatValue(r, r.total)} ${ratio}`);
  }
  return out;
}

/** "Active filters:" lines (`legendActiveFilters`). */
export function filterLabels(r: PreparedReport): string[] {
  if (r.activeFilters.length === 0) return [];
  return [
    "Active filters:",
    ...r.activeFilters.map(
      (f) => `   ${[...f].length > 80 ? `${[...f].slice(0, 80).join("")}…` : f}`,
    ),
  ];
}

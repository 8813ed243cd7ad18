// `go tool pprof -traces` (google/pprof internal/report/report.go,
// printTraces): every sample's stack, leaf first, with its labels and value.

import type { Profile } from "../model.js";
import { NodeTable } from "./graph.js";
import { formatMeasurement } from "./measurement.js";
import { formatValue, prepareReport, profileLabels, type ReportOptions } from "./options.js";

/** One frame of a {@link Trace}. */
export interface TraceFrame {
  /** Printable node name. */
  name: string;
  /** The frame was inlined into the next one. */
  inline: boolean;
}

/** One sample of a {@link TracesReport}. */
export interface Trace {
  /** Value of the reported sample type. */
  value: number;
  /** `value` formatted. */
  valueText: string;
  /** String labels, key -> values. */
  labels: Map<string, string[]>;
  /** Numeric labels, key -> values formatted with their unit. */
  numLabels: Map<string, string[]>;
  /** Frames, leaf first. */
  frames: TraceFrame[];
}

/** Result of {@link tracesReport}. */
export interface TracesReport {
  /** Header lines. */
  labels: string[];
  /** One entry per sample with a non-empty stack, in profile order. */
  traces: Trace[];
}

/** The samples as `go tool pprof -traces` lists them (after filters and granularity). */
export function tracesReport(p: Profile, options: ReportOptions = {}): TracesReport {
  const r = prepareReport(p, options);
  const labels = profileLabels(r);
  const prof = r.profile;
  const table = new NodeTable(prof);
  const s = prof.samples;
  const traces: Trace[] = [];
  for (let i = 0; i < s.count; i++) {
    const frames: TraceFrame[] = [];
    for (let k = s.locationStarts[i] as number; k < (s.locationStarts[i + 1] as number); k++) {
      const nodes = table.byLocation[s.locations[k] as number] as Int32Array;
      nodes.forEach((id, j) => {
        frames.push({ name: table.names[id] as string, inline: j !== nodes.length - 1 });
      });
    }
    if (frames.length === 0) continue;
    const str = new Map<string, string[]>();
    const num = new Map<string, string[]>();
    for (let n = s.labelStarts[i] as number; n < (s.labelStarts[i + 1] as number); n++) {
      const key = prof.string(s.labelKeys[n] as number);
      if ((s.labelStrs[n] as number) !== 0) {
        str.set(key, [...(str.get(key) ?? []), prof.string(s.labelStrs[n] as number)]);
      } else if ((s.labelNums[n] as number) !== 0 || (s.labelUnits[n] as number) !== 0) {
        const unit = r.numLabelUnits.get(key) ?? "";
        num.set(key, [...(num.get(key) ?? []), formatMeasurement(s.labelNums[n] as number, unit)]);
      }
    }
    const v = s.values[i * s.valueCount + r.valueIndex] as number;
    traces.push({ value: v, valueText: formatValue(r, v), labels: str, numLabels: num, frames });
  }
  return { labels, traces };
}

const SEPARATOR = "-----------+-------------------------------------------------------";

/** Prints a {@link TracesReport} exactly as `go tool pprof -traces` does. */
export function formatTraces(report: TracesReport): string {
  let out = `${report.labels.join("\n")}\n`;
  const sortedLines = (m: Map<string, string[]>) =>
    [...m]
      .map(([k, vs]) => `${k.padStart(10)}:  ${vs.join(" ")}\n`)
      .sort(byBytes)
      .join("");
  for (const t of report.traces) {
    out += `${SEPARATOR}\n`;
    out += sortedLines(t.labels);
    out += sortedLines(t.numLabels);
    t.frames.forEach((f, i) => {
      out += `${(i === 0 ? t.valueText : "").padStart(10)}   ${f.name}${f.inline ? " (inline)" : ""}\n`;
    });
  }
  return `${out}${SEPARATOR}\n`;
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

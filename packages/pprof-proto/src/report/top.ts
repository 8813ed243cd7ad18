// The flat/cum table of `go tool pprof -top` (google/pprof
// internal/report/report.go: TextItems, printText, reportLabels,
// selectOutputUnit).

import type { Profile } from "../model.js";
import { NodeTable, type ReportGraph, trimmedGraph } from "./graph.js";
import { percentage, scaleValue } from "./measurement.js";
import {
  filterLabels,
  formatValue,
  type PreparedReport,
  prepareReport,
  profileLabels,
  type ReportOptions,
} from "./options.js";

/** Options for {@link topReport}. */
export interface TopOptions extends ReportOptions {
  /** Show at most this many rows (`-nodecount`; default 0 = all). */
  nodeCount?: number;
  /** Drop nodes whose |cum| is at most this fraction of the total (`-nodefraction`, default 0.005). */
  nodeFraction?: number;
  /** Drop edges below this fraction (`-edgefraction`, default 0.001); affects "(inline)" marks. */
  edgeFraction?: number;
  /** Sort by cum instead of flat (`-cum`). */
  cum?: boolean;
  /** Leave out nodes with a negative value (`-drop_negative`). */
  dropNegative?: boolean;
  /** Leave out the profile header lines (File, Type, Time, ...), like `-compact_labels`. */
  compactLabels?: boolean;
}

/** One row of a {@link TopReport}. */
export interface TopRow {
  /** Node name as `go tool pprof` prints it. */
  name: string;
  /** `"(inline)"`, `"(partial-inline)"` or `""`. */
  inline: string;
  /** Exclusive value. */
  flat: number;
  /** Inclusive value. */
  cum: number;
  /** `flat` formatted in the output unit. */
  flatText: string;
  /** `cum` formatted in the output unit. */
  cumText: string;
  /** flat / total, formatted (`" 5.00%"`). */
  flatPercent: string;
  /** Running sum of flat / total, formatted. */
  sumPercent: string;
  /** cum / total, formatted. */
  cumPercent: string;
}

/** The result of {@link topReport}. */
export interface TopReport {
  /** Header lines, exactly as `go tool pprof -top` prints them. */
  labels: string[];
  /** Rows in report order. */
  rows: TopRow[];
  /** Total the percentages refer to. */
  total: number;
  /** Sum of the shown rows' flat values. */
  shownTotal: number;
  /** Output unit chosen (e.g. `"s"`, `"MB"`, or the sample unit). */
  unit: string;
  /** Warnings about filters that matched nothing. */
  warnings: string[];
}

/**
 * The `go tool pprof -top` report: same totals, same rows in the same order
 * and the same header lines ("Showing nodes accounting for …", "Dropped N
 * nodes (cum <= …)", "Showing top N nodes out of M"). The `Time:` line uses
 * UTC unless `timeZone` is given.
 */
export function topReport(p: Profile, options: TopOptions = {}): TopReport {
  const r = prepareReport(p, options);
  const table = new NodeTable(r.profile);
  const t = trimmedGraph(r.profile, table, {
    valueIndex: r.valueIndex,
    cum: options.cum ?? false,
    nodeCount: options.nodeCount ?? 0,
    nodeFraction: options.nodeFraction ?? 0.005,
    edgeFraction: options.edgeFraction ?? 0.001,
    dropNegative: options.dropNegative ?? false,
  });
  selectOutputUnit(r, t.graph);
  let shownTotal = 0;
  for (const n of t.graph.nodes) shownTotal += n.flat;
  const labels = reportLabels(
    r,
    shownTotal,
    t.graph.nodes.length,
    t.origCount,
    t.droppedNodes,
    options,
  );
  const rows: TopRow[] = [];
  let flatSum = 0;
  for (const n of t.graph.nodes) {
    let inline = false;
    let noinline = false;
    for (const e of n.in.values()) {
      if (e.inline) inline = true;
      else noinline = true;
    }
    flatSum += n.flat;
    rows.push({
      name: n.name,
      inline: inline ? (noinline ? "(partial-inline)" : "(inline)") : "",
      flat: n.flat,
      cum: n.cum,
      flatText: formatValue(r, n.flat),
      cumText: formatValue(r, n.cum),
      flatPercent: percentage(n.flat, r.total),
      sumPercent: percentage(flatSum, r.total),
      cumPercent: percentage(n.cum, r.total),
    });
  }
  return { labels, rows, total: r.total, shownTotal, unit: r.outputUnit, warnings: r.warnings };
}

/** Prints a {@link TopReport} byte for byte as `go tool pprof -top` does (ends with a newline). */
export function formatTop(report: TopReport): string {
  const lines = [report.labels.join("\n")];
  lines.push(
    `${"flat".padStart(10)} ${"flat".padStart(5)}% ${"sum".padStart(5)}% ${"cum".padStart(10)} ${"cum".padStart(5)}%`,
  );
  for (const row of report.rows) {
    lines.push(
      `${row.flatText.padStart(10)} ${row.flatPercent} ${row.sumPercent} ${row.cumText.padStart(10)} ${row.cumPercent}  ${row.name}${row.inline ? ` ${row.inline}` : ""}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** `reportLabels` for text reports. */
export function reportLabels(
  r: PreparedReport,
  shownTotal: number,
  nodeCount: number,
  origCount: number,
  droppedNodes: number,
  o: TopOptions,
): string[] {
  const out = o.compactLabels ? [] : profileLabels(r);
  out.push(...filterLabels(r));
  out.push(
    `Showing nodes accounting for ${formatValue(r, shownTotal)}, ${percentage(shownTotal, r.total).trim()} of ${formatValue(r, r.total)} total`,
  );
  if (r.total !== 0) {
    if (droppedNodes > 0) {
      const cutoff = Math.abs(Math.trunc(r.total * (o.nodeFraction ?? 0.005)));
      out.push(
        `Dropped ${droppedNodes} ${droppedNodes > 1 ? "nodes" : "node"} (cum <= ${formatValue(r, cutoff)})`,
      );
    }
    if (nodeCount > 0 && nodeCount < origCount) {
      out.push(`Showing top ${nodeCount} nodes out of ${origCount}`);
    }
  }
  return out;
}

/** `selectOutputUnit`: with unit "minimum", pick the unit of the smallest value, unless it is tiny. */
export function selectOutputUnit(r: PreparedReport, g: ReportGraph): void {
  if (r.outputUnit !== "minimum" || g.nodes.length === 0) return;
  let minValue = 0;
  for (const n of g.nodes) {
    let nodeMin = Math.abs(n.flat);
    if (nodeMin === 0) nodeMin = Math.abs(n.cum);
    if (nodeMin > 0 && (minValue === 0 || nodeMin < minValue)) minValue = nodeMin;
  }
  const maxValue = r.total;
  if (minValue === 0) minValue = maxValue;
  const [, minUnit] = scaleValue(minValue, r.sampleUnit, "minimum");
  const [, maxUnit] = scaleValue(maxValue, r.sampleUnit, "minimum");
  let unit = minUnit;
  if (minUnit !== maxUnit && minValue * 100 < maxValue) {
    [, unit] = scaleValue(100 * minValue, r.sampleUnit, "minimum");
  }
  r.outputUnit = unit !== "" ? unit : r.sampleUnit;
}

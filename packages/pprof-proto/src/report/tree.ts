// `go tool pprof -tree` (google/pprof internal/report/report.go, printTree):
// for each node in report order, its callers, the node, and its callees.

import { compareUtf8 } from "../encode.js";
import type { Profile } from "../model.js";
import { type GraphEdge, type GraphNode, NodeTable, trimmedGraph } from "./graph.js";
import { percentage } from "./measurement.js";
import { formatValue, prepareReport } from "./options.js";
import { reportLabels, selectOutputUnit, type TopOptions } from "./top.js";

/** A caller or callee line of a {@link TreeEntry}. */
export interface TreeEdge {
  /** The other node's printable name. */
  name: string;
  /** Edge weight. */
  weight: number;
  /** Weight formatted. */
  weightText: string;
  /** Weight as a share of the node's cum, formatted. */
  percent: string;
  /** The call was inlined. */
  inline: boolean;
}

/** One node of a {@link TreeReport} with its context. */
export interface TreeEntry {
  /** Printable name. */
  name: string;
  /** Exclusive value. */
  flat: number;
  /** Inclusive value. */
  cum: number;
  /** `flat` formatted in the output unit. */
  flatText: string;
  /** flat / total, formatted. */
  flatPercent: string;
  /** Running flat sum / total, formatted. */
  sumPercent: string;
  /** `cum` formatted in the output unit. */
  cumText: string;
  /** cum / total, formatted. */
  cumPercent: string;
  /** Callers, heaviest first. */
  callers: TreeEdge[];
  /** Callees, heaviest first. */
  callees: TreeEdge[];
}

/** Result of {@link treeReport}. */
export interface TreeReport {
  /** Header lines. */
  labels: string[];
  /** Entries in report order. */
  entries: TreeEntry[];
}

/**
 * The `go tool pprof -tree` report: the top nodes (default `nodeCount` 80),
 * each with its callers and callees and their weights.
 */
export function treeReport(p: Profile, options: TopOptions = {}): TreeReport {
  const r = prepareReport(p, options);
  const table = new NodeTable(r.profile);
  const o = { ...options, nodeCount: options.nodeCount ?? 80 };
  const t = trimmedGraph(r.profile, table, {
    valueIndex: r.valueIndex,
    cum: o.cum ?? false,
    nodeCount: o.nodeCount,
    nodeFraction: o.nodeFraction ?? 0.005,
    edgeFraction: o.edgeFraction ?? 0.001,
    dropNegative: o.dropNegative ?? false,
  });
  selectOutputUnit(r, t.graph);
  let shownTotal = 0;
  for (const n of t.graph.nodes) shownTotal += n.flat;
  const labels = reportLabels(r, shownTotal, t.graph.nodes.length, t.origCount, t.droppedNodes, o);
  const byId = new Map<number, GraphNode>(t.graph.nodes.map((n) => [n.id, n]));
  const nameOf = (id: number) => byId.get(id)?.name ?? (table.names[id] as string);
  const edgeLines = (n: GraphNode, edges: Map<number, GraphEdge>, incoming: boolean): TreeEdge[] =>
    sortEdges([...edges.values()], nameOf).map((e) => ({
      name: nameOf(incoming ? e.src : e.dest),
      weight: e.weight,
      weightText: formatValue(r, e.weight),
      percent: percentage(e.weight, n.cum),
      inline: e.inline,
    }));
  let flatSum = 0;
  const entries = t.graph.nodes.map((n): TreeEntry => {
    flatSum += n.flat;
    return {
      name: n.name,
      flat: n.flat,
      cum: n.cum,
      flatText: formatValue(r, n.flat),
      flatPercent: percentage(n.flat, r.total),
      sumPercent: percentage(flatSum, r.total),
      cumText: formatValue(r, n.cum),
      cumPercent: percentage(n.cum, r.total),
      callers: edgeLines(n, n.in, true),
      callees: edgeLines(n, n.out, false),
    };
  });
  return { labels, entries };
}

/** `EdgeMap.Sort`: |weight| descending, then caller name, then callee name. */
function sortEdges(edges: GraphEdge[], nameOf: (id: number) => string): GraphEdge[] {
  return edges.sort((a, b) => {
    if (a.weight !== b.weight) return Math.abs(b.weight) - Math.abs(a.weight);
    const c = compareUtf8(nameOf(a.src), nameOf(b.src));
    if (c !== 0) return c;
    return compareUtf8(nameOf(a.dest), nameOf(b.dest));
  });
}

const SEPARATOR = "----------------------------------------------------------+-------------";
const LEGEND = "      flat  flat%   sum%        cum   cum%   calls calls% + context 	 	 ";

/** Prints a {@link TreeReport} as `go tool pprof -tree` does. */
export function formatTree(report: TreeReport): string {
  const out: string[] = [report.labels.join("\n"), SEPARATOR, LEGEND];
  const edge = (e: TreeEdge) =>
    `${e.weightText.padStart(50)} ${e.percent} |   ${e.name}${e.inline ? " (inline)" : ""}`;
  for (const n of report.entries) {
    out.push(SEPARATOR);
    for (const e of n.callers) out.push(edge(e));
    out.push(
      `${n.flatText.padStart(10)} ${n.flatPercent} ${n.sumPercent} ${n.cumText.padStart(10)} ${n.cumPercent}                | ${n.name}`,
    );
    for (const e of n.callees) out.push(edge(e));
  }
  if (report.entries.length > 0) out.push(SEPARATOR);
  return `${out.join("\n")}\n`;
}

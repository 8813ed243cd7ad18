// Flame-graph data: a call tree (root -> leaf) with self and total values,
// as nested JSON (the {name, value, children} shape flame-graph viewers such
// as d3-flame-graph read) and as folded stacks (`a;b;c 123`, the input of
// Brendan Gregg's flamegraph.pl and speedscope). Frames are named like the
// other reports at the chosen granularity; inlined calls are frames too, as
// in google/pprof's flame graph (internal/report/stacks.go).

import { compareUtf8 } from "../encode.js";
import type { Profile } from "../model.js";
import { PairTable } from "../ops/internal.js";
import { NodeTable } from "./graph.js";
import { prepareReport, type ReportOptions } from "./options.js";

/** A node of a {@link callTree}. */
export interface CallTreeNode {
  /** Frame name (`"root"` for the synthetic root). */
  name: string;
  /** Total value of the samples through this node (inclusive). */
  value: number;
  /** Value of the samples whose leaf is this node (exclusive). */
  self: number;
  /** This frame was inlined into its parent. */
  inlined: boolean;
  /** Callees, by name (byte order). */
  children: CallTreeNode[];
}

/** Root-to-leaf paths of the samples as a trie over report nodes (node id, inlined). */
interface StackTrie {
  /** Report node id of each trie node (-1 for the root). */
  node: number[];
  inlined: boolean[];
  parent: number[];
  value: number[];
  self: number[];
}

function buildTrie(prof: Profile, table: NodeTable, valueIndex: number): StackTrie {
  const t: StackTrie = { node: [-1], inlined: [false], parent: [-1], value: [0], self: [0] };
  const kids = new PairTable(1 << 12);
  const s = prof.samples;
  for (let i = 0; i < s.count; i++) {
    const w = s.values[i * s.valueCount + valueIndex] as number;
    if (w === 0) continue;
    let at = 0;
    t.value[0] = (t.value[0] as number) + w;
    for (
      let k = (s.locationStarts[i + 1] as number) - 1;
      k >= (s.locationStarts[i] as number);
      k--
    ) {
      const nodes = table.byLocation[s.locations[k] as number] as Int32Array;
      for (let j = nodes.length - 1; j >= 0; j--) {
        const inlined = j !== nodes.length - 1;
        const label = (nodes[j] as number) * 2 + (inlined ? 1 : 0);
        let child = kids.get(at, label);
        if (child < 0) {
          child = t.node.length;
          t.node.push(nodes[j] as number);
          t.inlined.push(inlined);
          t.parent.push(at);
          t.value.push(0);
          t.self.push(0);
          kids.set(at, label, child);
        }
        t.value[child] = (t.value[child] as number) + w;
        at = child;
      }
    }
    t.self[at] = (t.self[at] as number) + w;
  }
  return t;
}

/**
 * The call tree of `p` for one sample value (after filters and granularity,
 * like every report): each distinct root-to-leaf path is one branch. The
 * root's value is the sum of all sample values (negative values of a diff
 * count with their sign).
 */
export function callTree(p: Profile, options: ReportOptions = {}): CallTreeNode {
  const r = prepareReport(p, options);
  const table = new NodeTable(r.profile);
  const t = buildTrie(r.profile, table, r.valueIndex);
  const out: CallTreeNode[] = t.node.map((id, i) => ({
    name: id < 0 ? "root" : (table.names[id] as string),
    value: t.value[i] as number,
    self: t.self[i] as number,
    inlined: t.inlined[i] as boolean,
    children: [],
  }));
  for (let i = 1; i < out.length; i++)
    (out[t.parent[i] as number] as CallTreeNode).children.push(out[i] as CallTreeNode);
  for (const n of out) {
    if (n.children.length > 1) {
      n.children.sort(
        (a, b) => compareUtf8(a.name, b.name) || Number(a.inlined) - Number(b.inlined),
      );
    }
  }
  return out[0] as CallTreeNode;
}

/**
 * Folded stacks: one line per distinct stack, `root;…;leaf value`, callers
 * first, sorted, identical stacks summed and zero sums left out. Frame names
 * containing `;` keep it (the format has no escape); a trailing newline ends
 * the text.
 */
export function foldedStacks(p: Profile, options: ReportOptions = {}): string {
  const r = prepareReport(p, options);
  const table = new NodeTable(r.profile);
  const t = buildTrie(r.profile, table, r.valueIndex);
  const sums = new Map<string, number>();
  const names: string[] = [];
  for (let i = 0; i < t.node.length; i++) {
    const self = t.self[i] as number;
    if (self === 0) continue;
    // Only stacks that end here need their text: walk up to the root.
    names.length = 0;
    for (let at = i; at > 0; at = t.parent[at] as number)
      names.push(table.names[t.node[at] as number] as string);
    const path = names.reverse().join(";");
    sums.set(path, (sums.get(path) ?? 0) + self);
  }
  const lines = [...sums].filter(([, v]) => v !== 0);
  // Native comparison equals UTF-8 byte order unless astral characters are present.
  const astral = lines.some(([k]) => /[\uD800-\uDFFF]/.test(k));
  lines.sort(
    astral ? (a, b) => compareUtf8(a[0], b[0]) : (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  return lines.map(([k, v]) => `${k} ${v}\n`).join("");
}

/**
 * The call tree as nested JSON for flame-graph viewers:
 * `{"name","value","children"}` per node (plus `"self"`).
 */
export function flameGraphJson(p: Profile, options: ReportOptions = {}): string {
  const strip = (n: CallTreeNode): unknown => ({
    name: n.name,
    value: n.value,
    self: n.self,
    children: n.children.map(strip),
  });
  return JSON.stringify(strip(callTree(p, options)));
}

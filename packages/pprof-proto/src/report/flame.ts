// Flame-graph data: a call tree (root -> leaf) with self and total values,
// as nested JSON (the {name, value, children} shape flame-graph viewers such
// as d3-flame-graph read) and as folded stacks (`a;b;c 123`, the input of
// Brendan Gregg's flamegraph.pl and speedscope). Frames are named like the
// other reports at the chosen granularity; inlined calls are frames too, as
// in google/pprof's flame graph (internal/report/stacks.go).

import { compareUtf8 } from "../encode.js";
import type { Profile } from "../model.js";
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

/**
 * The call tree of `p` for one sample value (after filters and granularity,
 * like every report): each distinct root-to-leaf path is one branch. The
 * root's value is the sum of all sample values (negative values of a diff
 * count with their sign).
 */
export function callTree(p: Profile, options: ReportOptions = {}): CallTreeNode {
  const r = prepareReport(p, options);
  const prof = r.profile;
  const table = new NodeTable(prof);
  const root: CallTreeNode = { name: "root", value: 0, self: 0, inlined: false, children: [] };
  const index = new Map<CallTreeNode, Map<string, CallTreeNode>>();
  const s = prof.samples;
  for (let i = 0; i < s.count; i++) {
    const w = s.values[i * s.valueCount + r.valueIndex] as number;
    if (w === 0) continue;
    let node = root;
    root.value += w;
    for (
      let k = (s.locationStarts[i + 1] as number) - 1;
      k >= (s.locationStarts[i] as number);
      k--
    ) {
      const nodes = table.byLocation[s.locations[k] as number] as Int32Array;
      for (let j = nodes.length - 1; j >= 0; j--) {
        const name = table.names[nodes[j] as number] as string;
        const inlined = j !== nodes.length - 1;
        const key = inlined ? `${name}\u0000i` : name;
        let kids = index.get(node);
        if (!kids) {
          kids = new Map();
          index.set(node, kids);
        }
        let child = kids.get(key);
        if (!child) {
          child = { name, value: 0, self: 0, inlined, children: [] };
          kids.set(key, child);
          node.children.push(child);
        }
        child.value += w;
        node = child;
      }
    }
    node.self += w;
  }
  const sortRec = (n: CallTreeNode) => {
    n.children.sort((a, b) => compareUtf8(a.name, b.name) || Number(a.inlined) - Number(b.inlined));
    for (const c of n.children) sortRec(c);
  };
  sortRec(root);
  return root;
}

/**
 * Folded stacks: one line per distinct stack, `root;…;leaf value`, callers
 * first, sorted, identical stacks summed and zero sums left out. Frame names
 * containing `;` keep it (the format has no escape); a trailing newline ends
 * the text.
 */
export function foldedStacks(p: Profile, options: ReportOptions = {}): string {
  const r = prepareReport(p, options);
  const prof = r.profile;
  const table = new NodeTable(prof);
  const sums = new Map<string, number>();
  const s = prof.samples;
  const names: string[] = [];
  for (let i = 0; i < s.count; i++) {
    const w = s.values[i * s.valueCount + r.valueIndex] as number;
    if (w === 0) continue;
    names.length = 0;
    for (
      let k = (s.locationStarts[i + 1] as number) - 1;
      k >= (s.locationStarts[i] as number);
      k--
    ) {
      const nodes = table.byLocation[s.locations[k] as number] as Int32Array;
      for (let j = nodes.length - 1; j >= 0; j--)
        names.push(table.names[nodes[j] as number] as string);
    }
    const key = names.join(";");
    sums.set(key, (sums.get(key) ?? 0) + w);
  }
  const lines = [...sums].filter(([, v]) => v !== 0).sort((a, b) => compareUtf8(a[0], b[0]));
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

import { callTree, type Profile, topReport } from "@tricolor/pprof-proto";

/** A node of the flame-graph tree (callers above callees), linked to its parent for zooming. */
export interface FlameNode {
  name: string;
  value: number;
  children: Map<string, FlameNode>;
  parent: FlameNode | undefined;
}

/** One row of the top table. */
export interface TopRow {
  /** Function name, with " (inline)" or " (partial-inline)" as `go tool pprof -top` marks it. */
  name: string;
  flat: number;
  cum: number;
}

/** A value with its profile unit, shortened the way pprof prints it. */
export function formatValue(v: number, unit: string): string {
  const abs = Math.abs(v);
  if (unit === "nanoseconds") {
    if (abs >= 1e9) return `${(v / 1e9).toFixed(2)}s`;
    if (abs >= 1e6) return `${(v / 1e6).toFixed(2)}ms`;
    if (abs >= 1e3) return `${(v / 1e3).toFixed(2)}us`;
    return `${v}ns`;
  }
  if (unit === "bytes") {
    if (abs >= 2 ** 30) return `${(v / 2 ** 30).toFixed(2)}GB`;
    if (abs >= 2 ** 20) return `${(v / 2 ** 20).toFixed(2)}MB`;
    if (abs >= 2 ** 10) return `${(v / 2 ** 10).toFixed(2)}kB`;
    return `${v}B`;
  }
  return String(v);
}

/**
 * The flame-graph tree (root first) and the top table of sample value
 * `valueIndex`, both from @tricolor/pprof-proto's reports: the table is
 * `topReport` with nothing dropped (`go tool pprof -top -nodefraction=0
 * -edgefraction=0`), the tree is `callTree` (inlined calls are frames of
 * their own, as in pprof's flame graph).
 */
export function summarizeProfile(
  p: Profile,
  valueIndex: number,
): { root: FlameNode; top: TopRow[]; total: number } {
  const report = topReport(p, { sampleIndex: valueIndex, nodeFraction: 0, edgeFraction: 0 });
  const top = report.rows.map((r) => ({
    name: r.inline === "" ? r.name : `${r.name} ${r.inline}`,
    flat: r.flat,
    cum: r.cum,
  }));
  const tree = callTree(p, { sampleIndex: valueIndex });
  const root: FlameNode = {
    name: tree.name,
    value: tree.value,
    children: new Map(),
    parent: undefined,
  };
  // Iterative copy (stacks can be deep); an inlined frame and a called frame of
  // the same function under one caller are distinct nodes, so key by both.
  const todo: [typeof tree, FlameNode][] = [[tree, root]];
  for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
    const [from, to] = item;
    for (const c of from.children) {
      const node: FlameNode = { name: c.name, value: c.value, children: new Map(), parent: to };
      to.children.set(c.inlined ? `${c.name}\u0000inline` : c.name, node);
      todo.push([c, node]);
    }
  }
  return { root, top, total: report.total };
}

import type { Profile } from "@tricolor/pprof-proto";

/** A node of the flame-graph tree (callers above callees). */
export interface FlameNode {
  name: string;
  value: number;
  children: Map<string, FlameNode>;
  parent: FlameNode | undefined;
}

/** One row of the top table. */
export interface TopRow {
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
 * Builds the flame-graph tree (root first) and the top table (flat: the
 * sample's leaf function; cum: every function on the stack, counted once per
 * sample so recursion does not inflate it — as `go tool pprof -top` does).
 */
export function summarizeProfile(
  p: Profile,
  valueIndex: number,
): { root: FlameNode; top: TopRow[]; total: number } {
  const root: FlameNode = { name: "root", value: 0, children: new Map(), parent: undefined };
  const rows = new Map<string, TopRow>();
  // Like go tool pprof -top (report.go, with -edgefraction=0): a function
  // whose callers' edges into it are all inlined calls is "name (inline)",
  // one with both kinds "name (partial-inline)". An edge counts as inlined
  // when the callee's frame is not the outermost line of its location.
  const inEdges = new Map<string, { inline: boolean; noinline: boolean }>();
  let total = 0;
  for (let i = 0; i < p.samples.count; i++) {
    const v = p.sampleValue(i, valueIndex);
    if (v === 0) continue;
    total += v;
    const frames = p.resolveSample(i).frames;
    const names = frames.map((f) => f.functionName || `0x${f.address.toString(16)}`);
    const seen = new Set<string>();
    names.forEach((name, k) => {
      let r = rows.get(name);
      if (r === undefined) {
        r = { name, flat: 0, cum: 0 };
        rows.set(name, r);
      }
      const caller = names[k + 1];
      if (caller !== undefined && caller !== name) {
        let e = inEdges.get(name);
        if (e === undefined) {
          e = { inline: false, noinline: false };
          inEdges.set(name, e);
        }
        if (frames[k]?.inlined === true) e.inline = true;
        else e.noinline = true;
      }
      if (k === 0) r.flat += v;
      if (!seen.has(name)) {
        seen.add(name);
        r.cum += v;
      }
    });
    let node = root;
    node.value += v;
    for (let k = names.length - 1; k >= 0; k--) {
      const name = names[k] as string;
      let child = node.children.get(name);
      if (child === undefined) {
        child = { name, value: 0, children: new Map(), parent: node };
        node.children.set(name, child);
      }
      child.value += v;
      node = child;
    }
  }
  for (const r of rows.values()) {
    const e = inEdges.get(r.name);
    if (e?.inline === true) r.name += e.noinline ? " (partial-inline)" : " (inline)";
  }
  const top = [...rows.values()].sort(
    (a, b) => Math.abs(b.flat) - Math.abs(a.flat) || b.cum - a.cum || a.name.localeCompare(b.name),
  );
  return { root, top, total };
}

// The report graph: one node per distinct "node info" (address, function
// name, file, line, ...) and weighted caller -> callee edges, built the way
// google/pprof internal/graph/graph.go does it (CreateNodes, nodeInfo,
// newGraph, NodeInfo.PrintableName, Nodes.Sort, the trimming steps). Values
// are doubles: exact for any realistic profile (totals below 2^53).

import { compareUtf8 } from "../encode.js";
import type { Location, Profile } from "../model.js";

/** What a report node stands for (google/pprof `graph.NodeInfo`). */
export interface NodeInfo {
  /** Function name (`""` when unknown or aggregated away). */
  name: string;
  /** Original (system) function name; only set when requested. */
  origName: string;
  /** Instruction address, 0 when aggregated away. */
  address: bigint;
  /** Cleaned source file name. */
  file: string;
  /** Function start line (only kept for nameless functions). */
  startLine: number;
  /** Line number, 0 when aggregated away. */
  lineno: number;
  /** Column number, 0 when aggregated away. */
  columnno: number;
  /** Object file (mapping file name), for nodes without a function name. */
  objfile: string;
}

/** A node of a {@link ReportGraph}. */
export interface GraphNode {
  /** Dense node id. */
  id: number;
  /** What the node stands for. */
  info: NodeInfo;
  /** Printable name (`go tool pprof` style). */
  name: string;
  /** Exclusive value. */
  flat: number;
  /** Inclusive value. */
  cum: number;
  /** Incoming edges (callers), keyed by source node id. */
  in: Map<number, GraphEdge>;
  /** Outgoing edges (callees), keyed by destination node id. */
  out: Map<number, GraphEdge>;
}

/** A caller -> callee edge. */
export interface GraphEdge {
  /** Caller node id. */
  src: number;
  /** Callee node id. */
  dest: number;
  /** Total value of the samples through this edge. */
  weight: number;
  /** The edge skips nodes that were dropped from the graph. */
  residual: boolean;
  /** The callee was inlined into the caller (every time). */
  inline: boolean;
}

/** Go's `filepath.Clean` for slash-separated paths. */
export function cleanPath(path: string): string {
  if (path === "") return ".";
  const rooted = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const s = (rooted ? "/" : "") + out.join("/");
  return s === "" ? (rooted ? "/" : ".") : s;
}

/** Go's `filepath.Base`. */
export function basePath(path: string): string {
  if (path === "") return ".";
  let p = path;
  while (p.length > 0 && p.endsWith("/")) p = p.slice(0, -1);
  if (p === "") return "/";
  const i = p.lastIndexOf("/");
  return i >= 0 ? p.slice(i + 1) : p;
}

/** The printable name of a node (`NodeInfo.PrintableName`). */
export function printableName(i: NodeInfo): string {
  const parts: string[] = [];
  if (i.address !== 0n) parts.push(i.address.toString(16).padStart(16, "0"));
  if (i.name !== "") parts.push(i.name);
  if (i.lineno !== 0) {
    let s = `${i.file}:${i.lineno}`;
    if (i.columnno !== 0) s += `:${i.columnno}`;
    parts.push(s);
  } else if (i.file !== "") parts.push(i.file);
  else if (i.name !== "") {
    // The name is already there.
  } else if (i.objfile !== "") parts.push(`[${basePath(i.objfile)}]`);
  else parts.push("<unknown>");
  return parts.join(" ");
}

/** `fmt.Sprint(info)`, Go's last-resort tie breaker between nodes. */
function sprintInfo(i: NodeInfo): string {
  return `{${i.name} ${i.origName} ${i.address} ${i.file} ${i.startLine} ${i.lineno} ${i.columnno} ${i.objfile}}`;
}

function infoKey(i: NodeInfo): string {
  return `${i.name}\u0000${i.origName}\u0000${i.address}\u0000${i.file}\u0000${i.startLine}\u0000${i.lineno}\u0000${i.columnno}\u0000${i.objfile}`;
}

/** Options for the node table. */
export interface NodeTableOptions {
  /** Keep mapping file names on every node (`ObjNames`). */
  objNames?: boolean;
  /** Fill `origName` with the system name (`OrigFnNames`). */
  origFnNames?: boolean;
}

/**
 * Every location's nodes, one per line, innermost first (google/pprof
 * `CreateNodes`): `byLocation[li]` lists node ids.
 */
export class NodeTable {
  readonly infos: NodeInfo[] = [];
  readonly names: string[] = [];
  readonly sortKeys: string[] = [];
  readonly byLocation: Int32Array[];
  readonly #index = new Map<string, number>();

  constructor(p: Profile, options: NodeTableOptions = {}) {
    this.byLocation = p.locations.map((l) => this.#locationNodes(p, l, options));
  }

  #node(info: NodeInfo): number {
    const key = infoKey(info);
    let id = this.#index.get(key);
    if (id === undefined) {
      id = this.infos.length;
      this.infos.push(info);
      this.names.push(printableName(info));
      this.sortKeys.push(sprintInfo(info));
      this.#index.set(key, id);
    }
    return id;
  }

  #locationNodes(p: Profile, l: Location, o: NodeTableOptions): Int32Array {
    const m = l.mapping >= 0 ? p.mappings[l.mapping] : undefined;
    const objfile = m ? p.string(m.filename) : "";
    // A location without lines still gets a node, for its address/object file.
    if (l.lines.length === 0) return Int32Array.of(this.#node(emptyInfo(l.address, objfile)));
    const out = new Int32Array(l.lines.length);
    l.lines.forEach((ln, k) => {
      const fn = ln.function >= 0 ? p.functions[ln.function] : undefined;
      if (!fn) {
        out[k] = this.#node(emptyInfo(l.address, objfile));
        return;
      }
      const fname = p.string(fn.filename);
      const info: NodeInfo = {
        name: p.string(fn.name),
        origName: o.origFnNames ? p.string(fn.systemName) : "",
        address: l.address,
        file: fname !== "" ? cleanPath(fname) : "",
        startLine: 0,
        lineno: ln.line,
        columnno: ln.column,
        objfile: "",
      };
      if (o.objNames || (info.name === "" && info.origName === "")) {
        info.objfile = objfile;
        info.startLine = fn.startLine;
      }
      out[k] = this.#node(info);
    });
    return out;
  }

  /** Number of distinct nodes. */
  get size(): number {
    return this.infos.length;
  }
}

function emptyInfo(address: bigint, objfile: string): NodeInfo {
  return {
    name: "",
    origName: "",
    address,
    file: "",
    startLine: 0,
    lineno: 0,
    columnno: 0,
    objfile,
  };
}

/** A report graph (google/pprof `graph.Graph`): the nodes with values, in report order once sorted. */
export interface ReportGraph {
  /** The nodes kept (non-zero), see {@link sortGraphNodes}. */
  nodes: GraphNode[];
}

/** Per-sample value extraction for graph building. */
export interface GraphBuildOptions {
  /** Value index into each sample's values. */
  valueIndex: number;
  /** When set, only these node ids appear; others make residual edges. */
  kept?: Uint8Array;
  /** Drop nodes whose value is negative overall (`-drop_negative`). */
  dropNegative?: boolean;
}

/** Builds the graph of `p` over `table` (google/pprof `newGraph`). */
export function buildGraph(p: Profile, table: NodeTable, o: GraphBuildOptions): ReportGraph {
  const n = table.size;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  const edges = new Map<number, GraphEdge>();
  const seenEdge = new Set<number>();
  const s = p.samples;
  const vc = s.valueCount;
  const kept = o.kept;
  for (let i = 0; i < s.count; i++) {
    const w = s.values[i * vc + o.valueIndex] as number;
    if (w === 0) continue;
    seenEdge.clear();
    let parent = -1;
    let residual = false;
    for (
      let k = (s.locationStarts[i + 1] as number) - 1;
      k >= (s.locationStarts[i] as number);
      k--
    ) {
      const locNodes = table.byLocation[s.locations[k] as number] as Int32Array;
      for (let ni = locNodes.length - 1; ni >= 0; ni--) {
        const node = locNodes[ni] as number;
        if (kept && kept[node] === 0) {
          residual = true;
          continue;
        }
        if (seen[node] !== i) {
          seen[node] = i;
          cum[node] = (cum[node] as number) + w;
        }
        if (parent >= 0 && node !== parent) {
          const ek = parent * n + node;
          if (!seenEdge.has(ek)) {
            seenEdge.add(ek);
            const inline = ni !== locNodes.length - 1;
            const e = edges.get(ek);
            if (e) {
              e.weight += w;
              if (residual) e.residual = true;
              if (!inline) e.inline = false;
            } else {
              edges.set(ek, { src: parent, dest: node, weight: w, residual, inline });
            }
          }
        }
        parent = node;
        residual = false;
      }
    }
    if (parent >= 0 && !residual) flat[parent] = (flat[parent] as number) + w;
  }
  const nodes = new Map<number, GraphNode>();
  for (let id = 0; id < n; id++) {
    const f = flat[id] as number;
    const c = cum[id] as number;
    if (f === 0 && c === 0) continue;
    if (o.dropNegative && (f < 0 || (f === 0 && c < 0))) continue;
    nodes.set(id, {
      id,
      info: table.infos[id] as NodeInfo,
      name: table.names[id] as string,
      flat: f,
      cum: c,
      in: new Map(),
      out: new Map(),
    });
  }
  for (const e of edges.values()) {
    // Like Go's selectNodesForGraph, dropping a (negative) node leaves the
    // edges of its neighbours in place: they still count for "(inline)".
    nodes.get(e.src)?.out.set(e.dest, e);
    nodes.get(e.dest)?.in.set(e.src, e);
  }
  return { nodes: [...nodes.values()] };
}

/** NodeInfo.comparePrintableName: addresses numerically when both are set, else printable names. */
function comparePrintable(l: GraphNode, r: GraphNode): number {
  if (l.id === r.id) return 0;
  const a = l.info.address;
  const b = r.info.address;
  if (a !== 0n && b !== 0n && a !== b) return a < b ? -1 : 1;
  // Equal printable names of different infos fall through to the next keys.
  return compareUtf8(l.name, r.name);
}

function compareTie(l: GraphNode, r: GraphNode, table: NodeTable): number {
  return compareUtf8(table.sortKeys[l.id] as string, table.sortKeys[r.id] as string);
}

/**
 * Sorts nodes in report order (google/pprof `Nodes.Sort` with
 * `FlatNameOrder`, or `CumNameOrder` when `cum`): by |flat| (|cum|)
 * descending, then printable name (addresses numerically), then |cum|
 * (|flat|) descending, then the full node info.
 */
export function sortGraphNodes(nodes: GraphNode[], cum: boolean, table: NodeTable): void {
  nodes.sort((l, r) => {
    const p1 = Math.abs(cum ? l.cum : l.flat);
    const p2 = Math.abs(cum ? r.cum : r.flat);
    if (p1 !== p2) return p2 - p1;
    const c = comparePrintable(l, r);
    if (c !== 0) return c;
    const s1 = Math.abs(cum ? l.flat : l.cum);
    const s2 = Math.abs(cum ? r.flat : r.cum);
    if (s1 !== s2) return s2 - s1;
    return compareTie(l, r, table);
  });
}

/** Removes edges lighter than `cutoff` (|weight| < cutoff); returns how many were removed. */
export function trimLowFrequencyEdges(g: ReportGraph, cutoff: number): number {
  let dropped = 0;
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (const n of g.nodes) {
    for (const [src, e] of n.in) {
      if (Math.abs(e.weight) < cutoff) {
        n.in.delete(src);
        byId.get(src)?.out.delete(n.id);
        dropped++;
      }
    }
  }
  return dropped;
}

/** Options for {@link trimmedGraph}. */
export interface TrimOptions {
  /** Value index. */
  valueIndex: number;
  /** Sort by cum instead of flat. */
  cum: boolean;
  /** Keep at most this many nodes (0 = all). */
  nodeCount: number;
  /** Drop nodes with |cum| below this fraction of the total flat. */
  nodeFraction: number;
  /** Drop edges with |weight| below this fraction of the total flat. */
  edgeFraction: number;
  /** `-drop_negative`. */
  dropNegative: boolean;
}

/** A trimmed graph with the counts the report header needs. */
export interface TrimmedGraph {
  /** The graph, nodes in report order. */
  graph: ReportGraph;
  /** Nodes before the node-count limit. */
  origCount: number;
  /** Nodes dropped by the node fraction. */
  droppedNodes: number;
  /** Edges dropped by the edge fraction. */
  droppedEdges: number;
}

/** google/pprof `Report.newTrimmedGraph` for text reports (no call-tree or visual mode). */
export function trimmedGraph(p: Profile, table: NodeTable, o: TrimOptions): TrimmedGraph {
  const base = { valueIndex: o.valueIndex, dropNegative: o.dropNegative };
  let g = buildGraph(p, table, base);
  let totalValue = 0;
  for (const n of g.nodes) totalValue += n.flat;
  const nodeCutoff = Math.abs(Math.trunc(totalValue * o.nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalValue * o.edgeFraction));
  let droppedNodes = 0;
  if (nodeCutoff > 0) {
    const kept = new Uint8Array(table.size);
    let count = 0;
    for (const n of g.nodes) {
      if (Math.abs(n.cum) >= nodeCutoff) {
        kept[n.id] = 1;
        count++;
      }
    }
    if (count !== g.nodes.length) {
      droppedNodes = g.nodes.length - count;
      g = buildGraph(p, table, { ...base, kept });
    }
  }
  const origCount = g.nodes.length;
  sortGraphNodes(g.nodes, o.cum, table);
  if (o.nodeCount > 0) {
    trimLowFrequencyEdges(g, edgeCutoff);
    const top = g.nodes.slice(0, Math.min(o.nodeCount, g.nodes.length));
    if (top.length !== g.nodes.length) {
      const kept = new Uint8Array(table.size);
      for (const n of top) kept[n.id] = 1;
      g = buildGraph(p, table, { ...base, kept });
      sortGraphNodes(g.nodes, o.cum, table);
    }
  }
  const droppedEdges = trimLowFrequencyEdges(g, edgeCutoff);
  return { graph: g, origCount, droppedNodes, droppedEdges };
}

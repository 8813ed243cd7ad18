import type { ObjectGraph } from "./graph.js";
import { reachability } from "./reachability.js";
import { ROOT_KINDS } from "./source.js";
import { GO_SIZE_CLASSES, sizeClassOf } from "./summaries.js";

/** Options of {@link toHeapSnapshot} and {@link writeHeapSnapshot}. */
export interface HeapSnapshotOptions {
  /**
   * Also export unreachable objects, hung off a synthetic "(garbage)" node by
   * weak edges (DevTools ignores weak edges when it computes retainers and
   * retained sizes, so they do not distort the live heap). Default false.
   */
  readonly includeGarbage?: boolean;
}

// The layout Chrome DevTools reads (V8's HeapSnapshotJSONSerializer,
// src/profiler/heap-snapshot-generator.cc; DevTools
// front_end/entrypoints/heap_snapshot_worker/HeapSnapshot.ts).
const NODE_FIELDS = [
  "type",
  "name",
  "id",
  "self_size",
  "edge_count",
  "trace_node_id",
  "detachedness",
] as const;
const NODE_TYPES = [
  "hidden",
  "array",
  "string",
  "object",
  "code",
  "closure",
  "regexp",
  "number",
  "native",
  "synthetic",
  "concatenated string",
  "sliced string",
  "symbol",
  "bigint",
  "object shape",
] as const;
const EDGE_FIELDS = ["type", "name_or_index", "to_node"] as const;
const EDGE_TYPES = [
  "context",
  "element",
  "property",
  "internal",
  "hidden",
  "shortcut",
  "weak",
] as const;

const T_OBJECT = NODE_TYPES.indexOf("object");
const T_NATIVE = NODE_TYPES.indexOf("native");
const T_SYNTHETIC = NODE_TYPES.indexOf("synthetic");
const E_ELEMENT = EDGE_TYPES.indexOf("element");
const E_PROPERTY = EDGE_TYPES.indexOf("property");
const E_WEAK = EDGE_TYPES.indexOf("weak");
const NF = NODE_FIELDS.length;

const ROOT_KIND_LABEL: Readonly<Record<string, string>> = {
  data: "(data segment)",
  bss: "(bss segment)",
  frame: "(goroutine stacks)",
  "goroutine-context": "(goroutine contexts)",
  defer: "(defer records)",
  panic: "(panic records)",
  "finalizer-function": "(finalizer functions)",
  "finalizer-referent": "(referents of finalized objects)",
  "queued-finalizer": "(finalizer queue)",
  other: "(other roots)",
};

/** Batches numbers into comma-separated chunks so no giant array of strings is built. */
class NumberWriter {
  private readonly sink: (chunk: string) => void;
  private buf: number[] = [];
  private first = true;
  constructor(sink: (chunk: string) => void) {
    this.sink = sink;
  }
  push(...values: number[]): void {
    for (const v of values) this.buf.push(v);
    if (this.buf.length >= 65536) this.flush();
  }
  flush(): void {
    if (this.buf.length === 0) return;
    this.sink((this.first ? "" : ",") + this.buf.join(","));
    this.first = false;
    this.buf = [];
  }
}

/**
 * Streams the graph as a Chrome DevTools `.heapsnapshot` (JSON) through
 * `sink`, so a Go heap can be opened in the Memory panel. Layout:
 *
 * - node 0: the synthetic root; it points (element edges) to one synthetic
 *   node per root kind, e.g. "(goroutine stacks)", which point to the root
 *   targets with property edges named by the root's description;
 * - one "object" node per live object (or "native" when it holds no
 *   pointers), named by its allocation site when sampled, else by its size
 *   class ("Go object 48 B"), with `self_size` = its size and an odd,
 *   unique `id` (DevTools only needs ids to be unique within a snapshot);
 * - one element edge per pointer slot.
 */
export function writeHeapSnapshot(
  graph: ObjectGraph,
  sink: (chunk: string) => void,
  options: HeapSnapshotOptions = {},
): void {
  const n = graph.objectCount;
  const includeGarbage = options.includeGarbage ?? false;
  const live = reachability(graph).live;

  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  str("");

  // Node numbering: 0 root, then root-kind groups, then (garbage), then objects.
  const kindsPresent: number[] = [];
  const kindHasRoots = new Uint8Array(ROOT_KINDS.length);
  for (let r = 0; r < graph.rootCount; r++) kindHasRoots[graph.rootKinds[r] as number] = 1;
  ROOT_KINDS.forEach((_, c) => {
    if (kindHasRoots[c] === 1) kindsPresent.push(c);
  });
  let garbageCount = 0;
  for (let o = 0; o < n; o++) if (live[o] === 0) garbageCount++;
  const garbageNode = includeGarbage && garbageCount > 0 ? 1 + kindsPresent.length : -1;
  const firstObjectNode = 1 + kindsPresent.length + (garbageNode >= 0 ? 1 : 0);
  const nodeOf = new Int32Array(n).fill(-1);
  let objectNodes = 0;
  for (let o = 0; o < n; o++) {
    if (live[o] === 1 || includeGarbage) nodeOf[o] = firstObjectNode + objectNodes++;
  }
  const nodeCount = firstObjectNode + objectNodes;

  const kindNode = new Int32Array(ROOT_KINDS.length).fill(-1);
  kindsPresent.forEach((c, i) => {
    kindNode[c] = 1 + i;
  });
  const rootsPerKind = new Uint32Array(ROOT_KINDS.length);
  for (let r = 0; r < graph.rootCount; r++) {
    const c = graph.rootKinds[r] as number;
    rootsPerKind[c] = (rootsPerKind[c] as number) + 1;
  }

  let edgeCount = kindsPresent.length + (garbageNode >= 0 ? 1 + garbageCount : 0) + graph.rootCount;
  for (let o = 0; o < n; o++) {
    if (nodeOf[o] === -1) continue;
    const end = graph.edgeStart[o + 1] as number;
    for (let e = graph.edgeStart[o] as number; e < end; e++) {
      if (nodeOf[graph.edgeTargets[e] as number] !== -1) edgeCount++;
    }
  }

  const nameOf = (o: number): number => {
    const site = graph.siteIds?.[o] ?? -1;
    if (site >= 0) return str(graph.sites[site] as string);
    const size = graph.sizes[o] as number;
    const c = sizeClassOf(size);
    return str(c === 0 ? `Go object (large, ${size} B)` : `Go object ${GO_SIZE_CLASSES[c]} B`);
  };

  sink('{"snapshot":{"meta":');
  sink(
    JSON.stringify({
      node_fields: NODE_FIELDS,
      node_types: [NODE_TYPES, "string", "number", "number", "number", "number", "number"],
      edge_fields: EDGE_FIELDS,
      edge_types: [EDGE_TYPES, "string_or_number", "node"],
      trace_function_info_fields: [
        "function_id",
        "name",
        "script_name",
        "script_id",
        "line",
        "column",
      ],
      trace_node_fields: ["id", "function_info_index", "count", "size", "children"],
      sample_fields: ["timestamp_us", "last_assigned_id"],
      location_fields: ["object_index", "script_id", "line", "column"],
    }),
  );
  sink(
    `,"node_count":${nodeCount},"edge_count":${edgeCount},"trace_function_count":0},\n"nodes":[`,
  );

  const nodes = new NumberWriter(sink);
  // Ids: odd and unique per node (V8 gives heap objects odd ids too).
  const id = (node: number): number => 2 * node + 1;
  nodes.push(
    T_SYNTHETIC,
    str(""),
    id(0),
    0,
    kindsPresent.length + (garbageNode >= 0 ? 1 : 0),
    0,
    0,
  );
  for (const c of kindsPresent) {
    const label = ROOT_KIND_LABEL[ROOT_KINDS[c] as string] ?? `(${ROOT_KINDS[c]})`;
    nodes.push(
      T_SYNTHETIC,
      str(label),
      id(kindNode[c] as number),
      0,
      rootsPerKind[c] as number,
      0,
      0,
    );
  }
  if (garbageNode >= 0) {
    nodes.push(T_SYNTHETIC, str("(garbage)"), id(garbageNode), 0, garbageCount, 0, 0);
  }
  for (let o = 0; o < n; o++) {
    const node = nodeOf[o] as number;
    if (node === -1) continue;
    let edges = 0;
    const end = graph.edgeStart[o + 1] as number;
    for (let e = graph.edgeStart[o] as number; e < end; e++) {
      if (nodeOf[graph.edgeTargets[e] as number] !== -1) edges++;
    }
    const type = graph.noscan?.[o] === 1 ? T_NATIVE : T_OBJECT;
    nodes.push(type, nameOf(o), id(node), graph.sizes[o] as number, edges, 0, 0);
  }
  nodes.flush();
  sink('],\n"edges":[');

  const edges = new NumberWriter(sink);
  kindsPresent.forEach((c, i) => {
    edges.push(E_ELEMENT, i + 1, (kindNode[c] as number) * NF);
  });
  if (garbageNode >= 0) edges.push(E_ELEMENT, kindsPresent.length + 1, garbageNode * NF);
  // Root edges grouped by kind, in the node order above.
  for (const c of kindsPresent) {
    for (let r = 0; r < graph.rootCount; r++) {
      if (graph.rootKinds[r] !== c) continue;
      const target = nodeOf[graph.rootTargets[r] as number] as number;
      edges.push(E_PROPERTY, str(graph.rootDescriptions[r] as string), target * NF);
    }
  }
  if (garbageNode >= 0) {
    let k = 0;
    for (let o = 0; o < n; o++) {
      if (live[o] === 0) edges.push(E_WEAK, k++, (nodeOf[o] as number) * NF);
    }
  }
  for (let o = 0; o < n; o++) {
    if (nodeOf[o] === -1) continue;
    let slot = 0;
    const end = graph.edgeStart[o + 1] as number;
    for (let e = graph.edgeStart[o] as number; e < end; e++) {
      const t = nodeOf[graph.edgeTargets[e] as number] as number;
      if (t !== -1) edges.push(E_ELEMENT, slot, t * NF);
      slot++;
    }
  }
  edges.flush();
  sink('],\n"trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[],\n"strings":[');
  for (let i = 0; i < strings.length; i += 4096) {
    const part = strings.slice(i, i + 4096).map((s) => JSON.stringify(s));
    sink((i === 0 ? "" : ",") + part.join(","));
  }
  sink("]}\n");
}

/**
 * The graph as a Chrome DevTools `.heapsnapshot` JSON string (see
 * {@link writeHeapSnapshot} for the layout; prefer that for big heaps, a
 * string is limited to about 512 MiB in V8).
 */
export function toHeapSnapshot(graph: ObjectGraph, options: HeapSnapshotOptions = {}): string {
  const chunks: string[] = [];
  writeHeapSnapshot(graph, (c) => chunks.push(c), options);
  return chunks.join("");
}

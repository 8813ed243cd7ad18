import { expect } from "vitest";

export interface ParsedSnapshot {
  nodeFields: string[];
  nodes: number[];
  edges: number[];
  strings: string[];
  nodeTypes: string[];
  edgeTypes: string[];
}

/**
 * An independent checker of the documented `.heapsnapshot` layout (the one
 * DevTools' HeapSnapshotLoader and HeapSnapshot read): written from the
 * format, not from the exporter.
 */
export function checkHeapSnapshot(json: string): ParsedSnapshot {
  const doc = JSON.parse(json) as Record<string, unknown>;
  const snapshot = doc.snapshot as Record<string, unknown>;
  const meta = snapshot.meta as Record<string, unknown[]>;
  const nodeFields = meta.node_fields as string[];
  const edgeFields = meta.edge_fields as string[];
  const nodeTypes = (meta.node_types as unknown[])[0] as string[];
  const edgeTypes = (meta.edge_types as unknown[])[0] as string[];
  for (const f of ["type", "name", "id", "self_size", "edge_count"])
    expect(nodeFields).toContain(f);
  expect(edgeFields).toEqual(["type", "name_or_index", "to_node"]);
  expect(meta.node_types?.length).toBe(nodeFields.length);
  expect(meta.edge_types?.length).toBe(edgeFields.length);
  const nodes = doc.nodes as number[];
  const edges = doc.edges as number[];
  const strings = doc.strings as string[];
  for (const k of ["trace_function_infos", "trace_tree", "samples", "locations"]) {
    expect(Array.isArray(doc[k])).toBe(true);
  }
  const NF = nodeFields.length;
  const EF = edgeFields.length;
  expect(nodes.length % NF).toBe(0);
  expect(edges.length % EF).toBe(0);
  expect(snapshot.node_count).toBe(nodes.length / NF);
  expect(snapshot.edge_count).toBe(edges.length / EF);
  const typeAt = nodeFields.indexOf("type");
  const nameAt = nodeFields.indexOf("name");
  const idAt = nodeFields.indexOf("id");
  const edgeCountAt = nodeFields.indexOf("edge_count");
  const sizeAt = nodeFields.indexOf("self_size");
  let edgeSum = 0;
  const ids = new Set<number>();
  for (let i = 0; i < nodes.length; i += NF) {
    expect(nodes[i + typeAt]).toBeLessThan(nodeTypes.length);
    expect(nodes[i + nameAt]).toBeLessThan(strings.length);
    expect(nodes[i + sizeAt]).toBeGreaterThanOrEqual(0);
    ids.add(nodes[i + idAt] as number);
    edgeSum += nodes[i + edgeCountAt] as number;
  }
  expect(ids.size).toBe(nodes.length / NF); // ids unique
  expect(edgeSum).toBe(edges.length / EF); // edge counts per node sum to the edge array
  const nameOrIndexString = new Set(["context", "property", "internal", "shortcut"]);
  for (let e = 0; e < edges.length; e += EF) {
    const type = edgeTypes[edges[e] as number];
    expect(type).toBeDefined();
    const to = edges[e + 2] as number;
    expect(to % NF).toBe(0); // to_node is a node's first field index
    expect(to).toBeLessThan(nodes.length);
    if (nameOrIndexString.has(type as string)) expect(edges[e + 1]).toBeLessThan(strings.length);
  }
  return { nodeFields, nodes, edges, strings, nodeTypes, edgeTypes };
}

/** Walks edges from node 0 over non-weak edges; returns how many nodes it reaches. */
export function reachableFromRoot(p: ParsedSnapshot): number {
  const NF = p.nodeFields.length;
  const edgeCountAt = p.nodeFields.indexOf("edge_count");
  const n = p.nodes.length / NF;
  const firstEdge: number[] = [];
  let acc = 0;
  for (let i = 0; i < n; i++) {
    firstEdge.push(acc);
    acc += p.nodes[i * NF + edgeCountAt] as number;
  }
  const seen = new Set<number>([0]);
  const stack = [0];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    const count = p.nodes[i * NF + edgeCountAt] as number;
    for (let k = 0; k < count; k++) {
      const e = ((firstEdge[i] as number) + k) * 3;
      if (p.edgeTypes[p.edges[e] as number] === "weak") continue;
      const to = (p.edges[e + 2] as number) / NF;
      if (!seen.has(to)) {
        seen.add(to);
        stack.push(to);
      }
    }
  }
  return seen.size;
}

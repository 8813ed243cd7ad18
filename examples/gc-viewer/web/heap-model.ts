import { type HeapDump, readHeapDump } from "@tricolor/heapdump-reader";
import {
  buildObjectGraph,
  type DominatorTree,
  dominators,
  GO_SIZE_CLASSES,
  type ObjectGraph,
  sizeClassOf,
} from "@tricolor/object-graph";

/** A dump parsed in the browser, with its graph. */
export interface LoadedDump {
  readonly name: string;
  readonly dump: HeapDump;
  readonly graph: ObjectGraph;
  /** Dominator tree, computed the first time a retained size is asked for. */
  dom: DominatorTree | undefined;
}

const HEAP_MAGIC = "go1.7 heap dump\n";

/** Whether bytes start with the heap dump header (`src/runtime/heapdump.go`, dumphdr). */
export function isHeapDumpBytes(bytes: Uint8Array): boolean {
  if (bytes.length < HEAP_MAGIC.length) return false;
  for (let i = 0; i < HEAP_MAGIC.length; i++)
    if (bytes[i] !== HEAP_MAGIC.charCodeAt(i)) return false;
  return true;
}

/** Whether bytes are gzip (RFC 1952 magic). */
export function isGzipBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips with the browser's own DecompressionStream. */
export async function gunzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Parses a heap dump and builds its object graph. */
export function loadDump(name: string, bytes: Uint8Array): LoadedDump {
  const dump = readHeapDump(bytes);
  const graph = buildObjectGraph(dump);
  return { name, dump, graph, dom: undefined };
}

/** The dominator tree of a loaded dump (computed once). */
export function dominatorTree(d: LoadedDump): DominatorTree {
  d.dom ??= dominators(d.graph);
  return d.dom;
}

/** A group of objects drawn as one node when a heap is too big to draw object by object. */
export interface ObjectGroup {
  readonly key: string;
  readonly label: string;
  /** A few characters for the canvas: the site's function, or the class size. */
  readonly short: string;
  readonly members: Uint32Array;
  readonly bytes: number;
}

/**
 * Groups objects by allocation site where the memory profiler sampled them,
 * and by Go size class otherwise (`bySite: false`: size class only). Largest
 * groups first.
 */
export function groupObjects(graph: ObjectGraph, bySite: boolean): ObjectGroup[] {
  const keyOf = new Int32Array(graph.objectCount);
  const keys = new Map<string, number>();
  const labels: string[] = [];
  const shorts: string[] = [];
  const counts: number[] = [];
  const bytes: number[] = [];
  for (let o = 0; o < graph.objectCount; o++) {
    const site = bySite && graph.siteIds !== undefined ? (graph.siteIds[o] as number) : -1;
    const size = graph.sizes[o] as number;
    const cls = sizeClassOf(size);
    const key = site >= 0 ? `s${site}` : `c${cls}`;
    let k = keys.get(key);
    if (k === undefined) {
      k = labels.length;
      keys.set(key, k);
      const siteLabel = site >= 0 ? (graph.sites[site] ?? "?") : "";
      const fn = siteLabel.split(" ")[0] ?? "";
      shorts.push(
        site >= 0
          ? fn.slice(fn.lastIndexOf("/") + 1)
          : cls > 0
            ? `${GO_SIZE_CLASSES[cls] ?? "?"} B`
            : "large",
      );
      labels.push(
        site >= 0
          ? (graph.sites[site] ?? "?")
          : cls > 0
            ? `size class ${cls} (${GO_SIZE_CLASSES[cls] ?? "?"} B)`
            : `large objects (> 32 KiB)`,
      );
      counts.push(0);
      bytes.push(0);
    }
    keyOf[o] = k;
    counts[k] = (counts[k] as number) + 1;
    bytes[k] = (bytes[k] as number) + size;
  }
  const members = counts.map((c) => new Uint32Array(c));
  const fill = new Array<number>(counts.length).fill(0);
  for (let o = 0; o < graph.objectCount; o++) {
    const k = keyOf[o] as number;
    const at = fill[k] as number;
    fill[k] = at + 1;
    (members[k] as Uint32Array)[at] = o;
  }
  const keyList = [...keys.keys()];
  return labels
    .map((label, k) => ({
      key: keyList[k] as string,
      label,
      short: shorts[k] as string,
      members: members[k] as Uint32Array,
      bytes: bytes[k] as number,
    }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** `0x…` form of an address held in a double (exact below 2^53). */
export function hex(address: number): string {
  return `0x${address.toString(16)}`;
}

/** Bytes with a binary unit. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/**
 * `tricolor heap <dump>`: what is in a Go heap dump — Go version, objects and
 * bytes live vs garbage, top allocation sites, top retainers by retained
 * size, goroutines by state and wait reason, roots by kind.
 */
import type { HeapDump } from "@tricolor/heapdump-reader";
import {
  dominators,
  type ObjectGraph,
  reachability,
  summarizeByRootKind,
  summarizeBySite,
  topRetainers,
} from "@tricolor/object-graph";
import { type Command, intOption } from "../command.js";
import {
  formatAddress,
  formatBytes,
  formatCount,
  formatPercent,
  formatTable,
  heading,
  toJson,
  truncate,
} from "../format.js";
import { loadHeap, objectLabel, Stages } from "../heap-load.js";

/** Everything `tricolor heap` reports (the `--json` shape). */
export interface HeapSummary {
  file: string;
  goVersion: string;
  arch: string;
  pointerSize: number;
  numCpu: number;
  dumpBytes: number;
  objects: {
    count: number;
    bytes: number;
    liveCount: number;
    liveBytes: number;
    garbageCount: number;
    garbageBytes: number;
    phantomRecords: number;
  };
  memStats:
    | { heapObjects: bigint; heapAlloc: bigint; numGC: bigint; nextGC: bigint; sys: bigint }
    | undefined;
  edges: number;
  allocationSites: {
    site: string;
    count: number;
    bytes: number;
    liveCount: number;
    liveBytes: number;
  }[];
  unsampled: { count: number; bytes: number; liveCount: number; liveBytes: number };
  topRetainers: { address: string; size: number; retainedSize: number; site: string }[];
  goroutines: {
    total: number;
    system: number;
    byState: { state: string; waitReason: string; count: number; system: number }[];
  };
  roots: { kind: string; roots: number; reachableCount: number; reachableBytes: number }[];
  rootPointersOutsideHeap: number;
  diagnostics: { code: string; message: string }[];
}

/** Computes the summary of a loaded heap. */
export function summarizeHeap(
  name: string,
  dumpBytes: number,
  dump: HeapDump,
  graph: ObjectGraph,
  top: number,
  stages?: Stages,
): HeapSummary {
  stages?.show("marking reachable objects");
  const reach = reachability(graph);
  stages?.show("computing dominators and retained sizes");
  const tree = dominators(graph);
  stages?.show("summarising");
  const bySite = summarizeBySite(graph, reach);
  const groups = new Map<
    string,
    { state: string; waitReason: string; count: number; system: number }
  >();
  for (const g of dump.goroutines) {
    const key = `${g.statusName}\u0000${g.waitReason}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { state: g.statusName, waitReason: g.waitReason, count: 0, system: 0 };
      groups.set(key, group);
    }
    group.count++;
    if (g.isSystem) group.system++;
  }
  const byState = [...groups.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.state.localeCompare(b.state) ||
      a.waitReason.localeCompare(b.waitReason),
  );
  const m = dump.memStats;
  stages?.done();
  return {
    file: name,
    goVersion: dump.goVersion,
    arch: dump.params.arch,
    pointerSize: dump.params.pointerSize,
    numCpu: dump.params.numCpu,
    dumpBytes,
    objects: {
      count: graph.objectCount,
      bytes: graph.totalBytes,
      liveCount: reach.liveCount,
      liveBytes: reach.liveBytes,
      garbageCount: reach.garbageCount,
      garbageBytes: reach.garbageBytes,
      phantomRecords: dump.phantomObjectCount,
    },
    memStats:
      m === undefined
        ? undefined
        : {
            heapObjects: m.HeapObjects,
            heapAlloc: m.HeapAlloc,
            numGC: m.NumGC,
            nextGC: m.NextGC,
            sys: m.Sys,
          },
    edges: graph.edgeTargets.length,
    allocationSites: bySite.sites.slice(0, top).map((s) => ({
      site: s.site,
      count: s.count,
      bytes: s.bytes,
      liveCount: s.liveCount,
      liveBytes: s.liveBytes,
    })),
    unsampled: { ...bySite.unsampled },
    topRetainers: topRetainers(tree, top).map((r) => ({
      address: formatAddress(graph.addresses[r.ordinal]!),
      size: graph.sizes[r.ordinal]!,
      retainedSize: r.retainedSize,
      site: objectLabel(graph, r.ordinal),
    })),
    goroutines: {
      total: dump.goroutines.length,
      system: dump.goroutines.filter((g) => g.isSystem).length,
      byState,
    },
    roots: summarizeByRootKind(graph).map((r) => ({ ...r })),
    rootPointersOutsideHeap: graph.stats.unresolvedRoots,
    diagnostics: [...dump.diagnostics, ...graph.diagnostics].map((d) => ({
      code: d.code,
      message: d.message,
    })),
  };
}

/**
 * A site label ("pkg/path.func /abs/or/module/file.go:42") with the file cut
 * to its base name, so tables stay readable; `--json` keeps the full label.
 */
export function shortSite(site: string): string {
  const space = site.lastIndexOf(" ");
  if (space < 0) return truncate(site, 110);
  const file = site.slice(space + 1);
  return truncate(`${site.slice(0, space)} ${file.slice(file.lastIndexOf("/") + 1)}`, 110);
}

function countAndBytes(count: number, bytes: number): string {
  return `${formatCount(count)} objects, ${formatBytes(bytes)}`;
}

/** The text report of {@link summarizeHeap}. */
export function formatHeapSummary(s: HeapSummary): string {
  const o = s.objects;
  const out: string[] = [heading(`Heap dump ${s.file}`)];
  const facts: [string, string][] = [
    ["Go", `${s.goVersion} ${s.arch}, ${s.pointerSize}-byte pointers, ${s.numCpu} CPUs`],
    [
      "objects",
      `${countAndBytes(o.count, o.bytes)}${o.phantomRecords > 0 ? ` (${formatCount(o.phantomRecords)} unused span slots skipped)` : ""}`,
    ],
    [
      "  live",
      `${countAndBytes(o.liveCount, o.liveBytes)} (${formatPercent(o.liveBytes, o.bytes)} of bytes)`,
    ],
    [
      "  garbage",
      `${countAndBytes(o.garbageCount, o.garbageBytes)} (${formatPercent(o.garbageBytes, o.bytes)}): unreachable, freed by the next GC`,
    ],
  ];
  if (s.memStats !== undefined) {
    const m = s.memStats;
    facts.push([
      "MemStats",
      `HeapObjects ${formatCount(m.heapObjects)}, HeapAlloc ${formatBytes(m.heapAlloc)}, NumGC ${m.numGC}, ${
        // With GOGC=off / SetGCPercent(-1) the goal is derived from the memory limit,
        // math.MaxInt64 by default (src/runtime/mgcpacer.go): no real goal.
        m.nextGC >= 2n ** 62n ? "GC off" : `next GC at ${formatBytes(m.nextGC)}`
      }`,
    ]);
  }
  facts.push(["pointers", `${formatCount(s.edges)} heap-to-heap edges`]);
  facts.push([
    "roots",
    `${formatCount(s.roots.reduce((a, r) => a + r.roots, 0))} into the heap, ${formatCount(s.rootPointersOutsideHeap)} nil or outside the heap`,
  ]);
  const width = Math.max(...facts.map(([k]) => k.length));
  out.push(...facts.map(([k, v]) => `${k.padEnd(width)}  ${v}`));

  out.push("", "Top allocation sites (objects the memory profiler sampled)");
  if (s.allocationSites.length === 0) {
    out.push("  none: the dump has no allocation samples (runtime.MemProfileRate was 0?)");
  } else {
    out.push(
      formatTable(
        [
          { header: "objects" },
          { header: "bytes" },
          { header: "live" },
          { header: "live bytes" },
          { header: "site", align: "left" },
        ],
        s.allocationSites.map((x) => [
          formatCount(x.count),
          formatBytes(x.bytes),
          formatCount(x.liveCount),
          formatBytes(x.liveBytes),
          shortSite(x.site),
        ]),
      ),
    );
  }
  out.push(
    `not sampled: ${countAndBytes(s.unsampled.count, s.unsampled.bytes)} (${formatCount(s.unsampled.liveCount)} live)`,
  );

  out.push("", "Top retainers (retained size: what would be freed with the object)");
  out.push(
    formatTable(
      [
        { header: "retained" },
        { header: "self" },
        { header: "address", align: "left" },
        { header: "site", align: "left" },
      ],
      s.topRetainers.map((r) => [
        formatBytes(r.retainedSize),
        formatBytes(r.size),
        r.address,
        shortSite(r.site),
      ]),
    ),
  );

  out.push(
    "",
    `Goroutines (${formatCount(s.goroutines.total)}, ${formatCount(s.goroutines.system)} of them runtime-internal)`,
  );
  out.push(
    formatTable(
      [
        { header: "count" },
        { header: "system" },
        { header: "state", align: "left" },
        { header: "wait reason", align: "left" },
      ],
      s.goroutines.byState.map((g) => [
        String(g.count),
        String(g.system),
        g.state,
        g.waitReason === "" ? "-" : g.waitReason,
      ]),
    ),
  );

  out.push("", "Roots by kind (an object reachable from several kinds counts for each)");
  out.push(
    formatTable(
      [
        { header: "kind", align: "left" },
        { header: "roots" },
        { header: "reachable" },
        { header: "bytes" },
      ],
      s.roots.map((r) => [
        r.kind,
        formatCount(r.roots),
        formatCount(r.reachableCount),
        formatBytes(r.reachableBytes),
      ]),
    ),
  );
  if (s.diagnostics.length > 0) {
    out.push("", `Notes (${s.diagnostics.length})`);
    for (const d of s.diagnostics.slice(0, 10)) out.push(`  ${d.code}: ${d.message}`);
  }
  return out.join("\n");
}

export const heapCommand: Command = {
  words: ["heap"],
  summary: "summarise a heap dump: live vs garbage, allocation sites, retainers, goroutines, roots",
  usage: "heap [options] <dump>\n       tricolor heap path|diff|export ...",
  description: [
    "Reads a dump written by runtime/debug.WriteHeapDump (optionally gzipped).",
    "Live objects are those reachable from the roots; garbage is what the dump still",
    "holds but the next GC would free. Allocation sites are known only for objects",
    "the memory profiler sampled (set runtime.MemProfileRate = 1 for all of them).",
    "",
    "Related: tricolor heap path <dump> <address>, tricolor heap diff <a> <b>,",
    "tricolor heap export <dump> <out.heapsnapshot>, tricolor mark <dump>.",
  ].join("\n"),
  options: {
    json: { type: "boolean", help: "print the summary as JSON" },
    top: {
      type: "string",
      value: "N",
      help: "rows in the site and retainer tables",
      default: "10",
    },
  },
  args: { min: 1, max: 1 },
  async run(args, io) {
    const stages = new Stages(io);
    const heap = await loadHeap(args.positionals[0]!, io, stages);
    const summary = summarizeHeap(
      heap.name,
      heap.bytes,
      heap.dump,
      heap.graph,
      intOption(args, "top", 10),
      stages,
    );
    io.stdout.write(
      args.values.json === true ? `${toJson(summary)}\n` : `${formatHeapSummary(summary)}\n`,
    );
    return 0;
  },
};

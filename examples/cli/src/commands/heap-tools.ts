/**
 * `tricolor heap path|diff|export`: the retainer path of one object, what
 * changed between two dumps, and a Chrome DevTools `.heapsnapshot` export.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import {
  diffGraphs,
  isObjectGraphError,
  type ObjectGraph,
  reachability,
  rootKindName,
  shortestRetainerPath,
  writeHeapSnapshot,
} from "@tricolor/object-graph";
import { type Command, intOption } from "../command.js";
import { CliError } from "../errors.js";
import {
  formatAddress,
  formatBytes,
  formatBytesDelta,
  formatCount,
  formatTable,
  heading,
  toJson,
} from "../format.js";
import { loadHeap, objectLabel, parseAddress, Stages } from "../heap-load.js";
import { shortSite } from "./heap.js";

function describeObject(graph: ObjectGraph, ordinal: number) {
  return {
    address: formatAddress(graph.addresses[ordinal]!),
    size: graph.sizes[ordinal]!,
    site: objectLabel(graph, ordinal),
  };
}

export const heapPathCommand: Command = {
  words: ["heap", "path"],
  summary: "show the shortest chain of references from a GC root to an object",
  usage: "heap path [options] <dump> <address>",
  description: [
    "The address may point anywhere inside the object (interior pointers resolve to",
    "the object that contains them). An object no root reaches is garbage; that is",
    "reported, not treated as an error.",
  ].join("\n"),
  options: { json: { type: "boolean", help: "print the path as JSON" } },
  args: { min: 2, max: 2 },
  async run(args, io) {
    const [path, addressText] = args.positionals as [string, string];
    const address = parseAddress(addressText);
    const { name, graph } = await loadHeap(path, io);
    const ordinal = graph.resolveAddress(address);
    if (ordinal < 0) {
      throw new CliError(`no heap object contains ${formatAddress(address)}`, { file: name });
    }
    const target = describeObject(graph, ordinal);
    const found = shortestRetainerPath(graph, ordinal);
    const interior = address - graph.addresses[ordinal]!;
    if (args.values.json === true) {
      io.stdout.write(
        `${toJson({
          file: name,
          query: formatAddress(address),
          object: target,
          live: found !== undefined,
          root:
            found === undefined
              ? undefined
              : {
                  kind: rootKindName(graph.rootKinds[found.root]!),
                  description: graph.rootDescriptions[found.root],
                },
          path: found === undefined ? [] : found.ordinals.map((o) => describeObject(graph, o)),
        })}\n`,
      );
      return 0;
    }
    const lines = [
      heading(`Object ${target.address} in ${name}`),
      `${formatBytes(target.size)} object${interior > 0 ? ` (${formatAddress(address)} is ${interior} bytes into it)` : ""}, site ${shortSite(target.site)}`,
    ];
    if (found === undefined) {
      lines.push("", "garbage: no GC root reaches it; the next GC frees it");
    } else {
      const kind = rootKindName(graph.rootKinds[found.root]!);
      lines.push(
        "",
        `live: reached from a ${kind} root in ${found.ordinals.length} step${found.ordinals.length === 1 ? "" : "s"} (shortest path)`,
        `root  ${graph.rootDescriptions[found.root]}`,
        formatTable(
          [
            { header: "" },
            { header: "address", align: "left" },
            { header: "size" },
            { header: "site", align: "left" },
          ],
          found.ordinals.map((o, i) => {
            const d = describeObject(graph, o);
            return [
              i === found.ordinals.length - 1 ? "=>" : "->",
              d.address,
              formatBytes(d.size),
              shortSite(d.site),
            ];
          }),
        ),
      );
    }
    io.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};

export const heapDiffCommand: Command = {
  words: ["heap", "diff"],
  summary: "compare two dumps of one process: objects allocated, freed and surviving",
  usage: "heap diff [options] <before.dump> <after.dump>",
  description: [
    "Objects are matched by address and size (a dump has no object identity), so an",
    "address freed and reused by an object of the same size looks like a survivor.",
  ].join("\n"),
  options: {
    json: { type: "boolean", help: "print the diff as JSON" },
    top: { type: "string", value: "N", help: "rows in the per-site table", default: "10" },
    addresses: { type: "boolean", help: "with --json: list the addresses of every group" },
  },
  args: { min: 2, max: 2 },
  async run(args, io) {
    const [pathA, pathB] = args.positionals as [string, string];
    const stages = new Stages(io);
    const a = await loadHeap(pathA, io, stages);
    const b = await loadHeap(pathB, io, stages);
    stages.show("comparing");
    const diff = diffGraphs(a.graph, b.graph);
    const liveA = reachability(a.graph);
    const liveB = reachability(b.graph);
    stages.done();
    // A diff only means something between dumps of one process.
    const warnings: string[] = [];
    if (a.dump.goVersion !== b.dump.goVersion) {
      warnings.push(
        `the dumps come from different Go versions (${a.dump.goVersion}, ${b.dump.goVersion}), so not from one process`,
      );
    }
    if (diff.surviving.count === 0 && a.graph.objectCount > 0 && b.graph.objectCount > 0) {
      warnings.push("no object survives: are these dumps of one process?");
    }
    for (const w of warnings) io.stderr.write(`tricolor: warning: ${w}\n`);
    const top = intOption(args, "top", 10);
    const side = (
      s: { count: number; bytes: number; ordinals: Uint32Array },
      graph: ObjectGraph,
    ) => ({
      count: s.count,
      bytes: s.bytes,
      ...(args.values.addresses === true
        ? { addresses: Array.from(s.ordinals, (o) => formatAddress(graph.addresses[o]!)) }
        : {}),
    });
    if (args.values.json === true) {
      io.stdout.write(
        `${toJson({
          before: {
            file: a.name,
            objects: a.graph.objectCount,
            bytes: a.graph.totalBytes,
            liveBytes: liveA.liveBytes,
          },
          after: {
            file: b.name,
            objects: b.graph.objectCount,
            bytes: b.graph.totalBytes,
            liveBytes: liveB.liveBytes,
          },
          allocated: side(diff.allocated, b.graph),
          freed: side(diff.freed, a.graph),
          surviving: side(diff.surviving, b.graph),
          bySite: diff.bySite.slice(0, top),
          warnings,
        })}\n`,
      );
      return 0;
    }
    const lines = [
      heading(`Heap diff ${a.name} -> ${b.name}`),
      formatTable(
        [
          { header: "", align: "left" },
          { header: "objects" },
          { header: "bytes" },
          { header: "", align: "left" },
        ],
        [
          [
            "before",
            formatCount(a.graph.objectCount),
            formatBytes(a.graph.totalBytes),
            `${formatBytes(liveA.liveBytes)} live`,
          ],
          [
            "after",
            formatCount(b.graph.objectCount),
            formatBytes(b.graph.totalBytes),
            `${formatBytes(liveB.liveBytes)} live`,
          ],
          [
            "allocated",
            formatCount(diff.allocated.count),
            formatBytes(diff.allocated.bytes),
            "only in the second dump",
          ],
          [
            "freed",
            formatCount(diff.freed.count),
            formatBytes(diff.freed.bytes),
            "only in the first dump",
          ],
          [
            "surviving",
            formatCount(diff.surviving.count),
            formatBytes(diff.surviving.bytes),
            "in both",
          ],
          [
            "net",
            formatCount(diff.allocated.count - diff.freed.count),
            formatBytesDelta(diff.allocated.bytes - diff.freed.bytes),
            "",
          ],
        ],
      ),
      "",
      "By allocation site (sampled objects), largest net change first",
    ];
    if (diff.bySite.length === 0) lines.push("  no sampled objects changed");
    else {
      lines.push(
        formatTable(
          [
            { header: "allocated" },
            { header: "freed" },
            { header: "net bytes" },
            { header: "site", align: "left" },
          ],
          diff.bySite
            .slice(0, top)
            .map((s) => [
              `${formatCount(s.allocatedCount)} (${formatBytes(s.allocatedBytes)})`,
              `${formatCount(s.freedCount)} (${formatBytes(s.freedBytes)})`,
              formatBytesDelta(s.netBytes),
              shortSite(s.site),
            ]),
        ),
      );
    }
    io.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};

export const heapExportCommand: Command = {
  words: ["heap", "export"],
  summary: "write a Chrome DevTools .heapsnapshot (open it in the Memory panel)",
  usage: "heap export [options] <dump> <out.heapsnapshot|->",
  description:
    'Streams the live heap as a .heapsnapshot (to stdout when the output is -); --garbage\nadds unreachable objects under a synthetic "(garbage)" node through weak edges.',
  options: { garbage: { type: "boolean", help: "include unreachable objects" } },
  args: { min: 2, max: 2 },
  async run(args, io) {
    const [path, out] = args.positionals as [string, string];
    const includeGarbage = args.values.garbage === true;
    const toStdout = out === "-";
    const stages = new Stages(io);
    const { name, graph } = await loadHeap(path, io, stages);
    stages.show(`writing ${toStdout ? "to stdout" : out}`);
    let written = 0;
    let fd: number | undefined;
    try {
      if (!toStdout) fd = openSync(out, "w");
      const file = fd;
      // The sink is synchronous; batch its small chunks into ~1 MiB writes so a
      // snapshot of a big heap (hundreds of MiB) is never held in memory whole.
      let batch: string[] = [];
      let batchLength = 0;
      const flush = (): void => {
        const bytes = Buffer.from(batch.join(""));
        batch = [];
        batchLength = 0;
        if (file === undefined) io.stdout.write(bytes);
        else {
          let offset = 0;
          while (offset < bytes.length) offset += writeSync(file, bytes, offset);
        }
        written += bytes.length;
      };
      writeHeapSnapshot(
        graph,
        (chunk) => {
          batch.push(chunk);
          batchLength += chunk.length;
          if (batchLength >= 1 << 20) flush();
        },
        { includeGarbage },
      );
      flush();
    } catch (error) {
      if (isObjectGraphError(error)) throw error;
      throw new CliError(`cannot write: ${(error as Error).message}`, { file: out, cause: error });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    stages.done();
    // Without --garbage the snapshot holds the live objects only.
    const objects = includeGarbage ? graph.objectCount : reachability(graph).liveCount;
    const garbageNote = includeGarbage ? " (garbage included)" : "";
    (toStdout ? io.stderr : io.stdout).write(
      `wrote ${toStdout ? "stdout" : out}: ${formatBytes(written)}, ${formatCount(objects)} objects${garbageNote} from ${name}\n`,
    );
    return 0;
  },
};

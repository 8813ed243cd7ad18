/**
 * `tricolor mark <dump>`: runs the tri-color mark simulation of
 * `@tricolor/object-graph` on a heap dump and reports its progress: the root
 * scan, the grey queue length over time, objects blackened, garbage left white.
 */
import { Color, createMarker, type GreyPolicy, reachability } from "@tricolor/object-graph";
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";
import { formatBytes, formatCount, formatTable, heading, toJson } from "../format.js";
import { loadHeap, Stages } from "../heap-load.js";
import { ProgressBar } from "../progress.js";

const policies: Record<GreyPolicy, string> = {
  "span-fifo": 'the span queue of the "Green Tea" marker, default since Go 1.26',
  lifo: "the object stack of the classic marker, before Go 1.26",
};

/**
 * The grey-queue policy the dumping program's runtime used: Green Tea is the
 * default from Go 1.26 and an experiment in 1.25 (`X:greenteagc` in the
 * build version), switched off by `X:nogreenteagc`.
 */
export function policyForVersion(goVersion: string): GreyPolicy {
  if (goVersion.includes("X:nogreenteagc")) return "lifo";
  if (goVersion.includes("X:greenteagc")) return "span-fifo";
  const match = /^go(\d+)\.(\d+)/.exec(goVersion);
  if (match === null) return "span-fifo";
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 1 || minor >= 26 ? "span-fifo" : "lifo";
}

/** A growable series of grey-queue lengths, one per step. */
class Series {
  data = new Uint32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

const bars = "▁▂▃▄▅▆▇█";

/** One character per bucket of steps: the largest grey-queue length in it. */
export function sparkline(values: ArrayLike<number>, length: number, width: number): string {
  if (length === 0) return "";
  const buckets = Math.min(width, length);
  const peaks = new Array<number>(buckets).fill(0);
  for (let i = 0; i < length; i++) {
    const b = Math.min(buckets - 1, Math.floor((i * buckets) / length));
    if (values[i]! > peaks[b]!) peaks[b] = values[i]!;
  }
  const max = Math.max(...peaks);
  return peaks
    .map((p) =>
      p === 0
        ? " "
        : bars[Math.min(bars.length - 1, Math.floor((p / max) * (bars.length - 1) + 0.5))],
    )
    .join("");
}

export const markCommand: Command = {
  words: ["mark"],
  summary: "run the tri-color mark on a heap dump: root scan, grey queue over time, garbage found",
  usage: "mark [options] <dump>",
  description: [
    "Every object starts white. Scanning a root shades its target grey; scanning a",
    "grey object shades its white referents grey and turns it black. When no grey",
    "object is left, the white ones are garbage. The grey queue follows the runtime:",
    "--policy span-fifo (Go 1.26's Green Tea span queue) or lifo (the object stack of",
    "earlier versions); by default the one the dump's Go version used.",
  ].join("\n"),
  options: {
    json: { type: "boolean", help: "print the results as JSON" },
    policy: {
      type: "string",
      value: "P",
      help: "grey queue: span-fifo, lifo, or auto (what the dump's Go version used)",
      default: "auto",
    },
  },
  args: { min: 1, max: 1 },
  async run(args, io) {
    const requested = args.values.policy as string;
    if (requested !== "span-fifo" && requested !== "lifo" && requested !== "auto") {
      throw new UsageError(`--policy: expected span-fifo, lifo or auto, got "${requested}"`);
    }
    const stages = new Stages(io);
    const { name, dump, graph } = await loadHeap(args.positionals[0]!, io, stages);
    const policy = requested === "auto" ? policyForVersion(dump.goVersion) : requested;
    const reach = reachability(graph);
    const marker = createMarker(graph, { policy });
    const progress = new ProgressBar("marking", graph.rootCount + reach.liveCount, io.stderr);
    const greys = new Series();
    let rootScans = 0;
    let lastRootStep = 0;
    let spans = 0;
    let blackened = 0;
    const shadedBy = { root: 0, scan: 0, barrier: 0 };
    let peakGrey = 0;
    let peakStep = 0;
    while (!marker.done) {
      for (const event of marker.step()) {
        if (event.type === "root") {
          rootScans++;
          lastRootStep = marker.steps;
        } else if (event.type === "shade") {
          shadedBy[event.cause]++;
          if (event.color === Color.Black) blackened++;
        } else if (event.type === "scan") blackened++;
        else if (event.type === "span") spans++;
      }
      greys.push(marker.greyCount);
      if (marker.greyCount > peakGrey) {
        peakGrey = marker.greyCount;
        peakStep = marker.steps;
      }
      if (progress.enabled)
        progress.update(rootScans + blackened, `${formatCount(marker.greyCount)} grey`);
    }
    progress.finish();
    let white = 0;
    let whiteBytes = 0;
    let mismatches = 0;
    const colors = marker.colors;
    for (let o = 0; o < graph.objectCount; o++) {
      const isWhite = colors[o] === Color.White;
      if (isWhite) {
        white++;
        whiteBytes += graph.sizes[o]!;
      }
      if (isWhite === (reach.live[o] === 1)) mismatches++;
    }
    const steps = marker.steps;
    const samples: { step: number; grey: number }[] = [];
    const rows = Math.min(10, greys.length);
    for (let i = 0; i < rows; i++) {
      const index =
        rows === 1 ? greys.length - 1 : Math.round((i * (greys.length - 1)) / (rows - 1));
      samples.push({ step: index + 1, grey: greys.data[index]! });
    }
    const result = {
      file: name,
      policy,
      objects: graph.objectCount,
      bytes: graph.totalBytes,
      roots: graph.rootCount,
      rootScans,
      rootScanEndStep: lastRootStep,
      steps,
      shadedBy,
      blackened,
      markedCount: marker.markedCount,
      markedBytes: marker.markedBytes,
      spansDequeued: spans,
      peakGrey,
      peakGreyStep: peakStep,
      greyOverTime: samples,
      garbageCount: white,
      garbageBytes: whiteBytes,
      matchesReachability: mismatches === 0,
    };
    if (args.values.json === true) {
      io.stdout.write(`${toJson(result)}\n`);
      return 0;
    }
    const facts: [string, string][] = [
      [
        "start",
        `${formatCount(graph.objectCount)} objects (${formatBytes(graph.totalBytes)}), all white`,
      ],
      [
        "root scan",
        `${formatCount(rootScans)} roots into the heap scanned (steps 1-${formatCount(lastRootStep)}), ${formatCount(shadedBy.root)} objects shaded`,
      ],
      [
        "marking",
        `${formatCount(steps)} steps in all: ${formatCount(marker.markedCount)} objects marked (${formatBytes(marker.markedBytes)}), ${formatCount(shadedBy.scan)} found by scanning${policy === "span-fifo" ? `, ${formatCount(spans)} spans dequeued` : ""}`,
      ],
      ["grey queue", `peak ${formatCount(peakGrey)} at step ${formatCount(peakStep)}`],
      ["", `${sparkline(greys.data, greys.length, 60)}  (max per 1/60 of the steps)`],
      [
        "garbage",
        `${formatCount(white)} objects still white (${formatBytes(whiteBytes)}): the sweep frees them`,
      ],
      [
        "check",
        mismatches === 0
          ? `black set equals the reachable set (${formatCount(reach.liveCount)} objects)`
          : `${formatCount(mismatches)} objects differ from plain reachability`,
      ],
    ];
    const width = Math.max(...facts.map(([k]) => k.length));
    const lines = [
      heading(`Tri-color mark of ${name}`),
      `${dump.goVersion}; grey queue policy ${policy}: ${policies[policy]}`,
      "",
      ...facts.map(([k, v]) => `${k.padEnd(width)}  ${v}`.trimEnd()),
      "",
      "Grey queue length over time",
      formatTable(
        [{ header: "step" }, { header: "grey" }],
        samples.map((s) => [formatCount(s.step), formatCount(s.grey)]),
      ),
    ];
    io.stdout.write(`${lines.join("\n")}\n`);
    return mismatches === 0 ? 0 : 1;
  },
};

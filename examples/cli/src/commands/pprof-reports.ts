/**
 * `tricolor pprof top|traces|diff`: the text reports of `go tool pprof`
 * (`-top`, `-traces`, `-top -diff_base`), byte for byte, from
 * `@tricolor/pprof-proto`'s report functions. Option names follow pprof's
 * flags (`--sample_index`, `--nodecount`, `--focus`, ...).
 */
import {
  diffProfiles,
  formatTop,
  formatTraces,
  type Granularity,
  type Profile,
  type TopOptions,
  topReport,
  tracesReport,
} from "@tricolor/pprof-proto";
import type { Command, OptionSpec, ParsedArgs } from "../command.js";
import { UsageError, withInput } from "../errors.js";
import { toJson } from "../format.js";
import { loadProfile } from "./pprof.js";

const granularities: readonly Granularity[] = [
  "functions",
  "filefunctions",
  "files",
  "lines",
  "addresses",
];

/** Options shared by every report (pprof's sample selection, filters, granularity). */
const reportOptions: Record<string, OptionSpec> = {
  sample_index: {
    type: "string",
    value: "NAME",
    help: "sample value to report (e.g. alloc_space, inuse_objects, or an index)",
  },
  unit: { type: "string", value: "U", help: "output unit (minimum, auto, ms, MB, ...)" },
  focus: { type: "string", value: "RE", help: "keep samples with a frame matching RE" },
  ignore: { type: "string", value: "RE", help: "drop samples with a frame matching RE" },
  hide: { type: "string", value: "RE", help: "remove frames matching RE" },
  show: { type: "string", value: "RE", help: "keep only frames matching RE" },
  tagfocus: { type: "string", value: "T", help: "keep samples whose labels match (key=regexp)" },
  tagignore: { type: "string", value: "T", help: "drop samples whose labels match" },
  granularity: {
    type: "string",
    value: "G",
    help: "functions, filefunctions, files, lines or addresses",
    default: "functions",
  },
  noinlines: { type: "boolean", help: "attribute inlined frames to their caller" },
};

const topOptions: Record<string, OptionSpec> = {
  ...reportOptions,
  nodecount: { type: "string", value: "N", help: "show at most N rows (default all)" },
  nodefraction: {
    type: "string",
    value: "F",
    help: "hide nodes below this fraction of the total",
    default: "0.005",
  },
  cum: { type: "boolean", help: "sort by cumulative value" },
  json: { type: "boolean", help: "print the rows as JSON" },
};

function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" ? v : undefined;
}

function numberOption(args: ParsedArgs, name: string): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`--${name}: expected a non-negative number, got "${text}"`);
  }
  return value;
}

/** Builds the report options from the command line, leaving out what was not given. */
function toTopOptions(args: ParsedArgs): TopOptions {
  const granularity = stringOption(args, "granularity") ?? "functions";
  if (!granularities.includes(granularity as Granularity)) {
    throw new UsageError(
      `--granularity: expected one of ${granularities.join(", ")}, got "${granularity}"`,
    );
  }
  const options: TopOptions = { granularity: granularity as Granularity };
  const sampleIndex = stringOption(args, "sample_index");
  if (sampleIndex !== undefined)
    options.sampleIndex = /^\d+$/.test(sampleIndex) ? Number(sampleIndex) : sampleIndex;
  const text: [keyof TopOptions & string, string][] = [
    ["unit", "unit"],
    ["focus", "focus"],
    ["ignore", "ignore"],
    ["hide", "hide"],
    ["show", "show"],
    ["tagFocus", "tagfocus"],
    ["tagIgnore", "tagignore"],
  ];
  for (const [key, flag] of text) {
    const v = stringOption(args, flag);
    if (v !== undefined) (options as Record<string, unknown>)[key] = v;
  }
  if (args.values.noinlines === true) options.noInlines = true;
  const nodeCount = numberOption(args, "nodecount");
  if (nodeCount !== undefined) options.nodeCount = Math.floor(nodeCount);
  const nodeFraction = numberOption(args, "nodefraction");
  if (nodeFraction !== undefined) options.nodeFraction = nodeFraction;
  if (args.values.cum === true) options.cum = true;
  return options;
}

async function top(name: string, profile: Profile, args: ParsedArgs, write: (s: string) => void) {
  const options = toTopOptions(args);
  const report = await withInput(name, () => topReport(profile, options));
  if (args.values.json === true) {
    write(
      `${toJson({
        file: name,
        labels: report.labels,
        unit: report.unit,
        total: report.total,
        shownTotal: report.shownTotal,
        rows: report.rows.map(({ name: fn, inline, flat, cum }) => ({
          name: fn,
          inline,
          flat,
          cum,
        })),
        warnings: report.warnings,
      })}\n`,
    );
  } else {
    write(formatTop(report));
  }
}

export const pprofTopCommand: Command = {
  words: ["pprof", "top"],
  summary: "the flat/cum table of `go tool pprof -top`",
  usage: "pprof top [options] <profile>",
  description:
    "Reads a profile.proto (gzipped or not) as written by runtime/pprof or net/http/pprof.\nTimes are printed in UTC.",
  options: topOptions,
  args: { min: 1, max: 1 },
  async run(args, io) {
    const { name, profile } = await loadProfile(args.positionals[0]!, io);
    await top(name, profile, args, (s) => io.stdout.write(s));
    return 0;
  },
};

export const pprofTracesCommand: Command = {
  words: ["pprof", "traces"],
  summary: "every sample's stack with its value and labels, as `go tool pprof -traces`",
  usage: "pprof traces [options] <profile>",
  options: reportOptions,
  args: { min: 1, max: 1 },
  async run(args, io) {
    const { name, profile } = await loadProfile(args.positionals[0]!, io);
    const { nodeCount: _n, nodeFraction: _f, cum: _c, ...options } = toTopOptions(args);
    io.stdout.write(formatTraces(await withInput(name, () => tracesReport(profile, options))));
    return 0;
  },
};

export const pprofDiffCommand: Command = {
  words: ["pprof", "diff"],
  summary: "what changed from a base profile, as `go tool pprof -top -diff_base <base>`",
  usage: "pprof diff [options] <base> <profile>",
  description: [
    "Subtracts <base> from <profile> (both of the same kind, e.g. two heap profiles",
    "of one program) and prints the top table; percentages refer to the base total,",
    "negative values shrank. --normalize scales <profile> to the base's total first.",
  ].join("\n"),
  options: {
    ...topOptions,
    normalize: { type: "boolean", help: "scale the profile to the base's total first" },
  },
  args: { min: 2, max: 2 },
  async run(args, io) {
    const [basePath, path] = args.positionals as [string, string];
    const base = await loadProfile(basePath, io);
    const { name, profile } = await loadProfile(path, io);
    const diff = await withInput(name, () =>
      diffProfiles(profile, base.profile, {
        mode: "diff_base",
        normalize: args.values.normalize === true,
      }),
    );
    await top(name, diff, args, (s) => io.stdout.write(s));
    return 0;
  },
};

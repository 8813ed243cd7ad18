/**
 * `tricolor gctrace <log|->`: summarises a saved GODEBUG trace (stderr of a
 * program run with gctrace=1, optionally gcpacertrace=1, scavtrace=1, ...).
 */
import type { Command } from "../command.js";
import { intOption } from "../command.js";
import { CliError } from "../errors.js";
import { toJson } from "../format.js";
import { inputName, openInputLines } from "../input.js";
import { StatusLine } from "../progress.js";
import {
  createTraceTracker,
  formatLiveLine,
  formatTraceReport,
  hasTraceLines,
} from "../trace-report.js";

export const gctraceCommand: Command = {
  words: ["gctrace"],
  summary: "summarise a GODEBUG=gctrace log: cycles, pauses p50/p99/max, GC CPU %, heap vs goal",
  usage: "gctrace [options] <log|->",
  description: [
    "Reads the stderr of a program run with GODEBUG=gctrace=1 (gcpacertrace=1,",
    "scavtrace=1 and the program's own output may be mixed in; lines split by the",
    "program's writes are reassembled). `-` reads stdin, so",
    "  GODEBUG=gctrace=1 ./prog 2>&1 >/dev/null | tricolor gctrace -",
    "works while the program runs, with a live summary line on the terminal.",
    "A gzip-compressed log (trace.log.gz) is decompressed on the fly.",
  ].join("\n"),
  options: {
    json: { type: "boolean", help: "print the summary as JSON" },
    cycles: { type: "string", value: "N", help: "list the last N cycles", default: "10" },
  },
  args: { min: 1, max: 1 },
  async run(args, io) {
    const path = args.positionals[0]!;
    const name = inputName(path);
    const tracker = createTraceTracker();
    const lines = await openInputLines(path, io);
    // Reading a pipe (`... 2>&1 | tricolor gctrace -`) can last as long as the
    // program runs: keep the live summary line on the terminal meanwhile.
    const status = new StatusLine(io.stderr);
    const live = path === "-" && status.enabled;
    let lastDraw = 0;
    try {
      for await (const line of lines) {
        tracker.push(line);
        if (live && Date.now() - lastDraw >= 100) {
          lastDraw = Date.now();
          status.set(formatLiveLine(tracker.summary()));
        }
      }
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`cannot read: ${(error as Error).message}`, { file: name, cause: error });
    }
    tracker.end();
    status.clear();
    const summary = tracker.summary();
    if (!hasTraceLines(summary)) {
      throw new CliError(
        `no GODEBUG trace lines found in ${summary.lines} lines (was the program run with GODEBUG=gctrace=1?)`,
        { file: name },
      );
    }
    const lastCycles = tracker.recentCycles(intOption(args, "cycles", 10));
    io.stdout.write(
      args.values.json === true
        ? `${toJson({ file: name, ...summary, lastCycles })}\n`
        : `${formatTraceReport(summary, { title: `GC trace ${name}`, lastCycles })}\n`,
    );
    return 0;
  },
};

/**
 * `tricolor run -- <program args>`: runs a Go program with
 * GODEBUG=gctrace=1,gcpacertrace=1 merged into its environment, parses the
 * trace lines from its stderr as they arrive and keeps a live summary line on
 * the terminal; the program's own output passes through untouched. The final
 * summary goes to stdout when the program exits, and the exit code is the
 * program's.
 */
import { spawn } from "node:child_process";
import { createWriteStream, openSync, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";
import type { GcTraceEvent } from "@tricolor/gctrace-parser";
import { type Command, intOption } from "../command.js";
import { CliError, UsageError } from "../errors.js";
import { toJson } from "../format.js";
import { planRun } from "../godebug.js";
import { StatusLine } from "../progress.js";
import { createTraceTracker, formatLiveLine, formatTraceReport } from "../trace-report.js";

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export const runCommand: Command = {
  words: ["run"],
  summary: "run a Go program with GODEBUG=gctrace=1,gcpacertrace=1 and summarise its GC live",
  usage: "run [options] -- <program> [args...]",
  description: [
    "Examples:",
    "  (cd fixtures/gen && tricolor run -- go run ./cmd/gcload -duration 5s)",
    "  tricolor run --log gc.log -- ./myserver -port 8080",
    "",
    "`go run` receives the settings through `-exec env GODEBUG=...` so that the go",
    "command's own collections stay out of the trace. Trace lines are summarised, not",
    "echoed (see --echo); other stderr lines of the program are passed through. The",
    "live summary line is drawn on stderr when it is a terminal (or with --progress,",
    "one line per collection). Exit status: the program's.",
  ].join("\n"),
  options: {
    json: { type: "boolean", help: "print the final summary as JSON" },
    cycles: { type: "string", value: "N", help: "list the last N cycles", default: "5" },
    log: { type: "string", value: "FILE", help: "also save the program's raw stderr to FILE" },
    echo: { type: "boolean", help: "pass the trace lines through to stderr as well" },
    progress: {
      type: "boolean",
      help: "print the live summary even when stderr is not a terminal (one line per cycle)",
    },
  },
  args: { min: 0, max: 0 },
  async run(args, io) {
    if (args.rest.length === 0) {
      throw new UsageError("run: give the program after --, e.g. tricolor run -- go run .");
    }
    const plan = planRun(args.rest, io.env);
    const tracker = createTraceTracker();
    const status = new StatusLine(io.stderr);
    const plainProgress = args.values.progress === true && !status.enabled;
    const echo = args.values.echo === true;
    let log: WriteStream | undefined;
    if (typeof args.values.log === "string") {
      const logPath = args.values.log;
      // Open synchronously so a bad path is reported before the program starts.
      let fd: number;
      try {
        fd = openSync(logPath, "w");
      } catch (error) {
        throw new CliError(`cannot write: ${(error as Error).message}`, {
          file: logPath,
          cause: error,
        });
      }
      log = createWriteStream("", { fd });
      log.on("error", (error) => {
        status.clear();
        io.stderr.write(`tricolor: ${logPath}: cannot write: ${error.message}\n`);
      });
    }

    const child = spawn(plan.command, plan.args, {
      env: plan.env,
      stdio: ["inherit", "inherit", "pipe"],
    });
    // Ctrl-C at a terminal reaches the program too (same process group); a
    // signal sent to tricolor alone (kill, timeout) is passed on. Either way
    // tricolor waits for the program and prints the summary of what it saw.
    const forward = (signal: NodeJS.Signals): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    let lastDraw = 0;
    let cyclesShown = 0;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal }));
      },
    );
    const lines = createInterface({ input: child.stderr, crlfDelay: Number.POSITIVE_INFINITY });
    const drained = new Promise<void>((resolve) => lines.once("close", resolve));
    const show = (events: readonly GcTraceEvent[]): void => {
      let traced = false;
      for (const event of events) {
        if (event.kind !== "other") traced = true;
        else if (!echo) {
          status.clear();
          io.stderr.write(`${event.text}\n`);
        }
      }
      if (!traced) return;
      const cycles = tracker.cycles();
      if (plainProgress && cycles > cyclesShown) {
        cyclesShown = cycles;
        io.stderr.write(`${formatLiveLine(tracker.summary())}\n`);
      } else if (status.enabled && Date.now() - lastDraw >= 100) {
        lastDraw = Date.now();
        status.set(formatLiveLine(tracker.summary()));
      }
    };
    lines.on("line", (line) => {
      log?.write(`${line}\n`);
      if (echo) {
        status.clear();
        io.stderr.write(`${line}\n`);
      }
      show(tracker.push(line));
    });
    let result: { code: number | null; signal: NodeJS.Signals | null };
    try {
      result = await exited;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(code === "ENOENT" ? "command not found" : (error as Error).message, {
        file: plan.command,
        cause: error,
      });
    } finally {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
    }
    await drained;
    show(tracker.end());
    status.clear();
    if (log !== undefined) await new Promise<void>((resolve) => log.end(resolve));
    const summary = tracker.summary();
    io.stdout.write(
      args.values.json === true
        ? `${toJson({ command: args.rest, exitCode: result.code, signal: result.signal, ...summary })}\n`
        : `${formatTraceReport(summary, {
            title: `tricolor run: ${args.rest.join(" ")}`,
            lastCycles: tracker.recentCycles(intOption(args, "cycles", 5)),
          })}\n`,
    );
    if (result.signal !== null) return 128 + (signalNumbers[result.signal] ?? 0);
    return result.code ?? 1;
  },
};

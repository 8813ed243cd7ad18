/** The list of `tricolor` commands, in the order `--help` shows them. */
import type { Command } from "../command.js";
import { demoCommand } from "./demo.js";
import { gctraceCommand } from "./gctrace.js";
import { heapCommand } from "./heap.js";
import { heapDiffCommand, heapExportCommand, heapPathCommand } from "./heap-tools.js";
import { markCommand } from "./mark.js";
import { pprofRawCommand } from "./pprof.js";
import { pprofDiffCommand, pprofTopCommand, pprofTracesCommand } from "./pprof-reports.js";
import { runCommand } from "./run.js";

export const commands: readonly Command[] = [
  heapCommand,
  heapPathCommand,
  heapDiffCommand,
  heapExportCommand,
  markCommand,
  gctraceCommand,
  runCommand,
  pprofTopCommand,
  pprofTracesCommand,
  pprofRawCommand,
  pprofDiffCommand,
  demoCommand,
];

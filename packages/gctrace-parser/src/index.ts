/**
 * `@tricolor/gctrace-parser`: parse what the Go runtime prints under
 * `GODEBUG=gctrace=1|2`, `gcpacertrace=1`, `scavtrace=1`, `schedtrace=N`,
 * `scheddetail=1` and `inittrace=1` into typed events, from a string, an iterable
 * of lines or a byte stream, with the program's own output mixed in.
 *
 * This entry point is browser-safe; Node helpers live in `@tricolor/gctrace-parser/node`.
 *
 * @packageDocumentation
 */

export type { GcTraceErrorOptions } from "./errors.js";
export { GcTraceError, GcTraceErrorCode, isGcTraceError } from "./errors.js";
export type {
  EventBase,
  FloatSyntax,
  ForcedEvent,
  GcCpuPhases,
  GcEvent,
  GcTraceEvent,
  GcTraceEventKind,
  GcWallPhases,
  InitEvent,
  OtherEvent,
  PacerAssistEvent,
  PacerCycleEvent,
  PacerEvent,
  PacerLegacyEvent,
  PacerSweepEvent,
  ScanEvent,
  ScavEvent,
  SchedEvent,
  SchedGEvent,
  SchedMEvent,
  SchedPEvent,
  ScvgEvent,
} from "./events.js";
export {
  formatGcTrace,
  formatGcTraceEvent,
  formatGoFloatLegacy,
  formatGoFloatShortest,
} from "./format.js";
export { parseGcTraceLine } from "./line.js";
export type { ByteSource, GcTraceParseResult } from "./parse.js";
export {
  MAX_LINE_LENGTH,
  parseGcTrace,
  parseGcTraceStream,
  parseGcTraceStreamBatches,
  parseGcTraceText,
  readLines,
} from "./parse.js";
export type { GcTraceDiagnostic, GcTraceParseOptions } from "./parser.js";
export { GcTraceParser } from "./parser.js";
export type { GcPoint, GcSummary, PauseStats, SchedPoint, SchedSummary } from "./summary.js";
export { summarizeGc, summarizeSched } from "./summary.js";

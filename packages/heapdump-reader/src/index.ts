/**
 * Read Go heap dumps written by `runtime/debug.WriteHeapDump` into typed
 * records and the indexes an object graph needs.
 *
 * - {@link readHeapDump}: a dump in memory → {@link HeapDump} (object index,
 *   goroutines, roots, ...).
 * - {@link readHeapDumpRecords}: the records of a dump in memory, one by one.
 * - {@link streamHeapDump}: records from a stream, memory bounded by the
 *   largest record.
 * - {@link writeHeapDump}: records → dump bytes.
 *
 * Node helpers for files live in `@tricolor/heapdump-reader/node`.
 *
 * @packageDocumentation
 */
export { goroutineStatusName } from "./constants.js";
export {
  HeapDumpError,
  HeapDumpErrorCode,
  type HeapDumpErrorOptions,
  isHeapDumpError,
} from "./errors.js";
export { type SpanGeometry, spanGeometry } from "./phantom.js";
export { readHeapDump } from "./read-heap-dump.js";
export { readHeapDumpRecords } from "./records.js";
export { type HeapDumpSource, type StreamHeapDumpOptions, streamHeapDump } from "./stream.js";
export type {
  AllocSampleRecord,
  DeferRecord,
  FinalizerRecord,
  GoroutineRecord,
  HeapDump,
  HeapDumpDiagnostic,
  HeapDumpGoroutine,
  HeapDumpRecord,
  HeapDumpRecordCounts,
  HeapDumpRecordKind,
  HeapRoot,
  HeapRootKind,
  InterfaceField,
  InterfaceFieldKind,
  ItabRecord,
  MemProfFrame,
  MemProfRecord,
  MemStats,
  MemStatsRecord,
  ObjectIndex,
  ObjectRecord,
  OsThreadRecord,
  OtherRootRecord,
  PanicRecord,
  ParamsRecord,
  ReadHeapDumpOptions,
  SegmentRecord,
  StackFrameRecord,
  TypeRecord,
} from "./types.js";
export { writeHeapDump } from "./writer.js";

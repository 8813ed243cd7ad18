/**
 * Read Go heap dumps written by `runtime/debug.WriteHeapDump` into typed
 * records and the indexes an object graph needs.
 *
 * @packageDocumentation
 */
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

export type { DecodeOptions } from "./decode.js";
export { decodeProfile } from "./decode.js";
export type { EncodeOptions } from "./encode.js";
export { compareUtf8, encodeProfile } from "./encode.js";
export type { PprofErrorOptions } from "./errors.js";
export { isPprofError, PprofError, PprofErrorCode } from "./errors.js";
export { DEFAULT_MAX_DECOMPRESSED_BYTES, gunzip, gzip, isGzip } from "./gzip.js";
export type {
  Diagnostic,
  FrameInput,
  FunctionTable,
  LabelInput,
  Line,
  LineInput,
  Location,
  LocationInput,
  LocationTable,
  Mapping,
  MappingInput,
  NumLabelValue,
  ProfileBuilderOptions,
  ProfileFunction,
  ProfileInit,
  ResolvedFrame,
  ResolvedSample,
  SampleTable,
  ValueType,
} from "./model.js";
export {
  emptySampleTable,
  MAX_DIAGNOSTICS,
  Profile,
  ProfileBuilder,
} from "./model.js";
export type { AggregateOptions, Granularity } from "./ops/aggregate.js";
export { aggregateProfile } from "./ops/aggregate.js";
export type { DiffOptions } from "./ops/diff.js";
export { DIFF_BASE_LABEL, diffProfiles, setLabel } from "./ops/diff.js";
export type { FilterOptions, FilterResult } from "./ops/filter.js";
export { filterProfile, numLabelUnits, pruneFrames, removeUninteresting } from "./ops/filter.js";
export { checkCompatible, compactProfile, mergeProfiles } from "./ops/merge.js";
export { normalizeProfile, sampleTotals, scaleProfile } from "./ops/scale.js";
export type { RawStringOptions } from "./raw.js";
export { formatGoDuration, formatGoTime, toRawString } from "./raw.js";
export type { CallTreeNode } from "./report/flame.js";
export { callTree, flameGraphJson, foldedStacks } from "./report/flame.js";
export { formatMeasurement, scaledLabel, scaleValue } from "./report/measurement.js";
export type { ReportOptions } from "./report/options.js";
export { computeTotal, sampleIndexOf } from "./report/options.js";
export type { TopOptions, TopReport, TopRow } from "./report/top.js";
export { formatTop, topReport } from "./report/top.js";
export type { Trace, TraceFrame, TracesReport } from "./report/traces.js";
export { formatTraces, tracesReport } from "./report/traces.js";
export type { TreeEdge, TreeEntry, TreeReport } from "./report/tree.js";
export { formatTree, treeReport } from "./report/tree.js";
export { StringTable } from "./string-table.js";
export type {
  ElidedFrames,
  Goroutine,
  GoroutineAncestor,
  GoroutineCreator,
  GoroutineDump,
  GoroutineDumpOptions,
  GoroutineFrame,
  GoroutineProfileOptions,
  MemStatsEntry,
  ParseProfileTextOptions,
  TextDiagnostic,
  TextParseOptions,
  TextProfile,
  TextProfileFormat,
} from "./text/index.js";
export {
  goroutineDumpToProfile,
  parseGoroutineDump,
  parseProfile,
  parseProfileText,
} from "./text/index.js";

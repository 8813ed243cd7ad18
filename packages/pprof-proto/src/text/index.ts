// Go text profile formats and the legacy formats google/pprof reads.

export type { TextParseOptions } from "./common.js";
export type { GoroutineProfileOptions } from "./goroutine-profile.js";
export { goroutineDumpToProfile } from "./goroutine-profile.js";
export type {
  ElidedFrames,
  Goroutine,
  GoroutineAncestor,
  GoroutineCreator,
  GoroutineDump,
  GoroutineDumpOptions,
  GoroutineFrame,
  TextDiagnostic,
} from "./goroutines.js";
export { parseGoroutineDump } from "./goroutines.js";
export type { MemStatsEntry } from "./heap.js";
export type { ParseProfileTextOptions, TextProfile, TextProfileFormat } from "./parse.js";
export { parseProfile, parseProfileText } from "./parse.js";

/**
 * The Go heap as a graph: dense ordinals and CSR edges built from a heap
 * dump (or any {@link GraphSource}), reachability, a step-by-step tri-color
 * mark simulation with the hybrid write barrier, dominators and retained
 * sizes, retainer paths, summaries, diffs and a Chrome DevTools
 * `.heapsnapshot` export.
 *
 * @packageDocumentation
 */
export {
  type ArrayGraphSourceInput,
  type ArrayObject,
  type ArrayRoot,
  arrayGraphSource,
} from "./array-source.js";
export { type DiffSide, diffGraphs, type GraphDiff, type SiteDelta } from "./diff.js";
export {
  type DominatorTree,
  dominators,
  type Retainer,
  type RetainerPath,
  shortestRetainerPath,
  topRetainers,
  UNREACHABLE,
  VIRTUAL_ROOT,
} from "./dominators.js";
export {
  isObjectGraphError,
  ObjectGraphError,
  ObjectGraphErrorCode,
  type ObjectGraphErrorOptions,
} from "./errors.js";
export { allocationSiteLabel, buildObjectGraph, heapDumpSource } from "./from-heapdump.js";
export {
  buildGraphFromSource,
  type GraphBuildOptions,
  type GraphBuildStats,
  type GraphDiagnostic,
  type ObjectGraph,
  type OrdinalArray,
  rootKindName,
} from "./graph.js";
export { type HeapSnapshotOptions, toHeapSnapshot, writeHeapSnapshot } from "./heapsnapshot.js";
export {
  Color,
  createMarker,
  type GreyPolicy,
  type MarkEvent,
  type Marker,
  type MarkerOptions,
  type PointerSlot,
  type ShadeCause,
} from "./marker.js";
export { type Reachability, reachability } from "./reachability.js";
export { type GraphSource, ROOT_KINDS, RootKind } from "./source.js";
export {
  GO_SIZE_CLASSES,
  type GroupTotals,
  type RootKindSummary,
  type SiteSummaries,
  type SiteSummary,
  type SizeClassSummary,
  sizeClassOf,
  summarizeByRootKind,
  summarizeBySite,
  summarizeBySizeClass,
} from "./summaries.js";

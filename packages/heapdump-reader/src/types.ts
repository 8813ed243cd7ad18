/**
 * Public record and index types of `@tricolor/heapdump-reader`.
 *
 * The record layout follows `writeheapdump_m` in `src/runtime/heapdump.go`
 * (format documented at https://golang.org/s/go15heapdump; header
 * `go1.7 heap dump\n`, record tags 0..17).
 *
 * Numeric policy (decided per field, never a `number | bigint` union):
 * - Addresses, program counters, sizes, counts and ids are `number`. The
 *   reader refuses (error code `UNSAFE_INTEGER`) a value of such a field that
 *   is 2^53 or above instead of rounding it. Go heap addresses fit in 48 bits
 *   on amd64/arm64, so real dumps never hit that limit.
 * - Every {@link MemStats} value is a `bigint`: they are `uint64` in Go and
 *   `LastGC` (nanoseconds since 1970) is always above 2^53.
 * - Pointer values read from object contents are arbitrary words; see
 *   {@link ObjectIndex.readPointer} (number) and
 *   {@link ObjectIndex.readPointerBigInt} (exact).
 *
 * @module
 */

/** Kind of an entry in a field list ("fields" in the format document). */
export type InterfaceFieldKind = "iface" | "eface";

/**
 * An interface-typed field (`fieldKindIface` = 2, `fieldKindEface` = 3). Go has
 * only emitted plain pointer fields since 1.5, but the format allows these.
 */
export interface InterfaceField {
  /** `"iface"` (itab, data) or `"eface"` (type, data). */
  readonly kind: InterfaceFieldKind;
  /** Byte offset of the two-word interface value within the owning contents. */
  readonly offset: number;
}

/** Tag 6: the dump's parameters. Always the first record Go writes. */
export interface ParamsRecord {
  readonly kind: "params";
  /** True when pointers are stored big-endian in contents. */
  readonly bigEndian: boolean;
  /** Pointer size in bytes (4 or 8). */
  readonly pointerSize: number;
  /** Lowest heap arena address (`arenaStart`). */
  readonly heapStart: number;
  /** End of the highest heap arena (`arenaEnd`). */
  readonly heapEnd: number;
  /** `GOARCH` of the dumping program, e.g. `"amd64"`. */
  readonly arch: string;
  /** `runtime.buildVersion`, e.g. `"go1.26.8"` or `"go1.25.1 X:greenteagc"`. */
  readonly goVersion: string;
  /** Number of CPUs at startup. */
  readonly numCpu: number;
}

/** Tag 1: one heap object (a slot of a span that is not free). */
export interface ObjectRecord {
  readonly kind: "object";
  /** Address of the first byte of the object. */
  readonly address: number;
  /** The object's bytes (slot size, not the requested size). */
  readonly contents: Uint8Array;
  /** Byte offsets of pointer-typed words within `contents` (`fieldKindPtr`). */
  readonly pointerOffsets: readonly number[];
  /** Interface-typed fields, normally empty. */
  readonly interfaceFields: readonly InterfaceField[];
}

/** Tag 2: a root not covered by another record kind. */
export interface OtherRootRecord {
  readonly kind: "otherRoot";
  /** Free-form description written by the runtime. */
  readonly description: string;
  /** The pointer the root holds. */
  readonly pointer: number;
}

/** Tag 3: a type descriptor (written before the itab that mentions it). */
export interface TypeRecord {
  readonly kind: "type";
  /** Address of the `_type` descriptor. */
  readonly address: number;
  /** Size of a value of the type. */
  readonly size: number;
  /** Type name, `pkgpath.Name` for named types. */
  readonly name: string;
  /** True when an interface holding this type stores a pointer to the value. */
  readonly indirect: boolean;
}

/** Tag 4: a goroutine (frames, defers and panics follow it in the dump). */
export interface GoroutineRecord {
  readonly kind: "goroutine";
  /** Address of the `g` structure. */
  readonly address: number;
  /** Stack pointer of the top frame (`sched.sp` or `syscallsp`). */
  readonly stackPointer: number;
  /** Goroutine id (`goid`). */
  readonly id: number;
  /** PC of the `go` statement that created it (`gopc`). */
  readonly creatorPc: number;
  /** Raw `readgstatus` value (`_Gwaiting` = 4, ...). */
  readonly status: number;
  /** Name of `status` as in `src/runtime/runtime2.go`, e.g. `"waiting"`, `"scan+waiting"`. */
  readonly statusName: string;
  /** `isSystemGoroutine`. */
  readonly isSystem: boolean;
  /** Always false since Go 1.5 (`isbackground`). */
  readonly isBackground: boolean;
  /** `waitsince` (nanotime when it started waiting, 0 if unknown). */
  readonly waitSince: number;
  /** Wait reason string, e.g. `"chan receive"` (written by name, as `waitReason.String()`). */
  readonly waitReason: string;
  /** `sched.ctxt`, a closure context pointer (a root). */
  readonly context: number;
  /** Address of the `m` running it, or 0. */
  readonly threadAddress: number;
  /** Address of the top `_defer` record, or 0. */
  readonly deferAddress: number;
  /** Address of the top `_panic` record, or 0. */
  readonly panicAddress: number;
}

/** Tag 5: one stack frame; belongs to the goroutine record before it. */
export interface StackFrameRecord {
  readonly kind: "stackFrame";
  /** Lowest address of the frame (`sp`). */
  readonly stackPointer: number;
  /** Depth in the stack, 0 = innermost. */
  readonly depth: number;
  /** `sp` of the callee frame, 0 for the innermost frame. */
  readonly childStackPointer: number;
  /** The frame's bytes, from `sp` to `fp`. */
  readonly contents: Uint8Array;
  /** Entry PC of the function. */
  readonly entryPc: number;
  /** Current PC in the function. */
  readonly pc: number;
  /** Continuation PC (where execution resumes), 0 if none. */
  readonly continuationPc: number;
  /** Function name (`"unknown function"` when the runtime had none). */
  readonly functionName: string;
  /** Byte offsets of pointer words within `contents`. */
  readonly pointerOffsets: readonly number[];
  /** Interface-typed fields, normally empty. */
  readonly interfaceFields: readonly InterfaceField[];
}

/** Tags 7 and 11: a registered finalizer, or one queued to run. */
export interface FinalizerRecord {
  /** `"finalizer"` (tag 7, registered) or `"queuedFinalizer"` (tag 11). */
  readonly kind: "finalizer" | "queuedFinalizer";
  /** The object the finalizer is set on. */
  readonly objectAddress: number;
  /** The finalizer `funcval` (a root). */
  readonly funcAddress: number;
  /** Entry PC of the finalizer function (`fn.fn`). */
  readonly functionPc: number;
  /** `_type` of the finalizer's argument (`fint`). */
  readonly argTypeAddress: number;
  /** `_type` of the object pointer (`ot`). */
  readonly objectTypeAddress: number;
}

/** Tag 8: an itab. */
export interface ItabRecord {
  readonly kind: "itab";
  /** Address of the itab. */
  readonly address: number;
  /** Address of its concrete type descriptor (a {@link TypeRecord}). */
  readonly typeAddress: number;
}

/** Tag 9: an OS thread (`m`). */
export interface OsThreadRecord {
  readonly kind: "osThread";
  /** Address of the `m` structure. */
  readonly address: number;
  /** Go's id of the `m`. */
  readonly id: number;
  /** OS thread id (`procid`). */
  readonly osId: number;
}

/**
 * The 281 values of `runtime.MemStats` that the dump carries, in the order of
 * `dumpmemstats` (`src/runtime/heapdump.go`), named as `runtime.MemStats` names
 * them. All are `uint64` in Go and `bigint` here.
 */
export interface MemStats {
  /** Bytes of allocated heap objects. */
  readonly Alloc: bigint;
  /** Cumulative bytes allocated. */
  readonly TotalAlloc: bigint;
  /** Bytes obtained from the OS. */
  readonly Sys: bigint;
  /** Pointer lookups by the runtime (always 0). */
  readonly Lookups: bigint;
  /** Cumulative count of heap objects allocated. */
  readonly Mallocs: bigint;
  /** Cumulative count of heap objects freed. */
  readonly Frees: bigint;
  /** Bytes of allocated heap objects. */
  readonly HeapAlloc: bigint;
  /** Bytes of heap memory obtained from the OS. */
  readonly HeapSys: bigint;
  /** Bytes in idle spans. */
  readonly HeapIdle: bigint;
  /** Bytes in in-use spans. */
  readonly HeapInuse: bigint;
  /** Bytes of physical memory returned to the OS. */
  readonly HeapReleased: bigint;
  /** Number of allocated heap objects. */
  readonly HeapObjects: bigint;
  /** Bytes in stack spans. */
  readonly StackInuse: bigint;
  /** Stack memory obtained from the OS. */
  readonly StackSys: bigint;
  /** Bytes of allocated mspan structures. */
  readonly MSpanInuse: bigint;
  /** Bytes obtained from the OS for mspan structures. */
  readonly MSpanSys: bigint;
  /** Bytes of allocated mcache structures. */
  readonly MCacheInuse: bigint;
  /** Bytes obtained from the OS for mcache structures. */
  readonly MCacheSys: bigint;
  /** Bytes of memory in profiling bucket hash tables. */
  readonly BuckHashSys: bigint;
  /** Bytes of memory in garbage collection metadata. */
  readonly GCSys: bigint;
  /** Bytes of miscellaneous off-heap runtime allocations. */
  readonly OtherSys: bigint;
  /** Target heap size of the next GC cycle. */
  readonly NextGC: bigint;
  /** Time the last GC finished, nanoseconds since 1970 (above 2^53). */
  readonly LastGC: bigint;
  /** Cumulative nanoseconds in GC stop-the-world pauses. */
  readonly PauseTotalNs: bigint;
  /** Circular buffer of the 256 most recent pause times in nanoseconds. */
  readonly PauseNs: readonly bigint[];
  /** Number of completed GC cycles. */
  readonly NumGC: bigint;
}

/** Tag 10: the memory statistics. */
export interface MemStatsRecord {
  readonly kind: "memStats";
  /** The values, by `runtime.MemStats` name. */
  readonly stats: MemStats;
}

/** Tags 12 and 13: the data or bss segment of the first module. */
export interface SegmentRecord {
  /** `"data"` (tag 12) or `"bss"` (tag 13). */
  readonly kind: "data" | "bss";
  /** Start address of the segment. */
  readonly address: number;
  /** The segment's bytes. */
  readonly contents: Uint8Array;
  /** Byte offsets of pointer words within `contents`. */
  readonly pointerOffsets: readonly number[];
  /** Interface-typed fields, normally empty. */
  readonly interfaceFields: readonly InterfaceField[];
}

/** Tag 14: a pending `defer` of a goroutine. */
export interface DeferRecord {
  readonly kind: "defer";
  /** Address of the `_defer` record. */
  readonly address: number;
  /** Address of the goroutine's `g`. */
  readonly goroutineAddress: number;
  /** `sp` at the time of the defer. */
  readonly stackPointer: number;
  /** `pc` of the defer statement. */
  readonly pc: number;
  /** The deferred `funcval` (a root), 0 for open-coded defers. */
  readonly funcAddress: number;
  /** Entry PC of the deferred function, 0 when unknown. */
  readonly functionPc: number;
  /** Next `_defer` in the chain, or 0. */
  readonly nextAddress: number;
}

/** Tag 15: an active `panic` of a goroutine. */
export interface PanicRecord {
  readonly kind: "panic";
  /** Address of the `_panic` record. */
  readonly address: number;
  /** Address of the goroutine's `g`. */
  readonly goroutineAddress: number;
  /** `_type` of the panic argument. */
  readonly argTypeAddress: number;
  /** Data word of the panic argument (a root). */
  readonly argDataAddress: number;
  /** Formerly the `_defer` being run; Go writes 0. */
  readonly deferAddress: number;
  /** Next `_panic` in the chain, or 0. */
  readonly nextAddress: number;
}

/** One frame of an allocation stack in a {@link MemProfRecord}. */
export interface MemProfFrame {
  /** Function name, or `"(0x<pc>)"` when the runtime could not resolve the PC. */
  readonly functionName: string;
  /** Source file, `"?"` when unresolved. */
  readonly file: string;
  /** Line number, 0 when unresolved. */
  readonly line: number;
}

/** Tag 16: a memory-profile bucket (an allocation site). */
export interface MemProfRecord {
  readonly kind: "memProf";
  /** Address of the bucket (referenced by {@link AllocSampleRecord}). */
  readonly bucketAddress: number;
  /** Object size of the bucket's allocations. */
  readonly size: number;
  /** The allocation stack, innermost first. */
  readonly frames: readonly MemProfFrame[];
  /** Number of allocations. */
  readonly allocs: number;
  /** Number of frees. */
  readonly frees: number;
}

/** Tag 17: an object sampled by the memory profiler. */
export interface AllocSampleRecord {
  readonly kind: "allocSample";
  /** The sampled object. */
  readonly objectAddress: number;
  /** Its {@link MemProfRecord.bucketAddress}. */
  readonly bucketAddress: number;
}

/** Any record of a heap dump, discriminated on `kind`. The EOF record (tag 0) is not a record. */
export type HeapDumpRecord =
  | ParamsRecord
  | ObjectRecord
  | OtherRootRecord
  | TypeRecord
  | GoroutineRecord
  | StackFrameRecord
  | FinalizerRecord
  | ItabRecord
  | OsThreadRecord
  | MemStatsRecord
  | SegmentRecord
  | DeferRecord
  | PanicRecord
  | MemProfRecord
  | AllocSampleRecord;

/** The `kind` strings of {@link HeapDumpRecord}. */
export type HeapDumpRecordKind = HeapDumpRecord["kind"];

/** A goroutine with the frames, defers and panics the dump lists after it. */
export interface HeapDumpGoroutine extends GoroutineRecord {
  /** Stack frames, innermost (depth 0) first. */
  readonly frames: readonly StackFrameRecord[];
  /** Pending defers, most recent first. */
  readonly defers: readonly DeferRecord[];
  /** Active panics, most recent first. */
  readonly panics: readonly PanicRecord[];
}

/** Where a root pointer lives. */
export type HeapRootKind =
  | "data"
  | "bss"
  | "frame"
  | "goroutineContext"
  | "defer"
  | "panic"
  | "finalizer"
  | "queuedFinalizer"
  | "finalizerReferent"
  | "other";

/**
 * A GC root: one pointer value the collector starts from.
 *
 * For `"finalizerReferent"` roots the pointer is a value read from a pointer
 * slot of an object that has a finalizer: the GC keeps what such an object
 * points to alive, but not the object itself (see `markrootSpans` in
 * `src/runtime/mgcmark.go`).
 */
export interface HeapRoot {
  /** Kind of location. */
  readonly kind: HeapRootKind;
  /**
   * The pointer value; may point outside the heap. Zero-valued slots are not
   * listed. Values at or above 2^53, never heap addresses, are rounded.
   */
  readonly pointer: number;
  /** Human-readable location, e.g. `"bss+0x1a8 (0x6e2f60)"`, `"main.main frame slot +0x18 (goroutine 1, depth 0)"`. */
  readonly description: string;
  /** Goroutine id for `frame`, `goroutineContext`, `defer`, `panic`; otherwise -1. */
  readonly goroutineId: number;
}

/** A non-fatal oddity found while reading; the list is capped. */
export interface HeapDumpDiagnostic {
  /** Stable identifier, e.g. `"phantom-objects"`, `"duplicate-address"`. */
  readonly code: string;
  /** Explanation. */
  readonly message: string;
  /** Byte offset in the dump the oddity relates to, or -1. */
  readonly offset: number;
}

/**
 * The heap objects, sorted by address, in flat typed arrays. Ordinals are
 * dense indexes `0 .. count-1` in address order.
 *
 * Addresses are a `Float64Array`: every address is checked to be below 2^53
 * while reading (error `UNSAFE_INTEGER` otherwise), so the values are exact.
 */
export interface ObjectIndex {
  /** Number of objects (phantom slots excluded). */
  readonly count: number;
  /** Start address of each object, strictly ascending. */
  readonly addresses: Float64Array;
  /**
   * Size in bytes of each object (its slot size; also its contents length).
   * Objects of 4 GiB or more are refused with error code `LIMIT_EXCEEDED`.
   */
  readonly sizes: Uint32Array;
  /**
   * Byte offset of each object's contents within {@link ObjectIndex.source}:
   * a `Uint32Array` when the source is at most 4 GiB (always in Node 20 and
   * browsers), a `Float64Array` for larger sources. Elements are numbers either way.
   */
  readonly contentOffsets: Uint32Array | Float64Array;
  /**
   * CSR row starts: the pointer slots of object `i` are
   * `ptrOffsets[ptrStart[i] .. ptrStart[i+1]-1]`; length `count + 1`.
   */
  readonly ptrStart: Uint32Array;
  /**
   * Byte offsets of pointer slots within their object's contents, all objects
   * concatenated. A `Uint16Array` when every offset is below 64 KiB (no
   * object of 64 KiB or more has pointers; half the memory), else a
   * `Uint32Array`. Elements are numbers either way.
   */
  readonly ptrOffsets: Uint16Array | Uint32Array;
  /** The buffer the contents live in (the dump itself when read from memory: zero-copy). */
  readonly source: Uint8Array;
  /** Pointer size of the dump in bytes. */
  readonly pointerSize: number;
  /** Byte order of pointer words. */
  readonly bigEndian: boolean;
  /** Ordinal of the object containing `address` (interior pointers included), or -1. */
  lookupObject(address: number): number;
  /** The contents of object `ordinal`, a zero-copy view. */
  contents(ordinal: number): Uint8Array;
  /**
   * The pointer value stored in CSR slot `slot` (an index into `ptrOffsets`),
   * read with the dump's byte order and pointer size. Pass the owning
   * `ordinal` when known; otherwise it is found by binary search over `ptrStart`.
   * Values of 2^53 and above are returned rounded; they can never be heap
   * addresses here (all addresses are below 2^53), use
   * {@link ObjectIndex.readPointerBigInt} when the exact value matters.
   */
  readPointer(slot: number, ordinal?: number): number;
  /** The exact pointer value stored in CSR slot `slot` (see {@link ObjectIndex.readPointer}). */
  readPointerBigInt(slot: number, ordinal?: number): bigint;
  /**
   * All pointer values at once, parallel to `ptrOffsets` (same rounding rule
   * as {@link ObjectIndex.readPointer}). Allocates `8 * ptrOffsets.length` bytes.
   */
  readAllPointers(): Float64Array;
  /** Address of object `ordinal` plus the offset of CSR slot `slot`: where the pointer lives. */
  slotAddress(ordinal: number, slot: number): number;
}

/** Count of records per kind. */
export type HeapDumpRecordCounts = { readonly [K in HeapDumpRecordKind]: number };

/** A heap dump read into typed records and indexes. */
export interface HeapDump {
  /** The params record. */
  readonly params: ParamsRecord;
  /** Go version string of the dumping program (`params.goVersion`). */
  readonly goVersion: string;
  /** The memory statistics, or undefined when the dump has none (diagnosed). */
  readonly memStats: MemStats | undefined;
  /** Heap objects, sorted by address. */
  readonly objects: ObjectIndex;
  /** Same as `objects.count`. */
  readonly objectCount: number;
  /** Phantom object records (unused span tail slots) left out of `objects`. */
  readonly phantomObjectCount: number;
  /** Goroutines in dump order, with frames, defers and panics attached. */
  readonly goroutines: readonly HeapDumpGoroutine[];
  /** All roots, in dump order of their sources. */
  readonly roots: readonly HeapRoot[];
  /** Registered finalizers (tag 7). */
  readonly finalizers: readonly FinalizerRecord[];
  /** Finalizers queued to run (tag 11). */
  readonly queuedFinalizers: readonly FinalizerRecord[];
  /** Type records by address. */
  readonly types: ReadonlyMap<number, TypeRecord>;
  /** Itab records in dump order. */
  readonly itabs: readonly ItabRecord[];
  /** OS threads. */
  readonly threads: readonly OsThreadRecord[];
  /** Other-root records (tag 2), also present in `roots`. */
  readonly otherRoots: readonly OtherRootRecord[];
  /** Data segment, if present. */
  readonly data: SegmentRecord | undefined;
  /** BSS segment, if present. */
  readonly bss: SegmentRecord | undefined;
  /** Memory profile buckets in dump order. */
  readonly memProfile: readonly MemProfRecord[];
  /** Allocation samples in dump order. */
  readonly allocSamples: readonly AllocSampleRecord[];
  /**
   * For each object ordinal, the index into `memProfile` of its allocation
   * bucket, or -1 when the object was not sampled.
   */
  readonly objectAllocBucket: Int32Array;
  /** The allocation stack of object `ordinal`, or undefined when it was not sampled. */
  allocationSite(ordinal: number): MemProfRecord | undefined;
  /** Ordinal of the object containing `address`, or -1 (same as `objects.lookupObject`). */
  lookupObject(address: number): number;
  /** Number of records of each kind, phantom objects included. */
  readonly recordCounts: HeapDumpRecordCounts;
  /** Non-fatal oddities (capped; see {@link HeapDump.diagnosticsDropped}). */
  readonly diagnostics: readonly HeapDumpDiagnostic[];
  /** How many diagnostics were dropped beyond the cap. */
  readonly diagnosticsDropped: number;
}

/** Options of `readHeapDump`. */
export interface ReadHeapDumpOptions {
  /** Maximum number of diagnostics kept (default 100). */
  readonly maxDiagnostics?: number;
  /**
   * Keep phantom object records in the index (default false). Useful only to
   * inspect the raw dump.
   */
  readonly keepPhantomObjects?: boolean;
}

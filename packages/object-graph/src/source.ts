/**
 * Kinds of GC roots, following the places the Go runtime's mark phase starts
 * from (`markroot` in src/runtime/mgcmark.go) and the records a heap dump
 * writes for them (src/runtime/heapdump.go).
 */
export const RootKind = {
  /** A pointer slot of the data segment (`markrootBlock` over `gcdatamask`). */
  Data: "data",
  /** A pointer slot of the BSS segment (`markrootBlock` over `gcbssmask`). */
  Bss: "bss",
  /** A live pointer slot of a goroutine stack frame (`scanstack` / `scanframeworker`). */
  Frame: "frame",
  /** A goroutine's saved closure context register (`gp.sched.ctxt`, scanned by `scanstack`). */
  GoroutineContext: "goroutine-context",
  /** A defer record (`scanstack` marks `gp._defer` and its `fn`). */
  Defer: "defer",
  /** A panic record (`scanstack` marks `gp._panic` and its argument). */
  Panic: "panic",
  /** The function value of a registered finalizer (`markrootSpans` marks `spf.fn`). */
  FinalizerFunction: "finalizer-function",
  /**
   * A pointer held by an object that has a registered finalizer:
   * `markrootSpans` scans such an object (marking what it points to) without
   * marking the object itself, so it can still become unreachable.
   */
  FinalizerReferent: "finalizer-referent",
  /** An object queued for finalization (`finq`, marked by `markroot`'s finalizer job). */
  QueuedFinalizer: "queued-finalizer",
  /** Any other root the dump describes only by a string (heap dump tag 2, "other root"). */
  Other: "other",
} as const;

/** One of the {@link RootKind} values. */
export type RootKind = (typeof RootKind)[keyof typeof RootKind];

/** All root kinds, in a stable order (the index is the `rootKinds` code in a graph). */
export const ROOT_KINDS: readonly RootKind[] = [
  RootKind.Data,
  RootKind.Bss,
  RootKind.Frame,
  RootKind.GoroutineContext,
  RootKind.Defer,
  RootKind.Panic,
  RootKind.FinalizerFunction,
  RootKind.FinalizerReferent,
  RootKind.QueuedFinalizer,
  RootKind.Other,
];

/**
 * The small input interface a graph is built from. {@link buildObjectGraph}
 * implements it over a `HeapDump`; tests and tools implement it over
 * anything (see {@link buildGraphFromSource}).
 *
 * Addresses and pointer values are plain numbers: Go heap addresses on every
 * 64-bit platform sit far below 2^53, so they are exact; a value at or above
 * 2^53 can never fall inside a heap object and is simply dropped.
 */
export interface GraphSource {
  /** Number of heap objects. */
  readonly objectCount: number;
  /** Start address of object `index` (0 <= index < objectCount). Any order; duplicates are an error. */
  objectAddress(index: number): number;
  /** Size in bytes of object `index` (for Go, the size-class size the allocator gave it). */
  objectSize(index: number): number;
  /**
   * Calls `visit` with each pointer value stored in object `index`, in slot
   * order. Zero values, values outside the heap and pointers to the object
   * itself are dropped by the graph builder; interior pointers are resolved
   * to the object containing them.
   */
  forEachPointer(index: number, visit: (value: number) => void): void;
  /**
   * Total number of values {@link GraphSource.forEachPointer} will pass over
   * all objects, or an upper bound of it, when known up front: the builder
   * then sizes its edge array once instead of growing it.
   */
  readonly pointerCount?: number;
  /**
   * Calls `visit` once per root pointer: its kind, the pointer value (an
   * address; interior pointers allowed) and a human description of where the
   * pointer lives ("data segment +0x18", "main.main frame slot +0x20 of goroutine 1").
   */
  forEachRoot(visit: (kind: RootKind, value: number, description: string) => void): void;
  /**
   * Objects with a registered (not yet queued) finalizer: the object's
   * address and its finalizer function value (0 if unknown). The builder turns
   * the object's pointers into {@link RootKind.FinalizerReferent} roots and the
   * function into a {@link RootKind.FinalizerFunction} root, as `markrootSpans` does.
   */
  forEachFinalizer?(visit: (object: number, fn: number) => void): void;
  /** Whether object `index` holds no pointers at all (a "noscan" span class). */
  isNoscan?(index: number): boolean;
  /** A human label of the allocation site of object `index` (e.g. "main.newNode main.go:42"), if known. */
  allocationSite?(index: number): string | undefined;
}

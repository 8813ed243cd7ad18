import { ObjectGraphError, ObjectGraphErrorCode } from "./errors.js";
import type { ObjectGraph } from "./graph.js";

/**
 * Object colors of the tri-color abstraction (src/runtime/mgc.go): white =
 * not yet found, grey = marked but not yet scanned (its pointers are still to
 * be followed), black = marked and scanned.
 */
export const Color = {
  /** Not (yet) marked: garbage if still white when marking is done. */
  White: 0,
  /** Marked, waiting in a work queue to be scanned. */
  Grey: 1,
  /** Marked and scanned (or noscan, which needs no scan). */
  Black: 2,
} as const;

/** One of the {@link Color} values. */
export type Color = (typeof Color)[keyof typeof Color];

/**
 * How grey objects are queued.
 *
 * - `"lifo"`: every grey object goes on one stack, like the per-P work
 *   buffers (`gcWork`, src/runtime/mgcwork.go) of the classic marker
 *   (Go <= 1.24, or `GOEXPERIMENT=nogreenteagc`).
 * - `"span-fifo"`: the "Green Tea" marker, default since Go 1.26
 *   (src/runtime/mgcmark_greenteagc.go): an object of 16..512 bytes
 *   (`gcUsesSpanInlineMarkBits`) only gets its mark bit set and its 8 KiB
 *   span queued on a FIFO span queue (`tryDeferToSpanScan`); dequeuing a span
 *   scans every marked-but-unscanned object on it at once (`scanSpan`). Other
 *   objects use the LIFO object stack, which is drained first (`gcDrain`
 *   tries objects before spans, src/runtime/mgcmark.go).
 */
export type GreyPolicy = "lifo" | "span-fifo";

/** Options of {@link createMarker}. */
export interface MarkerOptions {
  /** Grey-queue policy; default `"span-fifo"` (the Go 1.26 default). */
  readonly policy?: GreyPolicy;
  /**
   * Whether mutator writes go through the hybrid write barrier (default
   * true). Switch it off to watch the lost-object bug happen.
   */
  readonly writeBarrier?: boolean;
}

/** Why an object was shaded. */
export type ShadeCause = "root" | "scan" | "barrier";

/** What a marker step did; `step()` returns these, listeners receive them. */
export type MarkEvent =
  | {
      /** A root was scanned (one `markroot` unit of work). */
      readonly type: "root";
      /** Root index in the graph. */
      readonly root: number;
      /** The ordinal it points to. */
      readonly target: number;
    }
  | {
      /** A white object was marked: it became grey, or black directly when noscan. */
      readonly type: "shade";
      /** The object. */
      readonly ordinal: number;
      /** Its new color. */
      readonly color: Color;
      /** What found it. */
      readonly cause: ShadeCause;
      /** The object whose scan found it (cause `"scan"`), else -1. */
      readonly from: number;
    }
  | {
      /** A span was taken off the span queue (`"span-fifo"` only). */
      readonly type: "span";
      /** Dense span id. */
      readonly span: number;
      /** Address of the span's first page. */
      readonly base: number;
    }
  | {
      /** A grey object was scanned and became black. */
      readonly type: "scan";
      /** The object. */
      readonly ordinal: number;
    }
  | {
      /** The mutator stored a pointer. */
      readonly type: "write";
      /** Object written into. */
      readonly object: number;
      /** Slot index. */
      readonly slot: number;
      /** Previous value (ordinal, -1 for nil). */
      readonly old: number;
      /** New value (ordinal, -1 for nil). */
      readonly value: number;
    }
  | {
      /** The mutator allocated an object (allocated black while marking, as `gcmarknewobject`). */
      readonly type: "allocate";
      /** Its ordinal (>= the graph's objectCount). */
      readonly ordinal: number;
      /** Its size. */
      readonly size: number;
    }
  | {
      /** No roots and no grey objects are left: marking is complete. */
      readonly type: "done";
      /** Marked (black) objects, allocated ones included. */
      readonly markedCount: number;
      /** Their bytes. */
      readonly markedBytes: number;
    };

/** A pointer slot the mutator writes: slot `index` of object `object`. */
export interface PointerSlot {
  /** Ordinal of the object holding the slot. */
  readonly object: number;
  /**
   * Slot index: `0..n-1` are the object's current pointers in slot order
   * (nil slots the builder dropped are not numbered); `n` appends, standing
   * for one of the object's nil slots receiving a pointer.
   */
  readonly index: number;
}

/** A step-by-step simulation of the Go GC's concurrent mark phase on a graph. */
export interface Marker {
  /** The graph being marked (never modified; mutations live in the marker). */
  readonly graph: ObjectGraph;
  /** The grey-queue policy in use. */
  readonly policy: GreyPolicy;
  /** Whether the write barrier is on. */
  readonly writeBarrier: boolean;
  /** True once the `done` event has been emitted. */
  readonly done: boolean;
  /** Steps taken so far. */
  readonly steps: number;
  /** Objects currently grey. */
  readonly greyCount: number;
  /** Objects currently marked (grey or black), allocated ones included. */
  readonly markedCount: number;
  /** Bytes of the marked objects. */
  readonly markedBytes: number;
  /** Number of objects: the graph's plus those allocated during marking. */
  readonly objectCount: number;
  /** Color of each of the graph's objects (live view; do not write). */
  readonly colors: Uint8Array;
  /** Color of any object, allocated ones included (always black). */
  colorOf(ordinal: number): Color;
  /** Current pointer targets of an object (ordinals, -1 for nil), mutations included. */
  slotsOf(ordinal: number): readonly number[];
  /** Does one unit of work (scan a root, an object or a span) and returns what happened. */
  step(): readonly MarkEvent[];
  /** Steps until done; events go only to subscribers. Returns the number of steps taken. */
  run(): number;
  /** Steps until done, yielding every event. */
  events(): Generator<MarkEvent, void, undefined>;
  /** Registers a listener for every event; returns the unsubscribe function. */
  subscribe(listener: (event: MarkEvent) => void): () => void;
  /**
   * Mutator store `*slot = value` (value: an ordinal, or null for nil). While
   * marking with the barrier on, shades the old and the new value first —
   * Go's hybrid barrier (src/runtime/mbarrier.go: Yuasa deletion plus
   * Dijkstra insertion; the runtime's buffered barrier records both pointers
   * unconditionally, src/runtime/mwbbuf.go).
   */
  writePointer(slot: PointerSlot, value: number | null): void;
  /**
   * Mutator allocation of an object with `slotCount` nil pointer slots;
   * returns its ordinal. Allocated black while marking (`gcmarknewobject`,
   * src/runtime/mgcmark.go), so it is never collected by this cycle.
   */
  allocate(size: number, slotCount?: number): number;
  /**
   * Objects reachable from the roots over the *current* (mutated) pointers
   * that are still white. Empty at `done` whenever marking was correct; with
   * the write barrier off a mutator can make it non-empty.
   */
  findLostObjects(): number[];
}

// Span-inline mark bits are used for objects of 16..512 bytes on 64-bit
// platforms: gcUsesSpanInlineMarkBits = heapBitsInSpan(size) && size >= 16,
// heapBitsInSpan = size <= MinSizeForMallocHeader = 8*64 (src/runtime/mbitmap.go,
// src/internal/runtime/gc/malloc.go). Such spans are always one 8 KiB page.
const SPAN_MIN = 16;
const SPAN_MAX = 512;
const PAGE_SIZE = 8192;
/** `spanOf` entry of a noscan object (see the constructor). */
const NOSCAN_SPAN = -2;

/**
 * Creates a tri-color marker over `graph`. Nothing is marked until the first
 * `step()`/`run()`; roots are scanned one per step first (like `markroot`
 * jobs, which `gcDrain` runs before heap work), then grey objects.
 */
export function createMarker(graph: ObjectGraph, options: MarkerOptions = {}): Marker {
  return new TriColorMarker(graph, options.policy ?? "span-fifo", options.writeBarrier ?? true);
}

class TriColorMarker implements Marker {
  readonly graph: ObjectGraph;
  readonly policy: GreyPolicy;
  readonly writeBarrier: boolean;
  readonly colors: Uint8Array;
  done = false;
  steps = 0;
  greyCount = 0;
  markedCount = 0;
  markedBytes = 0;

  private readonly n: number;
  private readonly objStack: Uint32Array;
  private objTop = 0;
  // Span machinery (span-fifo only).
  private readonly spanOf: Int32Array | undefined;
  private readonly spanFirst: Uint32Array | undefined;
  private readonly spanEnd: Uint32Array | undefined;
  private readonly spanQueued: Uint8Array | undefined;
  private readonly spanQueue: Uint32Array | undefined;
  private spanHead = 0;
  private spanTail = 0;
  private rootCursor = 0;
  // Mutations: objects whose slots changed, and allocated objects.
  private readonly overlay = new Map<number, number[]>();
  private readonly allocatedSizes: number[] = [];
  private readonly listeners = new Set<(event: MarkEvent) => void>();
  private recording: MarkEvent[] | undefined;

  constructor(graph: ObjectGraph, policy: GreyPolicy, writeBarrier: boolean) {
    if (policy !== "lifo" && policy !== "span-fifo") {
      throw new ObjectGraphError(ObjectGraphErrorCode.InvalidInput, `unknown policy ${policy}`);
    }
    this.graph = graph;
    this.policy = policy;
    this.writeBarrier = writeBarrier;
    const n = graph.objectCount;
    this.n = n;
    this.colors = new Uint8Array(n);
    this.objStack = new Uint32Array(n);
    if (policy === "span-fifo") {
      const spanOf = new Int32Array(n).fill(-1);
      const first: number[] = [];
      const ends: number[] = [];
      let lastPage = -1;
      let lastOrdinal = -2;
      for (let o = 0; o < n; o++) {
        const size = graph.sizes[o] as number;
        if (size < SPAN_MIN || size > SPAN_MAX) continue;
        const page = Math.floor((graph.addresses[o] as number) / PAGE_SIZE);
        if (page !== lastPage || lastOrdinal !== o - 1) {
          first.push(o);
          ends.push(o + 1);
        } else {
          ends[ends.length - 1] = o + 1;
        }
        spanOf[o] = first.length - 1;
        lastPage = page;
        lastOrdinal = o;
      }
      // Noscan objects are never queued (shade turns them black at once), so
      // their entry can say "noscan" instead: the quiet run then learns both
      // facts about a freshly marked object from one read.
      const noscan = graph.noscan;
      if (noscan !== undefined) {
        for (let o = 0; o < n; o++) if (noscan[o] === 1) spanOf[o] = NOSCAN_SPAN;
      }
      this.spanOf = spanOf;
      this.spanFirst = Uint32Array.from(first);
      this.spanEnd = Uint32Array.from(ends);
      this.spanQueued = new Uint8Array(first.length);
      // Every enqueue follows a fresh mark, so n entries always suffice.
      this.spanQueue = new Uint32Array(n);
    }
  }

  get objectCount(): number {
    return this.n + this.allocatedSizes.length;
  }

  colorOf(ordinal: number): Color {
    this.checkOrdinal(ordinal);
    return ordinal >= this.n ? Color.Black : (this.colors[ordinal] as Color);
  }

  slotsOf(ordinal: number): readonly number[] {
    this.checkOrdinal(ordinal);
    return this.slotArray(ordinal, false);
  }

  subscribe(listener: (event: MarkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  step(): readonly MarkEvent[] {
    const events: MarkEvent[] = [];
    this.recording = events;
    try {
      this.stepOnce();
    } finally {
      this.recording = undefined;
    }
    return events;
  }

  run(): number {
    const before = this.steps;
    if (this.listeners.size > 0) {
      // Listeners want every event; reuse the recording path.
      while (!this.done) this.step();
    } else if (this.overlay.size === 0) {
      this.runQuiet();
    } else {
      while (!this.done) this.stepOnce();
    }
    return this.steps - before;
  }

  *events(): Generator<MarkEvent, void, undefined> {
    while (!this.done) yield* this.step();
  }

  writePointer(slot: PointerSlot, value: number | null): void {
    const { object, index } = slot;
    this.checkOrdinal(object);
    const v = value === null ? -1 : value;
    if (value !== null) this.checkOrdinal(value);
    const slots = this.slotArray(object, true);
    if (!Number.isInteger(index) || index < 0 || index > slots.length) {
      throw new ObjectGraphError(
        ObjectGraphErrorCode.InvalidSlot,
        `slot ${index} does not exist (object has ${slots.length})`,
        { ordinal: object },
      );
    }
    const old = index < slots.length ? (slots[index] as number) : -1;
    const events = this.recording;
    this.recording = events ?? (this.listeners.size > 0 ? [] : undefined);
    try {
      // The barrier is only enabled during the mark phase (gcphase != _GCoff).
      if (this.writeBarrier && !this.done) {
        if (old >= 0) this.shade(old, "barrier", -1);
        if (v >= 0) this.shade(v, "barrier", -1);
      }
      slots[index] = v;
      this.emit({ type: "write", object, slot: index, old, value: v });
    } finally {
      if (events === undefined) this.recording = undefined;
    }
  }

  allocate(size: number, slotCount = 0): number {
    if (
      !Number.isSafeInteger(size) ||
      size < 0 ||
      !Number.isSafeInteger(slotCount) ||
      slotCount < 0
    ) {
      throw new ObjectGraphError(ObjectGraphErrorCode.InvalidInput, "bad allocation size");
    }
    const ordinal = this.n + this.allocatedSizes.length;
    this.allocatedSizes.push(size);
    this.overlay.set(ordinal, new Array<number>(slotCount).fill(-1));
    this.markedCount++;
    this.markedBytes += size;
    const listening = this.recording === undefined && this.listeners.size > 0;
    if (listening) this.recording = [];
    this.emit({ type: "allocate", ordinal, size });
    if (listening) this.recording = undefined;
    return ordinal;
  }

  findLostObjects(): number[] {
    const total = this.objectCount;
    const seen = new Uint8Array(total);
    const stack: number[] = [];
    const g = this.graph;
    for (let r = 0; r < g.rootCount; r++) {
      const t = g.rootTargets[r] as number;
      if (seen[t] === 0) {
        seen[t] = 1;
        stack.push(t);
      }
    }
    while (stack.length > 0) {
      const o = stack.pop() as number;
      this.visitSlots(o, (t) => {
        if (seen[t] === 0) {
          seen[t] = 1;
          stack.push(t);
        }
      });
    }
    const lost: number[] = [];
    for (let o = 0; o < this.n; o++)
      if (seen[o] === 1 && this.colors[o] === Color.White) lost.push(o);
    return lost;
  }

  private checkOrdinal(ordinal: number): void {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.objectCount) {
      throw new ObjectGraphError(ObjectGraphErrorCode.InvalidOrdinal, "no such object", {
        ordinal,
      });
    }
  }

  /** The mutable slot array of `o` (created from the CSR on first write), or a copy. */
  private slotArray(o: number, forWrite: boolean): number[] {
    let s = this.overlay.get(o);
    if (s === undefined) {
      const { edgeStart, edgeTargets } = this.graph;
      s = Array.from(edgeTargets.subarray(edgeStart[o] as number, edgeStart[o + 1] as number));
      if (forWrite) this.overlay.set(o, s);
      return s;
    }
    return forWrite ? s : s.slice();
  }

  private visitSlots(o: number, visit: (t: number) => void): void {
    const s = this.overlay.get(o);
    if (s !== undefined) {
      for (const t of s) if (t >= 0) visit(t);
      return;
    }
    const { edgeStart, edgeTargets } = this.graph;
    const end = edgeStart[o + 1] as number;
    for (let e = edgeStart[o] as number; e < end; e++) visit(edgeTargets[e] as number);
  }

  private emit(event: MarkEvent): void {
    const rec = this.recording;
    if (rec === undefined) return;
    rec.push(event);
    for (const l of this.listeners) l(event);
  }

  /** greyobject / tryDeferToSpanScan: mark a white object and queue it. */
  private shade(o: number, cause: ShadeCause, from: number): void {
    if (o >= this.n) return; // allocated during marking: already black
    const colors = this.colors;
    if (colors[o] !== Color.White) return;
    const size = this.graph.sizes[o] as number;
    this.markedCount++;
    this.markedBytes += size;
    // Noscan objects have nothing to scan: both markers fast-track them to
    // black (greyobject in mgcmark.go; tryDeferToSpanScan in mgcmark_greenteagc.go).
    const noscan = this.graph.noscan;
    if (noscan !== undefined && noscan[o] === 1) {
      colors[o] = Color.Black;
      if (this.recording !== undefined) {
        this.emit({ type: "shade", ordinal: o, color: Color.Black, cause, from });
      }
      return;
    }
    colors[o] = Color.Grey;
    this.greyCount++;
    if (this.recording !== undefined) {
      this.emit({ type: "shade", ordinal: o, color: Color.Grey, cause, from });
    }
    const spanOf = this.spanOf;
    const span = spanOf === undefined ? -1 : (spanOf[o] as number);
    if (span >= 0) {
      const queued = this.spanQueued as Uint8Array;
      if (queued[span] === 0) {
        queued[span] = 1;
        (this.spanQueue as Uint32Array)[this.spanTail++] = span;
      }
      return;
    }
    this.objStack[this.objTop++] = o;
  }

  /** scanobject: blacken `o` and shade what it points to. */
  private scanObject(o: number): void {
    this.colors[o] = Color.Black;
    this.greyCount--;
    if (this.recording !== undefined) this.emit({ type: "scan", ordinal: o });
    const overlay = this.overlay.size > 0 ? this.overlay.get(o) : undefined;
    if (overlay !== undefined) {
      for (const t of overlay) if (t >= 0 && t !== o) this.shade(t, "scan", o);
      return;
    }
    const { edgeStart, edgeTargets } = this.graph;
    const end = edgeStart[o + 1] as number;
    for (let e = edgeStart[o] as number; e < end; e++) {
      this.shade(edgeTargets[e] as number, "scan", o);
    }
  }

  /**
   * `stepOnce` until done, for the common case of nobody listening and no
   * mutator writes so far (so every object's pointers are its CSR edges).
   * The same steps in the same order — roots one per step, then the object
   * stack before the span queue, a span scanning its grey objects in address
   * order — with the marker's state in locals and no event checks: per edge
   * the general path reads a dozen fields and tests for recording, which on
   * tens of millions of edges costs more than the marking itself.
   */
  private runQuiet(): void {
    if (this.done) return;
    const g = this.graph;
    const { edgeStart, edgeTargets, rootTargets, noscan } = g;
    const rootCount = g.rootCount;
    const colors = this.colors;
    const objStack = this.objStack;
    const spanOf = this.spanOf;
    const spanQueued = this.spanQueued;
    const spanQueue = this.spanQueue;
    const spanFirst = this.spanFirst;
    const spanEnd = this.spanEnd;
    let steps = this.steps;
    let greyCount = this.greyCount;
    let markedCount = this.markedCount;
    let objTop = this.objTop;
    let spanHead = this.spanHead;
    let spanTail = this.spanTail;
    let rootCursor = this.rootCursor;
    // Marked bytes are summed over the colors afterwards (a sequential pass)
    // instead of reading each marked object's size at random here.
    const bytesBefore = markedCount > this.allocatedSizes.length ? this.nonWhiteBytes() : 0;
    // `shade` without events (graph objects only: nothing is allocated
    // during a run, and CSR targets are always graph ordinals).
    // The per-edge "still white?" test reads a bitset (n/8 bytes, which stays
    // in cache) instead of the byte-per-object colors.
    const n = this.n;
    const marked = new Int32Array((n + 31) >>> 5);
    if (markedCount > this.allocatedSizes.length) {
      for (let o = 0; o < n; o++) {
        if (colors[o] !== Color.White)
          marked[o >>> 5] = (marked[o >>> 5] as number) | (1 << (o & 31));
      }
    }
    const shade = (o: number): void => {
      const bit = 1 << (o & 31);
      if (((marked[o >>> 5] as number) & bit) !== 0) return;
      marked[o >>> 5] = (marked[o >>> 5] as number) | bit;
      markedCount++;
      if (spanOf !== undefined) {
        const span = spanOf[o] as number;
        if (span === NOSCAN_SPAN) {
          colors[o] = Color.Black;
          return;
        }
        colors[o] = Color.Grey;
        greyCount++;
        if (span >= 0) {
          if ((spanQueued as Uint8Array)[span] === 0) {
            (spanQueued as Uint8Array)[span] = 1;
            (spanQueue as Uint32Array)[spanTail++] = span;
          }
          return;
        }
        objStack[objTop++] = o;
        return;
      }
      if (noscan !== undefined && noscan[o] === 1) {
        colors[o] = Color.Black;
        return;
      }
      colors[o] = Color.Grey;
      greyCount++;
      objStack[objTop++] = o;
    };
    // `scanObject` without events or overlay.
    const scan = (o: number): void => {
      colors[o] = Color.Black;
      greyCount--;
      const end = edgeStart[o + 1] as number;
      for (let e = edgeStart[o] as number; e < end; e++) shade(edgeTargets[e] as number);
    };
    for (;;) {
      steps++;
      if (rootCursor < rootCount) {
        shade(rootTargets[rootCursor++] as number);
      } else if (objTop > 0) {
        scan(objStack[--objTop] as number);
      } else if (spanHead < spanTail) {
        const span = (spanQueue as Uint32Array)[spanHead++] as number;
        (spanQueued as Uint8Array)[span] = 0;
        const end = (spanEnd as Uint32Array)[span] as number;
        for (let o = (spanFirst as Uint32Array)[span] as number; o < end; o++) {
          if (colors[o] === Color.Grey) scan(o);
        }
      } else {
        break; // the step that finds no work left is the "done" step
      }
    }
    this.steps = steps;
    this.greyCount = greyCount;
    this.markedCount = markedCount;
    this.markedBytes += this.nonWhiteBytes() - bytesBefore;
    this.objTop = objTop;
    this.spanHead = spanHead;
    this.spanTail = spanTail;
    this.rootCursor = rootCursor;
    this.done = true;
  }

  /** Sum of the sizes of the graph's objects that are not white. */
  private nonWhiteBytes(): number {
    const { colors } = this;
    const sizes = this.graph.sizes;
    let bytes = 0;
    for (let o = 0; o < this.n; o++) if (colors[o] !== Color.White) bytes += sizes[o] as number;
    return bytes;
  }

  private stepOnce(): void {
    if (this.done) return;
    this.steps++;
    const g = this.graph;
    if (this.rootCursor < g.rootCount) {
      const r = this.rootCursor++;
      const t = g.rootTargets[r] as number;
      if (this.recording !== undefined) this.emit({ type: "root", root: r, target: t });
      this.shade(t, "root", -1);
      return;
    }
    if (this.objTop > 0) {
      this.scanObject(this.objStack[--this.objTop] as number);
      return;
    }
    if (this.spanHead < this.spanTail) {
      const queue = this.spanQueue as Uint32Array;
      const span = queue[this.spanHead++] as number;
      (this.spanQueued as Uint8Array)[span] = 0;
      const first = (this.spanFirst as Uint32Array)[span] as number;
      const end = (this.spanEnd as Uint32Array)[span] as number;
      if (this.recording !== undefined) {
        const base = Math.floor((g.addresses[first] as number) / PAGE_SIZE) * PAGE_SIZE;
        this.emit({ type: "span", span, base });
      }
      // scanSpan: scan every object marked since the span was queued.
      for (let o = first; o < end; o++) if (this.colors[o] === Color.Grey) this.scanObject(o);
      return;
    }
    this.done = true;
    if (this.recording !== undefined) {
      this.emit({
        type: "done",
        markedCount: this.markedCount,
        markedBytes: this.markedBytes,
      });
    }
  }
}

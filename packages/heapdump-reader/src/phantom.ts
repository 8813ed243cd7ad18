// Detection of phantom object records.
//
// dumpobjs (src/runtime/heapdump.go) walks every slot of an in-use span up to
// n = npages*pageSize/elemsize and skips only the slots that isFree reports;
// isFree only knows slots below s.nelems. Since Go 1.22, initSpan
// (src/runtime/mheap.go) reserves the tail of a small-object span, so
// nelems < n and the tail slots are dumped although they hold no object:
//   - Go 1.22+: spans of pointerful ("scan") objects of size <= PtrSize*PtrBits
//     (gc.MinSizeForMallocHeader, 512 bytes on 64-bit) keep their pointer
//     bitmap in the last nbytes/PtrSize/8 bytes (heapBitsInSpan in mbitmap.go);
//   - with the Green Tea GC (Go 1.25 with GOEXPERIMENT=greenteagc, default
//     since Go 1.26) spans of objects of size 16..512 also keep
//     spanInlineMarkBits (128 bytes) at their end, scan or not
//     (gcUsesSpanInlineMarkBits in mgcmark_greenteagc.go).
// All size classes up to 512 bytes use one-page (8 KiB) spans
// (internal/runtime/gc/sizeclasses.go), so a slot's span base is its page.
// Whether a span is "scan" is not in the dump; a live object in a scan span
// always has at least one pointer field, so siblings dumped earlier from the
// same span (slots are dumped in ascending order) tell.

const PAGE_SIZE = 8192;
const INLINE_MARK_BITS_SIZE = 128; // unsafe.Sizeof(spanInlineMarkBits{})

/** What the Go version implies about span tails. */
export interface SpanGeometry {
  /** Phantom records possible at all (Go >= 1.22). */
  readonly phantoms: boolean;
  /** Green Tea inline mark bits at the end of small-object spans. */
  readonly greenTea: boolean;
  /** gc.MinSizeForMallocHeader. */
  readonly maxSmallSize: number;
  /** Bytes of pointer bitmap at the end of small scan spans. */
  readonly scanReserve: number;
  /** The parsed minor version, or -1 when the version string was not understood. */
  readonly minor: number;
}

/** Derives the span geometry from `runtime.buildVersion` and the pointer size. */
export function spanGeometry(goVersion: string, pointerSize: number): SpanGeometry {
  const m = /go1\.(\d+)/.exec(goVersion);
  const minor = m === null ? -1 : Number(m[1]);
  // Experiments appear as " X:a,b" (or "-X:a,b") in buildVersion when they differ
  // from the toolchain's defaults (cmd/internal/buildcfg).
  const tokens = goVersion.split(/[\s,:-]+/);
  const on = tokens.includes("greenteagc");
  const off = tokens.includes("nogreenteagc");
  // Unknown versions (devel builds without go1.N) get the newest behaviour.
  const effective = minor === -1 ? Number.POSITIVE_INFINITY : minor;
  const greenTea = effective >= 26 ? !off : effective === 25 ? on : false;
  return {
    phantoms: effective >= 22,
    greenTea,
    maxSmallSize: pointerSize * pointerSize * 8,
    scanReserve: PAGE_SIZE / pointerSize / 8,
    minor,
  };
}

/**
 * Online phantom classifier. Feed every object record in dump order; two
 * instances fed the same sequence make the same decisions.
 */
export class PhantomFilter {
  /** The geometry this filter applies. */
  readonly geometry: SpanGeometry;
  private readonly g: SpanGeometry;
  private page = -1;
  private size = -1;
  private scan = false;
  private seen = false;
  // nelems for the last size seen (initSpan's formula, cached).
  private nelemsSize = -1;
  private nelemsNoscan = 0;
  private nelemsScan = 0;
  /** Tail slots that could not be classified (kept as objects). */
  ambiguous = 0;

  constructor(geometry: SpanGeometry) {
    this.geometry = geometry;
    this.g = geometry;
  }

  /** True when the record at `address` of `size` bytes is an unused tail slot. */
  isPhantom(address: number, size: number, hasPointers: boolean): boolean {
    const g = this.g;
    if (!g.phantoms || size > g.maxSmallSize || size === 0) return false;
    let offset = address - this.page;
    if (offset < 0 || offset >= PAGE_SIZE || size !== this.size) {
      // Math.floor instead of %: addresses exceed int32 and a float modulo is a slow call.
      const page = Math.floor(address / PAGE_SIZE) * PAGE_SIZE;
      offset = address - page;
      this.page = page;
      this.size = size;
      this.scan = false;
      this.seen = false;
    }
    // offset < 8192: int32 division instead of a float modulo (a slow call).
    const slot = ((offset | 0) / size) | 0;
    if (slot * size !== offset) return false; // not a slot start of such a span
    if (size !== this.nelemsSize) {
      const inline = g.greenTea && size >= 16 ? INLINE_MARK_BITS_SIZE : 0;
      this.nelemsSize = size;
      this.nelemsNoscan = Math.floor((PAGE_SIZE - inline) / size);
      this.nelemsScan = Math.floor((PAGE_SIZE - inline - g.scanReserve) / size);
    }
    const nelemsNoscan = this.nelemsNoscan;
    const nelemsScan = this.nelemsScan;
    if (slot < nelemsScan) {
      this.seen = true;
      if (hasPointers) this.scan = true;
      return false;
    }
    if (slot >= nelemsNoscan) return true;
    // A slot that exists in a noscan span but not in a scan span.
    if (this.scan) return true;
    if (this.seen) return false;
    if (hasPointers) return true; // noscan objects never have pointer fields
    this.ambiguous++;
    return false;
  }
}

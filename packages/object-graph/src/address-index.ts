/**
 * Resolving a pointer value (an *address*) to the *ordinal* of the object
 * that contains it. Go pointers may point into the interior of an object
 * (a field, a slice element), so the lookup is "last object starting at or
 * below the address, if the address is before its end" — never an exact
 * match.
 *
 * Random reads into arrays of tens of megabytes cost a cache and TLB miss
 * each, and a plain binary search over 3 million starts makes ~22 of them per
 * pointer. The index instead keeps a small table per 8 KiB page (the
 * runtime's page size, `pageSize` in src/runtime/malloc.go), which stays in
 * cache. Small Go objects live in spans of one size class laid out at a
 * fixed stride (src/runtime/mheap.go, `mspan.elemsize`), so on most pages
 * the objects starting there are evenly spaced: the ordinal is then computed
 * with one division and no read of the object arrays at all. Other pages
 * (mixed sizes, free slots in the middle, large objects) fall back to a
 * binary search over just the objects starting in that page. Address ranges
 * too sparse for a page table fall back to a binary search over everything.
 */

const PAGE = 8192;

/** Resolves addresses to ordinals over ascending object starts. */
export class AddressIndex {
  private readonly count: number;
  /** [start0, end0, start1, end1, ...]: a candidate's end shares its start's cache line. */
  private readonly bounds: Float64Array;
  private readonly basePage: number;
  private readonly pageCount: number;
  /** Per page: number of objects starting below the page (length pageCount + 1). */
  private readonly pageFirst: Uint32Array | undefined;
  /** Per page: stride of its evenly spaced objects, or 0 when they are not. */
  private readonly pageStride: Float64Array | undefined;
  /** Per page: start of its first object (when the stride is set). */
  private readonly pageStart: Float64Array | undefined;

  /**
   * @param addresses ascending, distinct object start addresses
   * @param sizes object sizes (same length); a zero size still claims one byte
   */
  constructor(addresses: Float64Array, sizes: ArrayLike<number>) {
    const n = addresses.length;
    this.count = n;
    const bounds = new Float64Array(2 * n);
    let overlapping = false;
    for (let i = 0; i < n; i++) {
      const start = addresses[i] as number;
      bounds[2 * i] = start;
      bounds[2 * i + 1] = start + Math.max(1, sizes[i] as number);
      if (i > 0 && (bounds[2 * i - 1] as number) > start) overlapping = true;
    }
    this.bounds = bounds;
    let basePage = 0;
    let pageCount = 0;
    let pageFirst: Uint32Array | undefined;
    let pageStride: Float64Array | undefined;
    let pageStart: Float64Array | undefined;
    if (n > 0) {
      basePage = Math.floor((addresses[0] as number) / PAGE);
      pageCount = Math.floor((addresses[n - 1] as number) / PAGE) - basePage + 1;
      if (pageCount <= 4 * n + 65536) {
        pageFirst = new Uint32Array(pageCount + 1);
        pageStride = new Float64Array(pageCount);
        pageStart = new Float64Array(pageCount);
        let i = 0;
        for (let p = 0; p < pageCount; p++) {
          pageFirst[p] = i;
          const limit = (basePage + p + 1) * PAGE;
          const first = i;
          while (i < n && (addresses[i] as number) < limit) i++;
          // Evenly spaced, back to back, same size, and (so that an address
          // past the last one can only be free space) no overlaps anywhere.
          if (!overlapping && i > first) {
            const s = bounds[2 * first + 1]! - bounds[2 * first]!;
            let even = true;
            for (let k = first + 1; k < i && even; k++) {
              even =
                bounds[2 * k]! === bounds[2 * k - 1]! && bounds[2 * k + 1]! - bounds[2 * k]! === s;
            }
            if (even) {
              pageStride[p] = s;
              pageStart[p] = bounds[2 * first] as number;
            }
          }
        }
        pageFirst[pageCount] = n;
      }
    }
    this.basePage = basePage;
    this.pageCount = pageCount;
    this.pageFirst = pageFirst;
    this.pageStride = pageStride;
    this.pageStart = pageStart;
  }

  /**
   * Start address of the object the last successful {@link resolve} found,
   * so callers can tell interior pointers without reading the object arrays.
   */
  lastStart = 0;

  /** The ordinal of the object containing `address`, or -1. */
  resolve(address: number): number {
    const bounds = this.bounds;
    const n = this.count;
    if (n === 0 || !(address >= (bounds[0] as number))) return -1;
    // The count of starts <= address lies in [lo, hi]; binary search there.
    let lo = 0;
    let hi = n;
    const pageFirst = this.pageFirst;
    if (pageFirst !== undefined) {
      const p = Math.floor(address / PAGE) - this.basePage;
      if (p >= this.pageCount) {
        lo = n; // beyond the page of the last start: every start is <= address
      } else {
        lo = pageFirst[p] as number;
        hi = pageFirst[p + 1] as number;
        const stride = (this.pageStride as Float64Array)[p] as number;
        if (stride > 0) {
          const start = (this.pageStart as Float64Array)[p] as number;
          if (address >= start) {
            const k = Math.floor((address - start) / stride);
            // Past the last evenly spaced object is free space (no overlaps).
            if (k >= hi - lo) return -1;
            this.lastStart = start + k * stride;
            return lo + k;
          }
          hi = lo; // before the page's first object: only an earlier object can hold it
        }
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((bounds[2 * mid] as number) <= address) lo = mid + 1;
      else hi = mid;
    }
    const candidate = lo - 1;
    if (candidate < 0 || !(address < (bounds[2 * candidate + 1] as number))) return -1;
    this.lastStart = bounds[2 * candidate] as number;
    return candidate;
  }
}

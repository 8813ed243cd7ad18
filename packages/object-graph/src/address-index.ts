/**
 * Resolving a pointer value (an *address*) to the *ordinal* of the object
 * that contains it. Go pointers may point into the interior of an object
 * (a field, a slice element), so the lookup is "last object starting at or
 * below the address, if the address is before its end" — never an exact
 * match.
 *
 * A granule table makes this nearly O(1): the heap's address range is cut
 * into granules of 2^k bytes (k >= 6, as small as the table budget of about
 * two entries per object allows) and the table holds, per granule, how many
 * objects start below it. A lookup reads two table entries and binary-searches
 * only the few objects starting inside that granule. A plain binary search
 * over 3 million addresses costs ~22 dependent cache misses per pointer; this
 * costs two or three. Sparse address ranges fall back to the plain search.
 */

const MIN_GRANULE_SHIFT = 6;
const MAX_GRANULE_SHIFT = 24;

/** Resolves addresses to ordinals over ascending object starts. */
export class AddressIndex {
  private readonly count: number;
  /** [start0, end0, start1, end1, ...]: a candidate's end shares its start's cache line. */
  private readonly bounds: Float64Array;
  private readonly base: number;
  private readonly granule: number;
  private readonly table: Uint32Array | undefined;
  private readonly granuleCount: number;

  /**
   * @param addresses ascending, distinct object start addresses
   * @param sizes object sizes (same length); a zero size still claims one byte
   */
  constructor(addresses: Float64Array, sizes: ArrayLike<number>) {
    const n = addresses.length;
    this.count = n;
    const bounds = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      bounds[2 * i] = addresses[i] as number;
      bounds[2 * i + 1] = (addresses[i] as number) + Math.max(1, sizes[i] as number);
    }
    this.bounds = bounds;
    let granule = 2 ** MIN_GRANULE_SHIFT;
    let base = 0;
    let count = 0;
    let table: Uint32Array | undefined;
    if (n > 0) {
      const first = addresses[0] as number;
      const range = (addresses[n - 1] as number) - first;
      const budget = 2 * n + 65536;
      let shift = MIN_GRANULE_SHIFT;
      while (shift < MAX_GRANULE_SHIFT && range / 2 ** shift > budget) shift++;
      granule = 2 ** shift;
      base = Math.floor(first / granule);
      count = Math.floor((addresses[n - 1] as number) / granule) - base + 1;
      if (count <= budget) {
        table = new Uint32Array(count + 1);
        let i = 0;
        for (let g = 0; g <= count; g++) {
          const start = (base + g) * granule;
          while (i < n && (addresses[i] as number) < start) i++;
          table[g] = i;
        }
      }
    }
    this.granule = granule;
    this.base = base;
    this.table = table;
    this.granuleCount = count;
  }

  /** The ordinal of the object containing `address`, or -1. */
  resolve(address: number): number {
    const bounds = this.bounds;
    const n = this.count;
    if (n === 0 || !(address >= (bounds[0] as number))) return -1;
    // The count of starts <= address lies in [lo, hi]; binary search there.
    let lo = 0;
    let hi = n;
    const table = this.table;
    if (table !== undefined) {
      const g = Math.floor(address / this.granule) - this.base;
      if (g < this.granuleCount) {
        lo = table[g] as number;
        hi = table[g + 1] as number;
      } else {
        lo = n; // beyond the granule of the last start: every start is <= address
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((bounds[2 * mid] as number) <= address) lo = mid + 1;
      else hi = mid;
    }
    const candidate = lo - 1;
    if (candidate < 0) return -1;
    return address < (bounds[2 * candidate + 1] as number) ? candidate : -1;
  }
}

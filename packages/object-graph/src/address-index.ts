/**
 * Resolving a pointer value (an *address*) to the *ordinal* of the object
 * that contains it. Go pointers may point into the interior of an object
 * (a field, a slice element), so the lookup is "last object starting at or
 * below the address, if the address is before its end" — never an exact
 * match.
 *
 * A page table narrows the binary search to the objects starting in one
 * 8 KiB page (the runtime's page size, `pageSize` in src/runtime/malloc.go)
 * when the heap's address range is compact enough for the table to be small.
 */

const PAGE_SHIFT_DIVISOR = 8192;

/** Resolves addresses to ordinals over ascending object starts. */
export class AddressIndex {
  readonly #addresses: Float64Array;
  readonly #ends: Float64Array;
  readonly #base: number;
  readonly #pageFirst: Uint32Array | undefined;
  readonly #pageCount: number;

  /**
   * @param addresses ascending, distinct object start addresses
   * @param sizes object sizes (same length); a zero size still claims one byte
   */
  constructor(addresses: Float64Array, sizes: ArrayLike<number>) {
    const n = addresses.length;
    this.#addresses = addresses;
    const ends = new Float64Array(n);
    for (let i = 0; i < n; i++)
      ends[i] = (addresses[i] as number) + Math.max(1, sizes[i] as number);
    this.#ends = ends;
    const base = n === 0 ? 0 : Math.floor((addresses[0] as number) / PAGE_SHIFT_DIVISOR);
    this.#base = base;
    let pageCount = 0;
    let table: Uint32Array | undefined;
    if (n > 0) {
      const last = Math.floor((addresses[n - 1] as number) / PAGE_SHIFT_DIVISOR);
      pageCount = last - base + 1;
      // The table costs 4 bytes per page; only build it when the address range
      // is dense enough that it is no bigger than a few words per object.
      if (pageCount <= 4 * n + 65536) {
        table = new Uint32Array(pageCount + 1);
        let i = 0;
        for (let p = 0; p <= pageCount; p++) {
          const pageStart = (base + p) * PAGE_SHIFT_DIVISOR;
          while (i < n && (addresses[i] as number) < pageStart) i++;
          table[p] = i;
        }
      }
    }
    this.#pageFirst = table;
    this.#pageCount = pageCount;
  }

  /** The ordinal of the object containing `address`, or -1. */
  resolve(address: number): number {
    const addresses = this.#addresses;
    const n = addresses.length;
    if (n === 0 || !(address >= (addresses[0] as number))) return -1;
    // Count of starts <= address lies in [lo, hi]; binary search there.
    let lo = 0;
    let hi = n;
    const table = this.#pageFirst;
    if (table !== undefined) {
      const p = Math.floor(address / PAGE_SHIFT_DIVISOR) - this.#base;
      if (p < this.#pageCount) {
        lo = table[p] as number;
        hi = table[p + 1] as number;
      } else {
        lo = n; // past the page of the last start: every start is <= address
      }
    }
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((addresses[mid] as number) <= address) lo = mid + 1;
      else hi = mid;
    }
    const candidate = lo - 1;
    if (candidate < 0) return -1;
    return address < (this.#ends[candidate] as number) ? candidate : -1;
  }

  /** The ordinal of the object starting exactly at `address`, or -1. */
  exact(address: number): number {
    const i = this.resolve(address);
    return i >= 0 && this.#addresses[i] === address ? i : -1;
  }
}

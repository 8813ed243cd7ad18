import { PprofError, PprofErrorCode } from "./errors.js";

// One decoder for the whole package: `fatal: false` mirrors Go, whose strings
// may hold any bytes; invalid UTF-8 becomes U+FFFD instead of throwing.
const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/**
 * The profile's string table, decoded lazily.
 *
 * A decoded profile keeps the proto bytes and the start/end offset of every
 * entry; an entry is turned into a JS string the first time {@link get} asks
 * for it, then cached. Index 0 is always `""`. Tables made by a builder or by
 * {@link StringTable.fromStrings} are eager.
 */
export class StringTable {
  #bytes: Uint8Array | undefined;
  #starts: Uint32Array | undefined;
  #ends: Uint32Array | undefined;
  #cache: (string | undefined)[];
  #length: number;
  /** Number of entries that come from `#bytes` (the rest were appended by `intern`). */
  readonly #rawLength: number;
  #index: Map<string, number> | undefined;

  private constructor(
    length: number,
    cache: (string | undefined)[],
    bytes?: Uint8Array,
    starts?: Uint32Array,
    ends?: Uint32Array,
  ) {
    this.#length = length;
    this.#rawLength = bytes ? length : 0;
    this.#cache = cache;
    this.#bytes = bytes;
    this.#starts = starts;
    this.#ends = ends;
  }

  /** A table holding exactly `strings`; `strings[0]` must be `""` (an empty array gives `[""]`). */
  static fromStrings(strings: readonly string[]): StringTable {
    if (strings.length === 0) return new StringTable(1, [""]);
    if (strings[0] !== "") {
      throw new PprofError(
        PprofErrorCode.BadStringTable,
        "string_table[0] must be the empty string",
      );
    }
    return new StringTable(strings.length, strings.slice());
  }

  /**
   * A lazy table over `bytes`: entry `i` is the UTF-8 text in
   * `bytes[starts[i]..ends[i])`. Used by the decoder; the arrays are kept, not copied.
   */
  static fromByteRanges(
    bytes: Uint8Array,
    starts: Uint32Array,
    ends: Uint32Array,
    length: number,
  ): StringTable {
    if (length === 0) return new StringTable(1, [""]);
    const cache = new Array<string | undefined>(length);
    cache[0] = "";
    return new StringTable(length, cache, bytes, starts, ends);
  }

  /** Number of entries, including the leading `""`. */
  get length(): number {
    return this.#length;
  }

  /** Entry `i`, decoded on first use. Throws `bad-string-index` when `i` is out of range. */
  get(i: number): string {
    const cached = this.#cache[i];
    if (cached !== undefined) return cached;
    if (!(i >= 0 && i < this.#length) || !Number.isInteger(i)) {
      throw new PprofError(
        PprofErrorCode.BadStringIndex,
        `string index ${i} outside the table of ${this.#length} entries`,
      );
    }
    // Only a lazy table can miss the cache for an in-range index.
    const bytes = this.#bytes as Uint8Array;
    const start = (this.#starts as Uint32Array)[i] as number;
    const end = (this.#ends as Uint32Array)[i] as number;
    const s = decodeUtf8(bytes, start, end);
    this.#cache[i] = s;
    return s;
  }

  /**
   * Index of `s`, appending it when absent. The first call builds a
   * string-to-index map (decoding every entry once); the first occurrence of a
   * duplicated string wins.
   */
  intern(s: string): number {
    let index = this.#index;
    if (index === undefined) {
      this.#decodeAll();
      index = new Map();
      for (let i = this.#length - 1; i >= 0; i--) index.set(this.get(i), i);
      this.#index = index;
    }
    const found = index.get(s);
    if (found !== undefined) return found;
    const i = this.#length++;
    this.#cache[i] = s;
    index.set(s, i);
    return i;
  }

  /**
   * The bytes behind a lazy table and each entry's offsets, while every entry
   * still comes from them (nothing appended by {@link intern}); else
   * `undefined`. Lets the encoder hash and copy entries without decoding them.
   * @internal
   */
  byteRanges(): { bytes: Uint8Array; starts: Uint32Array; ends: Uint32Array } | undefined {
    const bytes = this.#bytes;
    const starts = this.#starts;
    const ends = this.#ends;
    if (!bytes || !starts || !ends || this.#length !== this.#rawLength) return undefined;
    return { bytes, starts, ends };
  }

  /** Decodes every entry now, in one pass when the table allows it (see `toArray`). */
  preload(): void {
    this.#decodeAll();
  }

  /** All entries as an array (decodes every entry). */
  toArray(): string[] {
    this.#decodeAll();
    const out = new Array<string>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.get(i);
    return out;
  }

  /**
   * Decodes every entry of a lazy table at once. Go writes the string table
   * as one run of fields at the end of the message; when that run is ASCII
   * (tags, short lengths and text alike), one TextDecoder call over it and a
   * substring per entry is much cheaper than one decode per entry.
   */
  #decodeAll(): void {
    const bytes = this.#bytes;
    const starts = this.#starts;
    const ends = this.#ends;
    if (!bytes || !starts || !ends || this.#length < 2) return;
    let lo = Number.POSITIVE_INFINITY;
    let hi = 0;
    let text = 0;
    const n = Math.min(this.#length, starts.length);
    for (let i = 1; i < n; i++) {
      const a = starts[i] as number;
      const b = ends[i] as number;
      if (a < lo) lo = a;
      if (b > hi) hi = b;
      text += b - a;
    }
    // Only worth it when the entries sit together, as Go writes them: the
    // span is the text plus a tag and a short length per entry.
    if (!(hi > lo) || hi - lo > 2 * text + 8 * n) return;
    for (let i = lo; i < hi; i++) if ((bytes[i] as number) > 0x7f) return;
    const whole = utf8.decode(bytes.subarray(lo, hi));
    for (let i = 1; i < n; i++) {
      if (this.#cache[i] === undefined) {
        this.#cache[i] = whole.slice((starts[i] as number) - lo, (ends[i] as number) - lo);
      }
    }
  }
}

/** Decodes `bytes[start..end)` as UTF-8, with an ASCII fast path for short strings. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start < 64) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if ((bytes[i] as number) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // String.fromCharCode.apply on a small subarray is faster than TextDecoder here.
      return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
    }
  }
  return utf8.decode(bytes.subarray(start, end));
}

// profile.proto encoder producing the same bytes as google/pprof's
// Profile.WriteUncompressed (github.com/google/pprof/profile/encode.go,
// preEncode + encode, and proto.go for the wire helpers):
// - the string table is rebuilt by first use in preEncode's order: sample
//   types, sample labels, mappings, functions, drop/keep frames, period type,
//   comments, default sample type, doc URL;
// - a sample's string labels come first, stably sorted by key (Go sorts the
//   keys of its label map), then its numeric labels likewise; a label with
//   neither a string nor a number/unit is dropped, as Go's postDecode does;
// - repeated scalars are packed only when there are more than two;
// - zero scalars are omitted, except default_sample_type which Go always writes.

import { PprofError, PprofErrorCode } from "./errors.js";
import { gzip } from "./gzip.js";
import type { Profile } from "./model.js";
import { Writer } from "./wire.js";

/** Options for {@link encodeProfile}. */
export interface EncodeOptions {
  /** gzip the output, as Go's `Profile.Write` does (default `true`). */
  gzip?: boolean;
}

const SAFE = Number.MAX_SAFE_INTEGER;
const utf8 = new TextEncoder();

/**
 * Encodes a profile. Without gzip, the bytes equal what google/pprof's
 * `Profile.WriteUncompressed` writes for the same profile.
 */
export function encodeProfile(profile: Profile, options: EncodeOptions = {}): Uint8Array {
  const raw = new Encoder(profile).encode();
  return options.gzip === false ? raw : gzip(raw);
}

class Encoder {
  readonly p: Profile;
  readonly w: Writer;
  /** Old string index -> new index, -1 until first use. */
  readonly remap: Int32Array;
  readonly byContent = new Map<string, number>();
  /** Output string table: the text of each entry, or `undefined` for a byte range of the input. */
  readonly out: (string | undefined)[] = [];
  /** For each output entry taken from the input bytes, its index in the profile's table; else -1. */
  readonly outSrc: number[] = [];
  /** The decoded table's bytes and offsets when its ASCII entries can be hashed as bytes. */
  readonly raw: { bytes: Uint8Array; starts: Uint32Array; ends: Uint32Array } | undefined;
  /** Open-addressing table of output indices of byte entries, by hash (when `raw`). */
  readonly slots: Int32Array;

  constructor(p: Profile) {
    this.p = p;
    this.remap = new Int32Array(p.strings.length).fill(-1);
    this.byContent.set("", 0);
    this.out.push("");
    this.outSrc.push(-1);
    this.raw = p.strings.byteRanges();
    let size = 16;
    if (this.raw) while (size < p.strings.length * 2) size *= 2;
    this.slots = new Int32Array(this.raw ? size : 0).fill(-1);
    // A size estimate, so the buffer rarely has to grow.
    const s = p.samples;
    this.w = new Writer(
      4096 +
        s.count * 4 +
        s.values.length * 4 +
        s.locations.length * 3 +
        s.labelKeys.length * 10 +
        p.locationCount * 16 +
        p.functionCount * 12 +
        p.strings.length * 24,
    );
  }

  str(i: number): number {
    const m = this.remap[i];
    if (m !== undefined && m >= 0) return m;
    if (m === undefined) {
      throw new PprofError(PprofErrorCode.BadStringIndex, `string index ${i} outside the table`);
    }
    if (this.raw) {
      const n = this.rawStr(i);
      if (n >= 0) return n;
    }
    const s = this.p.strings.get(i);
    let n = this.byContent.get(s);
    if (n === undefined) {
      n = this.out.length;
      this.out.push(s);
      this.outSrc.push(-1);
      this.byContent.set(s, n);
    }
    this.remap[i] = n;
    return n;
  }

  /**
   * {@link str} for an entry of a decoded table, by its bytes: an ASCII entry
   * is deduplicated by hashing and comparing bytes (ASCII bytes are equal
   * exactly when the strings are), without decoding it. Returns -1 for an
   * entry with other bytes, which goes through the string path: its decoded
   * text (U+FFFD for invalid UTF-8) cannot equal any ASCII entry's.
   */
  rawStr(i: number): number {
    const { bytes, starts, ends } = this.raw as NonNullable<Encoder["raw"]>;
    const a = starts[i] as number;
    const b = ends[i] as number;
    if (a === b) {
      this.remap[i] = 0;
      return 0;
    }
    // Four bytes per step (a multiply-xorshift hash), then the tail; `high`
    // collects every byte's top bit for the ASCII check.
    let h = b - a;
    let high = 0;
    let k = a;
    for (; k + 4 <= b; k += 4) {
      const x =
        (bytes[k] as number) |
        ((bytes[k + 1] as number) << 8) |
        ((bytes[k + 2] as number) << 16) |
        ((bytes[k + 3] as number) << 24);
      high |= x;
      h = Math.imul(h ^ x, 0x5bd1e995);
      h ^= h >>> 15;
    }
    for (; k < b; k++) {
      const c = bytes[k] as number;
      high |= c;
      h = Math.imul(h ^ c, 0x5bd1e995);
    }
    if ((high & 0x80808080) !== 0) return -1;
    const slots = this.slots;
    const mask = slots.length - 1;
    const outSrc = this.outSrc;
    const len = b - a;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const o = slots[slot] as number;
      if (o === -1) break;
      const src = outSrc[o] as number;
      const a2 = starts[src] as number;
      if ((ends[src] as number) - a2 === len) {
        let k = 0;
        while (k < len && bytes[a + k] === bytes[a2 + k]) k++;
        if (k === len) {
          this.remap[i] = o;
          return o;
        }
      }
      slot = (slot + 1) & mask;
    }
    const n = this.out.length;
    this.out.push(undefined);
    outSrc.push(i);
    slots[slot] = n;
    this.remap[i] = n;
    return n;
  }

  encode(): Uint8Array {
    const p = this.p;
    // A decoded table is hashed and copied as bytes (see rawStr); otherwise
    // decode every entry at once, cheaper than one by one.
    if (!this.raw) p.strings.preload();
    const w = this.w;
    const s = p.samples;

    // preEncode order of string interning, part 1 (sample types).
    const sampleTypes = p.sampleTypes.map((t) => [this.str(t.type), this.str(t.unit)] as const);
    for (const [type, unit] of sampleTypes) {
      const at = this.begin(1);
      if (type !== 0) this.tagVarint(1, type);
      if (unit !== 0) this.tagVarint(2, unit);
      this.end(at);
    }

    // Location and function ids as 32-bit halves, from the decoded columns
    // when the objects were never materialised, else from the objects.
    const lt = p.locationTable;
    const ft = p.functionTable;
    const [locLo, locHi] = lt ? [lt.idLo, lt.idHi] : splitIds(p.locations.map((l) => l.id));
    const [fnLo, fnHi] = ft ? [ft.idLo, ft.idHi] : splitIds(p.functions.map((f) => f.id));
    const nLoc = locLo.length;

    const values = s.values;
    const exact = s.exactValues.size > 0 ? s.exactValues : undefined;
    const vc = s.valueCount;
    const order: number[] = [];
    for (let i = 0; i < s.count; i++) {
      const at = this.begin(2);
      // location_id
      const l0 = s.locationStarts[i] as number;
      const l1 = s.locationStarts[i + 1] as number;
      if (l1 - l0 > 2) {
        const pat = this.begin(1);
        // The packed ids are the bulk of a CPU profile's bytes: write them
        // straight into the buffer after one capacity check (10 bytes per id).
        w.ensure((l1 - l0) * 10);
        let buf = w.buf;
        let pos = w.pos;
        const locs = s.locations;
        for (let k = l0; k < l1; k++) {
          const index = locs[k] as number;
          if (!(index < nLoc)) {
            w.pos = pos;
            this.locId(locLo, locHi, nLoc, index);
          }
          if ((locHi[index] as number) !== 0) {
            w.pos = pos;
            w.varint64(locLo[index] as number, locHi[index] as number);
            buf = w.buf;
            pos = w.pos;
            continue;
          }
          let v = locLo[index] as number;
          while (v >= 0x80) {
            buf[pos++] = (v & 0x7f) | 0x80;
            v >>>= 7;
          }
          buf[pos++] = v;
        }
        w.pos = pos;
        this.end(pat);
      } else {
        for (let k = l0; k < l1; k++) {
          w.uvarint(0x08);
          this.locId(locLo, locHi, nLoc, s.locations[k] as number);
        }
      }
      // value
      const v0 = i * vc;
      if (vc > 2) {
        const pat = this.begin(2);
        for (let k = v0; k < v0 + vc; k++) this.int64(values[k] as number, exact, k);
        this.end(pat);
      } else {
        for (let k = v0; k < v0 + vc; k++) {
          w.uvarint(0x10);
          this.int64(values[k] as number, exact, k);
        }
      }
      // label
      const b0 = s.labelStarts[i] as number;
      const b1 = s.labelStarts[i + 1] as number;
      if (b1 > b0) this.labels(b0, b1, order);
      this.end(at);
    }

    this.tables(fnLo, fnHi);
    this.trailer();
    return w.finish();
  }

  /** Writes mappings, locations and functions (fields 3, 4, 5). */
  tables(fnLo: Uint32Array, fnHi: Uint32Array): void {
    const p = this.p;
    const lt = p.locationTable;
    const ft = p.functionTable;
    for (const m of p.mappings) {
      const file = this.str(m.filename);
      const buildId = this.str(m.buildId);
      const at = this.begin(3);
      this.tagBig(1, m.id);
      this.tagBig(2, m.memoryStart);
      this.tagBig(3, m.memoryLimit);
      this.tagBig(4, m.fileOffset);
      if (file !== 0) this.tagVarint(5, file);
      if (buildId !== 0) this.tagVarint(6, buildId);
      if (m.hasFunctions) this.tagVarint(7, 1);
      if (m.hasFilenames) this.tagVarint(8, 1);
      if (m.hasLineNumbers) this.tagVarint(9, 1);
      if (m.hasInlineFrames) this.tagVarint(10, 1);
      this.end(at);
    }

    const [mapLo, mapHi] = splitIds(p.mappings.map((m) => m.id));
    const mappingId = (m: number) => {
      if (m >= mapLo.length)
        throw new PprofError(PprofErrorCode.InvalidArgument, `no mapping ${m}`);
      this.tagHalves(2, mapLo[m] as number, mapHi[m] as number);
    };
    const fnId = (f: number) => {
      if (!(f >= 0 && f < fnLo.length)) {
        throw new PprofError(PprofErrorCode.InvalidArgument, `no function ${f}`);
      }
      this.tagHalves(1, fnLo[f] as number, fnHi[f] as number);
    };
    if (lt) {
      for (let i = 0; i < lt.count; i++) {
        const at = this.begin(4);
        this.tagHalves(1, lt.idLo[i] as number, lt.idHi[i] as number);
        const m = lt.mapping[i] as number;
        if (m >= 0) mappingId(m);
        this.tagHalves(3, lt.addressLo[i] as number, lt.addressHi[i] as number);
        for (let k = lt.lineStarts[i] as number; k < (lt.lineStarts[i + 1] as number); k++) {
          const lat = this.begin(4);
          fnId(lt.lineFunction[k] as number);
          const line = lt.lineLine[k] as number;
          const column = lt.lineColumn[k] as number;
          if (line !== 0) this.tagInt(2, line);
          if (column !== 0) this.tagInt(3, column);
          this.end(lat);
        }
        if (lt.isFolded[i] === 1) this.tagVarint(5, 1);
        this.end(at);
      }
    } else {
      for (const l of p.locations) {
        const at = this.begin(4);
        this.tagBig(1, l.id);
        if (l.mapping >= 0) mappingId(l.mapping);
        this.tagBig(3, l.address);
        for (const ln of l.lines) {
          const lat = this.begin(4);
          fnId(ln.function);
          if (ln.line !== 0) this.tagInt(2, ln.line);
          if (ln.column !== 0) this.tagInt(3, ln.column);
          this.end(lat);
        }
        if (l.isFolded) this.tagVarint(5, 1);
        this.end(at);
      }
    }

    if (ft) {
      for (let i = 0; i < ft.count; i++) {
        const name = this.str(ft.name[i] as number);
        const systemName = this.str(ft.systemName[i] as number);
        const filename = this.str(ft.filename[i] as number);
        const at = this.begin(5);
        this.tagHalves(1, ft.idLo[i] as number, ft.idHi[i] as number);
        if (name !== 0) this.tagVarint(2, name);
        if (systemName !== 0) this.tagVarint(3, systemName);
        if (filename !== 0) this.tagVarint(4, filename);
        const startLine = ft.startLine[i] as number;
        if (startLine !== 0) this.tagInt(5, startLine);
        this.end(at);
      }
    } else {
      for (const f of p.functions) {
        const name = this.str(f.name);
        const systemName = this.str(f.systemName);
        const filename = this.str(f.filename);
        const at = this.begin(5);
        this.tagBig(1, f.id);
        if (name !== 0) this.tagVarint(2, name);
        if (systemName !== 0) this.tagVarint(3, systemName);
        if (filename !== 0) this.tagVarint(4, filename);
        if (f.startLine !== 0) this.tagInt(5, f.startLine);
        this.end(at);
      }
    }
  }

  /** Writes the string table and the scalar fields after it. */
  trailer(): void {
    const p = this.p;
    const w = this.w;
    const dropFrames = this.str(p.dropFrames);
    const keepFrames = this.str(p.keepFrames);
    const periodType = p.periodType
      ? ([this.str(p.periodType.type), this.str(p.periodType.unit)] as const)
      : undefined;
    const comments = p.comments.map((c) => this.str(c));
    const defaultSampleType = this.str(p.defaultSampleType);
    const docUrl = this.str(p.docUrl);

    this.stringTable();
    if (dropFrames !== 0) this.tagVarint(7, dropFrames);
    if (keepFrames !== 0) this.tagVarint(8, keepFrames);
    this.tagBig(9, p.timeNanos);
    this.tagBig(10, p.durationNanos);
    if (periodType && (periodType[0] !== 0 || periodType[1] !== 0)) {
      const at = this.begin(11);
      if (periodType[0] !== 0) this.tagVarint(1, periodType[0]);
      if (periodType[1] !== 0) this.tagVarint(2, periodType[1]);
      this.end(at);
    }
    this.tagBig(12, p.period);
    if (comments.length > 2) {
      const at = this.begin(13);
      for (const c of comments) w.uvarint(c);
      this.end(at);
    } else {
      for (const c of comments) this.tagVarint(13, c);
    }
    // Go writes default_sample_type even when it is 0 (encodeInt64, not encodeInt64Opt).
    w.uvarint(14 << 3);
    w.uvarint(defaultSampleType);
    if (docUrl !== 0) this.tagVarint(15, docUrl);
  }

  /** Writes the string table (field 6) in output order. */
  stringTable(): void {
    const w = this.w;
    const raw = this.raw;
    const rawBytes = raw ? raw.bytes : undefined;
    for (let n = 0; n < this.out.length; n++) {
      const src = this.outSrc[n] as number;
      if (raw && src >= 0) {
        // An ASCII entry of the decoded table: copy its bytes.
        const a = raw.starts[src] as number;
        const b = raw.ends[src] as number;
        w.uvarint(0x32);
        w.uvarint(b - a);
        w.ensure(b - a);
        const buf = w.buf;
        let pos = w.pos;
        const from = rawBytes as Uint8Array;
        if (b - a > 48) {
          buf.set(from.subarray(a, b), pos);
          pos += b - a;
        } else for (let k = a; k < b; k++) buf[pos++] = from[k] as number;
        w.pos = pos;
        continue;
      }
      const str = this.out[n] as string;
      w.uvarint(0x32);
      // A UTF-16 code unit takes at most 3 UTF-8 bytes.
      w.ensure(10 + str.length * 3);
      const at = w.pos;
      w.pos++;
      const buf = w.buf;
      let pos = w.pos;
      let i = 0;
      // ASCII is copied byte by byte (cheaper than encodeInto for short strings).
      for (; i < str.length; i++) {
        const c = str.charCodeAt(i);
        if (c >= 0x80) break;
        buf[pos++] = c;
      }
      if (i < str.length) {
        pos += utf8.encodeInto(str.slice(i), buf.subarray(pos)).written;
      }
      const written = pos - w.pos;
      w.pos = pos;
      this.fixLength(at, written);
    }
  }

  /** Key string of label `k`. */
  labelKey(k: number): string {
    return this.p.strings.get(this.p.samples.labelKeys[k] as number);
  }

  /**
   * True when labels `b0..b1` are already in Go's order: string labels first,
   * then numeric ones, each group by non-decreasing key, none to drop.
   */
  labelsCanonical(b0: number, b1: number): boolean {
    const s = this.p.samples;
    let inNum = false;
    let prev = -1;
    for (let k = b0; k < b1; k++) {
      const isStr = (s.labelStrs[k] as number) !== 0;
      if (!isStr && (s.labelNums[k] as number) === 0 && (s.labelUnits[k] as number) === 0) {
        return false;
      }
      if (isStr && inNum) return false;
      if (!isStr && !inNum) {
        inNum = true;
        prev = -1;
      }
      const key = s.labelKeys[k] as number;
      if (
        prev >= 0 &&
        key !== prev &&
        compareUtf8(this.p.strings.get(prev), this.p.strings.get(key)) > 0
      ) {
        return false;
      }
      prev = key;
    }
    return true;
  }

  /** Writes one sample's labels in Go's order; `order` is scratch space. */
  labels(b0: number, b1: number, order: number[]): void {
    const s = this.p.samples;
    const strs = s.labelStrs;
    let nStr = 0;
    if (this.labelsCanonical(b0, b1)) {
      for (let k = b0; k < b1; k++) {
        if ((strs[k] as number) !== 0) nStr++;
        this.label(k, (strs[k] as number) !== 0);
      }
      return;
    }
    order.length = 0;
    for (let k = b0; k < b1; k++) if ((strs[k] as number) !== 0) order.push(k);
    nStr = order.length;
    for (let k = b0; k < b1; k++) {
      if (
        (strs[k] as number) === 0 &&
        ((s.labelNums[k] as number) !== 0 || (s.labelUnits[k] as number) !== 0)
      ) {
        order.push(k);
      }
    }
    // Array.prototype.sort is stable, as Go's grouping by sorted key requires.
    const byKey = (a: number, b: number) => compareUtf8(this.labelKey(a), this.labelKey(b));
    const sorted = [...order.slice(0, nStr).sort(byKey), ...order.slice(nStr).sort(byKey)];
    for (let n = 0; n < sorted.length; n++) this.label(sorted[n] as number, n < nStr);
  }

  /** Writes label `k` as a string label or a numeric one. */
  label(k: number, isStr: boolean): void {
    const s = this.p.samples;
    const key = this.str(s.labelKeys[k] as number);
    const at = this.begin(3);
    if (key !== 0) this.tagVarint(1, key);
    if (isStr) {
      this.tagVarint(2, this.str(s.labelStrs[k] as number));
    } else {
      const num = s.labelNums[k] as number;
      const unit = this.str(s.labelUnits[k] as number);
      if (num !== 0) {
        this.w.uvarint(3 << 3);
        this.int64(num, s.exactLabelNums.size > 0 ? s.exactLabelNums : undefined, k);
      }
      if (unit !== 0) this.tagVarint(4, unit);
    }
    this.end(at);
  }

  locId(lo: Uint32Array, hi: Uint32Array, n: number, index: number): void {
    if (index >= n) {
      throw new PprofError(PprofErrorCode.InvalidArgument, `sample refers to no location ${index}`);
    }
    const h = hi[index] as number;
    if (h === 0) this.w.uvarint(lo[index] as number);
    else this.w.varint64(lo[index] as number, h);
  }

  /** Writes an optional uint64 field given as halves. */
  tagHalves(field: number, lo: number, hi: number): void {
    if (lo === 0 && hi === 0) return;
    this.w.uvarint(field << 3);
    if (hi === 0) this.w.uvarint(lo);
    else this.w.varint64(lo, hi);
  }

  int64(v: number, exact: Map<number, bigint> | undefined, k: number): void {
    const big = exact?.get(k);
    if (big !== undefined) this.w.bigVarint(big);
    else if (v <= SAFE && v >= -SAFE && Number.isInteger(v)) this.w.int64(v);
    else throw new PprofError(PprofErrorCode.InvalidArgument, `value ${v} is not an exact int64`);
  }

  tagVarint(field: number, v: number): void {
    this.w.uvarint(field << 3);
    this.w.uvarint(v);
  }

  tagInt(field: number, v: number): void {
    this.w.uvarint(field << 3);
    if (!Number.isInteger(v)) {
      throw new PprofError(PprofErrorCode.InvalidArgument, `${v} is not an integer`);
    }
    this.w.int64(v);
  }

  /** Writes an optional (omitted when 0) int64/uint64 field. */
  tagBig(field: number, v: bigint): void {
    if (v === 0n) return;
    this.w.uvarint(field << 3);
    this.w.bigVarint(v);
  }

  /** Starts a length-delimited field; reserves one length byte. Returns the length byte's position. */
  begin(field: number): number {
    const w = this.w;
    w.uvarint((field << 3) | 2);
    w.ensure(1);
    return w.pos++;
  }

  end(at: number): void {
    this.fixLength(at, this.w.pos - at - 1);
  }

  /** Writes the length `n` at `at`, shifting the body when it needs more than one byte. */
  fixLength(at: number, n: number): void {
    const w = this.w;
    if (n < 0x80) {
      w.buf[at] = n;
      return;
    }
    let extra = 0;
    for (let x = n >>> 7; x > 0; x >>>= 7) extra++;
    w.ensure(extra);
    const buf = w.buf;
    buf.copyWithin(at + 1 + extra, at + 1, w.pos);
    let pos = at;
    let x = n;
    while (x >= 0x80) {
      buf[pos++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    buf[pos] = x;
    w.pos += extra;
  }
}

/**
 * Compares strings in UTF-8 byte order (= code point order), the order Go's
 * sort.Strings uses. JS `<` compares UTF-16 code units, which differs for
 * astral characters against U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) stand for code points above FFFF: they sort last.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Splits uint64 ids into 32-bit halves. */
function splitIds(ids: readonly bigint[]): [Uint32Array, Uint32Array] {
  const lo = new Uint32Array(ids.length);
  const hi = new Uint32Array(ids.length);
  ids.forEach((id, i) => {
    const u = BigInt.asUintN(64, id);
    lo[i] = Number(u & 0xffffffffn);
    hi[i] = Number(u >> 32n);
  });
  return [lo, hi];
}

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
import type { FunctionTable, LocationTable, Profile } from "./model.js";
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
  /** Text of each output entry made from a string (`undefined` for one copied from the input bytes). */
  readonly out: (string | undefined)[] = [];
  /** For each output entry taken from the input bytes, its index in the profile's table; else -1. */
  readonly outSrc: Int32Array;
  /** Number of output entries so far. */
  outLen = 0;
  /** The decoded table's bytes and offsets when its ASCII entries can be hashed as bytes. */
  readonly raw: { bytes: Uint8Array; starts: Uint32Array; ends: Uint32Array } | undefined;
  /**
   * With `raw`: for each entry of the table, the first entry with the same
   * bytes when they are ASCII, {@link NOT_ASCII} or {@link EMPTY} (see {@link dedupe}).
   */
  readonly canon: Int32Array | undefined;

  constructor(p: Profile) {
    this.p = p;
    const n = p.strings.length;
    this.remap = new Int32Array(n).fill(-1);
    // Every output entry but "" comes from a distinct table entry.
    this.outSrc = new Int32Array(n + 1);
    this.byContent.set("", 0);
    this.out.push("");
    this.outSrc[0] = -1;
    this.outLen = 1;
    this.raw = p.strings.byteRanges();
    this.canon = this.raw ? dedupe(this.raw, n) : undefined;
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
    const remap = this.remap;
    const m = remap[i];
    if (m !== undefined && m >= 0) return m;
    if (m === undefined) {
      throw new PprofError(PprofErrorCode.BadStringIndex, `string index ${i} outside the table`);
    }
    const canon = this.canon;
    if (canon !== undefined) {
      const c = canon[i] as number;
      if (c >= 0) {
        // An ASCII entry of the decoded table: its bytes are copied as they
        // are, and the entries with the same bytes share one output entry.
        let n = remap[c] as number;
        if (n < 0) {
          n = this.outLen++;
          this.outSrc[n] = c;
          remap[c] = n;
        }
        remap[i] = n;
        return n;
      }
      if (c === EMPTY) {
        remap[i] = 0;
        return 0;
      }
    }
    // Other bytes go through the string path: their decoded text (U+FFFD for
    // invalid UTF-8) cannot equal any ASCII entry's.
    const s = this.p.strings.get(i);
    let n = this.byContent.get(s);
    if (n === undefined) {
      n = this.outLen++;
      this.out[n] = s;
      this.outSrc[n] = -1;
      this.byContent.set(s, n);
    }
    remap[i] = n;
    return n;
  }

  encode(): Uint8Array {
    const p = this.p;
    // A decoded table is deduplicated and copied as bytes (see dedupe and rawRun);
    // otherwise decode every entry at once, cheaper than one by one.
    if (!this.raw) p.strings.preload();

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
    // Each part is its own method: a loop in one long function is compiled
    // on stack (OSR) and that code deoptimises at the first call after the
    // loop on every later encode.
    const lt = p.locationTable;
    const ft = p.functionTable;
    const [locLo, locHi] = lt ? [lt.idLo, lt.idHi] : splitIds(p.locations.map((l) => l.id));
    const [fnLo, fnHi] = ft ? [ft.idLo, ft.idHi] : splitIds(p.functions.map((f) => f.id));
    this.samples(locLo, locHi);
    this.tables(fnLo, fnHi);
    this.trailer();
    return this.w.finish();
  }

  /** Writes the samples (field 2). */
  samples(locLo: Uint32Array, locHi: Uint32Array): void {
    const w = this.w;
    const s = this.p.samples;
    const nLoc = locLo.length;
    const locs = s.locations;
    const locStarts = s.locationStarts;
    const labelStarts = s.labelStarts;
    const values = s.values;
    const exact = s.exactValues.size > 0 ? s.exactValues : undefined;
    const vc = s.valueCount;
    const order: number[] = [];
    const count = s.count;
    // Go numbers locations 1, 2, ... in table order (and so does pprof-format).
    let seq = nLoc < 0x7fffffff;
    for (let i = 0; seq && i < nLoc; i++) {
      seq = (locLo[i] as number) === i + 1 && (locHi[i] as number) === 0;
    }
    for (let i = 0; i < count; i++) {
      const l0 = locStarts[i] as number;
      const l1 = locStarts[i + 1] as number;
      // Room for the sample's tag and length, every id and every value (10
      // bytes each, 11 with a tag) and the lengths growing by a few bytes.
      w.ensure(24 + (l1 - l0) * 11 + vc * 11);
      let buf = w.buf;
      let pos = w.pos;
      buf[pos++] = 0x12;
      const at = pos++;
      // location_id: the packed ids are the bulk of a CPU profile's bytes.
      const packed = l1 - l0 > 2;
      let pat = 0;
      if (packed) {
        buf[pos++] = 0x0a;
        pat = pos++;
      }
      if (seq && packed) {
        // Location i has id i + 1: no id to look up.
        for (let k = l0; k < l1; k++) {
          const index = locs[k] as number;
          if (!(index < nLoc)) throw noLocation(index);
          let v = index + 1;
          while (v >= 0x80) {
            buf[pos++] = (v & 0x7f) | 0x80;
            v >>>= 7;
          }
          buf[pos++] = v;
        }
      } else {
        for (let k = l0; k < l1; k++) {
          const index = locs[k] as number;
          if (!(index < nLoc)) throw noLocation(index);
          if (!packed) buf[pos++] = 0x08;
          let v = locLo[index] as number;
          const hi = locHi[index] as number;
          if (hi !== 0) {
            pos = putHalves(buf, pos, v, hi);
            continue;
          }
          while (v >= 0x80) {
            buf[pos++] = (v & 0x7f) | 0x80;
            v >>>= 7;
          }
          buf[pos++] = v;
        }
      }
      if (packed) pos = patchLength(buf, pat, pos);
      // value
      const v0 = i * vc;
      const pvat = pos + 1;
      if (vc > 2) {
        buf[pos] = 0x12;
        pos += 2;
      }
      for (let k = v0; k < v0 + vc; k++) {
        if (vc <= 2) buf[pos++] = 0x10;
        const v = values[k] as number;
        if (v >= 0 && v < 0x80000000 && exact === undefined) {
          let x = v >>> 0;
          if (x === v) {
            while (x >= 0x80) {
              buf[pos++] = (x & 0x7f) | 0x80;
              x >>>= 7;
            }
            buf[pos++] = x;
            continue;
          }
        }
        w.pos = pos;
        this.int64(v, exact, k);
        buf = w.buf;
        pos = w.pos;
      }
      if (vc > 2) pos = patchLength(buf, pvat, pos);
      w.pos = pos;
      // label
      const b0 = labelStarts[i] as number;
      const b1 = labelStarts[i + 1] as number;
      if (b1 > b0) this.labels(b0, b1, order);
      this.end(at);
    }
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
      this.locationTable(lt, mapLo, mapHi, fnLo, fnHi);
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
      this.functionTable(ft);
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

  /** Writes the locations of a decoded location table (field 4). */
  locationTable(
    lt: LocationTable,
    mapLo: Uint32Array,
    mapHi: Uint32Array,
    fnLo: Uint32Array,
    fnHi: Uint32Array,
  ): void {
    const w = this.w;
    const nMap = mapLo.length;
    const nFn = fnLo.length;
    const { idLo, idHi, mapping, addressLo, addressHi, lineStarts, isFolded } = lt;
    const { lineFunction, lineLine, lineColumn } = lt;
    for (let i = 0; i < lt.count; i++) {
      const k0 = lineStarts[i] as number;
      const k1 = lineStarts[i + 1] as number;
      // Tag and length, three 10-byte fields with their tags, is_folded and
      // 35 bytes per line (the lengths may grow by a few bytes).
      w.ensure(48 + (k1 - k0) * 40);
      let buf = w.buf;
      let pos = w.pos;
      buf[pos++] = 0x22;
      const at = pos++;
      let lo = idLo[i] as number;
      let hi = idHi[i] as number;
      if (lo !== 0 || hi !== 0) {
        buf[pos++] = 0x08;
        pos = putHalves(buf, pos, lo, hi);
      }
      const m = mapping[i] as number;
      if (m >= 0) {
        if (m >= nMap) throw new PprofError(PprofErrorCode.InvalidArgument, `no mapping ${m}`);
        lo = mapLo[m] as number;
        hi = mapHi[m] as number;
        if (lo !== 0 || hi !== 0) {
          buf[pos++] = 0x10;
          pos = putHalves(buf, pos, lo, hi);
        }
      }
      lo = addressLo[i] as number;
      hi = addressHi[i] as number;
      if (lo !== 0 || hi !== 0) {
        buf[pos++] = 0x18;
        pos = putHalves(buf, pos, lo, hi);
      }
      for (let k = k0; k < k1; k++) {
        buf[pos++] = 0x22;
        const lat = pos++;
        const f = lineFunction[k] as number;
        if (!(f >= 0 && f < nFn)) {
          throw new PprofError(PprofErrorCode.InvalidArgument, `no function ${f}`);
        }
        lo = fnLo[f] as number;
        hi = fnHi[f] as number;
        if (lo !== 0 || hi !== 0) {
          buf[pos++] = 0x08;
          pos = putHalves(buf, pos, lo, hi);
        }
        const line = lineLine[k] as number;
        if (line !== 0) {
          buf[pos++] = 0x10;
          pos = this.putInt(pos, line);
          buf = w.buf;
        }
        const column = lineColumn[k] as number;
        if (column !== 0) {
          buf[pos++] = 0x18;
          pos = this.putInt(pos, column);
          buf = w.buf;
        }
        pos = patchLength(buf, lat, pos);
      }
      if (isFolded[i] === 1) {
        buf[pos++] = 0x28;
        buf[pos++] = 1;
      }
      w.pos = patchLength(buf, at, pos);
    }
  }

  /** Writes the functions of a decoded function table (field 5). */
  functionTable(ft: FunctionTable): void {
    const w = this.w;
    const { idLo, idHi, name, systemName, filename, startLine } = ft;
    for (let i = 0; i < ft.count; i++) {
      const nm = this.str(name[i] as number);
      const sys = this.str(systemName[i] as number);
      const file = this.str(filename[i] as number);
      // Tag and length, five fields of at most 11 bytes.
      w.ensure(64);
      let buf = w.buf;
      let pos = w.pos;
      buf[pos++] = 0x2a;
      const at = pos++;
      const lo = idLo[i] as number;
      const hi = idHi[i] as number;
      if (lo !== 0 || hi !== 0) {
        buf[pos++] = 0x08;
        pos = putHalves(buf, pos, lo, hi);
      }
      if (nm !== 0) {
        buf[pos++] = 0x10;
        pos = putHalves(buf, pos, nm, 0);
      }
      if (sys !== 0) {
        buf[pos++] = 0x18;
        pos = putHalves(buf, pos, sys, 0);
      }
      if (file !== 0) {
        buf[pos++] = 0x20;
        pos = putHalves(buf, pos, file, 0);
      }
      const line = startLine[i] as number;
      if (line !== 0) {
        buf[pos++] = 0x28;
        pos = this.putInt(pos, line);
        buf = w.buf;
      }
      w.pos = patchLength(buf, at, pos);
    }
  }

  /**
   * Writes the int64 varint of `v` at `pos` (as {@link tagInt} does after
   * the tag) and returns the position after it; the buffer may be replaced.
   */
  putInt(pos: number, v: number): number {
    if (v >= 0 && v < 0x80000000 && (v | 0) === v) return putHalves(this.w.buf, pos, v, 0);
    if (!Number.isInteger(v)) {
      throw new PprofError(PprofErrorCode.InvalidArgument, `${v} is not an integer`);
    }
    const w = this.w;
    w.pos = pos;
    w.int64(v);
    return w.pos;
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
    const outSrc = this.outSrc;
    const count = this.outLen;
    let n = 0;
    while (n < count) {
      const src = outSrc[n] as number;
      if (raw !== undefined && src >= 0) {
        n = this.rawRun(raw, n, count);
        continue;
      }
      const str = this.out[n] as string;
      n++;
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

  /**
   * Writes output entry `n` (an entry of the decoded table) and the entries
   * after it whose fields follow it in the input exactly as they are to be
   * written: each one's tag and minimal length, then its bytes. Go writes
   * the table in the order preEncode rebuilds it, so a profile Go wrote is
   * one such run, copied at once. Returns the next entry to write.
   */
  rawRun(raw: NonNullable<Encoder["raw"]>, n: number, count: number): number {
    const { bytes, starts, ends } = raw;
    const outSrc = this.outSrc;
    const src = outSrc[n] as number;
    const from = starts[src] as number;
    let to = ends[src] as number;
    let m = n + 1;
    for (; m < count; m++) {
      const next = outSrc[m] as number;
      if (next < 0) break;
      const a = starts[next] as number;
      let len = (ends[next] as number) - a;
      // The bytes between the two entries must be the tag and the length.
      let k = to;
      if (bytes[k++] !== 0x32) break;
      while (len >= 0x80 && bytes[k] === ((len & 0x7f) | 0x80)) {
        k++;
        len >>>= 7;
      }
      if (len >= 0x80 || bytes[k++] !== len || k !== a) break;
      to = ends[next] as number;
    }
    const w = this.w;
    w.uvarint(0x32);
    w.uvarint((ends[src] as number) - from);
    const size = to - from;
    w.ensure(size);
    const buf = w.buf;
    let pos = w.pos;
    if (size > 48) {
      buf.set(bytes.subarray(from, to), pos);
      pos += size;
    } else for (let k = from; k < to; k++) buf[pos++] = bytes[k] as number;
    w.pos = pos;
    return m;
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
    if (isStr) {
      const value = this.str(s.labelStrs[k] as number);
      // Two string indices: at most 12 bytes, a one-byte length.
      const w = this.w;
      w.ensure(14);
      const buf = w.buf;
      let pos = w.pos;
      buf[pos++] = 0x1a;
      const at = pos++;
      if (key !== 0) {
        buf[pos++] = 0x08;
        pos = putHalves(buf, pos, key, 0);
      }
      buf[pos++] = 0x10;
      pos = putHalves(buf, pos, value, 0);
      buf[at] = pos - at - 1;
      w.pos = pos;
      return;
    }
    const num = s.labelNums[k] as number;
    const unit = this.str(s.labelUnits[k] as number);
    if (num >= 0 && num < 0x80000000 && (num | 0) === num && s.exactLabelNums.size === 0) {
      // Three fields of at most 6 bytes: a one-byte length.
      const w = this.w;
      w.ensure(20);
      const buf = w.buf;
      let pos = w.pos;
      buf[pos++] = 0x1a;
      const at = pos++;
      if (key !== 0) {
        buf[pos++] = 0x08;
        pos = putHalves(buf, pos, key, 0);
      }
      if (num !== 0) {
        buf[pos++] = 0x18;
        pos = putHalves(buf, pos, num, 0);
      }
      if (unit !== 0) {
        buf[pos++] = 0x20;
        pos = putHalves(buf, pos, unit, 0);
      }
      buf[at] = pos - at - 1;
      w.pos = pos;
      return;
    }
    const at = this.begin(3);
    if (key !== 0) this.tagVarint(1, key);
    if (num !== 0) {
      this.w.uvarint(3 << 3);
      this.int64(num, s.exactLabelNums.size > 0 ? s.exactLabelNums : undefined, k);
    }
    if (unit !== 0) this.tagVarint(4, unit);
    this.end(at);
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

function noLocation(index: number): PprofError {
  return new PprofError(PprofErrorCode.InvalidArgument, `sample refers to no location ${index}`);
}

/** {@link Encoder.canon} of an entry that is not ASCII. */
const NOT_ASCII = -1;
/** {@link Encoder.canon} of an empty entry. */
const EMPTY = -2;

/**
 * For each of the `n` entries of a decoded table: the first entry with the
 * same bytes when they are ASCII (ASCII bytes are equal exactly when the
 * strings are), {@link NOT_ASCII} or {@link EMPTY}. One pass over the whole
 * table, hashing each entry's bytes, without decoding them.
 */
function dedupe(raw: NonNullable<Encoder["raw"]>, n: number): Int32Array {
  const { bytes, starts, ends } = raw;
  // Little-endian words: one load per four bytes (cheaper than four byte loads).
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const canon = new Int32Array(n);
  const hashes = new Int32Array(n);
  let size = 16;
  while (size < n * 2) size *= 2;
  const slots = new Int32Array(size).fill(-1);
  const mask = size - 1;
  for (let i = 0; i < n; i++) {
    const a = starts[i] as number;
    const b = ends[i] as number;
    if (a === b) {
      canon[i] = EMPTY;
      continue;
    }
    // Four bytes per step (a multiply-xorshift hash), then the tail; `high`
    // collects every byte's top bit for the ASCII check.
    let h = b - a;
    let high = 0;
    let k = a;
    for (; k + 4 <= b; k += 4) {
      const x = view.getInt32(k, true);
      high |= x;
      h = Math.imul(h ^ x, 0x5bd1e995);
      h ^= h >>> 15;
    }
    for (; k < b; k++) {
      const c = bytes[k] as number;
      high |= c;
      h = Math.imul(h ^ c, 0x5bd1e995);
    }
    if ((high & 0x80808080) !== 0) {
      canon[i] = NOT_ASCII;
      continue;
    }
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    const len = b - a;
    let slot = h & mask;
    for (;;) {
      const j = slots[slot] as number;
      if (j === -1) {
        slots[slot] = i;
        hashes[i] = h;
        canon[i] = i;
        break;
      }
      const a2 = starts[j] as number;
      if (hashes[j] === h && (ends[j] as number) - a2 === len) {
        let q = 0;
        while (q < len && bytes[a + q] === bytes[a2 + q]) q++;
        if (q === len) {
          canon[i] = j;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
  }
  return canon;
}

/**
 * Writes the varint of the uint64 with 32-bit halves `lo`, `hi` at `pos`
 * (room for 10 bytes) and returns the position after it.
 */
function putHalves(buf: Uint8Array, pos: number, lo: number, hi: number): number {
  if (hi === 0) {
    let v = lo >>> 0;
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    return pos;
  }
  let l = lo >>> 0;
  let h = hi >>> 0;
  while (h !== 0 || l >= 0x80) {
    buf[pos++] = (l & 0x7f) | 0x80;
    l = ((l >>> 7) | (h << 25)) >>> 0;
    h >>>= 7;
  }
  buf[pos++] = l;
  return pos;
}

/**
 * Writes the length of the body `at + 1..pos` at `at`, where one byte was
 * reserved, shifting the body when the length needs more (the buffer must
 * have room for the extra bytes). Returns the new end of the body.
 */
function patchLength(buf: Uint8Array, at: number, pos: number): number {
  const n = pos - at - 1;
  if (n < 0x80) {
    buf[at] = n;
    return pos;
  }
  let extra = 0;
  for (let x = n >>> 7; x > 0; x >>>= 7) extra++;
  buf.copyWithin(at + 1 + extra, at + 1, pos);
  let x = n;
  while (x >= 0x80) {
    buf[at++] = (x & 0x7f) | 0x80;
    x >>>= 7;
  }
  buf[at] = x;
  return pos + extra;
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

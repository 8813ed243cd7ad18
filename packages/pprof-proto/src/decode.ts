// profile.proto decoder. Field numbers and semantics follow
// github.com/google/pprof/proto/profile.proto and the reference decoder in
// github.com/google/pprof/profile/encode.go (postDecode) and profile.go
// (ParseData, CheckValid), whose validity rules are applied here too.
//
// Two passes over the top-level message: the first records where each
// repeated record lives and reads the scalars; the second decodes functions,
// mappings and locations before samples, so sample location ids resolve to
// dense indices immediately even though Go writes samples first and the
// string table last.

import { PprofError, PprofErrorCode } from "./errors.js";
import { DEFAULT_MAX_DECOMPRESSED_BYTES, gunzip, isGzip } from "./gzip.js";
import {
  type FunctionTable,
  type LocationTable,
  type Mapping,
  Profile,
  type SampleTable,
  type ValueType,
} from "./model.js";
import { StringTable } from "./string-table.js";
import { int64FromHalves, int64ToDouble, Reader, uint64FromHalves, WireType } from "./wire.js";

/** Options for {@link decodeProfile}. */
export interface DecodeOptions {
  /** Cap on the decompressed size of gzip input (default 1 GiB). */
  maxDecompressedBytes?: number;
}

const SAFE = Number.MAX_SAFE_INTEGER;

/** Start/end offsets of repeated records, growing by doubling. */
class Ranges {
  starts = new Uint32Array(16);
  ends = new Uint32Array(16);
  length = 0;
  push(start: number, end: number): void {
    const n = this.length;
    if (n === this.starts.length) this.grow();
    this.starts[n] = start;
    this.ends[n] = end;
    this.length = n + 1;
  }
  grow(): void {
    const s = new Uint32Array(this.length * 2);
    s.set(this.starts);
    this.starts = s;
    const e = new Uint32Array(this.length * 2);
    e.set(this.ends);
    this.ends = e;
  }
}

/**
 * Maps uint64 ids to dense indices: a flat array for ids up to the table
 * size (the common case: Go numbers ids 1..n), a Map for the rest. This is
 * the same split Go's postDecode uses.
 */
class IdIndex {
  readonly dense: Int32Array;
  readonly sparse = new Map<bigint, number>();
  readonly what: string;
  /** True while every id added so far equals its index + 1 (Go numbers ids 1..n in order). */
  sequential = true;
  constructor(count: number, what: string) {
    this.dense = new Int32Array(count + 1).fill(-1);
    this.what = what;
  }
  add(lo: number, hi: number, index: number, offset: number): void {
    if (lo === 0 && hi === 0) {
      throw new PprofError(PprofErrorCode.BadId, `${this.what} with reserved id 0`, { offset });
    }
    if (lo !== index + 1 || hi !== 0) this.sequential = false;
    if (hi === 0 && lo < this.dense.length) {
      if (this.dense[lo] !== -1) throw this.#duplicate(BigInt(lo), offset);
      this.dense[lo] = index;
      return;
    }
    const id = uint64FromHalves(lo, hi);
    if (this.sparse.has(id)) throw this.#duplicate(id, offset);
    this.sparse.set(id, index);
  }
  get(lo: number, hi: number): number {
    if (hi === 0 && lo < this.dense.length) return this.dense[lo] as number;
    return this.sparse.get(uint64FromHalves(lo, hi)) ?? -1;
  }
  #duplicate(id: bigint, offset: number): PprofError {
    return new PprofError(PprofErrorCode.BadId, `several ${this.what}s with id ${id}`, { offset });
  }
}

function mismatch(offset: number, message: string, field: number): PprofError {
  return new PprofError(
    PprofErrorCode.WireTypeMismatch,
    `${message} field ${field} has the wrong wire type`,
    { offset },
  );
}

/**
 * Decodes a profile.proto message, gzip-compressed (detected by magic,
 * multi-member allowed) or raw. The bytes may be given as a `Uint8Array`
 * (a Node `Buffer` included), any other `ArrayBufferView` (its bytes are
 * read) or an `ArrayBuffer`/`SharedArrayBuffer`; any other argument throws
 * {@link PprofError} (`invalid-argument`, offset 0). Throws
 * {@link PprofError} on malformed input. The returned profile keeps a
 * reference to the (decompressed) bytes for its lazily decoded string table.
 */
export function decodeProfile(
  input: ArrayBufferView | ArrayBufferLike,
  options: DecodeOptions = {},
): Profile {
  let bytes = toBytes(input);
  if (isGzip(bytes)) {
    bytes = gunzip(bytes, options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES);
  }
  if (bytes.length === 0) throw new PprofError(PprofErrorCode.Empty, "empty profile");
  return new Decoder(bytes).decode();
}

/**
 * The bytes of `input` as a plain `Uint8Array` (a view, never a copy). A
 * subclass such as `Buffer` is viewed as a plain `Uint8Array` too, so the
 * decoder's loops only ever see one kind of array.
 */
function toBytes(input: unknown): Uint8Array {
  if (input instanceof Uint8Array && input.constructor === Uint8Array) return input;
  if (ArrayBuffer.isView(input)) {
    return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  }
  const tag = Object.prototype.toString.call(input);
  if (tag === "[object ArrayBuffer]" || tag === "[object SharedArrayBuffer]") {
    return new Uint8Array(input as ArrayBufferLike);
  }
  const what =
    input === null ? "null" : typeof input === "object" ? tag.slice(8, -1) : typeof input;
  throw new PprofError(
    PprofErrorCode.InvalidArgument,
    `decodeProfile needs bytes (Uint8Array, ArrayBufferView or ArrayBuffer), got ${what}`,
    { offset: 0 },
  );
}

class Decoder {
  readonly r: Reader;
  readonly buf: Uint8Array;
  readonly p = new Profile();
  strCount = 1;
  locationTable: LocationTable | undefined;
  functionTable: FunctionTable | undefined;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.r = new Reader(buf);
  }

  /** Checks a string-table index given as int64 halves; returns it as a number. */
  str(lo: number, hi: number, at: number): number {
    if (hi !== 0 || lo >= this.strCount) {
      throw new PprofError(
        PprofErrorCode.BadStringIndex,
        `string index ${int64FromHalves(lo, hi)} outside the table of ${this.strCount} entries`,
        { offset: at },
      );
    }
    return lo;
  }

  /** An int64 that must fit a number (line numbers); reports precision loss. */
  smallInt(lo: number, hi: number, at: number): number {
    const v = int64ToDouble(lo, hi);
    if (v > SAFE || v < -SAFE) {
      this.p.addDiagnostic({
        code: "inexact-number",
        message: `${int64FromHalves(lo, hi)} does not fit a double exactly; kept as ${v}`,
        offset: at,
      });
    }
    return v;
  }

  decode(): Profile {
    const r = this.r;
    const p = this.p;
    const end = this.buf.length;
    const samples = new Ranges();
    const mappings = new Ranges();
    const locations = new Ranges();
    const functions = new Ranges();
    const strings = new Ranges();
    // Scalars that index the string table are checked once the table is known.
    const strRefs: { value: [number, number]; at: number; set: (v: number) => void }[] = [];
    const sampleTypes: { vt: [number, number, number, number]; at: number }[] = [];
    let periodType: { vt: [number, number, number, number]; at: number } | undefined;
    const comments: { lo: number; hi: number; at: number }[] = [];

    for (;;) {
      // Records with one-byte tags and lengths of up to two bytes (all of
      // them in what Go writes) are recorded by a tight loop; anything else
      // is read field by field below.
      r.pos = scanRecords(this.buf, r.pos, end, samples, mappings, locations, functions, strings);
      if (r.pos >= end) break;
      const tagAt = r.pos;
      const tag = r.varint(end);
      const field = r.hi * 0x20000000 + (tag >>> 3);
      const wt = tag & 7;
      switch (field) {
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
        case 6:
        case 11: {
          if (wt !== WireType.LengthDelimited) throw mismatch(tagAt, "Profile", field);
          const stop = r.lengthEnd(end);
          const bodyStart = r.pos;
          r.pos = stop;
          if (field === 2) samples.push(bodyStart, stop);
          else if (field === 4) locations.push(bodyStart, stop);
          else if (field === 6) strings.push(bodyStart, stop);
          else if (field === 5) functions.push(bodyStart, stop);
          else if (field === 3) mappings.push(bodyStart, stop);
          else if (field === 1)
            sampleTypes.push({ vt: this.valueType(bodyStart, stop), at: tagAt });
          else periodType = { vt: this.valueType(bodyStart, stop), at: tagAt };
          break;
        }
        case 7:
        case 8:
        case 14:
        case 15: {
          if (wt !== WireType.Varint) throw mismatch(tagAt, "Profile", field);
          const lo = r.varint(end);
          const hi = r.hi;
          const set =
            field === 7
              ? (v: number) => {
                  p.dropFrames = v;
                }
              : field === 8
                ? (v: number) => {
                    p.keepFrames = v;
                  }
                : field === 14
                  ? (v: number) => {
                      p.defaultSampleType = v;
                    }
                  : (v: number) => {
                      p.docUrl = v;
                    };
          strRefs.push({ value: [lo, hi], at: tagAt, set });
          break;
        }
        case 9:
        case 10:
        case 12: {
          if (wt !== WireType.Varint) throw mismatch(tagAt, "Profile", field);
          const lo = r.varint(end);
          const v = int64FromHalves(lo, r.hi);
          if (field === 9) {
            // Go's decoder (profile/encode.go) treats a second time_nanos as
            // the mark of concatenated profiles.
            if (p.timeNanos !== 0n) {
              throw new PprofError(
                PprofErrorCode.ConcatenatedProfiles,
                "concatenated profiles detected (time_nanos appears twice)",
                { offset: tagAt },
              );
            }
            p.timeNanos = v;
          } else if (field === 10) p.durationNanos = v;
          else p.period = v;
          break;
        }
        case 13: {
          if (wt === WireType.Varint) {
            const at = r.pos;
            const lo = r.varint(end);
            comments.push({ lo, hi: r.hi, at });
          } else if (wt === WireType.LengthDelimited) {
            const stop = r.lengthEnd(end);
            while (r.pos < stop) {
              const at = r.pos;
              const lo = r.varint(stop);
              comments.push({ lo, hi: r.hi, at });
            }
          } else throw mismatch(tagAt, "Profile", field);
          break;
        }
        default:
          r.skip(wt, field, end);
      }
    }

    // String table.
    if (strings.length > 0) {
      if (strings.ends[0] !== strings.starts[0]) {
        throw new PprofError(PprofErrorCode.BadStringTable, "string_table[0] must be empty", {
          offset: strings.starts[0] as number,
        });
      }
      this.strCount = strings.length;
      p.strings = StringTable.fromByteRanges(
        this.buf,
        strings.starts,
        strings.ends,
        strings.length,
      );
    }
    for (const ref of strRefs) ref.set(this.str(ref.value[0], ref.value[1], ref.at));
    const vt = (x: { vt: [number, number, number, number]; at: number }): ValueType => ({
      type: this.str(x.vt[0], x.vt[1], x.at),
      unit: this.str(x.vt[2], x.vt[3], x.at),
    });
    p.sampleTypes = sampleTypes.map(vt);
    if (periodType) p.periodType = vt(periodType);
    p.comments = comments.map((c) => this.str(c.lo, c.hi, c.at));

    const fnIndex = this.functions(functions);
    const mapIndex = this.mappings(mappings);
    const locIndex = this.locations(locations, fnIndex, mapIndex);
    p.samples = this.samples(samples, locIndex);
    const out = new Profile({
      strings: p.strings,
      sampleTypes: p.sampleTypes,
      samples: p.samples,
      mappings: p.mappings,
      locationTable: this.locationTable as LocationTable,
      functionTable: this.functionTable as FunctionTable,
      dropFrames: p.dropFrames,
      keepFrames: p.keepFrames,
      timeNanos: p.timeNanos,
      durationNanos: p.durationNanos,
      periodType: p.periodType,
      period: p.period,
      comments: p.comments,
      defaultSampleType: p.defaultSampleType,
      docUrl: p.docUrl,
      diagnostics: p.diagnostics,
    });
    out.diagnosticsDropped = p.diagnosticsDropped;
    return out;
  }

  /** Decodes a ValueType body into [typeLo, typeHi, unitLo, unitHi]. */
  valueType(start: number, end: number): [number, number, number, number] {
    const r = this.r;
    const saved = r.pos;
    r.pos = start;
    const out: [number, number, number, number] = [0, 0, 0, 0];
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.varint(end);
      const field = r.hi * 0x20000000 + (tag >>> 3);
      const wt = tag & 7;
      if (field === 1 || field === 2) {
        if (wt !== WireType.Varint) throw mismatch(tagAt, "ValueType", field);
        const lo = r.varint(end);
        out[field === 1 ? 0 : 2] = lo;
        out[field === 1 ? 1 : 3] = r.hi;
      } else r.skip(wt, field, end);
    }
    r.pos = saved;
    return out;
  }

  functions(ranges: Ranges): IdIndex {
    const r = this.r;
    const buf = this.buf;
    const n = ranges.length;
    const starts = ranges.starts;
    const ends = ranges.ends;
    const index = new IdIndex(n, "function");
    const t: FunctionTable = {
      count: n,
      idLo: new Uint32Array(n),
      idHi: new Uint32Array(n),
      name: new Uint32Array(n),
      systemName: new Uint32Array(n),
      filename: new Uint32Array(n),
      startLine: new Float64Array(n),
    };
    const strCount = this.strCount;
    for (let i = 0; i < n; i++) {
      const start = starts[i] as number;
      const end = ends[i] as number;
      let pos = start;
      let idLo = 0;
      let idHi = 0;
      while (pos < end) {
        const tagAt = pos;
        const tag = buf[pos] as number;
        if (tag === 0x08 || tag === 0x10 || tag === 0x18 || tag === 0x20 || tag === 0x28) {
          // Fields 1-5 as varints, one-byte values read inline.
          pos++;
          let lo: number;
          let hi = 0;
          if (pos < end && (buf[pos] as number) < 0x80) lo = buf[pos++] as number;
          else {
            r.pos = pos;
            lo = r.varint(end);
            hi = r.hi;
            pos = r.pos;
          }
          if (tag === 0x08) {
            idLo = lo;
            idHi = hi;
          } else if (tag === 0x28) t.startLine[i] = hi === 0 ? lo : this.smallInt(lo, hi, tagAt);
          else {
            const si = hi === 0 && lo < strCount ? lo : this.str(lo, hi, tagAt);
            if (tag === 0x10) t.name[i] = si;
            else if (tag === 0x18) t.systemName[i] = si;
            else t.filename[i] = si;
          }
          continue;
        }
        r.pos = pos;
        const tag2 = r.varint(end);
        const field = r.hi * 0x20000000 + (tag2 >>> 3);
        const wt = tag2 & 7;
        if (field >= 1 && field <= 5) {
          if (wt !== WireType.Varint) throw mismatch(tagAt, "Function", field);
          const lo = r.varint(end);
          const hi = r.hi;
          if (field === 1) {
            idLo = lo;
            idHi = hi;
          } else if (field === 2) t.name[i] = this.str(lo, hi, tagAt);
          else if (field === 3) t.systemName[i] = this.str(lo, hi, tagAt);
          else if (field === 4) t.filename[i] = this.str(lo, hi, tagAt);
          else t.startLine[i] = this.smallInt(lo, hi, tagAt);
        } else r.skip(wt, field, end);
        pos = r.pos;
      }
      t.idLo[i] = idLo;
      t.idHi[i] = idHi;
      index.add(idLo, idHi, i, start);
    }
    this.functionTable = t;
    return index;
  }

  mappings(ranges: Ranges): IdIndex {
    const r = this.r;
    const index = new IdIndex(ranges.length, "mapping");
    const out: Mapping[] = new Array(ranges.length);
    for (let i = 0; i < ranges.length; i++) {
      const start = ranges.starts[i] as number;
      const end = ranges.ends[i] as number;
      r.pos = start;
      let idLo = 0;
      let idHi = 0;
      const m: Mapping = {
        id: 0n,
        memoryStart: 0n,
        memoryLimit: 0n,
        fileOffset: 0n,
        filename: 0,
        buildId: 0,
        hasFunctions: false,
        hasFilenames: false,
        hasLineNumbers: false,
        hasInlineFrames: false,
      };
      while (r.pos < end) {
        const tagAt = r.pos;
        const tag = r.varint(end);
        const field = r.hi * 0x20000000 + (tag >>> 3);
        const wt = tag & 7;
        if (field >= 1 && field <= 10) {
          if (wt !== WireType.Varint) throw mismatch(tagAt, "Mapping", field);
          const lo = r.varint(end);
          const hi = r.hi;
          switch (field) {
            case 1:
              idLo = lo;
              idHi = hi;
              break;
            case 2:
              m.memoryStart = uint64FromHalves(lo, hi);
              break;
            case 3:
              m.memoryLimit = uint64FromHalves(lo, hi);
              break;
            case 4:
              m.fileOffset = uint64FromHalves(lo, hi);
              break;
            case 5:
              m.filename = this.str(lo, hi, tagAt);
              break;
            case 6:
              m.buildId = this.str(lo, hi, tagAt);
              break;
            case 7:
              m.hasFunctions = lo !== 0 || hi !== 0;
              break;
            case 8:
              m.hasFilenames = lo !== 0 || hi !== 0;
              break;
            case 9:
              m.hasLineNumbers = lo !== 0 || hi !== 0;
              break;
            default:
              m.hasInlineFrames = lo !== 0 || hi !== 0;
          }
        } else r.skip(wt, field, end);
      }
      m.id = uint64FromHalves(idLo, idHi);
      index.add(idLo, idHi, i, start);
      out[i] = m;
    }
    this.p.mappings = out;
    return index;
  }

  locations(ranges: Ranges, fnIndex: IdIndex, mapIndex: IdIndex): IdIndex {
    const r = this.r;
    const p = this.p;
    const n = ranges.length;
    const starts = ranges.starts;
    const ends = ranges.ends;
    const index = new IdIndex(n, "location");
    const t: LocationTable = {
      count: n,
      idLo: new Uint32Array(n),
      idHi: new Uint32Array(n),
      mapping: new Int32Array(n).fill(-1),
      addressLo: new Uint32Array(n),
      addressHi: new Uint32Array(n),
      isFolded: new Uint8Array(n),
      lineStarts: new Uint32Array(n + 1),
      lineFunction: new Uint32Array(Math.max(16, n)),
      lineLine: new Float64Array(Math.max(16, n)),
      lineColumn: new Float64Array(Math.max(16, n)),
    };
    let nLines = 0;
    const buf = this.buf;
    const fnSeq = fnIndex.sequential;
    const nFn = fnIndex.dense.length - 1;
    for (let i = 0; i < n; i++) {
      const start = starts[i] as number;
      const end = ends[i] as number;
      let pos = start;
      let idLo = 0;
      let idHi = 0;
      let mapLo = 0;
      let mapHi = 0;
      let mapAt = start;
      while (pos < end) {
        const tagAt = pos;
        const tag = buf[pos] as number;
        if (tag === 0x22) {
          // line (field 4, length-delimited), by far the most common field.
          let stop: number;
          const n0 = buf[pos + 1] as number;
          if (pos + 1 < end && n0 < 0x80 && n0 <= end - pos - 2) {
            pos += 2;
            stop = pos + n0;
          } else {
            r.pos = pos + 1;
            stop = r.lengthEnd(end);
            pos = r.pos;
          }
          if (nLines === t.lineFunction.length) {
            const size = nLines * 2;
            const f = new Uint32Array(size);
            f.set(t.lineFunction);
            t.lineFunction = f;
            const l = new Float64Array(size);
            l.set(t.lineLine);
            t.lineLine = l;
            const c = new Float64Array(size);
            c.set(t.lineColumn);
            t.lineColumn = c;
          }
          let fLo = 0;
          let fHi = 0;
          let line = 0;
          let column = 0;
          while (pos < stop) {
            const lAt = pos;
            const ltag = buf[pos] as number;
            if (ltag === 0x08 || ltag === 0x10 || ltag === 0x18) {
              pos++;
              let lo: number;
              let hi = 0;
              if (pos < stop && (buf[pos] as number) < 0x80) lo = buf[pos++] as number;
              else {
                r.pos = pos;
                lo = r.varint(stop);
                hi = r.hi;
                pos = r.pos;
              }
              if (ltag === 0x08) {
                fLo = lo;
                fHi = hi;
              } else if (ltag === 0x10) line = hi === 0 ? lo : this.smallInt(lo, hi, lAt);
              else column = hi === 0 ? lo : this.smallInt(lo, hi, lAt);
              continue;
            }
            r.pos = pos;
            const lt = r.varint(stop);
            const field = r.hi * 0x20000000 + (lt >>> 3);
            const wt = lt & 7;
            if (field >= 1 && field <= 3) {
              if (wt !== WireType.Varint) throw mismatch(lAt, "Line", field);
              const lo = r.varint(stop);
              const hi = r.hi;
              if (field === 1) {
                fLo = lo;
                fHi = hi;
              } else if (field === 2) line = this.smallInt(lo, hi, lAt);
              else column = this.smallInt(lo, hi, lAt);
            } else r.skip(wt, field, stop);
            pos = r.pos;
          }
          let fn: number;
          if (fnSeq && fHi === 0 && (fLo - 1) >>> 0 < nFn) fn = fLo - 1;
          else fn = fLo === 0 && fHi === 0 ? -1 : fnIndex.get(fLo, fHi);
          if (fn === -1) {
            // Go's CheckValid rejects a line without a known function.
            throw new PprofError(
              PprofErrorCode.UnknownId,
              `line refers to undefined function id ${uint64FromHalves(fLo, fHi)}`,
              { offset: tagAt },
            );
          }
          t.lineFunction[nLines] = fn;
          t.lineLine[nLines] = line;
          t.lineColumn[nLines] = column;
          nLines++;
          continue;
        }
        if (tag === 0x08 || tag === 0x10 || tag === 0x18 || tag === 0x28) {
          pos++;
          let lo: number;
          let hi = 0;
          if (pos < end && (buf[pos] as number) < 0x80) lo = buf[pos++] as number;
          else {
            r.pos = pos;
            lo = r.varint(end);
            hi = r.hi;
            pos = r.pos;
          }
          if (tag === 0x08) {
            idLo = lo;
            idHi = hi;
          } else if (tag === 0x10) {
            mapLo = lo;
            mapHi = hi;
            mapAt = tagAt;
          } else if (tag === 0x18) {
            t.addressLo[i] = lo;
            t.addressHi[i] = hi;
          } else t.isFolded[i] = lo !== 0 || hi !== 0 ? 1 : 0;
          continue;
        }
        r.pos = pos;
        const tag2 = r.varint(end);
        const field = r.hi * 0x20000000 + (tag2 >>> 3);
        const wt = tag2 & 7;
        if (field >= 1 && field <= 5) {
          if (wt !== WireType.Varint) throw mismatch(tagAt, "Location", field);
          const lo = r.varint(end);
          const hi = r.hi;
          if (field === 1) {
            idLo = lo;
            idHi = hi;
          } else if (field === 2) {
            mapLo = lo;
            mapHi = hi;
            mapAt = tagAt;
          } else if (field === 3) {
            t.addressLo[i] = lo;
            t.addressHi[i] = hi;
          } else t.isFolded[i] = lo !== 0 || hi !== 0 ? 1 : 0;
        } else r.skip(wt, field, end);
        pos = r.pos;
      }
      t.lineStarts[i + 1] = nLines;
      if (mapLo !== 0 || mapHi !== 0) {
        const m = mapIndex.get(mapLo, mapHi);
        t.mapping[i] = m;
        if (m === -1) {
          // Go's postDecode leaves such a location without a mapping and
          // CheckValid accepts it; keep going but say so.
          p.addDiagnostic({
            code: "unknown-mapping-id",
            message: `location refers to undefined mapping id ${uint64FromHalves(mapLo, mapHi)}`,
            offset: mapAt,
          });
        }
      }
      t.idLo[i] = idLo;
      t.idHi[i] = idHi;
      index.add(idLo, idHi, i, start);
    }
    this.locationTable = t;
    return index;
  }

  samples(ranges: Ranges, locIndex: IdIndex): SampleTable {
    const r = this.r;
    const buf = this.buf;
    const count = ranges.length;
    const valueCount = this.p.sampleTypes.length;
    if (count > 0 && valueCount === 0) {
      throw new PprofError(
        PprofErrorCode.ValueCountMismatch,
        "profile has samples but no sample types",
        { offset: ranges.starts[0] as number },
      );
    }
    // Each value and location id takes at least one byte, so the samples'
    // byte length bounds both: check before allocating from counts that
    // came from the input.
    let totalBytes = 0;
    for (let i = 0; i < count; i++) {
      totalBytes += (ranges.ends[i] as number) - (ranges.starts[i] as number);
    }
    if (count * valueCount > totalBytes) {
      throw new PprofError(
        PprofErrorCode.ValueCountMismatch,
        `${count} samples cannot each hold ${valueCount} values in ${totalBytes} bytes`,
        { offset: ranges.starts[0] as number },
      );
    }
    const values = new Float64Array(count * valueCount);
    const exactValues = new Map<number, bigint>();
    const locationStarts = new Uint32Array(count + 1);
    // Location ids and labels start small and, when full, are resized for
    // all samples at the rate seen so far (plus a margin): one small copy for
    // profiles whose samples look alike, without zeroing memory for the
    // worst case (one id per byte) up front.
    let locs = new Uint32Array(Math.min(totalBytes, 4096));
    let nLocs = 0;
    const labelStarts = new Uint32Array(count + 1);
    let labelKeys = new Uint32Array(16);
    let labelStrs = new Uint32Array(16);
    let labelNums = new Float64Array(16);
    let labelUnits = new Uint32Array(16);
    const exactLabelNums = new Map<number, bigint>();
    let nLabels = 0;
    const dense = locIndex.dense;
    const denseLen = dense.length;
    const seq = locIndex.sequential;
    const nLoc = denseLen - 1;

    const starts = ranges.starts;
    const ends = ranges.ends;
    for (let i = 0; i < count; i++) {
      const start = starts[i] as number;
      const end = ends[i] as number;
      const vBase = i * valueCount;
      let nv = 0;
      let pos = start;
      while (pos < end) {
        const tagAt = pos;
        const tag = buf[pos] as number;
        if (tag === 0x0a || tag === 0x12 || tag === 0x1a) {
          // Packed location ids, packed values or a label, with a one-byte
          // length read inline when it fits.
          let stop: number;
          const n0 = buf[pos + 1] as number;
          if (pos + 1 < end && n0 < 0x80 && n0 <= end - pos - 2) {
            pos += 2;
            stop = pos + n0;
          } else {
            r.pos = pos + 1;
            stop = r.lengthEnd(end);
            pos = r.pos;
          }
          if (tag === 0x0a) {
            if (nLocs + (stop - pos) > locs.length) {
              const next = new Uint32Array(resized(locs.length, nLocs + (stop - pos), i, count));
              next.set(locs.subarray(0, nLocs));
              locs = next;
            }
            for (;;) {
              // Runs of one- and two-byte ids go through a tight loop; an id
              // it cannot take (longer, or not a known id) through the reader.
              nLocs = seq
                ? sequentialIds(buf, pos, stop, locs, nLocs, nLoc)
                : denseIds(buf, pos, stop, locs, nLocs, dense);
              pos = stoppedAt;
              if (pos >= stop) break;
              r.pos = pos;
              locs[nLocs++] = this.locationAt(locIndex, stop);
              pos = r.pos;
            }
          } else if (tag === 0x12) {
            while (pos < stop) {
              if (nv >= valueCount) throw valueMismatch(nv + 1, valueCount, pos);
              const b = buf[pos] as number;
              if (b < 0x80) {
                // One-byte values (0..127) need no BigInt check.
                values[vBase + nv++] = b;
                pos++;
                continue;
              }
              r.pos = pos;
              const lo = r.varint(stop);
              const hi = r.hi;
              if (hi === 0) values[vBase + nv++] = lo;
              else this.value(values, exactValues, vBase + nv++, lo, hi);
              pos = r.pos;
            }
          } else {
            if (nLabels === labelKeys.length) {
              // Most profiles with labels have about as many per sample
              // throughout: size for the remaining samples at this rate.
              const n = resized(nLabels, nLabels + 1, i, count);
              labelKeys = grow32(labelKeys, n);
              labelStrs = grow32(labelStrs, n);
              labelUnits = grow32(labelUnits, n);
              const nums = new Float64Array(n);
              nums.set(labelNums);
              labelNums = nums;
            }
            let key = 0;
            let str = 0;
            let numLo = 0;
            let numHi = 0;
            let unit = 0;
            // Fast path: Go writes key/str/num/unit tags (0x08, 0x10, 0x18,
            // 0x20) with one-byte tags; small values take one byte too.
            while (pos + 1 < stop) {
              const ltag = buf[pos] as number;
              const v = buf[pos + 1] as number;
              if (v >= 0x80 || ltag > 0x20 || (ltag & 7) !== 0 || ltag === 0) break;
              if (ltag === 0x08) key = this.str(v, 0, pos);
              else if (ltag === 0x10) str = this.str(v, 0, pos);
              else if (ltag === 0x18) {
                numLo = v;
                numHi = 0;
              } else unit = this.str(v, 0, pos);
              pos += 2;
            }
            if (pos < stop) {
              r.pos = pos;
              while (r.pos < stop) {
                const lAt = r.pos;
                const ltag = r.varint(stop);
                const field = r.hi * 0x20000000 + (ltag >>> 3);
                const wt = ltag & 7;
                if (field >= 1 && field <= 4) {
                  if (wt !== WireType.Varint) throw mismatch(lAt, "Label", field);
                  const lo = r.varint(stop);
                  const hi = r.hi;
                  if (field === 1) key = this.str(lo, hi, lAt);
                  else if (field === 2) str = this.str(lo, hi, lAt);
                  else if (field === 3) {
                    numLo = lo;
                    numHi = hi;
                  } else unit = this.str(lo, hi, lAt);
                } else r.skip(wt, field, stop);
              }
              pos = r.pos;
            }
            labelKeys[nLabels] = key;
            labelStrs[nLabels] = str;
            labelUnits[nLabels] = unit;
            if (numHi === 0) labelNums[nLabels] = numLo;
            else this.value(labelNums, exactLabelNums, nLabels, numLo, numHi);
            nLabels++;
          }
          pos = stop;
          continue;
        }
        if (tag === 0x10 && nv < valueCount && pos + 1 < end) {
          // An unpacked value (Go packs only more than two), one or two bytes inline.
          const b = buf[pos + 1] as number;
          if (b < 0x80) {
            values[vBase + nv++] = b;
            pos += 2;
            continue;
          }
          r.pos = pos + 1;
          const lo = r.varint(end);
          const hi = r.hi;
          if (hi === 0) values[vBase + nv++] = lo;
          else this.value(values, exactValues, vBase + nv++, lo, hi);
          pos = r.pos;
          continue;
        }
        // Anything else: unpacked ids, unknown fields, errors.
        r.pos = pos;
        const t = r.varint(end);
        switch (r.hi === 0 ? t : -1) {
          case 0x08: {
            if (nLocs === locs.length) {
              const next = new Uint32Array(resized(locs.length, nLocs + 1, i, count));
              next.set(locs);
              locs = next;
            }
            locs[nLocs++] = this.locationAt(locIndex, end);
            break;
          }
          case 0x10: {
            const at = r.pos;
            if (nv >= valueCount) throw valueMismatch(nv + 1, valueCount, at);
            const lo = r.varint(end);
            const hi = r.hi;
            if (hi === 0) values[vBase + nv++] = lo;
            else this.value(values, exactValues, vBase + nv++, lo, hi);
            break;
          }
          default: {
            const field = r.hi * 0x20000000 + (t >>> 3);
            if (field >= 1 && field <= 3) throw mismatch(tagAt, "Sample", field);
            r.skip(t & 7, field, end);
          }
        }
        pos = r.pos;
      }
      if (nv !== valueCount) throw valueMismatch(nv, valueCount, start);
      locationStarts[i + 1] = nLocs;
      labelStarts[i + 1] = nLabels;
    }

    return {
      count,
      valueCount,
      values,
      exactValues,
      locationStarts,
      locations: trim32(locs, nLocs),
      labelStarts,
      labelKeys: trim32(labelKeys, nLabels),
      labelStrs: trim32(labelStrs, nLabels),
      labelNums:
        nLabels < labelNums.length >>> 1
          ? labelNums.slice(0, nLabels)
          : labelNums.subarray(0, nLabels),
      exactLabelNums,
      labelUnits: trim32(labelUnits, nLabels),
    };
  }

  /** Reads a location id at the reader's position (any length) and returns its index. */
  locationAt(locIndex: IdIndex, stop: number): number {
    const r = this.r;
    const at = r.pos;
    const lo = r.varint(stop);
    const li = locIndex.get(lo, r.hi);
    if (li < 0) throw unknownLocation(lo, r.hi, at);
    return li;
  }

  value(out: Float64Array, exact: Map<number, bigint>, k: number, lo: number, hi: number): void {
    const v = (hi | 0) * 4294967296 + lo;
    out[k] = v;
    if (v > SAFE || v < -SAFE) exact.set(k, int64FromHalves(lo, hi));
  }
}

/**
 * Records the offsets of consecutive sample, mapping, location, function and
 * string records from `pos` on, while each has a one-byte tag and a length of
 * one or two bytes that fits before `end`. Returns where it stopped.
 */
function scanRecords(
  buf: Uint8Array,
  pos: number,
  end: number,
  samples: Ranges,
  mappings: Ranges,
  locations: Ranges,
  functions: Ranges,
  strings: Ranges,
): number {
  while (pos + 1 < end) {
    const tag = buf[pos] as number;
    let n = buf[pos + 1] as number;
    let body = pos + 2;
    if (n >= 0x80) {
      if (body >= end) break;
      const b = buf[body] as number;
      if (b >= 0x80) break;
      n = (n & 0x7f) | (b << 7);
      body++;
    }
    if (n > end - body) break;
    const stop = body + n;
    if (tag === 0x12) samples.push(body, stop);
    else if (tag === 0x22) locations.push(body, stop);
    else if (tag === 0x32) strings.push(body, stop);
    else if (tag === 0x2a) functions.push(body, stop);
    else if (tag === 0x1a) mappings.push(body, stop);
    else break;
    pos = stop;
  }
  return pos;
}

/** Where {@link sequentialIds} or {@link denseIds} stopped. */
let stoppedAt = 0;

/**
 * Reads packed location ids from `buf[pos..stop)` into `locs` from `n` on,
 * for ids numbered 1..nLoc in index order (index = id - 1), while each id is
 * one to three bytes and in range. Sets {@link stoppedAt}; returns the new count.
 */
function sequentialIds(
  buf: Uint8Array,
  pos: number,
  stop: number,
  locs: Uint32Array,
  n: number,
  nLoc: number,
): number {
  while (pos < stop) {
    let v = buf[pos] as number;
    let next = pos + 1;
    if (v >= 0x80) {
      // Two or three bytes: ids up to 2^21.
      if (next >= stop) break;
      const b1 = buf[next++] as number;
      v = (v & 0x7f) | ((b1 & 0x7f) << 7);
      if (b1 >= 0x80) {
        if (next >= stop) break;
        const b2 = buf[next++] as number;
        if (b2 >= 0x80) break;
        v |= b2 << 14;
      }
    }
    const li = v - 1;
    if (li >>> 0 >= nLoc) break;
    locs[n++] = li;
    pos = next;
  }
  stoppedAt = pos;
  return n;
}

/** {@link sequentialIds} for any numbering, through the dense id index. */
function denseIds(
  buf: Uint8Array,
  pos: number,
  stop: number,
  locs: Uint32Array,
  n: number,
  dense: Int32Array,
): number {
  const denseLen = dense.length;
  while (pos < stop) {
    let v = buf[pos] as number;
    let next = pos + 1;
    if (v >= 0x80) {
      if (next >= stop) break;
      const b1 = buf[next++] as number;
      v = (v & 0x7f) | ((b1 & 0x7f) << 7);
      if (b1 >= 0x80) {
        if (next >= stop) break;
        const b2 = buf[next++] as number;
        if (b2 >= 0x80) break;
        v |= b2 << 14;
      }
    }
    if (v >= denseLen) break;
    const li = dense[v] as number;
    if (li < 0) break;
    locs[n++] = li;
    pos = next;
  }
  stoppedAt = pos;
  return n;
}

/**
 * New capacity for a column that is full at sample `i` of `count` and needs
 * room for `need` entries: the need extrapolated to all samples plus 1/8,
 * and at least 1.5 times the old capacity so growth stays amortised.
 */
function resized(capacity: number, need: number, i: number, count: number): number {
  const estimate = Math.ceil(((need / (i + 1)) * count * 9) / 8) + 64;
  return Math.max(need, Math.ceil(capacity * 1.5) + 16, estimate);
}

function grow32(a: Uint32Array<ArrayBuffer>, n: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}

/** Shrinks when more than half would be wasted; otherwise returns a view. */
function trim32(a: Uint32Array<ArrayBuffer>, n: number): Uint32Array<ArrayBuffer> {
  return n < a.length >>> 1 ? a.slice(0, n) : a.subarray(0, n);
}

function unknownLocation(lo: number, hi: number, at: number): PprofError {
  return new PprofError(
    PprofErrorCode.UnknownId,
    `sample refers to undefined location id ${uint64FromHalves(lo, hi)}`,
    { offset: at },
  );
}

function valueMismatch(n: number, expected: number, at: number): PprofError {
  return new PprofError(
    PprofErrorCode.ValueCountMismatch,
    `sample has ${n} values, profile has ${expected} sample types`,
    { offset: at },
  );
}

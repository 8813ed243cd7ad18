// Merge and compact, following the keying rules of google/pprof's
// profile/merge.go (Merge, profileMerger, Location.key, Mapping.key,
// Function.key, combineHeaders, compatible). The code is our own; the rules
// are Go's:
//
// - mappings are the same when (size rounded up to 4 KiB, file offset, build
//   id or else file name) agree; addresses of a later profile are shifted by
//   the start difference (address-space randomisation);
// - functions are the same when (start line, name, system name, file) agree;
// - locations are the same when (address relative to the mapping start,
//   merged mapping, lines as (merged function, line, column), folded) agree;
// - samples are the same when their merged location lists and their labels
//   (string labels by sorted key, numeric ones with units) agree; their
//   values are added;
// - all-zero samples are dropped, and the result is compacted again when a
//   merged sample sums to zero (so unreferenced entries disappear).
//
// One deliberate difference: Go's Location.key writes line i at slots
// 2i..2i+2 of a 3n array, so with several lines the first line's column is
// overwritten. We key on every (function, line, column) — the same result
// except for locations that differ only in that column.

import { compareUtf8 } from "../encode.js";
import { PprofError, PprofErrorCode } from "../errors.js";
import {
  type Location,
  type Mapping,
  Profile,
  type ProfileFunction,
  type SampleTable,
  type ValueType,
} from "../model.js";
import { StringTable } from "../string-table.js";
import { exactAt, isZeroSample, PairTable, SampleSink } from "./internal.js";

/**
 * Merges profiles into a new, compacted profile (google/pprof `profile.Merge`).
 *
 * All profiles must have the same sample types and period type (compared by
 * their strings), otherwise a `PprofError` with code `invalid-argument` is
 * thrown. Header fields combine as in Go: `period` is the largest,
 * `durationNanos` the sum, `timeNanos` the smallest (Go's loop keeps a later
 * zero too), comments are de-duplicated, `defaultSampleType`/`docUrl` come
 * from the first profile that has one, everything else from the first
 * profile. Samples with identical stacks and labels are summed (int64
 * wrap-around, exact beyond 2^53); all-zero samples are dropped. Mappings,
 * locations and functions get fresh ids 1, 2, 3, ... in first-use order.
 * Inputs are not modified.
 */
export function mergeProfiles(profiles: readonly Profile[]): Profile {
  const first = profiles[0];
  if (first === undefined) {
    throw new PprofError(PprofErrorCode.InvalidArgument, "no profiles to merge");
  }
  for (const p of profiles.slice(1)) checkCompatible(first, p);
  const m = new Merger(first, profiles);
  for (const p of profiles) m.add(p);
  const out = m.finish();
  // A merged sample whose values summed to zero: merge again to drop it and
  // everything only it referenced (Go does the same).
  for (let i = 0; i < out.samples.count; i++) {
    if (isZeroSample(out.samples, i)) return mergeProfiles([out]);
  }
  return out;
}

/**
 * Removes unreferenced mappings, locations and functions and all-zero
 * samples, and merges samples with identical stacks and labels
 * (google/pprof `Profile.Compact`, which is `Merge` of one profile).
 */
export function compactProfile(p: Profile): Profile {
  return mergeProfiles([p]);
}

/**
 * Throws unless `a` and `b` have the same period type and sample types
 * (google/pprof `Profile.compatible`).
 */
export function checkCompatible(a: Profile, b: Profile): void {
  const vt = (p: Profile, t: ValueType | undefined) =>
    t ? `${p.string(t.type)}/${p.string(t.unit)}` : "/";
  if (vt(a, a.periodType) !== vt(b, b.periodType)) {
    throw new PprofError(
      PprofErrorCode.InvalidArgument,
      `incompatible period types ${vt(a, a.periodType)} and ${vt(b, b.periodType)}`,
    );
  }
  const sa = a.sampleTypes.map((t) => vt(a, t)).join(" ");
  const sb = b.sampleTypes.map((t) => vt(b, t)).join(" ");
  if (sa !== sb) {
    throw new PprofError(
      PprofErrorCode.InvalidArgument,
      `incompatible sample types [${sa}] and [${sb}]`,
    );
  }
}

const U64 = (v: bigint) => BigInt.asUintN(64, v);
const I64 = (v: bigint) => BigInt.asIntN(64, v);

class Merger {
  readonly strings: string[] = [""];
  readonly stringIndex = new Map<string, number>([["", 0]]);
  readonly mappings: Mapping[] = [];
  readonly mappingKeys = new Map<string, number>();
  readonly functions: ProfileFunction[] = [];
  readonly functionKeys = new Map<string, number>();
  readonly locations: Location[] = [];
  readonly locationKeys = new Map<string, number>();
  /** (stack hash, label set) -> last merged sample with them; `chain` links the earlier ones. */
  readonly samplesByKey: PairTable;
  chain = new Int32Array(16);
  /** Canonical label sets; id 0 is the empty set. */
  readonly labelSets: OutLabel[][] = [[]];
  readonly labelSetIds = new Map<string, number>([["", 0]]);
  /** Single string label (key, value) -> label-set id. */
  readonly oneStrLabel = new PairTable();
  /** Single numeric label: (key, unit) -> slot, then (slot, int32 value) -> label-set id. */
  readonly oneNumSlot = new PairTable();
  readonly oneNumLabel = new PairTable();
  readonly sink: SampleSink;
  readonly header: Profile;

  // Per-source memo tables, indexed by the source's dense indices.
  src!: Profile;
  mapOut = new Int32Array(0);
  mapOffset: bigint[] = [];
  fnOut = new Int32Array(0);
  locOut = new Int32Array(0);
  strOut = new Int32Array(0);

  constructor(first: Profile, all: readonly Profile[]) {
    let total = 0;
    for (const p of all) total += p.samples.count;
    this.sink = new SampleSink(first.samples.valueCount, Math.min(total, 1 << 16));
    this.samplesByKey = new PairTable(Math.min(total, 1 << 20));
    this.header = this.combineHeaders(first, all);
  }

  str(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  combineHeaders(first: Profile, all: readonly Profile[]): Profile {
    let timeNanos = 0n;
    let durationNanos = 0n;
    let period = 0n;
    const comments: number[] = [];
    const seen = new Set<string>();
    let defaultSampleType = "";
    let docUrl = "";
    for (const s of all) {
      if (timeNanos === 0n || s.timeNanos < timeNanos) timeNanos = s.timeNanos;
      durationNanos = I64(durationNanos + s.durationNanos);
      if (period === 0n || period < s.period) period = s.period;
      for (const c of s.comments) {
        const text = s.string(c);
        if (!seen.has(text)) {
          seen.add(text);
          comments.push(this.str(text));
        }
      }
      if (defaultSampleType === "") defaultSampleType = s.string(s.defaultSampleType);
      if (docUrl === "") docUrl = s.string(s.docUrl);
    }
    const vt = (t: ValueType): ValueType => ({
      type: this.str(first.string(t.type)),
      unit: this.str(first.string(t.unit)),
    });
    return new Profile({
      sampleTypes: first.sampleTypes.map(vt),
      dropFrames: this.str(first.string(first.dropFrames)),
      keepFrames: this.str(first.string(first.keepFrames)),
      timeNanos,
      durationNanos,
      periodType: first.periodType ? vt(first.periodType) : undefined,
      period,
      comments,
      defaultSampleType: this.str(defaultSampleType),
      docUrl: this.str(docUrl),
    });
  }

  add(src: Profile): void {
    this.src = src;
    this.mapOut = new Int32Array(src.mappings.length).fill(-1);
    this.mapOffset = new Array<bigint>(src.mappings.length).fill(0n);
    this.fnOut = new Int32Array(src.functions.length).fill(-1);
    this.locOut = new Int32Array(src.locations.length).fill(-1);
    this.strOut = new Int32Array(src.strings.length).fill(-1);
    // The first mapping conventionally is the main binary: keep it first.
    if (this.mappings.length === 0 && src.mappings.length > 0) this.mapMapping(0);
    const s = src.samples;
    const vc = s.valueCount;
    let outLocs = new Int32Array(64);
    for (let i = 0; i < s.count; i++) {
      if (isZeroSample(s, i)) continue;
      // The sample key is (merged stack, label-set id); label sets are
      // interned by their canonical form.
      const from = s.locationStarts[i] as number;
      const depth = (s.locationStarts[i + 1] as number) - from;
      if (depth > outLocs.length) outLocs = new Int32Array(depth * 2);
      // Hash the merged stack in one pass; equal hashes are confirmed by
      // comparing with the stored sample (chained per hash).
      let h = depth;
      for (let n = 0; n < depth; n++) {
        const li = this.mapLocation(s.locations[from + n] as number);
        outLocs[n] = li;
        h = Math.imul(h ^ li, 0x9e3779b1) + n;
      }
      h = (h ^ (h >>> 16)) >>> 1;
      const labelSet =
        (s.labelStarts[i] as number) === (s.labelStarts[i + 1] as number) ? 0 : this.labelSet(s, i);
      const existing = this.findSample(h, labelSet, outLocs, depth);
      if (existing >= 0) {
        for (let j = 0; j < vc; j++) {
          const k = i * vc + j;
          this.sink.addValue(existing, j, s.values[k] as number, exactAt(s, k));
        }
        continue;
      }
      const out = this.sink.begin();
      for (let j = 0; j < vc; j++) {
        const k = i * vc + j;
        this.sink.setValue(out, j, s.values[k] as number, exactAt(s, k));
      }
      for (let n = 0; n < depth; n++) this.sink.pushLocation(outLocs[n] as number);
      for (const l of this.labelSets[labelSet] as OutLabel[]) {
        this.sink.pushLabel(l.key, l.str, l.num, l.exact, l.unit);
      }
      this.sink.end();
      this.setSample(h, labelSet, out);
    }
  }

  /** Source string index -> merged string index. */
  so(i: number): number {
    let o = this.strOut[i] as number;
    if (o < 0) {
      o = this.str(this.src.string(i));
      this.strOut[i] = o;
    }
    return o;
  }

  /** The merged sample with this stack and label set, or -1. */
  findSample(hash: number, labelSet: number, locs: Int32Array, depth: number): number {
    const sink = this.sink;
    const starts = sink.locationStarts.data;
    const all = sink.locations.data;
    for (let c = this.samplesByKey.get(hash, labelSet); c >= 0; c = this.chain[c] as number) {
      const from = starts[c] as number;
      if ((starts[c + 1] as number) - from !== depth) continue;
      let same = true;
      for (let n = 0; n < depth; n++) {
        if (all[from + n] !== locs[n]) {
          same = false;
          break;
        }
      }
      if (same) return c;
    }
    return -1;
  }

  setSample(hash: number, labelSet: number, out: number): void {
    if (out >= this.chain.length) {
      const next = new Int32Array(this.chain.length * 2);
      next.set(this.chain);
      this.chain = next;
    }
    this.chain[out] = this.samplesByKey.get(hash, labelSet);
    this.samplesByKey.set(hash, labelSet, out);
  }

  /**
   * Id of the canonical label set of sample `i` (profileMerger.sampleKey's
   * label part): labels as Go's decoder groups them, string keys sorted, then
   * numeric keys sorted, values in order. Labels with neither a string nor a
   * number nor a unit are dropped, as Go's postDecode does.
   */
  labelSet(s: SampleTable, i: number): number {
    const start = s.labelStarts[i] as number;
    const end = s.labelStarts[i + 1] as number;
    if (end - start === 1) {
      // One label (the common case, e.g. Go's heap "bytes"): integer-keyed caches.
      const str = s.labelStrs[start] as number;
      const num = s.labelNums[start] as number;
      const unit = s.labelUnits[start] as number;
      if (str !== 0) {
        const key = this.so(s.labelKeys[start] as number);
        const strOut = this.so(str);
        let id = this.oneStrLabel.get(key, strOut);
        if (id < 0) {
          id = this.internLabelSet([{ key, str: strOut, num: 0, exact: undefined, unit: 0 }]);
          this.oneStrLabel.set(key, strOut, id);
        }
        return id;
      }
      if ((num | 0) === num && (num !== 0 || unit !== 0)) {
        const key = this.so(s.labelKeys[start] as number);
        const unitOut = this.so(unit);
        let slot = this.oneNumSlot.get(key, unitOut);
        if (slot < 0) {
          slot = this.oneNumSlot.size;
          this.oneNumSlot.set(key, unitOut, slot);
        }
        let id = this.oneNumLabel.get(slot, num);
        if (id < 0) {
          id = this.internLabelSet([{ key, str: 0, num, exact: undefined, unit: unitOut }]);
          this.oneNumLabel.set(slot, num, id);
        }
        return id;
      }
    }
    const list: OutLabel[] = [];
    for (let n = start; n < end; n++) {
      const str = s.labelStrs[n] as number;
      const num = s.labelNums[n] as number;
      const unit = s.labelUnits[n] as number;
      if (str === 0 && num === 0 && unit === 0) continue;
      const key = this.so(s.labelKeys[n] as number);
      list.push(
        str !== 0
          ? { key, str: this.so(str), num: 0, exact: undefined, unit: 0 }
          : { key, str: 0, num, exact: s.exactLabelNums.get(n), unit: this.so(unit) },
      );
    }
    if (list.length > 1) {
      // Stable: values of one key keep their order.
      list.sort(
        (a, b) =>
          (a.str === 0 ? 1 : 0) - (b.str === 0 ? 1 : 0) ||
          compareUtf8(this.strings[a.key] as string, this.strings[b.key] as string),
      );
    }
    return this.internLabelSet(list);
  }

  /** Id of a canonical label list. */
  internLabelSet(list: OutLabel[]): number {
    let key = "";
    for (const l of list) key += `${l.key}:${l.str}:${l.exact ?? l.num}:${l.unit};`;
    let id = this.labelSetIds.get(key);
    if (id === undefined) {
      id = this.labelSets.length;
      this.labelSets.push(list);
      this.labelSetIds.set(key, id);
    }
    return id;
  }

  mapMapping(mi: number): number {
    const done = this.mapOut[mi] as number;
    if (done >= 0) return done;
    const src = this.src;
    const m = src.mappings[mi] as Mapping;
    let size = U64(m.memoryLimit - m.memoryStart);
    size = U64(size + 0xfffn);
    size -= size % 0x1000n;
    const buildId = src.string(m.buildId);
    const file = src.string(m.filename);
    const key = `${size}/${m.fileOffset}/${buildId !== "" ? buildId : file}`;
    const found = this.mappingKeys.get(key);
    if (found !== undefined) {
      const fm = this.mappings[found] as Mapping;
      this.mapOut[mi] = found;
      this.mapOffset[mi] = I64(I64(fm.memoryStart) - I64(m.memoryStart));
      return found;
    }
    const out = this.mappings.length;
    this.mappings.push({
      id: BigInt(out + 1),
      memoryStart: m.memoryStart,
      memoryLimit: m.memoryLimit,
      fileOffset: m.fileOffset,
      filename: this.str(file),
      buildId: this.str(buildId),
      hasFunctions: m.hasFunctions,
      hasFilenames: m.hasFilenames,
      hasLineNumbers: m.hasLineNumbers,
      hasInlineFrames: m.hasInlineFrames,
    });
    this.mappingKeys.set(key, out);
    this.mapOut[mi] = out;
    this.mapOffset[mi] = 0n;
    return out;
  }

  mapFunction(fi: number): number {
    const done = this.fnOut[fi] as number;
    if (done >= 0) return done;
    const src = this.src;
    const f = src.functions[fi] as ProfileFunction;
    const name = src.string(f.name);
    const systemName = src.string(f.systemName);
    const filename = src.string(f.filename);
    const key = `${f.startLine}\u0000${name}\u0000${systemName}\u0000${filename}`;
    let out = this.functionKeys.get(key);
    if (out === undefined) {
      out = this.functions.length;
      this.functions.push({
        id: BigInt(out + 1),
        name: this.str(name),
        systemName: this.str(systemName),
        filename: this.str(filename),
        startLine: f.startLine,
      });
      this.functionKeys.set(key, out);
    }
    this.fnOut[fi] = out;
    return out;
  }

  mapLocation(li: number): number {
    const done = this.locOut[li] as number;
    if (done >= 0) return done;
    const loc = this.src.locations[li] as Location;
    let mapping = -1;
    let address = loc.address;
    if (loc.mapping >= 0) {
      mapping = this.mapMapping(loc.mapping);
      address = U64(address + (this.mapOffset[loc.mapping] as bigint));
    }
    const lines = loc.lines.map((ln) => ({
      function: ln.function >= 0 ? this.mapFunction(ln.function) : -1,
      line: ln.line,
      column: ln.column,
    }));
    // Address relative to the mapping start, so randomised load addresses agree.
    let key =
      mapping >= 0
        ? `${U64(address - (this.mappings[mapping] as Mapping).memoryStart)}/${mapping}`
        : `${address}/-`;
    key += loc.isFolded ? "/f" : "/-";
    for (const ln of lines) key += `/${ln.function}:${ln.line}:${ln.column}`;
    let out = this.locationKeys.get(key);
    if (out === undefined) {
      out = this.locations.length;
      this.locations.push({ id: BigInt(out + 1), mapping, address, lines, isFolded: loc.isFolded });
      this.locationKeys.set(key, out);
    }
    this.locOut[li] = out;
    return out;
  }

  finish(): Profile {
    const p = this.header;
    p.strings = StringTable.fromStrings(this.strings);
    p.mappings = this.mappings;
    p.functions = this.functions;
    p.locations = this.locations;
    p.samples = this.sink.table();
    return p;
  }
}

/** A label in merged string indices. */
interface OutLabel {
  key: number;
  str: number;
  num: number;
  exact: bigint | undefined;
  unit: number;
}

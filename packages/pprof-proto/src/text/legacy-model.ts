// The intermediate profile the text and legacy parsers build, and the
// post-processing google/pprof applies before handing such a profile out
// (profile/legacy_profile.go: remapLocationIDs, remapFunctionIDs,
// remapMappingIDs, addLegacyFrameInfo; profile/profile.go: massageMappings,
// Aggregate). Objects reference each other directly, as in Go, because those
// steps rely on object identity (two locations with equal contents stay two
// locations); `toProfile` turns the result into the package's model.

import { PprofError, PprofErrorCode } from "../errors.js";
import {
  type Diagnostic,
  emptySampleTable,
  type Line,
  type Location,
  MAX_DIAGNOSTICS,
  type Mapping,
  Profile,
  type ProfileFunction,
  type SampleTable,
} from "../model.js";
import { StringTable } from "../string-table.js";

/** A mapping under construction. */
export interface LMapping {
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

/** A function under construction. */
export interface LFunction {
  name: string;
  systemName: string;
  filename: string;
}

/** One line of a location under construction. */
export interface LLine {
  fn: LFunction;
  line: number;
}

/** A location under construction. */
export interface LLocation {
  address: bigint;
  mapping: LMapping | undefined;
  lines: LLine[];
}

/** A sample under construction. */
export interface LSample {
  values: bigint[];
  locations: LLocation[];
  labels: [string, string][];
  numLabels: [string, bigint][];
}

/** A profile under construction. */
export interface LProfile {
  sampleTypes: [string, string][];
  periodType: [string, string] | undefined;
  period: bigint;
  durationNanos: bigint;
  samples: LSample[];
  locations: LLocation[];
  functions: LFunction[];
  mappings: LMapping[];
  dropFrames: string;
  keepFrames: string;
  comments: string[];
  diagnostics: Diagnostic[];
}

const U64 = (1n << 64n) - 1n;

/** `a - 1` in uint64 arithmetic (Go's `addr--` wraps 0 to 2^64-1). */
export function decAddress(a: bigint): bigint {
  return (a - 1n) & U64;
}

/** A new empty profile under construction. */
export function newLProfile(sampleTypes: [string, string][]): LProfile {
  return {
    sampleTypes,
    periodType: undefined,
    period: 0n,
    durationNanos: 0n,
    samples: [],
    locations: [],
    functions: [],
    mappings: [],
    dropFrames: "",
    keepFrames: "",
    comments: [],
    diagnostics: [],
  };
}

/** Records a diagnostic, keeping at most {@link MAX_DIAGNOSTICS}. */
export function diagnose(p: LProfile, code: string, message: string, line?: number): void {
  if (p.diagnostics.length >= MAX_DIAGNOSTICS) return;
  p.diagnostics.push(
    line !== undefined ? { code, message: `${message} (line ${line})` } : { code, message },
  );
}

/** Interning of locations by address, as every legacy parser keeps a `map[uint64]*Location`. */
export class LocationsByAddress {
  readonly map = new Map<bigint, LLocation>();
  readonly p: LProfile;
  constructor(p: LProfile) {
    this.p = p;
  }
  get(address: bigint): LLocation {
    let loc = this.map.get(address);
    if (!loc) {
      loc = { address, mapping: undefined, lines: [] };
      this.map.set(address, loc);
      this.p.locations.push(loc);
    }
    return loc;
  }
}

/** remapLocationIDs: keep exactly the locations samples use, in first-use order. */
export function remapLocations(p: LProfile): void {
  const seen = new Set<LLocation>();
  const locs: LLocation[] = [];
  for (const s of p.samples) {
    for (const l of s.locations) {
      if (seen.has(l)) continue;
      seen.add(l);
      locs.push(l);
    }
  }
  p.locations = locs;
}

/** remapFunctionIDs: keep exactly the functions locations use, in first-use order. */
export function remapFunctions(p: LProfile): void {
  const seen = new Set<LFunction>();
  const fns: LFunction[] = [];
  for (const l of p.locations) {
    for (const ln of l.lines) {
      if (seen.has(ln.fn)) continue;
      seen.add(ln.fn);
      fns.push(ln.fn);
    }
  }
  p.functions = fns;
}

const LIB_RX = /([.]so$|[.]so[._][0-9]+)/;

function adjacent(m1: LMapping, m2: LMapping): boolean {
  if (m1.file !== "" && m2.file !== "" && m1.file !== m2.file) return false;
  if (m1.buildId !== "" && m2.buildId !== "" && m1.buildId !== m2.buildId) return false;
  if (m1.limit !== m2.start) return false;
  if (m1.offset !== 0n && m2.offset !== 0n) {
    const offset = (m1.offset + (m1.limit - m1.start)) & U64;
    if (offset !== m2.offset) return false;
  }
  return true;
}

/** massageMappings (profile.go): merge split mappings, move the main binary first. */
export function massageMappings(p: LProfile): void {
  if (p.mappings.length > 1) {
    const first = p.mappings[0] as LMapping;
    const mappings: LMapping[] = [first];
    for (const m of p.mappings.slice(1)) {
      const lm = mappings[mappings.length - 1] as LMapping;
      if (adjacent(lm, m)) {
        lm.limit = m.limit;
        if (m.file !== "") lm.file = m.file;
        if (m.buildId !== "") lm.buildId = m.buildId;
        for (const l of p.locations) if (l.mapping === m) l.mapping = lm;
        continue;
      }
      mappings.push(m);
    }
    p.mappings = mappings;
  }
  for (let i = 0; i < p.mappings.length; i++) {
    const m = p.mappings[i] as LMapping;
    const file = m.file.replaceAll("(deleted)", "").trim();
    if (file.length === 0 || LIB_RX.test(file) || file[0] === "[") continue;
    p.mappings[i] = p.mappings[0] as LMapping;
    p.mappings[0] = m;
    break;
  }
}

/** remapMappingIDs: attach each location to the mapping holding its address, or to a fake one. */
export function remapMappings(p: LProfile): void {
  if (p.mappings.length > 0) {
    const m = p.mappings[0] as LMapping;
    if (m.file.startsWith("/anon_hugepage") && p.mappings.length > 1) {
      if (m.limit === (p.mappings[1] as LMapping).start) p.mappings = p.mappings.slice(1);
    }
  }
  if (p.mappings.length > 0) {
    const expectedStart = 0x400000n;
    const m = p.mappings[0] as LMapping;
    if (((m.start - m.offset) & U64) === expectedStart) {
      m.start = expectedStart;
      m.offset = 0n;
    }
  }
  let fake: LMapping | undefined;
  next: for (const l of p.locations) {
    const a = l.address;
    if (l.mapping !== undefined || a === 0n) continue;
    for (const m of p.mappings) {
      if (m.start <= a && a < m.limit) {
        l.mapping = m;
        continue next;
      }
    }
    // Legacy handlers sometimes failed to encode the first part of a mapping
    // split into adjacent ranges.
    for (const m of p.mappings) {
      if (m.offset !== 0n && ((m.start - m.offset) & U64) <= a && a < m.start) {
        m.start = (m.start - m.offset) & U64;
        m.offset = 0n;
        l.mapping = m;
        continue next;
      }
    }
    // Go's legacy handlers wrote no mappings at all: invent one covering everything.
    if (!fake) {
      fake = newMapping(0n, U64);
      p.mappings.push(fake);
    }
    l.mapping = fake;
  }
}

/** A mapping with the given range and everything else empty. */
export function newMapping(start: bigint, limit: bigint): LMapping {
  return {
    start,
    limit,
    offset: 0n,
    file: "",
    buildId: "",
    hasFunctions: false,
    hasFilenames: false,
    hasLineNumbers: false,
    hasInlineFrames: false,
  };
}

/** The remapping steps ParseMemoryMapFromScanner runs after appending `mappings`. */
export function finishWithMappings(p: LProfile, mappings: LMapping[]): void {
  p.mappings.push(...mappings);
  massageMappings(p);
  remapLocations(p);
  remapFunctions(p);
  remapMappings(p);
}

/** The profile's sample type names. */
function typeNames(p: LProfile): string[] {
  return p.sampleTypes.map((t) => t[0]);
}

const HEAPZ_TYPES = [
  ["allocations", "size"],
  ["objects", "space"],
  ["inuse_objects", "inuse_space"],
  ["alloc_objects", "alloc_space"],
  ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"],
];
const CONTENTIONZ_TYPES = [["contentions", "delay"]];

function isProfileType(p: LProfile, types: string[][]): boolean {
  const st = typeNames(p);
  return types.some((t) => t.length === st.length && t.every((x, i) => x === st[i]));
}

// The drop/keep regexps legacy_profile.go attaches (allocRxStr, allocSkipRxStr,
// lockRxStr, cpuProfilerRxStr): frames of allocators, lock implementations and
// profiler signal handlers.
const ALLOC_RX = [
  "calloc",
  "cfree",
  "malloc",
  "free",
  "memalign",
  "do_memalign",
  "(__)?posix_memalign",
  "pvalloc",
  "valloc",
  "realloc",
  "tcmalloc::.*",
  "tc_calloc",
  "tc_cfree",
  "tc_malloc",
  "tc_free",
  "tc_memalign",
  "tc_posix_memalign",
  "tc_pvalloc",
  "tc_valloc",
  "tc_realloc",
  "tc_new",
  "tc_delete",
  "tc_newarray",
  "tc_deletearray",
  "tc_new_nothrow",
  "tc_newarray_nothrow",
  "malloc_zone_malloc",
  "malloc_zone_calloc",
  "malloc_zone_valloc",
  "malloc_zone_realloc",
  "malloc_zone_memalign",
  "malloc_zone_free",
  "runtime\\..*",
  "BaseArena::.*",
  "(::)?do_malloc_no_errno",
  "(::)?do_malloc_pages",
  "(::)?do_malloc",
  "DoSampledAllocation",
  "MallocedMemBlock::MallocedMemBlock",
  "_M_allocate",
  "__builtin_(vec_)?delete",
  "__builtin_(vec_)?new",
  "__gnu_cxx::new_allocator::allocate",
  "__libc_malloc",
  "__malloc_alloc_template::allocate",
  "allocate",
  "cpp_alloc",
  "operator new(\\[\\])?",
  "simple_alloc::allocate",
].join("|");
const ALLOC_SKIP_RX = ["runtime\\.panic", "runtime\\.reflectcall", "runtime\\.call[0-9]*"].join(
  "|",
);
const CPU_PROFILER_RX = [
  "ProfileData::Add",
  "ProfileData::prof_handler",
  "CpuProfiler::prof_handler",
  "__pthread_sighandler",
  "__restore",
].join("|");
const LOCK_RX = [
  "RecordLockProfileData",
  "(base::)?RecordLockProfileData.*",
  "(base::)?SubmitMutexProfileData.*",
  "(base::)?SubmitSpinLockProfileData.*",
  "(base::Mutex::)?AwaitCommon.*",
  "(base::Mutex::)?Unlock.*",
  "(base::Mutex::)?UnlockSlow.*",
  "(base::Mutex::)?ReaderUnlock.*",
  "(base::MutexLock::)?~MutexLock.*",
  "(Mutex::)?AwaitCommon.*",
  "(Mutex::)?Unlock.*",
  "(Mutex::)?UnlockSlow.*",
  "(Mutex::)?ReaderUnlock.*",
  "(MutexLock::)?~MutexLock.*",
  "(SpinLock::)?Unlock.*",
  "(SpinLock::)?SlowUnlock.*",
  "(SpinLockHolder::)?~SpinLockHolder.*",
].join("|");

/** addLegacyFrameInfo: drop/keep frame regexps by profile kind. */
export function addLegacyFrameInfo(p: LProfile): void {
  if (isProfileType(p, HEAPZ_TYPES)) {
    p.dropFrames = ALLOC_RX;
    p.keepFrames = ALLOC_SKIP_RX;
  } else if (isProfileType(p, CONTENTIONZ_TYPES)) {
    p.dropFrames = LOCK_RX;
    p.keepFrames = "";
  } else {
    p.dropFrames = CPU_PROFILER_RX;
    p.keepFrames = "";
  }
}

/** Removes a leaf duplicated by the signal handler (cleanupDuplicateLocations). */
export function cleanupDuplicateLocations(p: LProfile): void {
  for (const s of p.samples) {
    const l = s.locations;
    if (
      l.length > 1 &&
      (l[0] as LLocation).address === (((l[1] as LLocation).address + 1n) & U64)
    ) {
      l.splice(1, 1);
    }
  }
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Wraps a bigint into int64 the way Go's fixed-width arithmetic would. */
export function toInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** Parses a decimal integer that must fit int64 (strconv.ParseInt(s, 10, 64)). */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** Parses an unsigned integer in base 16 without prefix that must fit uint64. */
export function parseHexU64(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F]+$/.test(s)) return undefined;
  const v = BigInt(`0x${s}`);
  return v > U64 ? undefined : v;
}

/** Converts the profile under construction to the package's {@link Profile}. */
export function toProfile(p: LProfile): Profile {
  // Parsers always remap, but never let a sample point at an unlisted location.
  const listed = new Set(p.locations);
  for (const s of p.samples) {
    for (const l of s.locations) {
      if (!listed.has(l)) {
        listed.add(l);
        p.locations.push(l);
      }
    }
  }
  const strings: string[] = [""];
  const index = new Map<string, number>([["", 0]]);
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const sampleTypes = p.sampleTypes.map(([type, unit]) => ({ type: str(type), unit: str(unit) }));
  const mappingIndex = new Map<LMapping, number>();
  const mappings: Mapping[] = p.mappings.map((m, i) => {
    mappingIndex.set(m, i);
    return {
      id: BigInt(i + 1),
      memoryStart: m.start,
      memoryLimit: m.limit,
      fileOffset: m.offset,
      filename: str(m.file),
      buildId: str(m.buildId),
      hasFunctions: m.hasFunctions,
      hasFilenames: m.hasFilenames,
      hasLineNumbers: m.hasLineNumbers,
      hasInlineFrames: m.hasInlineFrames,
    };
  });
  const functionIndex = new Map<LFunction, number>();
  const functions: ProfileFunction[] = p.functions.map((f, i) => {
    functionIndex.set(f, i);
    return {
      id: BigInt(i + 1),
      name: str(f.name),
      systemName: str(f.systemName),
      filename: str(f.filename),
      startLine: 0,
    };
  });
  const locationIndex = new Map<LLocation, number>();
  const locations: Location[] = p.locations.map((l, i) => {
    locationIndex.set(l, i);
    const lines: Line[] = l.lines.map((ln) => {
      let fi = functionIndex.get(ln.fn);
      if (fi === undefined) {
        fi = functions.length;
        functionIndex.set(ln.fn, fi);
        functions.push({
          id: BigInt(fi + 1),
          name: str(ln.fn.name),
          systemName: str(ln.fn.systemName),
          filename: str(ln.fn.filename),
          startLine: 0,
        });
      }
      return { function: fi, line: ln.line, column: 0 };
    });
    const mi = l.mapping ? mappingIndex.get(l.mapping) : undefined;
    return { id: BigInt(i + 1), mapping: mi ?? -1, address: l.address, lines, isFolded: false };
  });

  const valueCount = sampleTypes.length;
  const count = p.samples.length;
  let nLocs = 0;
  let nLabels = 0;
  for (const s of p.samples) {
    nLocs += s.locations.length;
    nLabels += s.labels.length + s.numLabels.length;
  }
  const samples: SampleTable = emptySampleTable(valueCount);
  samples.count = count;
  samples.values = new Float64Array(count * valueCount);
  samples.locationStarts = new Uint32Array(count + 1);
  samples.locations = new Uint32Array(nLocs);
  samples.labelStarts = new Uint32Array(count + 1);
  samples.labelKeys = new Uint32Array(nLabels);
  samples.labelStrs = new Uint32Array(nLabels);
  samples.labelNums = new Float64Array(nLabels);
  samples.labelUnits = new Uint32Array(nLabels);
  let li = 0;
  let lb = 0;
  p.samples.forEach((s, i) => {
    if (s.values.length !== valueCount) {
      throw new PprofError(
        PprofErrorCode.ValueCountMismatch,
        `sample has ${s.values.length} values, profile has ${valueCount} sample types`,
      );
    }
    s.values.forEach((v, j) => {
      const k = i * valueCount + j;
      samples.values[k] = Number(v);
      if (v > SAFE || v < -SAFE) samples.exactValues.set(k, v);
    });
    for (const l of s.locations) {
      samples.locations[li++] = locationIndex.get(l) as number;
    }
    samples.locationStarts[i + 1] = li;
    for (const [k, v] of s.labels) {
      samples.labelKeys[lb] = str(k);
      samples.labelStrs[lb] = str(v);
      lb++;
    }
    for (const [k, v] of s.numLabels) {
      samples.labelKeys[lb] = str(k);
      samples.labelNums[lb] = Number(v);
      if (v > SAFE || v < -SAFE) samples.exactLabelNums.set(lb, v);
      lb++;
    }
    samples.labelStarts[i + 1] = lb;
  });

  const profile = new Profile({
    sampleTypes,
    samples,
    mappings,
    locations,
    functions,
    dropFrames: str(p.dropFrames),
    keepFrames: str(p.keepFrames),
    durationNanos: p.durationNanos,
    periodType: p.periodType
      ? { type: str(p.periodType[0]), unit: str(p.periodType[1]) }
      : undefined,
    period: p.period,
    comments: p.comments.map(str),
    diagnostics: p.diagnostics.slice(),
  });
  profile.strings = StringTable.fromStrings(strings);
  return profile;
}

// MODEL-STABLE
//
// The in-memory pprof profile. Field meanings follow profile.proto
// (github.com/google/pprof/proto/profile.proto); names follow
// github.com/google/pprof/profile/profile.go where they differ.
//
// Numeric types, decided per field (see README "Numbers"):
// - int64 sample values and numeric label values: `Float64Array` holding the
//   nearest double, plus a sparse exact side table (`Map<flat index, bigint>`)
//   filled only for values outside ±(2^53-1). Real profiles essentially never
//   need it, so the hot path stays typed-array only, and nothing is lost.
// - uint64 ids, addresses and mapping bounds: `bigint` (they are per table
//   entry, not per sample, and kernel addresses exceed 2^53).
// - int64 profile scalars `timeNanos`, `durationNanos`, `period`: `bigint`
//   (`time_nanos` is above 2^53 for any date after 1970-04-15).
// - line, column, start line: `number`; a decoded value outside the safe
//   range is kept as the nearest double and reported in `diagnostics`.
// - string fields: indices into {@link StringTable} (resolved on demand);
//   references between tables: dense array indices, not ids.

import { PprofError, PprofErrorCode } from "./errors.js";
import { StringTable } from "./string-table.js";

/** A `[type, unit]` pair such as `["cpu", "nanoseconds"]`; both are string-table indices. */
export interface ValueType {
  /** String-table index of the type, e.g. `"alloc_space"`. */
  type: number;
  /** String-table index of the unit, e.g. `"bytes"`. */
  unit: number;
}

/** An address range mapped from a binary or shared library (`Mapping` in profile.proto). */
export interface Mapping {
  /** Unique non-zero id (uint64). */
  id: bigint;
  /** First address of the range (uint64). */
  memoryStart: bigint;
  /** Limit (one past the end) of the range (uint64). */
  memoryLimit: bigint;
  /** File offset corresponding to `memoryStart` (uint64). */
  fileOffset: bigint;
  /** String-table index of the object file name. */
  filename: number;
  /** String-table index of the build id. */
  buildId: number;
  /** Symbolization state flags (`has_*` in profile.proto). */
  hasFunctions: boolean;
  /** True when locations in this mapping carry file names. */
  hasFilenames: boolean;
  /** True when locations in this mapping carry line numbers. */
  hasLineNumbers: boolean;
  /** True when locations in this mapping carry inlined frames. */
  hasInlineFrames: boolean;
}

/** One source line of a location; several lines mean inlined calls (innermost first). */
export interface Line {
  /** Index into {@link Profile.functions} (not the function id). */
  function: number;
  /** Source line number (int64 in the proto; 0 when unknown). */
  line: number;
  /** Source column number (0 when unknown). */
  column: number;
}

/** A program location: an address and the source lines it maps to (`Location` in profile.proto). */
export interface Location {
  /** Unique non-zero id (uint64). */
  id: bigint;
  /** Index into {@link Profile.mappings}, or -1 when the location has no mapping. */
  mapping: number;
  /** Instruction address (uint64), 0 when unknown. */
  address: bigint;
  /** Lines, innermost inlined call first and the physical caller last. */
  lines: Line[];
  /** True when several symbols were folded onto this address by the linker. */
  isFolded: boolean;
}

/** A function (`Function` in profile.proto). */
export interface ProfileFunction {
  /** Unique non-zero id (uint64). */
  id: bigint;
  /** String-table index of the human-readable name. */
  name: number;
  /** String-table index of the system (e.g. mangled) name. */
  systemName: number;
  /** String-table index of the source file. */
  filename: number;
  /** Line where the function starts (0 when unknown). */
  startLine: number;
}

/**
 * Locations as decoded, in columns. A decoded profile keeps its locations in
 * this form until {@link Profile.locations} is first read, so decoding does
 * not pay for one object and two bigints per location up front; the encoder
 * writes straight from the columns when they were never materialised.
 */
export interface LocationTable {
  /** Number of locations. */
  count: number;
  /** Low 32 bits of each id. */
  idLo: Uint32Array;
  /** High 32 bits of each id. */
  idHi: Uint32Array;
  /** Mapping index or -1. */
  mapping: Int32Array;
  /** Low 32 bits of each address. */
  addressLo: Uint32Array;
  /** High 32 bits of each address. */
  addressHi: Uint32Array;
  /** 1 when folded. */
  isFolded: Uint8Array;
  /** `count + 1` offsets into the line columns. */
  lineStarts: Uint32Array;
  /** Function index of each line. */
  lineFunction: Uint32Array;
  /** Line number of each line. */
  lineLine: Float64Array;
  /** Column of each line. */
  lineColumn: Float64Array;
}

/** Functions as decoded, in columns; see {@link LocationTable}. */
export interface FunctionTable {
  /** Number of functions. */
  count: number;
  /** Low 32 bits of each id. */
  idLo: Uint32Array;
  /** High 32 bits of each id. */
  idHi: Uint32Array;
  /** String index of each name. */
  name: Uint32Array;
  /** String index of each system name. */
  systemName: Uint32Array;
  /** String index of each file name. */
  filename: Uint32Array;
  /** Start line of each function. */
  startLine: Float64Array;
}

const TWO_32 = 4294967296;

/** The uint64 with halves `lo`, `hi`. */
function u64(lo: number, hi: number): bigint {
  if (hi === 0) return BigInt(lo);
  if (hi < 0x200000) return BigInt(hi * TWO_32 + lo);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function materializeLocations(t: LocationTable): Location[] {
  const out = new Array<Location>(t.count);
  for (let i = 0; i < t.count; i++) {
    const lines: Line[] = [];
    for (let k = t.lineStarts[i] as number; k < (t.lineStarts[i + 1] as number); k++) {
      lines.push({
        function: t.lineFunction[k] as number,
        line: t.lineLine[k] as number,
        column: t.lineColumn[k] as number,
      });
    }
    out[i] = {
      id: u64(t.idLo[i] as number, t.idHi[i] as number),
      mapping: t.mapping[i] as number,
      address: u64(t.addressLo[i] as number, t.addressHi[i] as number),
      lines,
      isFolded: t.isFolded[i] === 1,
    };
  }
  return out;
}

function materializeFunctions(t: FunctionTable): ProfileFunction[] {
  const out = new Array<ProfileFunction>(t.count);
  for (let i = 0; i < t.count; i++) {
    out[i] = {
      id: u64(t.idLo[i] as number, t.idHi[i] as number),
      name: t.name[i] as number,
      systemName: t.systemName[i] as number,
      filename: t.filename[i] as number,
      startLine: t.startLine[i] as number,
    };
  }
  return out;
}

/**
 * Samples stored as struct-of-arrays. Sample `i` has values
 * `values[i*valueCount .. (i+1)*valueCount)`, location indices
 * `locations[locationStarts[i] .. locationStarts[i+1])` (leaf first) and
 * labels `labelStarts[i] .. labelStarts[i+1]` in the label columns.
 */
export interface SampleTable {
  /** Number of samples. */
  count: number;
  /** Values per sample; equals the profile's `sampleTypes.length`. */
  valueCount: number;
  /** Row-major values (int64 as the nearest double). */
  values: Float64Array;
  /** Exact int64 for each flat index of `values` whose value is not a safe integer. */
  exactValues: Map<number, bigint>;
  /** `count + 1` offsets into `locations`. */
  locationStarts: Uint32Array;
  /** Indices into {@link Profile.locations}, leaf first within each sample. */
  locations: Uint32Array;
  /** `count + 1` offsets into the label columns. */
  labelStarts: Uint32Array;
  /** String-table index of each label's key. */
  labelKeys: Uint32Array;
  /** String-table index of each label's string value; 0 for numeric labels. */
  labelStrs: Uint32Array;
  /** Numeric value of each label (int64 as the nearest double; 0 for string labels). */
  labelNums: Float64Array;
  /** Exact int64 for each label index whose `labelNums` entry is not a safe integer. */
  exactLabelNums: Map<number, bigint>;
  /** String-table index of each numeric label's unit (`num_unit`), 0 when absent. */
  labelUnits: Uint32Array;
}

/** A recoverable oddity noticed while decoding or building; the profile is still usable. */
export interface Diagnostic {
  /** Short machine-readable kind, e.g. `"unknown-mapping-id"` or `"inexact-number"`. */
  code: string;
  /** Human-readable detail. */
  message: string;
  /** Byte offset in the decompressed proto, when known. */
  offset?: number;
}

/** Maximum number of {@link Diagnostic}s kept; further ones only bump `diagnosticsDropped`. */
export const MAX_DIAGNOSTICS = 100;

/** Everything needed to construct a {@link Profile}; omitted fields get proto defaults. */
export interface ProfileInit {
  /** The string table (defaults to `[""]`). */
  strings?: StringTable;
  /** Sample types, one per value. */
  sampleTypes?: ValueType[];
  /** The samples (default: none). */
  samples?: SampleTable;
  /** Mappings. */
  mappings?: Mapping[];
  /** Locations. */
  locations?: Location[];
  /** Functions. */
  functions?: ProfileFunction[];
  /** Locations in column form (used by the decoder instead of `locations`). */
  locationTable?: LocationTable;
  /** Functions in column form (used by the decoder instead of `functions`). */
  functionTable?: FunctionTable;
  /** String index of the drop-frames regexp. */
  dropFrames?: number;
  /** String index of the keep-frames regexp. */
  keepFrames?: number;
  /** Collection time, ns since the Unix epoch. */
  timeNanos?: bigint;
  /** Profile duration in ns. */
  durationNanos?: bigint;
  /** Kind of events between samples. */
  periodType?: ValueType | undefined;
  /** Events between samples. */
  period?: bigint;
  /** String indices of free-form comments. */
  comments?: number[];
  /** String index of the preferred sample type. */
  defaultSampleType?: number;
  /** String index of the documentation URL. */
  docUrl?: number;
  /** Diagnostics gathered so far. */
  diagnostics?: Diagnostic[];
}

/** A frame of a {@link ResolvedSample}: one line of one location, strings resolved. */
export interface ResolvedFrame {
  /** Index into {@link Profile.locations}. */
  location: number;
  /** Position of this line within its location (0 = innermost inlined call). */
  lineIndex: number;
  /** True when this frame was inlined into the next frame (it is not the location's last line). */
  inlined: boolean;
  /** Instruction address of the location. */
  address: bigint;
  /** Function name (`""` when the location has no lines). */
  functionName: string;
  /** Function system name. */
  systemName: string;
  /** Source file. */
  fileName: string;
  /** Source line. */
  line: number;
  /** Source column. */
  column: number;
  /** Function start line. */
  startLine: number;
  /** Mapping file name (`""` without a mapping). */
  mappingFile: string;
}

/** A numeric label value with its unit (`""` when none). */
export interface NumLabelValue {
  /** The value (nearest double). */
  value: number;
  /** The exact int64 value. */
  exact: bigint;
  /** The unit, `""` when absent. */
  unit: string;
}

/** A sample with every reference and string resolved; convenient, not fast. */
export interface ResolvedSample {
  /** Sample values (nearest doubles). */
  values: number[];
  /** Sample values, exact. */
  exactValues: bigint[];
  /** Frames leaf first; an inlined location contributes one frame per line, innermost first. */
  frames: ResolvedFrame[];
  /** String labels: key to values, in the order they appear. */
  labels: Map<string, string[]>;
  /** Numeric labels: key to values with units. */
  numLabels: Map<string, NumLabelValue[]>;
}

/** An empty sample table with `valueCount` values per sample. */
export function emptySampleTable(valueCount = 0): SampleTable {
  return {
    count: 0,
    valueCount,
    values: new Float64Array(0),
    exactValues: new Map(),
    locationStarts: new Uint32Array(1),
    locations: new Uint32Array(0),
    labelStarts: new Uint32Array(1),
    labelKeys: new Uint32Array(0),
    labelStrs: new Uint32Array(0),
    labelNums: new Float64Array(0),
    exactLabelNums: new Map(),
    labelUnits: new Uint32Array(0),
  };
}

/** A decoded or built pprof profile. All fields are public and may be replaced by operations. */
export class Profile {
  /** The string table; every `number` string field indexes it. */
  strings: StringTable;
  /** What each sample value means. */
  sampleTypes: ValueType[];
  /** The samples, struct-of-arrays. */
  samples: SampleTable;
  /** Mappings (`mappings[0]` is conventionally the main binary). */
  mappings: Mapping[];
  #locations: Location[] | undefined;
  #locationTable: LocationTable | undefined;
  #functions: ProfileFunction[] | undefined;
  #functionTable: FunctionTable | undefined;
  /** String index of the drop-frames regexp (0 = none). */
  dropFrames: number;
  /** String index of the keep-frames regexp (0 = none). */
  keepFrames: number;
  /** Collection time in ns since the Unix epoch (0 = unknown). */
  timeNanos: bigint;
  /** Duration in ns (0 = unknown). */
  durationNanos: bigint;
  /** Kind of events between samples; `undefined` when absent. */
  periodType: ValueType | undefined;
  /** Number of events between samples. */
  period: bigint;
  /** String indices of free-form comments. */
  comments: number[];
  /** String index of the preferred sample type (0 = the last one). */
  defaultSampleType: number;
  /** String index of the documentation URL (0 = none). */
  docUrl: number;
  /** Recoverable oddities, at most {@link MAX_DIAGNOSTICS}. */
  diagnostics: Diagnostic[];
  /** Number of diagnostics dropped past the cap. */
  diagnosticsDropped = 0;

  constructor(init: ProfileInit = {}) {
    this.strings = init.strings ?? StringTable.fromStrings([""]);
    this.sampleTypes = init.sampleTypes ?? [];
    this.samples = init.samples ?? emptySampleTable(this.sampleTypes.length);
    this.mappings = init.mappings ?? [];
    this.#locationTable = init.locationTable;
    this.#locations = init.locationTable ? undefined : (init.locations ?? []);
    this.#functionTable = init.functionTable;
    this.#functions = init.functionTable ? undefined : (init.functions ?? []);
    this.dropFrames = init.dropFrames ?? 0;
    this.keepFrames = init.keepFrames ?? 0;
    this.timeNanos = init.timeNanos ?? 0n;
    this.durationNanos = init.durationNanos ?? 0n;
    this.periodType = init.periodType;
    this.period = init.period ?? 0n;
    this.comments = init.comments ?? [];
    this.defaultSampleType = init.defaultSampleType ?? 0;
    this.docUrl = init.docUrl ?? 0;
    this.diagnostics = init.diagnostics ?? [];
  }

  /**
   * Locations referenced by samples. On a decoded profile the objects are
   * created on first read (from {@link locationTable}); assigning replaces them.
   */
  get locations(): Location[] {
    if (this.#locations === undefined) {
      this.#locations = materializeLocations(this.#locationTable as LocationTable);
      this.#locationTable = undefined;
    }
    return this.#locations;
  }

  set locations(v: Location[]) {
    this.#locations = v;
    this.#locationTable = undefined;
  }

  /** Functions referenced by location lines; created on first read like {@link locations}. */
  get functions(): ProfileFunction[] {
    if (this.#functions === undefined) {
      this.#functions = materializeFunctions(this.#functionTable as FunctionTable);
      this.#functionTable = undefined;
    }
    return this.#functions;
  }

  set functions(v: ProfileFunction[]) {
    this.#functions = v;
    this.#functionTable = undefined;
  }

  /** The decoded location columns while {@link locations} has not been read, else undefined. */
  get locationTable(): LocationTable | undefined {
    return this.#locationTable;
  }

  /** The decoded function columns while {@link functions} has not been read, else undefined. */
  get functionTable(): FunctionTable | undefined {
    return this.#functionTable;
  }

  /** Number of locations, without materialising them. */
  get locationCount(): number {
    return this.#locationTable?.count ?? (this.#locations as Location[]).length;
  }

  /** Number of functions, without materialising them. */
  get functionCount(): number {
    return this.#functionTable?.count ?? (this.#functions as ProfileFunction[]).length;
  }

  /** String-table entry `i`. */
  string(i: number): string {
    return this.strings.get(i);
  }

  /** Records a diagnostic, respecting the cap. */
  addDiagnostic(d: Diagnostic): void {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) this.diagnostics.push(d);
    else this.diagnosticsDropped++;
  }

  /** Value `j` of sample `i` as the nearest double. */
  sampleValue(i: number, j: number): number {
    return this.samples.values[i * this.samples.valueCount + j] as number;
  }

  /** Value `j` of sample `i`, exact. */
  sampleValueExact(i: number, j: number): bigint {
    const k = i * this.samples.valueCount + j;
    return this.samples.exactValues.get(k) ?? BigInt(this.samples.values[k] as number);
  }

  /** Location indices of sample `i`, leaf first (a view, not a copy). */
  sampleLocations(i: number): Uint32Array {
    const s = this.samples;
    return s.locations.subarray(s.locationStarts[i], s.locationStarts[i + 1]);
  }

  /** Sample `i` with strings and references resolved. */
  resolveSample(i: number): ResolvedSample {
    const s = this.samples;
    if (!(i >= 0 && i < s.count)) {
      throw new PprofError(PprofErrorCode.InvalidArgument, `no sample ${i}`);
    }
    const values: number[] = [];
    const exactValues: bigint[] = [];
    for (let j = 0; j < s.valueCount; j++) {
      values.push(this.sampleValue(i, j));
      exactValues.push(this.sampleValueExact(i, j));
    }
    const frames: ResolvedFrame[] = [];
    for (let k = s.locationStarts[i] as number; k < (s.locationStarts[i + 1] as number); k++) {
      const li = s.locations[k] as number;
      const loc = this.locations[li] as Location;
      const m = loc.mapping >= 0 ? this.mappings[loc.mapping] : undefined;
      const mappingFile = m ? this.string(m.filename) : "";
      if (loc.lines.length === 0) {
        frames.push({
          location: li,
          lineIndex: 0,
          inlined: false,
          address: loc.address,
          functionName: "",
          systemName: "",
          fileName: "",
          line: 0,
          column: 0,
          startLine: 0,
          mappingFile,
        });
      }
      loc.lines.forEach((ln, lineIndex) => {
        const fn = this.functions[ln.function] as ProfileFunction;
        frames.push({
          location: li,
          lineIndex,
          inlined: lineIndex < loc.lines.length - 1,
          address: loc.address,
          functionName: this.string(fn.name),
          systemName: this.string(fn.systemName),
          fileName: this.string(fn.filename),
          line: ln.line,
          column: ln.column,
          startLine: fn.startLine,
          mappingFile,
        });
      });
    }
    const labels = new Map<string, string[]>();
    const numLabels = new Map<string, NumLabelValue[]>();
    for (let k = s.labelStarts[i] as number; k < (s.labelStarts[i + 1] as number); k++) {
      const key = this.string(s.labelKeys[k] as number);
      const str = s.labelStrs[k] as number;
      const num = s.labelNums[k] as number;
      const unit = s.labelUnits[k] as number;
      // Same reading as Go's postDecode (profile/encode.go): a non-zero str
      // makes a string label; otherwise a non-zero num or unit makes a
      // numeric one; a label with neither is ignored.
      if (str !== 0) {
        const list = labels.get(key);
        if (list) list.push(this.string(str));
        else labels.set(key, [this.string(str)]);
      } else if (num !== 0 || unit !== 0) {
        const v: NumLabelValue = {
          value: num,
          exact: s.exactLabelNums.get(k) ?? BigInt(num),
          unit: this.string(unit),
        };
        const list = numLabels.get(key);
        if (list) list.push(v);
        else numLabels.set(key, [v]);
      }
    }
    return { values, exactValues, frames, labels, numLabels };
  }

  /** Every sample resolved, in order. */
  *resolvedSamples(): IterableIterator<ResolvedSample> {
    for (let i = 0; i < this.samples.count; i++) yield this.resolveSample(i);
  }

  /** Sample types with strings resolved. */
  resolvedSampleTypes(): { type: string; unit: string }[] {
    return this.sampleTypes.map((t) => ({ type: this.string(t.type), unit: this.string(t.unit) }));
  }
}

// ---------------------------------------------------------------------------
// Builder

/** A source line given by name, for {@link ProfileBuilder}. */
export interface LineInput {
  /** Function name. */
  functionName: string;
  /** Function system name (defaults to `functionName`, as Go's runtime/pprof writes it). */
  systemName?: string;
  /** Source file name. */
  fileName?: string;
  /** Line number. */
  line?: number;
  /** Column number. */
  column?: number;
  /** Function start line. */
  startLine?: number;
}

/** A location given by value, for {@link ProfileBuilder.location}. */
export interface LocationInput {
  /** Instruction address (default 0). */
  address?: bigint;
  /** Index returned by {@link ProfileBuilder.mapping}, or -1/absent for none. */
  mapping?: number;
  /** Lines, innermost inlined call first. */
  lines?: readonly LineInput[];
  /** Linker-folded flag. */
  isFolded?: boolean;
}

/** A stack frame for {@link ProfileBuilder.addSample}: one line plus an optional address. */
export interface FrameInput extends LineInput {
  /** Instruction address (default 0). */
  address?: bigint;
  /** Mapping index from {@link ProfileBuilder.mapping}. */
  mapping?: number;
}

/** A label for {@link ProfileBuilder.addSample}: give `str`, or `num` (and optionally `unit`). */
export interface LabelInput {
  /** Label key. */
  key: string;
  /** String value. */
  str?: string;
  /** Numeric value (int64; pass a bigint beyond 2^53). */
  num?: number | bigint;
  /** Unit of a numeric value. */
  unit?: string;
}

/** A mapping given by value, for {@link ProfileBuilder.mapping}. */
export interface MappingInput {
  /** Start address. */
  memoryStart?: bigint;
  /** Limit address. */
  memoryLimit?: bigint;
  /** File offset. */
  fileOffset?: bigint;
  /** Object file name. */
  filename?: string;
  /** Build id. */
  buildId?: string;
  /** `has_functions`. */
  hasFunctions?: boolean;
  /** `has_filenames`. */
  hasFilenames?: boolean;
  /** `has_line_numbers`. */
  hasLineNumbers?: boolean;
  /** `has_inline_frames`. */
  hasInlineFrames?: boolean;
}

/** Options for a new {@link ProfileBuilder}. */
export interface ProfileBuilderOptions {
  /** Sample types as resolved strings. */
  sampleTypes: readonly { type: string; unit: string }[];
  /** Period type. */
  periodType?: { type: string; unit: string };
  /** Period. */
  period?: number | bigint;
  /** Collection time (ns since epoch). */
  timeNanos?: bigint;
  /** Duration (ns). */
  durationNanos?: number | bigint;
  /** Comments. */
  comments?: readonly string[];
  /** Preferred sample type name. */
  defaultSampleType?: string;
  /** Documentation URL. */
  docUrl?: string;
  /** Drop-frames regexp. */
  dropFrames?: string;
  /** Keep-frames regexp. */
  keepFrames?: string;
}

const SAFE = Number.MAX_SAFE_INTEGER;

/** Growable typed column used by the builder. */
class Column<T extends Float64Array | Uint32Array> {
  data: T;
  length = 0;
  readonly #make: (n: number) => T;
  constructor(make: (n: number) => T) {
    this.#make = make;
    this.data = make(64);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.#make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  take(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/**
 * Incremental profile construction by resolved names. Strings, functions,
 * locations and mappings are interned, ids are assigned 1, 2, 3, ... in
 * creation order (as Go's runtime/pprof does). Used by the text-format parsers
 * and by tests; call {@link build} once at the end.
 */
export class ProfileBuilder {
  readonly #strings: string[] = [""];
  readonly #stringIndex = new Map<string, number>([["", 0]]);
  readonly #functions: ProfileFunction[] = [];
  readonly #functionIndex = new Map<string, number>();
  readonly #locations: Location[] = [];
  readonly #locationIndex = new Map<string, number>();
  readonly #mappings: Mapping[] = [];
  readonly #valueCount: number;
  readonly #values = new Column((n) => new Float64Array(n));
  readonly #exactValues = new Map<number, bigint>();
  readonly #locationStarts = new Column((n) => new Uint32Array(n));
  readonly #sampleLocations = new Column((n) => new Uint32Array(n));
  readonly #labelStarts = new Column((n) => new Uint32Array(n));
  readonly #labelKeys = new Column((n) => new Uint32Array(n));
  readonly #labelStrs = new Column((n) => new Uint32Array(n));
  readonly #labelNums = new Column((n) => new Float64Array(n));
  readonly #exactLabelNums = new Map<number, bigint>();
  readonly #labelUnits = new Column((n) => new Uint32Array(n));
  readonly #profile: Profile;
  #built = false;

  constructor(options: ProfileBuilderOptions) {
    this.#valueCount = options.sampleTypes.length;
    this.#locationStarts.push(0);
    this.#labelStarts.push(0);
    this.#profile = new Profile({
      sampleTypes: options.sampleTypes.map((t) => ({
        type: this.string(t.type),
        unit: this.string(t.unit),
      })),
      periodType: options.periodType
        ? { type: this.string(options.periodType.type), unit: this.string(options.periodType.unit) }
        : undefined,
      period: BigInt(options.period ?? 0),
      timeNanos: options.timeNanos ?? 0n,
      durationNanos: BigInt(options.durationNanos ?? 0),
      comments: (options.comments ?? []).map((c) => this.string(c)),
      defaultSampleType: this.string(options.defaultSampleType ?? ""),
      docUrl: this.string(options.docUrl ?? ""),
      dropFrames: this.string(options.dropFrames ?? ""),
      keepFrames: this.string(options.keepFrames ?? ""),
    });
  }

  /** The profile under construction (its samples appear after {@link build}); for setting other fields. */
  get profile(): Profile {
    return this.#profile;
  }

  /** Interns `s` and returns its string-table index. */
  string(s: string): number {
    let i = this.#stringIndex.get(s);
    if (i === undefined) {
      i = this.#strings.length;
      this.#strings.push(s);
      this.#stringIndex.set(s, i);
    }
    return i;
  }

  /** Interns a function by (name, system name, file, start line) and returns its index. */
  function(name: string, fileName = "", startLine = 0, systemName = name): number {
    const key = `${name}\u0000${systemName}\u0000${fileName}\u0000${startLine}`;
    let i = this.#functionIndex.get(key);
    if (i === undefined) {
      i = this.#functions.length;
      this.#functions.push({
        id: BigInt(i + 1),
        name: this.string(name),
        systemName: this.string(systemName),
        filename: this.string(fileName),
        startLine,
      });
      this.#functionIndex.set(key, i);
    }
    return i;
  }

  /** Adds a mapping (not interned) and returns its index. */
  mapping(m: MappingInput): number {
    const i = this.#mappings.length;
    this.#mappings.push({
      id: BigInt(i + 1),
      memoryStart: m.memoryStart ?? 0n,
      memoryLimit: m.memoryLimit ?? 0n,
      fileOffset: m.fileOffset ?? 0n,
      filename: this.string(m.filename ?? ""),
      buildId: this.string(m.buildId ?? ""),
      hasFunctions: m.hasFunctions ?? false,
      hasFilenames: m.hasFilenames ?? false,
      hasLineNumbers: m.hasLineNumbers ?? false,
      hasInlineFrames: m.hasInlineFrames ?? false,
    });
    return i;
  }

  /**
   * Interns a location by (address, mapping, lines, folded) and returns its index.
   * Two frames with the same address but different lines become different locations.
   */
  location(loc: LocationInput): number {
    const lines: Line[] = (loc.lines ?? []).map((ln) => ({
      function: this.function(
        ln.functionName,
        ln.fileName ?? "",
        ln.startLine ?? 0,
        ln.systemName ?? ln.functionName,
      ),
      line: ln.line ?? 0,
      column: ln.column ?? 0,
    }));
    const mapping = loc.mapping ?? -1;
    if (mapping >= this.#mappings.length || mapping < -1) {
      throw new PprofError(PprofErrorCode.InvalidArgument, `no mapping ${mapping}`);
    }
    const address = loc.address ?? 0n;
    const isFolded = loc.isFolded ?? false;
    let key = `${address}/${mapping}/${isFolded ? 1 : 0}`;
    for (const ln of lines) key += `/${ln.function}:${ln.line}:${ln.column}`;
    let i = this.#locationIndex.get(key);
    if (i === undefined) {
      i = this.#locations.length;
      this.#locations.push({ id: BigInt(i + 1), mapping, address, lines, isFolded });
      this.#locationIndex.set(key, i);
    }
    return i;
  }

  /**
   * Appends a sample. `stack` is leaf first; each entry is a location index
   * from {@link location} or a {@link FrameInput} (one line, interned).
   */
  addSample(
    values: readonly (number | bigint)[],
    stack: readonly (number | FrameInput)[],
    labels: readonly LabelInput[] = [],
  ): void {
    if (this.#built) throw new PprofError(PprofErrorCode.InvalidArgument, "builder already built");
    if (values.length !== this.#valueCount) {
      throw new PprofError(
        PprofErrorCode.ValueCountMismatch,
        `sample has ${values.length} values, profile has ${this.#valueCount} sample types`,
      );
    }
    for (const v of values) {
      const k = this.#values.length;
      this.#values.push(toDouble(v, k, this.#exactValues));
    }
    for (const f of stack) {
      let li: number;
      if (typeof f === "number") {
        if (!(f >= 0 && f < this.#locations.length)) {
          throw new PprofError(PprofErrorCode.InvalidArgument, `no location ${f}`);
        }
        li = f;
      } else {
        const loc: LocationInput = { lines: [f] };
        if (f.address !== undefined) loc.address = f.address;
        if (f.mapping !== undefined) loc.mapping = f.mapping;
        li = this.location(loc);
      }
      this.#sampleLocations.push(li);
    }
    this.#locationStarts.push(this.#sampleLocations.length);
    for (const l of labels) {
      const k = this.#labelKeys.length;
      this.#labelKeys.push(this.string(l.key));
      this.#labelStrs.push(l.str !== undefined ? this.string(l.str) : 0);
      this.#labelNums.push(l.num !== undefined ? toDouble(l.num, k, this.#exactLabelNums) : 0);
      this.#labelUnits.push(l.unit !== undefined ? this.string(l.unit) : 0);
    }
    this.#labelStarts.push(this.#labelKeys.length);
  }

  /** Finishes the profile. The builder cannot be used afterwards. */
  build(): Profile {
    if (this.#built) throw new PprofError(PprofErrorCode.InvalidArgument, "builder already built");
    this.#built = true;
    const p = this.#profile;
    p.strings = StringTable.fromStrings(this.#strings);
    p.functions = this.#functions;
    p.locations = this.#locations;
    p.mappings = this.#mappings;
    p.samples = {
      count: this.#locationStarts.length - 1,
      valueCount: this.#valueCount,
      values: this.#values.take(),
      exactValues: this.#exactValues,
      locationStarts: this.#locationStarts.take(),
      locations: this.#sampleLocations.take(),
      labelStarts: this.#labelStarts.take(),
      labelKeys: this.#labelKeys.take(),
      labelStrs: this.#labelStrs.take(),
      labelNums: this.#labelNums.take(),
      exactLabelNums: this.#exactLabelNums,
      labelUnits: this.#labelUnits.take(),
    };
    return p;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Converts an int64 given as number or bigint to its double, recording the exact value if needed. */
function toDouble(v: number | bigint, k: number, exact: Map<number, bigint>): number {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) {
      throw new PprofError(PprofErrorCode.InvalidArgument, `value ${v} is not an integer`);
    }
    if (v > SAFE || v < -SAFE) {
      const big = BigInt(v);
      if (big < INT64_MIN || big > INT64_MAX) {
        throw new PprofError(PprofErrorCode.InvalidArgument, `value ${v} is outside int64`);
      }
      exact.set(k, big);
    }
    return v;
  }
  if (v < INT64_MIN || v > INT64_MAX) {
    throw new PprofError(PprofErrorCode.InvalidArgument, `value ${v} is outside int64`);
  }
  const d = Number(v);
  if (d > SAFE || d < -SAFE) exact.set(k, v);
  return d;
}

// Sample and frame filters with the semantics of `go tool pprof`'s options,
// in the order its driver applies them (google/pprof
// internal/driver/driver_focus.go, applyFocus) and with the rules of
// profile/filter.go (FilterSamplesByName, ShowFrom, FilterSamplesByTag,
// FilterTagsByName) and profile/prune.go (Prune, PruneFrom).

import type { Location, Profile } from "../model.js";
import { scaleValue } from "../report/measurement.js";
import { copyLocations, exactAt, goRegExp, SampleSink, withParts } from "./internal.js";

/** Filters, named after `go tool pprof`'s options. Regexps use Go (RE2) syntax. */
export interface FilterOptions {
  /** Keep samples with at least one frame matching (function name, file or mapping file). */
  focus?: string;
  /** Drop samples with any frame matching. */
  ignore?: string;
  /** Remove matching frames from stacks. */
  hide?: string;
  /** Keep only matching frames in stacks. */
  show?: string;
  /** Drop frames above (callers of) the root-most matching frame; samples without a match go. */
  showFrom?: string;
  /** Drop frames below (callees of) the leaf-most location with a matching function. */
  pruneFrom?: string;
  /**
   * Keep samples whose labels match: `key=regexp[,regexp]`, `regexp` (matched
   * against `key:value`), or a numeric range `key=32kb`, `:64kb`, `4mb:`, `1kb:8mb`.
   */
  tagFocus?: string;
  /** Drop samples whose labels match (same syntax as `tagFocus`). */
  tagIgnore?: string;
  /** Keep only label keys matching this regexp. */
  tagShow?: string;
  /** Remove label keys matching this regexp. */
  tagHide?: string;
}

/** Result of {@link filterProfile}. */
export interface FilterResult {
  /** The filtered profile (not compacted: unreferenced entries remain). */
  profile: Profile;
  /** One line per given filter that matched nothing, worded as `go tool pprof` warns. */
  warnings: string[];
}

/**
 * Applies `go tool pprof`'s filters (focus, ignore, hide, show, show_from,
 * tagfocus, tagignore, tagshow, taghide, prune_from, in that order) and
 * returns a new profile. `numLabelUnits` is the unit of each numeric label
 * key for range filters (default: {@link numLabelUnits} of `p`).
 * Invalid regexps throw `PprofError` `invalid-argument`.
 * The result shares unchanged tables (functions, mappings, ...) with the
 * input: treat both as immutable.
 */
export function filterProfile(
  p: Profile,
  options: FilterOptions,
  units?: Map<string, string>,
): FilterResult {
  const rx = (v: string | undefined, name: string) => (v ? goRegExp(v, name) : undefined);
  const focus = rx(options.focus, "focus");
  const ignore = rx(options.ignore, "ignore");
  const hide = rx(options.hide, "hide");
  const show = rx(options.show, "show");
  const showFrom = rx(options.showFrom, "show_from");
  const u =
    options.tagFocus || options.tagIgnore ? (units ?? numLabelUnits(p)) : new Map<string, string>();
  const tagFocus = options.tagFocus ? compileTagFilter(options.tagFocus, u) : undefined;
  const tagIgnore = options.tagIgnore ? compileTagFilter(options.tagIgnore, u) : undefined;
  const pruneFrom = rx(options.pruneFrom, "prune_from");
  const tagShow = rx(options.tagShow, "tagshow");
  const tagHide = rx(options.tagHide, "taghide");

  const w = new Work(p);
  const warnings: string[] = [];
  const warn = (ok: boolean, what: string) => {
    if (!ok) warnings.push(`${what} expression matched no samples`);
  };
  if (focus || ignore || hide || show) {
    const m = w.filterByName(focus, ignore, hide, show);
    warn(!focus || m.fm, "Focus");
    warn(!ignore || m.im, "Ignore");
    warn(!hide || m.hm, "Hide");
    warn(!show || m.hnm, "Show");
  }
  if (showFrom) warn(w.showFrom(showFrom), "ShowFrom");
  if (tagFocus || tagIgnore) {
    const m = w.filterByTag(tagFocus, tagIgnore);
    warn(!tagFocus || m.fm, "TagFocus");
    warn(!tagIgnore || m.im, "TagIgnore");
  }
  if (tagShow || tagHide) {
    const m = w.filterTagsByName(tagShow, tagHide);
    warn(!tagShow || m.sm, "TagShow");
    warn(!tagHide || m.hm, "TagHide");
  }
  if (pruneFrom) w.pruneFrom(pruneFrom);
  return { profile: w.finish(), warnings };
}

/**
 * Removes frames the way google/pprof `Profile.Prune` does: in each
 * location the callee-most line whose (simplified) function name matches
 * `drop` and not `keep` cuts the location there; in each sample, scanning
 * from the root, frames beneath the first such location (after the first
 * non-matching one) are removed. Both regexps are anchored (`^(…)$`), as
 * `RemoveUninteresting` does with the profile's drop_frames/keep_frames.
 */
export function pruneFrames(p: Profile, drop: string, keep?: string): Profile {
  const w = new Work(p);
  w.prune(
    goRegExp(`^(?:${drop})$`, "drop_frames"),
    keep ? goRegExp(`^(?:${keep})$`, "keep_frames") : undefined,
  );
  return w.finish();
}

/**
 * Applies the profile's own `drop_frames`/`keep_frames` regexps
 * (google/pprof `RemoveUninteresting`, which `go tool pprof` runs on load).
 */
export function removeUninteresting(p: Profile): Profile {
  const drop = p.string(p.dropFrames);
  if (drop === "") return p;
  const keep = p.string(p.keepFrames);
  return pruneFrames(p, drop, keep === "" ? undefined : keep);
}

/**
 * The unit of each numeric label key (google/pprof `NumLabelUnits`): the first
 * non-empty unit seen for the key, else `bytes` for `alignment`/`request`,
 * else the key itself.
 */
export function numLabelUnits(p: Profile): Map<string, string> {
  const s = p.samples;
  const units = new Map<string, string>();
  const keys = new Set<string>();
  for (let n = 0; n < s.labelKeys.length; n++) {
    if ((s.labelStrs[n] as number) !== 0) continue;
    if ((s.labelNums[n] as number) === 0 && (s.labelUnits[n] as number) === 0) continue;
    const k = p.string(s.labelKeys[n] as number);
    keys.add(k);
    const u = p.string(s.labelUnits[n] as number);
    if (u !== "" && !units.has(k)) units.set(k, u);
  }
  for (const k of keys) {
    if ((units.get(k) ?? "") === "")
      units.set(k, k === "alignment" || k === "request" ? "bytes" : k);
  }
  return units;
}

/** A sample's labels as Go's decoder groups them. */
interface SampleLabels {
  str: Map<string, string[]>;
  num: Map<string, number[]>;
}

type TagMatch = (labels: SampleLabels) => boolean;

function compileTagFilter(value: string, units: Map<string, string>): TagMatch {
  const eq = value.indexOf("=");
  let wantKey = "";
  let v = value;
  if (eq >= 0) {
    wantKey = value.slice(0, eq);
    v = value.slice(eq + 1);
  }
  const range = parseTagFilterRange(v);
  if (range) {
    const anyIn = (vals: number[], unit: string) => vals.some((x) => range(x, unit));
    if (wantKey === "") {
      return (s) => {
        for (const [k, vals] of s.num) if (anyIn(vals, units.get(k) ?? "")) return true;
        return false;
      };
    }
    return (s) => {
      const vals = s.num.get(wantKey);
      return vals !== undefined && anyIn(vals, units.get(wantKey) ?? "");
    };
  }
  const rxs = v.split(",").map((x) => goRegExp(x, "tag filter"));
  if (wantKey === "") {
    return (s) =>
      rxs.every((r) => {
        for (const [k, vals] of s.str) for (const x of vals) if (r.test(`${k}:${x}`)) return true;
        return false;
      });
  }
  return (s) => {
    const vals = s.str.get(wantKey);
    return vals !== undefined && rxs.some((r) => vals.some((x) => r.test(x)));
  };
}

/** `parseTagFilterRange`: "32kb", ":64kb", "4mb:", "12kb:64mb" -> predicate on (value, unit). */
function parseTagFilterRange(filter: string): ((v: number, unit: string) => boolean) | undefined {
  const ranges = [...filter.matchAll(/([+-]?[0-9]+)([A-Za-z]+)?/g)].slice(0, 2);
  const r0 = ranges[0];
  if (!r0) return undefined;
  const [scaled, unit] = scaleValue(Number(r0[1]), r0[2] ?? "", r0[2] ?? "");
  const conv = (v: number, u: string) => scaleValue(v, u, unit);
  if (ranges.length === 1) {
    const m = r0[0];
    if (filter === m) return (v, u) => eqUnit(conv(v, u), unit, (sv) => sv === scaled);
    if (filter === `${m}:`) return (v, u) => eqUnit(conv(v, u), unit, (sv) => sv >= scaled);
    if (filter === `:${m}`) return (v, u) => eqUnit(conv(v, u), unit, (sv) => sv <= scaled);
    return undefined;
  }
  const r1 = ranges[1] as RegExpMatchArray;
  if (filter !== `${r0[0]}:${r1[0]}`) return undefined;
  const [scaled2, unit2] = scaleValue(Number(r1[1]), r1[2] ?? "", unit);
  if (unit !== unit2) return undefined;
  return (v, u) => eqUnit(conv(v, u), unit, (sv) => sv >= scaled && sv <= scaled2);
}

function eqUnit([sv, su]: [number, string], unit: string, ok: (sv: number) => boolean): boolean {
  return su === unit && ok(sv);
}

/** Go's simplifyFunc (profile/prune.go): drop a leading '.' and the argument list. */
function simplifyFunc(f: string): string {
  let name = f.startsWith(".") ? f.slice(1) : f;
  for (const m of name.matchAll(/\(anonymous namespace\)|operator\(\)|\(/g)) {
    if (m[0] === "(") {
      name = name.slice(0, m.index);
      break;
    }
  }
  return name;
}

/** Location indices of a stack, leaf first. */
/**
 * The samples still kept, by slot: `keep[slot]` is the index of the sample in
 * the input. A slot's stack is the input's location ids unless a filter
 * changed it (`stacks[slot]`, allocated on the first change). The retain
 * callbacks read the current slot's stack from `cur[lo..hi)`, set by `at`,
 * so no view is allocated per sample.
 */
class Work {
  readonly p: Profile;
  readonly locations: Location[];
  keep: Uint32Array;
  stacks: (Uint32Array | undefined)[] | undefined;
  labelFilter: ((key: string) => boolean) | undefined;
  #labelsCache = new Map<number, SampleLabels>();
  cur: Uint32Array;
  lo = 0;
  hi = 0;

  constructor(p: Profile) {
    this.p = p;
    this.locations = copyLocations(p.locations);
    const n = p.samples.count;
    this.keep = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.keep[i] = i;
    this.cur = p.samples.locations;
  }

  /** Points `cur[lo..hi)` at the stack of `slot`. */
  at(slot: number): void {
    const st = this.stacks?.[slot];
    if (st !== undefined) {
      this.cur = st;
      this.lo = 0;
      this.hi = st.length;
      return;
    }
    const s = this.p.samples;
    const i = this.keep[slot] as number;
    this.cur = s.locations;
    this.lo = s.locationStarts[i] as number;
    this.hi = s.locationStarts[i + 1] as number;
  }

  /**
   * Keeps the slots for which `f` returns true (stack unchanged) or a new
   * stack, in order; `f` is called after `at(slot)`.
   */
  retain(f: (slot: number) => Uint32Array | boolean): void {
    const n = this.keep.length;
    const keep = new Uint32Array(n);
    const old = this.stacks;
    let stacks: (Uint32Array | undefined)[] | undefined;
    let kept = 0;
    for (let slot = 0; slot < n; slot++) {
      this.at(slot);
      const r = f(slot);
      if (r === false) continue;
      const st = r === true ? old?.[slot] : r;
      if (st !== undefined) {
        stacks ??= [];
        stacks[kept] = st;
      }
      keep[kept++] = this.keep[slot] as number;
    }
    this.keep = kept === n ? keep : keep.slice(0, kept);
    this.stacks = stacks;
  }

  matcher(re: RegExp): { fn: (f: number) => boolean; map: (m: number) => boolean } {
    const p = this.p;
    const fnCache = new Int8Array(p.functions.length);
    const mapCache = new Int8Array(p.mappings.length);
    return {
      fn: (f) => {
        if (f < 0) return false;
        let c = fnCache[f] as number;
        if (c === 0) {
          const fn = p.functions[f];
          const ok =
            fn !== undefined && (re.test(p.string(fn.name)) || re.test(p.string(fn.filename)));
          c = ok ? 1 : 2;
          fnCache[f] = c;
        }
        return c === 1;
      },
      map: (m) => {
        if (m < 0) return false;
        let c = mapCache[m] as number;
        if (c === 0) {
          const mp = p.mappings[m];
          c = mp !== undefined && re.test(p.string(mp.filename)) ? 1 : 2;
          mapCache[m] = c;
        }
        return c === 1;
      },
    };
  }

  matchesName(l: Location, m: ReturnType<Work["matcher"]>): boolean {
    for (const ln of l.lines) if (m.fn(ln.function)) return true;
    return m.map(l.mapping);
  }

  filterByName(
    focus: RegExp | undefined,
    ignore: RegExp | undefined,
    hide: RegExp | undefined,
    show: RegExp | undefined,
  ): { fm: boolean; im: boolean; hm: boolean; hnm: boolean } {
    let fm = false;
    let im = false;
    let hm = false;
    let hnm = false;
    const fM = focus && this.matcher(focus);
    const iM = ignore && this.matcher(ignore);
    const hM = hide && this.matcher(hide);
    const sM = show && this.matcher(show);
    // 0: neither, 1: focused, 2: ignored.
    const mark = new Uint8Array(this.locations.length);
    const hidden = new Uint8Array(this.locations.length);
    let anyHidden = false;
    this.locations.forEach((l, li) => {
      if (iM && this.matchesName(l, iM)) {
        im = true;
        mark[li] = 2;
      } else if (!fM || this.matchesName(l, fM)) {
        fm = true;
        mark[li] = 1;
      }
      if (hM && this.matchesName(l, hM)) {
        hm = true;
        // unmatchedLines: a matching mapping hides the whole location.
        l.lines = hM.map(l.mapping)
          ? []
          : l.lines.filter((ln) => !(ln.function >= 0 && hM.fn(ln.function)));
        if (l.lines.length === 0) {
          hidden[li] = 1;
          anyHidden = true;
        }
      }
      if (sM) {
        // matchedLines: a matching mapping shows every line; lines without a function stay.
        if (!sM.map(l.mapping))
          l.lines = l.lines.filter((ln) => ln.function < 0 || sM.fn(ln.function));
        if (l.lines.length === 0) {
          hidden[li] = 1;
          anyHidden = true;
        } else hnm = true;
      }
    });
    this.retain(() => {
      const { cur, lo, hi } = this;
      let focused = false;
      for (let n = lo; n < hi; n++) {
        const m = mark[cur[n] as number] as number;
        if (m === 2) return false;
        if (m === 1) focused = true;
      }
      if (!focused) return false;
      if (!anyHidden) return true;
      let shown = 0;
      for (let n = lo; n < hi; n++) if (hidden[cur[n] as number] === 0) shown++;
      if (shown === hi - lo) return true;
      if (shown === 0) return false;
      const locs = new Uint32Array(shown);
      for (let n = lo, k = 0; n < hi; n++) {
        const li = cur[n] as number;
        if (hidden[li] === 0) locs[k++] = li;
      }
      return locs;
    });
    return { fm, im, hm, hnm };
  }

  showFrom(re: RegExp): boolean {
    const m = this.matcher(re);
    const hit = new Uint8Array(this.locations.length);
    let matched = false;
    this.locations.forEach((l, li) => {
      if (m.map(l.mapping)) {
        hit[li] = 1;
        matched = true;
        return;
      }
      for (let i = l.lines.length - 1; i >= 0; i--) {
        if (m.fn((l.lines[i] as Location["lines"][number]).function)) {
          l.lines = l.lines.slice(0, i + 1);
          hit[li] = 1;
          matched = true;
          return;
        }
      }
    });
    this.retain(() => {
      const { cur, lo, hi } = this;
      for (let i = hi - 1; i >= lo; i--) {
        if (hit[cur[i] as number]) return i === hi - 1 ? true : cur.slice(lo, i + 1);
      }
      return false;
    });
    return matched;
  }

  labels(slot: number): SampleLabels {
    const i = this.keep[slot] as number;
    let l = this.#labelsCache.get(i);
    if (l) return l;
    const p = this.p;
    const s = p.samples;
    l = { str: new Map(), num: new Map() };
    for (let n = s.labelStarts[i] as number; n < (s.labelStarts[i + 1] as number); n++) {
      const key = p.string(s.labelKeys[n] as number);
      if (this.labelFilter && !this.labelFilter(key)) continue;
      if ((s.labelStrs[n] as number) !== 0) {
        const list = l.str.get(key) ?? [];
        list.push(p.string(s.labelStrs[n] as number));
        l.str.set(key, list);
      } else if ((s.labelNums[n] as number) !== 0 || (s.labelUnits[n] as number) !== 0) {
        const list = l.num.get(key) ?? [];
        list.push(s.labelNums[n] as number);
        l.num.set(key, list);
      }
    }
    this.#labelsCache.set(i, l);
    return l;
  }

  filterByTag(
    focus: TagMatch | undefined,
    ignore: TagMatch | undefined,
  ): { fm: boolean; im: boolean } {
    let fm = false;
    let im = false;
    this.retain((slot) => {
      const l = this.labels(slot);
      const focused = focus ? focus(l) : true;
      const ignored = ignore ? ignore(l) : false;
      fm ||= focused;
      im ||= ignored;
      return focused && !ignored;
    });
    return { fm, im };
  }

  filterTagsByName(
    show: RegExp | undefined,
    hide: RegExp | undefined,
  ): { sm: boolean; hm: boolean } {
    let sm = false;
    let hm = false;
    // Go evaluates per present key of each sample; the flags only depend on which keys occur.
    for (let slot = 0; slot < this.keep.length; slot++) {
      const l = this.labels(slot);
      for (const k of [...l.str.keys(), ...l.num.keys()]) {
        if (!show || show.test(k)) sm = true;
        if (hide?.test(k)) hm = true;
      }
    }
    this.labelFilter = (k) => (!show || show.test(k)) && !hide?.test(k);
    this.#labelsCache.clear();
    return { sm, hm };
  }

  pruneFrom(re: RegExp): void {
    const hit = new Uint8Array(this.locations.length);
    const p = this.p;
    this.locations.forEach((l, li) => {
      for (let i = 0; i < l.lines.length; i++) {
        const f = (l.lines[i] as Location["lines"][number]).function;
        const fn = f >= 0 ? p.functions[f] : undefined;
        const name = fn ? p.string(fn.name) : "";
        if (name !== "" && re.test(simplifyFunc(name))) {
          hit[li] = 1;
          l.lines = l.lines.slice(i);
          break;
        }
      }
    });
    this.retain(() => {
      const { cur, lo, hi } = this;
      for (let i = lo; i < hi; i++)
        if (hit[cur[i] as number]) return i === lo ? true : cur.slice(i, hi);
      return true;
    });
  }

  prune(drop: RegExp, keep: RegExp | undefined): void {
    const p = this.p;
    const prune = new Uint8Array(this.locations.length);
    const beneath = new Uint8Array(this.locations.length);
    const cache = new Map<string, boolean>();
    const pruneHere = (name: string) => {
      let r = cache.get(name);
      if (r === undefined) {
        const simple = simplifyFunc(name);
        r = drop.test(simple) && !keep?.test(simple);
        cache.set(name, r);
      }
      return r;
    };
    this.locations.forEach((l, li) => {
      let i = l.lines.length - 1;
      for (; i >= 0; i--) {
        const f = (l.lines[i] as Location["lines"][number]).function;
        const fn = f >= 0 ? p.functions[f] : undefined;
        const name = fn ? p.string(fn.name) : "";
        if (name !== "" && pruneHere(name)) break;
      }
      if (i >= 0) {
        beneath[li] = 1;
        if (i === l.lines.length - 1) prune[li] = 1;
        else l.lines = l.lines.slice(i + 1);
      }
    });
    this.retain(() => {
      const { cur, lo, hi } = this;
      let foundUser = false;
      for (let i = hi - 1; i >= lo; i--) {
        const li = cur[i] as number;
        if (!prune[li] && !beneath[li]) {
          foundUser = true;
          continue;
        }
        if (!foundUser) continue;
        if (prune[li]) return cur.slice(i + 1, hi);
        if (beneath[li]) return i === lo ? true : cur.slice(i, hi);
      }
      return true;
    });
  }

  finish(): Profile {
    const p = this.p;
    const s = p.samples;
    if (this.keep.length === s.count && !this.labelFilter && this.stacks === undefined) {
      // Nothing was dropped or changed: share the sample table.
      return withParts(p, { locations: this.locations });
    }
    const vc = s.valueCount;
    const sink = new SampleSink(vc, this.keep.length);
    for (let slot = 0; slot < this.keep.length; slot++) {
      const i = this.keep[slot] as number;
      const out = sink.begin();
      for (let j = 0; j < vc; j++) {
        const k = i * vc + j;
        sink.setValue(out, j, s.values[k] as number, exactAt(s, k));
      }
      this.at(slot);
      for (let n = this.lo; n < this.hi; n++) sink.pushLocation(this.cur[n] as number);
      for (let n = s.labelStarts[i] as number; n < (s.labelStarts[i + 1] as number); n++) {
        if (this.labelFilter && !this.labelFilter(p.string(s.labelKeys[n] as number))) continue;
        sink.pushLabel(
          s.labelKeys[n] as number,
          s.labelStrs[n] as number,
          s.labelNums[n] as number,
          s.exactLabelNums.get(n),
          s.labelUnits[n] as number,
        );
      }
      sink.end();
    }
    return withParts(p, { samples: sink.table(), locations: this.locations });
  }
}

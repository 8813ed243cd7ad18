// Heap profiles in text: Go's heap/allocs debug=1 output (runtime/pprof
// writeHeapInternal, header "heap profile: N: B [N: B] @ heap/<2*rate>",
// then "inuse: bytes [alloc: bytes] @ addrs" records with symbol comments and
// a "# runtime.MemStats" trailer), and the C++ heapz/growthz/fragmentationz
// forms. Values are unsampled exactly as google/pprof's parseHeap does
// (profile/legacy_profile.go), so totals match `go tool pprof`.

import {
  badText,
  Debug1Extras,
  markSymbolizedMappings,
  parseHexAddresses,
  type TextParseOptions,
  type Unrecognized,
  unrecognized,
} from "./common.js";
import { readAdditionalSections } from "./count.js";
import {
  decAddress,
  LocationsByAddress,
  type LProfile,
  newLProfile,
  parseInt64,
  toInt64,
} from "./legacy-model.js";
import { isSpaceOrComment, type LineReader, trimSpace } from "./lines.js";
import { execAtStarts, signedRunStart } from "./match.js";
import { isMemoryMapSentinel } from "./memory-map.js";

const HEAP_HEADER_RE =
  /heap profile: *([0-9]+): *([0-9]+) *\[ *([0-9]+): *([0-9]+) *\] *@ *(heap[_a-z0-9]*)\/?([0-9]*)/;
// Sticky: tried only where a match can start (see match.ts).
const HEAP_SAMPLE_RE = /(-?[0-9]+): *(-?[0-9]+) *\[ *([0-9]+): *([0-9]+) *] @([ x0-9a-f]*)/y;
const GROWTH_HEADER_RE =
  /heap profile: *([0-9]+): *([0-9]+) *\[ *([0-9]+): *([0-9]+) *\] @ growthz?/;
const FRAGMENTATION_HEADER_RE =
  /heap profile: *([0-9]+): *([0-9]+) *\[ *([0-9]+): *([0-9]+) *\] @ fragmentationz?/;
const MEMSTATS_RE = /^# ([A-Za-z][A-Za-z0-9]*) = (.*)$/s;

/** One `# Name = value` line of the runtime.MemStats trailer, value as printed. */
export interface MemStatsEntry {
  /** Field name, e.g. `"HeapAlloc"`. */
  name: string;
  /** Value text as printed, e.g. `"1439504"`, `"294912 / 294912"` or `"[0 0 …]"`. */
  value: string;
}

/** Result of {@link readHeapProfile}. */
export interface HeapParse {
  p: LProfile;
  memStats: MemStatsEntry[] | undefined;
}

/**
 * scaleHeapSample: undo Poisson sampling at average interval `rate` (the
 * probability of sampling an allocation of size S is 1-exp(-S/rate)).
 */
export function scaleHeapSample(count: bigint, size: bigint, rate: bigint): [bigint, bigint] {
  if (count === 0n || size === 0n) return [0n, 0n];
  if (rate <= 1n) return [count, size];
  const avgSize = Number(size) / Number(count);
  const scale = 1 / (1 - Math.exp(-avgSize / Number(rate)));
  return [truncToInt64(Number(count) * scale), truncToInt64(Number(size) * scale)];
}

function truncToInt64(x: number): bigint {
  if (!Number.isFinite(x)) return x > 0 ? (1n << 63n) - 1n : -(1n << 63n);
  return toInt64(BigInt(Math.trunc(x)));
}

/** Reads a heap profile, or reports it is not one. */
export function readHeapProfile(
  r: LineReader,
  options: TextParseOptions,
): HeapParse | Unrecognized {
  if (!r.scan()) return unrecognized("empty input", 0);
  const first = r.text();
  const p = newLProfile([]);
  p.periodType = ["space", "bytes"];
  let sampling = "";
  let hasAlloc = false;
  const header = HEAP_HEADER_RE.exec(first);
  if (header) {
    const h = parseHeapHeader(header);
    if (!h) return unrecognized(`unknown heap profile kind ${header[5]}`, 1);
    [sampling, p.period, hasAlloc] = h;
  } else if (GROWTH_HEADER_RE.test(first) || FRAGMENTATION_HEADER_RE.test(first)) {
    p.period = 1n;
  } else {
    return unrecognized("not a heap profile header", 1);
  }
  // Alloc before inuse, so that pprof's default (the last type) is inuse_space.
  p.sampleTypes = hasAlloc
    ? [
        ["alloc_objects", "count"],
        ["alloc_space", "bytes"],
        ["inuse_objects", "count"],
        ["inuse_space", "bytes"],
      ]
    : [
        ["objects", "count"],
        ["space", "bytes"],
      ];

  const locs = new LocationsByAddress(p);
  const extras = new Debug1Extras(p, options);
  let memStats: MemStatsEntry[] | undefined;
  while (r.scan()) {
    const line = r.text();
    const t = trimSpace(line);
    if (isSpaceOrComment(t)) {
      if (t === "# runtime.MemStats") {
        memStats = [];
        extras.flush();
      } else if (memStats) {
        const m = MEMSTATS_RE.exec(t);
        if (m) memStats.push({ name: m[1] as string, value: m[2] as string });
      } else {
        extras.comment(line, r.line);
      }
      continue;
    }
    if (isMemoryMapSentinel(t)) break;
    const m = execAtStarts(HEAP_SAMPLE_RE, t, signedRunStart);
    if (!m) throw badText(`malformed heap profile line ${JSON.stringify(t.slice(0, 80))}`, r.line);
    const values: bigint[] = [];
    let blocksize = 0n;
    const addValues = (countText: string, sizeText: string, label: string) => {
      let count = parseInt64(countText);
      let size = parseInt64(sizeText);
      if (count === undefined || size === undefined) {
        throw badText(`malformed heap sample ${JSON.stringify(t.slice(0, 80))}`, r.line);
      }
      if (count === 0n && size !== 0n) {
        throw badText(`${label} count was 0 but ${label} bytes was ${size}`, r.line);
      }
      if (count !== 0n) {
        blocksize = size / count;
        if (sampling === "v2") [count, size] = scaleHeapSample(count, size, p.period);
      }
      values.push(count, size);
    };
    if (hasAlloc) addValues(m[3] as string, m[4] as string, "allocation");
    addValues(m[1] as string, m[2] as string, "inuse");
    const locations = parseHexAddresses(m[5] as string, r.line).map((a) => locs.get(decAddress(a)));
    const sample = {
      values,
      locations,
      labels: [],
      numLabels: [["bytes", blocksize] as [string, bigint]],
    };
    p.samples.push(sample);
    extras.begin(sample, r.line);
  }
  extras.flush();
  readAdditionalSections(r, p);
  if (extras.symbolized) markSymbolizedMappings(p);
  if (memStats && options.memStatsComments) {
    p.comments.push(...memStats.map((e) => `runtime.MemStats ${e.name} = ${e.value}`));
  }
  return { p, memStats };
}

/** parseHeapHeader: [sampling, period, hasAlloc], or undefined for an unknown kind. */
function parseHeapHeader(h: RegExpExecArray): [string, bigint, boolean] | undefined {
  let period = 0n;
  if ((h[6] as string).length > 0) {
    const v = parseInt64(h[6] as string);
    if (v === undefined) return undefined;
    period = v;
  }
  // Go compares the header numbers as text.
  const hasAlloc = (h[3] !== h[1] && h[3] !== "0") || (h[4] !== h[2] && h[4] !== "0");
  switch (h[5]) {
    case "heapz_v2":
    case "heap_v2":
      return ["v2", period, hasAlloc];
    case "heapprofile":
      return ["", 1n, hasAlloc];
    case "heap":
      // runtime/pprof prints 2*MemProfileRate for the C++ profiler's sake.
      return ["v2", period / 2n, hasAlloc];
    default:
      return undefined;
  }
}

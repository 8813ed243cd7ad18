// Go count profiles in debug=1 text: goroutine, threadcreate and custom
// pprof.NewProfile profiles, written by runtime/pprof printCountProfile:
//
//	goroutine profile: total 9
//	5 @ 0x4864ce 0x41806e 0x53bc11 0x48d441
//	# labels: {"tricolor":"parked"}
//	#	0x53bc10	pkg.parkedWorker+0x30	pkg/pprof.go:122
//
// Reading follows google/pprof's parseGoCount (profile/legacy_profile.go):
// every address is a return address and is moved back by one onto the call.

import {
  badText,
  Debug1Extras,
  isUnrecognized,
  markSymbolizedMappings,
  parseIntBase0,
  type TextParseOptions,
  type Unrecognized,
  unrecognized,
} from "./common.js";
import {
  decAddress,
  diagnose,
  finishWithMappings,
  LocationsByAddress,
  type LProfile,
  newLProfile,
} from "./legacy-model.js";
import { isSpaceOrComment, type LineReader } from "./lines.js";
import { isMemoryMapSentinel, readMemoryMap } from "./memory-map.js";

const COUNT_START_RE = /^([^\t\n\f\r ]+) profile: total [0-9]+$/;
// google/pprof requires at least one address; Go 1.19-1.22 print "4 @" for
// threadcreate records without a stack, which this package keeps as a sample
// with an empty stack (and a diagnostic) instead of rejecting the file.
const COUNT_RE = /^([0-9]+) @((?: 0x[0-9a-f]+)*)$/;

/** Result of {@link readCountProfile}: the profile and the name from its header. */
export interface CountParse {
  p: LProfile;
  name: string;
}

/** Reads a count profile, or reports it is not one. */
export function readCountProfile(
  r: LineReader,
  options: TextParseOptions,
): CountParse | Unrecognized {
  while (r.scan() && isSpaceOrComment(r.text())) {}
  const m = COUNT_START_RE.exec(r.text());
  if (!m) return unrecognized("not a count profile header", r.line);
  const name = m[1] as string;
  const p = newLProfile([[name, "count"]]);
  p.periodType = [name, "count"];
  p.period = 1n;
  const locs = new LocationsByAddress(p);
  const extras = new Debug1Extras(p, options);
  while (r.scan()) {
    const line = r.text();
    if (isSpaceOrComment(line)) {
      extras.comment(line, r.line);
      continue;
    }
    if (line.startsWith("---")) break;
    const c = COUNT_RE.exec(line);
    if (!c)
      throw badText(`malformed count profile line ${JSON.stringify(line.slice(0, 80))}`, r.line);
    const n = parseIntBase0(c[1] as string);
    if (n === undefined) throw badText(`count ${c[1]} is not an int64`, r.line);
    const locations = [];
    const fields = (c[2] as string).trim();
    if (fields === "") diagnose(p, "empty-stack", "count profile record without addresses", r.line);
    for (const f of fields === "" ? [] : fields.split(" ")) {
      const addr = BigInt(f);
      if (addr >= 1n << 64n) throw badText(`address ${f} does not fit in 64 bits`, r.line);
      locations.push(locs.get(decAddress(addr)));
    }
    const sample = { values: [n], locations, labels: [], numLabels: [] };
    p.samples.push(sample);
    extras.begin(sample, r.line);
  }
  extras.flush();
  readAdditionalSections(r, p);
  if (extras.symbolized) markSymbolizedMappings(p);
  return { p, name };
}

/** parseAdditionalSections: skip to a memory map, read it, then remap everything. */
export function readAdditionalSections(r: LineReader, p: LProfile): void {
  while (!isMemoryMapSentinel(r.text()) && r.scan()) {}
  finishWithMappings(p, readMemoryMap(r));
}

export { isUnrecognized };

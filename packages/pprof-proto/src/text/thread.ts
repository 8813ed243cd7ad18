// C++ threadz profiles ("--- threadz 1 ---", then "--- Thread ID (name: N/TID)
// stack: ---" blocks of addresses, "[same as previous thread]" markers and a
// memory map), read as google/pprof's parseThread does
// (profile/legacy_profile.go): every address but the leaf is moved back onto
// its call instruction.

import { parseHexAddresses, type Unrecognized, unrecognized } from "./common.js";
import { readAdditionalSections } from "./count.js";
import {
  cleanupDuplicateLocations,
  decAddress,
  LocationsByAddress,
  type LProfile,
  newLProfile,
} from "./legacy-model.js";
import { isSpaceOrComment, type LineReader, trimSpace } from "./lines.js";
import { isMemoryMapSentinel } from "./memory-map.js";

const THREADZ_START_RE = /--- threadz [0-9]+ ---/;
const THREAD_START_RE_ = /--- Thread ([0-9A-Fa-f]+) \(name: (.*)\/([0-9]+)\) stack: ---/s;
// Thread headers are short; the pattern backtracks on long lines, so longer
// ones are never headers here (Go would still try them).
const MAX_HEADER = 4096;
const THREAD_START_RE = {
  test: (line: string) => line.length <= MAX_HEADER && THREAD_START_RE_.test(line),
};

/** Reads a threadz profile, or reports it is not one. */
export function readThreadProfile(s: LineReader): LProfile | Unrecognized {
  while (s.scan() && isSpaceOrComment(s.text())) {}
  let line = s.text();
  if (THREADZ_START_RE.test(line)) {
    while (s.scan()) {
      line = s.text();
      if (isMemoryMapSentinel(line) || line.startsWith("-")) break;
    }
  } else if (!THREAD_START_RE.test(line)) {
    return unrecognized("not a threadz profile header", s.line);
  }
  const p = newLProfile([["thread", "count"]]);
  p.periodType = ["thread", "count"];
  p.period = 1n;
  const locs = new LocationsByAddress(p);
  while (!isMemoryMapSentinel(line)) {
    if (line.startsWith("---- no stack trace for")) break;
    if (!THREAD_START_RE.test(line)) return unrecognized("expected a --- Thread header", s.line);
    let addrs: bigint[];
    [line, addrs] = readThreadSample(s);
    if (addrs.length === 0) {
      // "[same as previous thread]": one more thread with the last stack.
      const prev = p.samples[p.samples.length - 1];
      if (prev) prev.values[0] = (prev.values[0] as bigint) + 1n;
      continue;
    }
    p.samples.push({
      values: [1n],
      locations: addrs.map((a, i) => locs.get(i > 0 ? decAddress(a) : a)),
      labels: [],
      numLabels: [],
    });
  }
  readAdditionalSections(s, p);
  cleanupDuplicateLocations(p);
  return p;
}

/** parseThreadSample: the addresses of one block and the (trimmed) line that ended it. */
function readThreadSample(s: LineReader): [string, bigint[]] {
  let line = "";
  let same = false;
  const addrs: bigint[] = [];
  while (s.scan()) {
    line = trimSpace(s.text());
    if (line === "") continue;
    if (line.startsWith("---")) break;
    if (line.includes("same as previous thread")) {
      same = true;
      continue;
    }
    addrs.push(...parseHexAddresses(line, s.line));
  }
  return [line, same ? [] : addrs];
}

// Binary CPU profiles: gperftools' profiler format, which Go's runtime/pprof
// also wrote before Go 1.9 (and Java agents with a flag word of 1). A header
// of five words (0, 3, 0 or 1, period in microseconds, 0) in 32- or 64-bit,
// little- or big-endian words, then records (count, depth, addresses...), an
// end marker (0, 1, 0) and a text memory map. Follows google/pprof's
// parseCPU, cpuProfile and parseCPUSamples (profile/legacy_profile.go).

import { type Unrecognized, unrecognized } from "./common.js";
import { readJavaLocations } from "./java.js";
import {
  cleanupDuplicateLocations,
  decAddress,
  finishWithMappings,
  LocationsByAddress,
  type LProfile,
  newLProfile,
  toInt64,
} from "./legacy-model.js";
import { LineReader } from "./lines.js";
import { readMemoryMap } from "./memory-map.js";

/** Word reader over the profile bytes; `failed` mirrors Go's nil slice after a short read. */
class Words {
  readonly b: Uint8Array;
  readonly size: 4 | 8;
  readonly little: boolean;
  pos = 0;
  failed = false;
  constructor(b: Uint8Array, size: 4 | 8, little: boolean) {
    this.b = b;
    this.size = size;
    this.little = little;
  }
  get remaining(): number {
    return this.failed ? 0 : this.b.length - this.pos;
  }
  read(): bigint {
    if (this.failed || this.b.length - this.pos < this.size) {
      this.failed = true;
      return 0n;
    }
    const b = this.b;
    let v = 0n;
    for (let i = 0; i < this.size; i++) {
      const byte = b[this.pos + (this.little ? this.size - 1 - i : i)] as number;
      v = (v << 8n) | BigInt(byte);
    }
    this.pos += this.size;
    return v;
  }
}

const LAYOUTS: [4 | 8, boolean][] = [
  [4, true],
  [4, false],
  [8, true],
  [8, false],
];

/** Result of {@link readCpuProfile}. */
export interface CpuParse {
  p: LProfile;
  java: boolean;
}

/** Reads a binary CPU profile (C++ or Java flavour), or reports it is not one. */
export function readCpuProfile(b: Uint8Array): CpuParse | Unrecognized {
  for (const [size, little] of LAYOUTS) {
    const w = new Words(b, size, little);
    const n1 = w.read();
    const n2 = w.read();
    const n3 = w.read();
    const n4 = w.read();
    const n5 = w.read();
    if (w.failed || n1 !== 0n || n2 !== 3n || n5 !== 0n || n4 === 0n) continue;
    const period = toInt64(n4);
    if (n3 === 0n || n3 === 1n) {
      const java = n3 === 1n;
      const p = java ? javaCpuProfile(w, period) : cppCpuProfile(w, period);
      return "unrecognized" in p ? p : { p, java };
    }
  }
  return unrecognized("not a binary CPU profile", 0);
}

function newCpuProfile(period: bigint): LProfile {
  const p = newLProfile([
    ["samples", "count"],
    ["cpu", "nanoseconds"],
  ]);
  p.period = toInt64(period * 1000n);
  p.periodType = ["cpu", "nanoseconds"];
  return p;
}

/** parseCPUSamples: records until the end marker; returns the locations by address. */
function readCpuSamples(w: Words, adjust: boolean, p: LProfile): LocationsByAddress | Unrecognized {
  const locs = new LocationsByAddress(p);
  while (w.remaining > 0) {
    const count = w.read();
    const nstk = w.read();
    // The depth is checked against what is left before anything is allocated.
    if (w.failed || nstk > BigInt(Math.floor(w.remaining / 4))) {
      return unrecognized(`stack depth ${nstk} exceeds the remaining bytes`, 0);
    }
    const addrs: bigint[] = [];
    for (let i = 0; i < Number(nstk); i++) addrs.push(w.read());
    if (count === 0n && nstk === 1n && addrs[0] === 0n) break;
    p.samples.push({
      values: [toInt64(count), toInt64(toInt64(count) * p.period)],
      locations: addrs.map((a, i) => locs.get(adjust && i > 0 ? decAddress(a) : a)),
      labels: [],
      numLabels: [],
    });
  }
  return locs;
}

function cppCpuProfile(w: Words, period: bigint): LProfile | Unrecognized {
  const p = newCpuProfile(period);
  const locs = readCpuSamples(w, true, p);
  if ("unrecognized" in locs) return locs;

  // If most samples share their second frame, it is the signal handler's own
  // frame, not the program's: strip it (at most twice). The leaf comes from
  // the signal context and is always right.
  const margin = Math.floor(p.samples.length / 32);
  for (let iter = 0; iter < 2; iter++) {
    const counts = new Map<bigint, number>();
    for (const s of p.samples) {
      const second = s.locations[1];
      if (second) counts.set(second.address, (counts.get(second.address) ?? 0) + 1);
    }
    for (const [addr, count] of counts) {
      if (count >= p.samples.length - margin) {
        for (const s of p.samples) {
          if (s.locations.length > 1 && s.locations[1]?.address === addr) s.locations.splice(1, 1);
        }
        break;
      }
    }
  }
  finishWithMappings(p, readMemoryMap(new LineReader(w.b.subarray(w.failed ? w.b.length : w.pos))));
  cleanupDuplicateLocations(p);
  return p;
}

function javaCpuProfile(w: Words, period: bigint): LProfile | Unrecognized {
  const p = newCpuProfile(period);
  const locs = readCpuSamples(w, false, p);
  if ("unrecognized" in locs) return locs;
  readJavaLocations(new LineReader(w.b.subarray(w.failed ? w.b.length : w.pos)), locs, p);
  return p;
}

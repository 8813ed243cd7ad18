// Decode a real Go allocation profile (runtime/pprof output bundled with the
// repository), look at it through the resolved view, check that re-encoding
// round-trips exactly, and print the first lines of its `pprof -raw` text.
// Go's text profiles (`?debug=1`, goroutine `?debug=2` dumps) work too.
//
//   npx tsx --conditions=@tricolor/source examples/pprof-proto-basic/main.ts [profile.pb.gz]
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  decodeProfile,
  encodeProfile,
  isPprofError,
  parseProfile,
  toRawString,
} from "@tricolor/pprof-proto";

const here = dirname(fileURLToPath(import.meta.url));
const path =
  process.argv[2] ?? join(here, "..", "..", "fixtures", "go1.26.8", "pprof", "allocs.pb.gz");

// gzip is detected by its magic bytes; raw protos work too, and parseProfile
// falls back to Go's text formats. Bad input is a PprofError with a position.
function load(file: string) {
  try {
    return parseProfile(new Uint8Array(readFileSync(file)));
  } catch (error) {
    if (isPprofError(error) || (error as NodeJS.ErrnoException).code !== undefined) {
      console.error(`${file}: ${(error as Error).message}`);
      process.exit(1);
    }
    throw error;
  }
}
const profile = load(path);
const types = profile.resolvedSampleTypes();
console.log(`sample types: ${types.map((t) => `${t.type}/${t.unit}`).join(", ")}`);
console.log(
  `${profile.samples.count} samples, ${profile.locationCount} locations, ` +
    `${profile.functionCount} functions, ${profile.mappings.length} mappings`,
);
console.log(`time_nanos: ${profile.timeNanos} (a bigint, exact above 2^53)`);

// Flat totals per leaf function for the last sample type (alloc_space / inuse_space
// for heap profiles), through the resolved, convenient view.
const j = types.length - 1;
const flat = new Map<string, bigint>();
let total = 0n;
for (const s of profile.resolvedSamples()) {
  const v = s.exactValues[j] as bigint;
  total += v;
  const leaf = s.frames[0]?.functionName ?? "(unknown)";
  flat.set(leaf, (flat.get(leaf) ?? 0n) + v);
}
console.log(`total ${types[j]?.type}: ${total} ${types[j]?.unit}`);
const top = [...flat].sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0)).slice(0, 5);
for (const [fn, v] of top) console.log(`  ${String(v).padStart(12)}  ${fn}`);

// The struct-of-arrays columns, for when speed matters.
const { values, valueCount, locationStarts } = profile.samples;
let deepest = 0;
for (let i = 0; i < profile.samples.count; i++) {
  deepest = Math.max(deepest, (locationStarts[i + 1] as number) - (locationStarts[i] as number));
}
console.log(
  `deepest stack: ${deepest} locations; first value row: ${Array.from(values.subarray(0, valueCount)).join(" ")}`,
);

// Re-encoding gives the bytes google/pprof would write; decoding them again
// gives back the same profile.
const raw = encodeProfile(profile, { gzip: false });
const again = encodeProfile(decodeProfile(raw), { gzip: false });
console.log(
  `re-encoded: ${raw.length} bytes, stable: ${Buffer.from(raw).equals(Buffer.from(again))}`,
);

console.log("pprof -raw:");
for (const line of toRawString(profile).split("\n").slice(0, 6)) console.log(`  ${line}`);

// The public corpus protos (google/pprof's testdata and DataDog's
// pprof-format fixtures) against two oracles nobody on this team wrote: Go's
// github.com/google/pprof/profile (byte-identical re-encoding, identical
// Profile.String, i.e. `pprof -raw`) and the npm pprof-format decoder
// (sample counts, value totals, location ids).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { decodeProfile, encodeProfile, toRawString } from "@tricolor/pprof-proto";
import { Profile as PeerProfile } from "pprof-format";
import { describe, expect, it } from "vitest";
import { corpusRoot, goReference, hasCorpus } from "./go-reference.js";

const files = [
  "google-pprof/proto/large.cpu",
  "google-pprof/proto/sample.cpu",
  "google-pprof/proto/cppbench.cpu_no_samples_type",
  "google-pprof/proto/go.nomappings.crash",
  "datadog-pprof-format/test.pprof",
  "datadog-pprof-format/non-packed-repeated.pprof",
];

if (!hasCorpus) {
  console.warn(`pprof-proto: ${corpusRoot} is absent; corpus tests are skipped`);
}

describe.skipIf(!hasCorpus)("public corpus protos", () => {
  const go = hasCorpus ? goReference() : undefined;
  if (hasCorpus && !go) console.warn("pprof-proto: Go is unavailable; Go comparisons are skipped");

  describe.each(files)("%s", (rel) => {
    const path = join(corpusRoot, rel);
    const bytes = hasCorpus ? new Uint8Array(readFileSync(path)) : new Uint8Array(0);

    it("agrees with pprof-format on samples, totals and location ids", () => {
      const p = decodeProfile(bytes);
      const raw = bytes[0] === 0x1f ? gunzipSync(bytes) : bytes;
      const peer = PeerProfile.decode(raw);
      expect(p.samples.count).toBe(peer.sample.length);
      expect(p.locations.length).toBe(peer.location.length);
      expect(p.sampleTypes.length).toBe(peer.sampleType.length);
      const totals = p.sampleTypes.map(() => 0n);
      const peerTotals = p.sampleTypes.map(() => 0n);
      for (let i = 0; i < p.samples.count; i++) {
        const ps = peer.sample[i];
        if (!ps) throw new Error("missing peer sample");
        for (let j = 0; j < totals.length; j++) {
          totals[j] = (totals[j] as bigint) + p.sampleValueExact(i, j);
          peerTotals[j] = (peerTotals[j] as bigint) + BigInt(ps.value[j] ?? 0);
        }
        const ids = Array.from(p.sampleLocations(i), (li) => p.locations[li]?.id);
        expect(ids).toEqual(ps.locationId.map((x) => BigInt(x)));
      }
      expect(totals).toEqual(peerTotals);
    });

    it.skipIf(!go)("re-encodes to exactly the bytes google/pprof writes", () => {
      const mine = encodeProfile(decodeProfile(bytes), { gzip: false });
      const theirs = go?.reencode(path) as Uint8Array;
      expect(mine.length).toBe(theirs.length);
      expect(Buffer.from(mine).equals(Buffer.from(theirs))).toBe(true);
    });

    it.skipIf(!go)("prints the same -raw text as google/pprof", () => {
      expect(toRawString(decodeProfile(bytes))).toBe(go?.raw(path));
    });
  });

  it("keeps the DataDog non-packed fixture's unpacked values", () => {
    const p = decodeProfile(new Uint8Array(readFileSync(join(corpusRoot, files[5] as string))));
    // Its single sample carries its values as separate (unpacked) fields;
    // pprof-format once decoded them wrongly. Compare with the peer's view.
    const peer = PeerProfile.decode(readFileSync(join(corpusRoot, files[5] as string)));
    expect(p.resolveSample(0).exactValues).toEqual(peer.sample[0]?.value.map((v) => BigInt(v)));
  });
});

// Real runtime/pprof output from every Go toolchain under fixtures/, checked
// against the generating program's facts and, when Go is installed, against
// `go tool pprof -raw` and google/pprof's re-encoding of the same file.

import { decodeProfile, encodeProfile, type Profile, toRawString } from "@tricolor/pprof-proto";
import { describe, expect, it } from "vitest";
import {
  fixtureFile,
  goVersions,
  latestGoVersion,
  type ProfileFacts,
  readFacts,
  readFixtureRaw,
} from "../../../fixtures/fixtures.js";
import { goReference } from "./go-reference.js";

const kinds = ["cpu", "heap", "allocs", "goroutine", "threadcreate", "block", "mutex", "custom"];
const versions = goVersions();
const latest = latestGoVersion();
const go = goReference();
if (!go)
  console.warn(
    "pprof-proto: Go is unavailable; fixture comparisons with go tool pprof are skipped",
  );

/** Function names on each sample's stack (inlined frames included). */
function stacks(p: Profile): string[][] {
  return Array.from(p.resolvedSamples(), (s) => s.frames.map((f) => f.functionName));
}

/** Sum of value column `type` over samples whose stack contains `fn`. */
function totalWith(p: Profile, type: string, fn: string): number {
  const j = p.resolvedSampleTypes().findIndex((t) => t.type === type);
  expect(j).toBeGreaterThanOrEqual(0);
  let total = 0;
  for (const s of p.resolvedSamples()) {
    if (s.frames.some((f) => f.functionName === fn)) total += s.values[j] as number;
  }
  return total;
}

describe.each(versions)("fixtures/%s/pprof", (version) => {
  describe.each(kinds)("%s.pb.gz", (kind) => {
    const rel = `pprof/${kind}.pb.gz`;
    const facts = readFacts<ProfileFacts>(version, rel);
    const p = decodeProfile(readFixtureRaw(version, rel));

    it("has every function the generator put on a stack", () => {
      const names = new Set(stacks(p).flat());
      for (const fn of facts.functions) expect(names).toContain(fn);
    });

    // `go tool pprof` takes ~0.4 s to start: run it on the newest toolchain's
    // files only (defined only there, so nothing is reported as skipped), and
    // google/pprof's Profile.String (what -raw prints) on all.
    if (version === latest) {
      it.skipIf(!go)("prints what `go tool pprof -raw` prints", () => {
        expect(toRawString(p)).toBe(go?.toolRaw(fixtureFile(version, rel)));
      });
    }

    it.skipIf(!go)("prints what google/pprof's Profile.String prints", () => {
      expect(toRawString(p)).toBe(go?.raw(fixtureFile(version, rel)));
    });

    it.skipIf(!go)("re-encodes to google/pprof's bytes", () => {
      const mine = encodeProfile(p, { gzip: false });
      expect(
        Buffer.from(mine).equals(Buffer.from(go?.reencode(fixtureFile(version, rel)) ?? [])),
      ).toBe(true);
    });
  });

  it("allocs: allocKnown's exact counts (MemProfileRate 1)", () => {
    const rel = "pprof/allocs.pb.gz";
    const facts = readFacts<ProfileFacts>(version, rel);
    const p = decodeProfile(readFixtureRaw(version, rel));
    const fn = facts.functions[0] as string;
    expect(totalWith(p, "alloc_objects", fn)).toBe(facts.knownAllocObjects);
    expect(totalWith(p, "alloc_space", fn)).toBe(
      (facts.knownAllocObjects as number) * (facts.knownAllocSize as number),
    );
    expect(totalWith(p, "inuse_objects", fn)).toBe(facts.knownInuseObjects);
  });

  it("goroutine: parked goroutines and their labels", () => {
    const rel = "pprof/goroutine.pb.gz";
    const facts = readFacts<ProfileFacts>(version, rel);
    const p = decodeProfile(readFixtureRaw(version, rel));
    const fn = facts.functions[0] as string;
    expect(totalWith(p, "goroutine", fn)).toBe(facts.parkedGoroutines);
    const label = facts.labels?.[0] as { key: string; value: string };
    let labeled = 0;
    for (const s of p.resolvedSamples()) {
      if (s.labels.get(label.key)?.includes(label.value)) labeled += s.values[0] as number;
    }
    expect(labeled).toBe(facts.labeledGoroutines);
  });

  it("cpu: pprof.Do labels survive, time_nanos is exact", () => {
    const rel = "pprof/cpu.pb.gz";
    const facts = readFacts<ProfileFacts>(version, rel);
    const p = decodeProfile(readFixtureRaw(version, rel));
    const seen = new Set<string>();
    for (const s of p.resolvedSamples()) {
      for (const [k, vs] of s.labels) for (const v of vs) seen.add(`${k}=${v}`);
    }
    for (const l of facts.labels ?? []) expect(seen).toContain(`${l.key}=${l.value}`);
    // A 2020s timestamp in ns is above 2^53; a double would have rounded it.
    expect(p.timeNanos).toBeGreaterThan(2n ** 53n);
  });

  it("custom: Add call counts per function", () => {
    const rel = "pprof/custom.pb.gz";
    const facts = readFacts<ProfileFacts>(version, rel);
    const p = decodeProfile(readFixtureRaw(version, rel));
    for (const e of facts.customEntries ?? []) {
      expect(totalWith(p, p.resolvedSampleTypes()[0]?.type as string, e.function)).toBe(e.count);
    }
  });
});

// Operations against `go tool pprof -proto`, which runs google/pprof's
// Merge (several inputs), the -base/-diff_base construction and the focus
// filters, then writes the profile. We run ours on the same files and compare
// the `pprof -raw` text of both (toRawString of the decoded Go output), so
// samples, values, labels, locations, functions, mappings and ids must all
// agree. Skipped, visibly, without Go.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  fixtureFile,
  goVersions,
  hasGo,
  latestGoVersion,
  readFixtureRaw,
} from "../../../fixtures/fixtures.js";
import { decodeProfile } from "../src/decode.js";
import { encodeProfile } from "../src/encode.js";
import { diffProfiles } from "../src/ops/diff.js";
import { type FilterOptions, filterProfile } from "../src/ops/filter.js";
import { mergeProfiles } from "../src/ops/merge.js";
import { normalizeProfile } from "../src/ops/scale.js";
import { toRawString } from "../src/raw.js";

const run = promisify(execFile);
const go = hasGo();

async function goProto(args: string[]): Promise<string> {
  const { stdout } = await run("go", ["tool", "pprof", "-symbolize=none", "-proto", ...args], {
    env: { ...process.env, TZ: "UTC", GOTOOLCHAIN: "local" },
    encoding: "buffer",
    maxBuffer: 1 << 28,
  });
  return toRawString(decodeProfile(new Uint8Array(stdout)));
}

const file = (v: string, kind: string) => fixtureFile(v, `pprof/${kind}.pb.gz`);
const load = (v: string, kind: string) => decodeProfile(readFixtureRaw(v, `pprof/${kind}.pb.gz`));

describe.skipIf(!go)("operations equal go tool pprof -proto", () => {
  const versions = goVersions();
  const latest = latestGoVersion();
  const older = versions[Math.max(0, versions.length - 3)] as string;

  it.each(["cpu", "heap", "allocs", "goroutine", "block", "mutex", "custom"])(
    "merge of %s across three Go versions",
    async (kind) => {
      const vs = [latest, older, versions[0] as string];
      const want = await goProto(vs.map((v) => file(v, kind)));
      const merged = mergeProfiles(vs.map((v) => load(v, kind)));
      expect(toRawString(merged)).toBe(want);
      // And the merged profile survives our own encode/decode unchanged.
      expect(toRawString(decodeProfile(encodeProfile(merged)))).toBe(want);
    },
  );

  it("merge of a profile with itself doubles every value", async () => {
    const want = await goProto([file(latest, "allocs"), file(latest, "allocs")]);
    expect(toRawString(mergeProfiles([load(latest, "allocs"), load(latest, "allocs")]))).toBe(want);
  });

  it.each(["heap", "allocs", "cpu"])("-diff_base and -base on %s", async (kind) => {
    const [diffBase, base, norm] = await Promise.all([
      goProto([`-diff_base=${file(older, kind)}`, file(latest, kind)]),
      goProto([`-base=${file(older, kind)}`, file(latest, kind)]),
      goProto([`-diff_base=${file(older, kind)}`, "-normalize", file(latest, kind)]),
    ]);
    const p = load(latest, kind);
    const b = load(older, kind);
    expect(toRawString(diffProfiles(p, b))).toBe(diffBase);
    expect(toRawString(diffProfiles(p, b, { mode: "base" }))).toBe(base);
    expect(toRawString(diffProfiles(p, b, { normalize: true }))).toBe(norm);
  });

  it("-base of a profile against itself leaves no samples", async () => {
    const want = await goProto([`-base=${file(latest, "allocs")}`, file(latest, "allocs")]);
    const got = diffProfiles(load(latest, "allocs"), load(latest, "allocs"), { mode: "base" });
    expect(got.samples.count).toBe(0);
    expect(toRawString(got)).toBe(want);
  });

  const filters: [string, string[], FilterOptions][] = [
    ["cpu", ["-focus=burnCPU$"], { focus: "burnCPU$" }],
    [
      "cpu",
      ["-hide=runtime", "-tagfocus=tricolor=cpu"],
      { hide: "runtime", tagFocus: "tricolor=cpu" },
    ],
    [
      "cpu",
      ["-ignore=Load", "-tagignore=hash", "-show=pprof"],
      { ignore: "Load", tagIgnore: "hash", show: "pprof" },
    ],
    ["cpu", ["-show_from=Write", "-prune_from=burn"], { showFrom: "Write", pruneFrom: "burn" }],
    ["cpu", ["-tagshow=tri"], { tagShow: "tri" }],
    ["heap", ["-taghide=bytes", "-tagfocus=32b:64b"], { tagHide: "bytes", tagFocus: "32b:64b" }],
    [
      "goroutine",
      ["-tagfocus=parked", "-focus=(?i)PARKED"],
      { tagFocus: "parked", focus: "(?i)PARKED" },
    ],
    ["block", ["-ignore=[[:upper:]]Group"], { ignore: "[[:upper:]]Group" }],
  ];
  it.each(filters)("filters on %s: %j", async (kind, args, options) => {
    const want = await goProto([...args, file(latest, kind)]);
    expect(toRawString(filterProfile(load(latest, kind), options).profile)).toBe(want);
  });

  it("normalize scales to the base's totals", async () => {
    // -normalize without a diff: go tool pprof -base normalizes p before subtracting;
    // here we check our normalize against the Go merge of normalized minus base.
    const p = load(latest, "allocs");
    const b = load(older, "allocs");
    const want = await goProto([
      `-base=${file(older, "allocs")}`,
      "-normalize",
      file(latest, "allocs"),
    ]);
    expect(toRawString(diffProfiles(p, b, { mode: "base", normalize: true }))).toBe(want);
    expect(normalizeProfile(p, b).samples.count).toBeLessThanOrEqual(p.samples.count);
  });
});

// Only without Go: a visible skip, so that a run without Go says what it did not check.
if (!go) {
  describe("go tool pprof -proto comparisons", () => {
    it.skip("skipped: no Go toolchain on PATH", () => {});
  });
}

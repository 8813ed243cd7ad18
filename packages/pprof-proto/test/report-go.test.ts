// Reports against `go tool pprof` run on the same fixture file in the test:
// the text must be byte-identical (header lines, totals, row order,
// "(inline)" marks, "Dropped N nodes" lines). Skipped, visibly, without Go.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  fixtureFile,
  goVersions,
  hasGo,
  latestGoVersion,
  profileKinds,
  readFixtureRaw,
} from "../../../fixtures/fixtures.js";
import { decodeProfile } from "../src/decode.js";
import { diffProfiles } from "../src/ops/diff.js";
import { formatTop, type TopOptions, topReport } from "../src/report/top.js";
import { formatTraces, tracesReport } from "../src/report/traces.js";
import { formatTree, treeReport } from "../src/report/tree.js";

const run = promisify(execFile);
const go = hasGo();

/** `go tool pprof ARGS FILE` with a fixed time zone, stdout only. */
async function goPprof(args: string[], file: string): Promise<string> {
  const { stdout } = await run("go", ["tool", "pprof", "-symbolize=none", ...args, file], {
    env: { ...process.env, TZ: "UTC", GOTOOLCHAIN: "local" },
    maxBuffer: 1 << 28,
  });
  return stdout;
}

function profileOf(version: string, kind: string) {
  return decodeProfile(readFixtureRaw(version, `pprof/${kind}.pb.gz`));
}

describe.skipIf(!go)("top/traces/tree equal go tool pprof", () => {
  const versions = goVersions();
  const latest = latestGoVersion();

  it.each(versions)("-top -nodecount=12 on every profile kind of %s", async (v) => {
    await Promise.all(
      profileKinds.map(async (kind) => {
        const file = fixtureFile(v, `pprof/${kind}.pb.gz`);
        const want = await goPprof(["-top", "-nodecount=12"], file);
        const got = formatTop(topReport(profileOf(v, kind), { nodeCount: 12 }));
        expect(got, `${v} ${kind}`).toBe(want);
      }),
    );
  });

  it.each(profileKinds)(`-top, -traces and -tree on ${latest} %s`, async (kind) => {
    const file = fixtureFile(latest, `pprof/${kind}.pb.gz`);
    const p = profileOf(latest, kind);
    const [top, traces, tree] = await Promise.all([
      goPprof(["-top"], file),
      goPprof(["-traces"], file),
      goPprof(["-tree"], file),
    ]);
    const report = topReport(p);
    expect(formatTop(report)).toBe(top);
    expect(formatTraces(tracesReport(p))).toBe(traces);
    expect(formatTree(treeReport(p))).toBe(tree);
    // The totals are independent of the formatting: flat sums to the shown total.
    expect(report.rows.reduce((a, r) => a + r.flat, 0)).toBe(report.shownTotal);
  });

  // Options of go tool pprof and ours, on the CPU / allocs / goroutine profiles.
  const cases: [string, string[], TopOptions][] = [
    ["cpu", ["-top", "-cum"], { cum: true }],
    ["cpu", ["-top", "-lines", "-noinlines"], { granularity: "lines", noInlines: true }],
    ["cpu", ["-top", "-addresses"], { granularity: "addresses" }],
    ["cpu", ["-top", "-unit=ms"], { unit: "ms" }],
    ["cpu", ["-top", "-focus=burnCPU$"], { focus: "burnCPU$" }],
    ["cpu", ["-top", "-ignore=Hash", "-hide=pprof"], { ignore: "Hash", hide: "pprof" }],
    ["cpu", ["-top", "-show_from=Write"], { showFrom: "Write" }],
    ["cpu", ["-top", "-tagfocus=phase=hash"], { tagFocus: "phase=hash" }],
    [
      "cpu",
      ["-top", "-relative_percentages", "-tagignore=hash"],
      { tagIgnore: "hash", relativePercentages: true },
    ],
    ["allocs", ["-top", "-lines", "-showcolumns"], { granularity: "lines", showColumns: true }],
    ["allocs", ["-top", "-filefunctions"], { granularity: "filefunctions" }],
    [
      "allocs",
      ["-top", "-sample_index=alloc_objects", "-nodecount=3"],
      { sampleIndex: "alloc_objects", nodeCount: 3 },
    ],
    [
      "allocs",
      ["-top", "-nodefraction=0", "-edgefraction=0"],
      { nodeFraction: 0, edgeFraction: 0 },
    ],
    ["heap", ["-top", "-tagfocus=48b"], { tagFocus: "48b" }],
    ["heap", ["-top", "-tagfocus=:1kb", "-sample_index=1"], { tagFocus: ":1kb", sampleIndex: 1 }],
    [
      "goroutine",
      ["-top", "-tagignore=parked", "-prune_from=gopark"],
      { tagIgnore: "parked", pruneFrom: "gopark" },
    ],
    ["goroutine", ["-top", "-show=runtime"], { show: "runtime" }],
    [
      "goroutine",
      ["-top", "-taghide=tri", "-compact_labels"],
      { tagHide: "tri", compactLabels: true },
    ],
  ];
  it.each(cases)(`-top on ${latest} %s with %j`, async (kind, args, options) => {
    const want = await goPprof(args, fixtureFile(latest, `pprof/${kind}.pb.gz`));
    expect(formatTop(topReport(profileOf(latest, kind), options))).toBe(want);
  });

  it.each([
    ["heap", [], {}],
    ["allocs", ["-drop_negative", "-cum"], { dropNegative: true, cum: true }],
  ] as [string, string[], TopOptions][])(
    "-top -diff_base on %s %j",
    async (kind, args, options) => {
      // Percentages of a diff are taken against the base's total (pprof::base samples).
      const base = versions[Math.max(0, versions.length - 3)] as string;
      const want = await goPprof(
        ["-top", ...args, `-diff_base=${fixtureFile(base, `pprof/${kind}.pb.gz`)}`],
        fixtureFile(latest, `pprof/${kind}.pb.gz`),
      );
      const diff = diffProfiles(profileOf(latest, kind), profileOf(base, kind));
      expect(formatTop(topReport(diff, options))).toBe(want);
    },
  );

  it(`-traces with labels, lines and another sample index on ${latest}`, async () => {
    const want = await goPprof(
      ["-traces", "-lines", "-sample_index=alloc_space"],
      fixtureFile(latest, "pprof/heap.pb.gz"),
    );
    const got = formatTraces(
      tracesReport(profileOf(latest, "heap"), { granularity: "lines", sampleIndex: "alloc_space" }),
    );
    expect(got).toBe(want);
  });
});

// Only without Go: a visible skip, so that a run without Go says what it did not check.
if (!go) {
  describe("go tool pprof comparisons", () => {
    it.skip("skipped: no Go toolchain on PATH", () => {});
  });
}

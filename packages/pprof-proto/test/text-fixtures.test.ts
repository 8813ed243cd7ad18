// Go's own debug=1 and debug=2 text, from every toolchain in fixtures/,
// checked against what the generating program knew (the facts sidecars), the
// proto form of the same profile written by the same process, and Go's
// github.com/google/pprof/profile run on the same file.

import { describe, expect, it } from "vitest";
import {
  fixtureFile,
  goVersions,
  latestGoVersion,
  type ProfileFacts,
  readFacts,
  readFixture,
  readFixtureRaw,
  readText,
} from "../../../fixtures/fixtures.js";
import {
  decodeProfile,
  isPprofError,
  type PprofError,
  type Profile,
  parseProfile,
  toRawString,
} from "../src/index.js";
import { parseGoroutineDump, parseProfileText } from "../src/text/index.js";
import { goReference } from "./go-reference.js";

const versions = goVersions();
const debug1Kinds = ["goroutine", "heap", "allocs", "block", "mutex", "threadcreate", "custom"];

/** Function names of sample i's stack (all lines of all locations). */
function functionsOf(p: Profile, i: number): string[] {
  return p.resolveSample(i).frames.map((f) => f.functionName);
}

/** Sum of value j over samples whose stack contains `fn` (and matches `pred`). */
function sumWhere(
  p: Profile,
  j: number,
  fn: string,
  pred: (i: number) => boolean = () => true,
): number {
  let total = 0;
  for (let i = 0; i < p.samples.count; i++) {
    if (functionsOf(p, i).includes(fn) && pred(i)) total += p.sampleValue(i, j);
  }
  return total;
}

function allFunctionNames(p: Profile): Set<string> {
  const names = new Set<string>();
  for (const f of p.functions) names.add(p.string(f.name));
  return names;
}

describe.each(versions)("Go text profiles from %s", (v) => {
  const text = (kind: string) => readFixture(v, `pprof/${kind}.debug1.txt`);
  const facts = (kind: string) => readFacts<ProfileFacts>(v, `pprof/${kind}.debug1.txt`);

  it("recognises every debug=1 kind", () => {
    const want: Record<string, string> = {
      goroutine: "count",
      threadcreate: "count",
      custom: "count",
      heap: "heap",
      allocs: "heap",
      block: "contention",
      mutex: "contention",
    };
    for (const kind of debug1Kinds)
      expect(parseProfileText(text(kind)).format, kind).toBe(want[kind]);
  });

  it("goroutine: counts, symbols and labels match the facts", () => {
    const f = facts("goroutine");
    const r = parseProfileText(text("goroutine"));
    const p = r.profile;
    expect(r.name).toBe("goroutine");
    const header = /total ([0-9]+)/.exec(readText(v, "pprof/goroutine.debug1.txt"));
    let total = 0;
    for (let i = 0; i < p.samples.count; i++) total += p.sampleValue(i, 0);
    expect(total).toBe(Number(header?.[1]));
    const parked = f.functions[0] as string;
    expect(sumWhere(p, 0, parked)).toBe(f.parkedGoroutines);
    const label = (f.labels ?? [])[0] as { key: string; value: string };
    const labeled = (i: number) => p.resolveSample(i).labels.get(label.key)?.[0] === label.value;
    expect(sumWhere(p, 0, parked, labeled)).toBe(f.labeledGoroutines);
  });

  it("heap and allocs: the known allocation site has exact counts and the MemStats trailer", () => {
    for (const kind of ["heap", "allocs"]) {
      const f = facts(kind);
      const r = parseProfileText(text(kind));
      const p = r.profile;
      expect(p.resolvedSampleTypes().map((t) => t.type)).toEqual([
        "alloc_objects",
        "alloc_space",
        "inuse_objects",
        "inuse_space",
      ]);
      const site = f.functions[0] as string;
      expect(sumWhere(p, 0, site), kind).toBe(f.knownAllocObjects);
      expect(sumWhere(p, 1, site)).toBe((f.knownAllocObjects ?? 0) * (f.knownAllocSize ?? 0));
      expect(sumWhere(p, 2, site)).toBe(f.knownInuseObjects);
      expect(sumWhere(p, 3, site)).toBe((f.knownInuseObjects ?? 0) * (f.knownAllocSize ?? 0));
      const ms = new Map((r.memStats ?? []).map((e) => [e.name, e.value]));
      for (const name of ["Alloc", "HeapAlloc", "Mallocs", "Frees", "NumGC", "PauseNs", "Stack"]) {
        expect(ms.has(name), name).toBe(true);
      }
      // runtime.MemStats defines Alloc as HeapAlloc.
      expect(ms.get("Alloc")).toBe(ms.get("HeapAlloc"));
      expect(BigInt(ms.get("Mallocs") ?? "0")).toBeGreaterThanOrEqual(
        BigInt(ms.get("Frees") ?? "0"),
      );
      expect(p.comments).toEqual([]);
      const withComments = parseProfileText(text(kind), { memStatsComments: true }).profile;
      expect(withComments.comments.length).toBe(ms.size);
    }
  });

  it("block and mutex: the contended functions carry at least the known events", () => {
    for (const kind of ["block", "mutex"]) {
      const f = facts(kind);
      const p = parseProfileText(text(kind)).profile;
      expect(p.resolvedSampleTypes().map((t) => `${t.type}/${t.unit}`)).toEqual([
        "contentions/count",
        "delay/nanoseconds",
      ]);
      const fn = f.functions[0] as string;
      expect(sumWhere(p, 0, fn), kind).toBeGreaterThanOrEqual(f.minEvents ?? 1);
      expect(sumWhere(p, 1, fn)).toBeGreaterThan(0);
    }
  });

  it("custom: per-function counts match the facts", () => {
    const f = facts("custom");
    const r = parseProfileText(text("custom"));
    expect(r.name).toBe(f.profile);
    for (const e of f.customEntries ?? []) expect(sumWhere(r.profile, 0, e.function)).toBe(e.count);
  });

  it("threadcreate: parses (older Go prints records without stacks)", () => {
    const p = parseProfileText(text("threadcreate")).profile;
    expect(p.samples.count).toBeGreaterThan(0);
  });

  it("symbols attached from the comments agree with the proto of the same profile", () => {
    // The proto is written by the same process a moment apart; stacks can
    // differ a little, but an address symbolized in both must name the same
    // functions (the proto's location address is the same call PC). Newer
    // runtimes record inlined calls as separate logical PCs, which the text
    // keeps as separate locations while the proto folds the callers into the
    // first one: so our lines must be a prefix of the proto's.
    for (const kind of ["goroutine", "heap", "custom", "block"]) {
      const text1 = parseProfileText(text(kind)).profile;
      const proto = decodeProfile(readFixture(v, `pprof/${kind}.pb.gz`));
      const byAddress = new Map<bigint, string[]>();
      for (const l of proto.locations) {
        byAddress.set(
          l.address,
          l.lines.map((ln) =>
            proto.string((proto.functions[ln.function] as { name: number }).name),
          ),
        );
      }
      let compared = 0;
      for (const l of text1.locations) {
        const want = byAddress.get(l.address);
        if (l.lines.length === 0 || !want) continue;
        const got = l.lines.map((ln) =>
          text1.string((text1.functions[ln.function] as { name: number }).name),
        );
        expect(got, `${kind} 0x${l.address.toString(16)}`).toEqual(want.slice(0, got.length));
        compared++;
      }
      expect(compared, kind).toBeGreaterThan(0);
      for (const fn of facts(kind).functions) expect(allFunctionNames(text1).has(fn)).toBe(true);
    }
  });

  it("without symbols and labels, equals Go's profile.Parse of the same file", () => {
    const go = goReference();
    if (!go) {
      console.warn("pprof-proto: Go is unavailable; debug=1 comparison with google/pprof skipped");
      return;
    }
    for (const kind of debug1Kinds) {
      const file = fixtureFile(v, `pprof/${kind}.debug1.txt`);
      const ours = parseProfileText(text(kind), { symbols: false, labels: false }).profile;
      let theirs: string | undefined;
      try {
        theirs = go.raw(file);
      } catch {
        // google/pprof rejects "N @" records without addresses (Go <= 1.22 threadcreate).
        expect(
          ours.diagnostics.map((d) => d.code),
          kind,
        ).toContain("empty-stack");
        continue;
      }
      // The model cannot hold a numeric label whose value is 0 without a unit
      // (it reads such a label as absent, as Go's proto decoder does), and
      // all-zero heap records carry "bytes:[0]"; that line is the only
      // accepted difference.
      expect(toRawString(ours), kind).toBe(theirs.replace(/\n {16}bytes:\[0\](?=\n)/g, ""));
    }
  });

  it("goroutine debug=2: goroutines, creators and the converted profile match the facts", () => {
    const f = facts("goroutine");
    const dump = parseGoroutineDump(readFixture(v, "pprof/goroutine.debug2.txt"));
    expect(dump.diagnostics).toEqual([]);
    expect(dump.truncated).toBeUndefined();
    expect(dump.goroutines.length).toBe(f.numGoroutine);
    const parked = f.functions[0] as string;
    const parkedGs = dump.goroutines.filter((g) => g.stack.some((fr) => fr.func === parked));
    expect(parkedGs.length).toBe(f.parkedGoroutines);
    for (const g of parkedGs) {
      expect(g.state).toBe("chan receive");
      expect(g.createdBy?.func).toMatch(/pproffix\.Write$/);
      // "created by … in goroutine N" exists since Go 1.21.
      if (!/^go1\.(19|20)\./.test(v)) expect(g.createdBy?.goroutine).toBe(1);
      else expect(g.createdBy?.goroutine).toBeUndefined();
    }
    const r = parseProfileText(readFixture(v, "pprof/goroutine.debug2.txt"));
    expect(r.format).toBe("goroutine-dump");
    let total = 0;
    for (let i = 0; i < r.profile.samples.count; i++) total += r.profile.sampleValue(i, 0);
    expect(total).toBe(f.numGoroutine);
    expect(sumWhere(r.profile, 0, parked)).toBe(f.parkedGoroutines);
  });
});

describe("parseProfile on files that are not profiles", () => {
  const latest = latestGoVersion();

  it("refuses a real heap dump, although it holds traceback text, as go tool pprof does", () => {
    // The dump's bytes include runtime.Stack output ("goroutine 1 [running]:"),
    // which must not make it pass for a goroutine dump.
    const dump = readFixtureRaw(latest, "heap/structures.dump.gz");
    const plain = readFixture(latest, "heap/structures.dump.gz");
    expect(new TextDecoder("latin1").decode(plain)).toContain("goroutine 1 [");
    let err: unknown;
    try {
      parseProfile(dump);
    } catch (e) {
      err = e;
    }
    expect(isPprofError(err)).toBe(true);
  });

  it("explains a truncated proto by the decoder's byte offset, not a line number", () => {
    const whole = readFixture(latest, "pprof/heap.pb.gz");
    const cut = whole.subarray(0, 3000);
    let err: unknown;
    try {
      parseProfile(cut);
    } catch (e) {
      err = e;
    }
    expect(isPprofError(err)).toBe(true);
    const e = err as PprofError;
    expect(e.offset).toBeTypeOf("number");
    expect(e.line).toBeUndefined();
    expect(e.message).toMatch(/\(at byte \d+\)$/);
  });

  it("names the position once for text that is no profile", () => {
    let err: unknown;
    try {
      parseProfile(new TextEncoder().encode("hello\nworld\n"));
    } catch (e) {
      err = e;
    }
    expect(isPprofError(err)).toBe(true);
    expect((err as PprofError).message).toBe(
      "not a profile: unrecognized profile format (at line 1)",
    );
  });
});

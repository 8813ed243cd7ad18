import { describe, expect, test } from "vitest";
import {
  compareGoVersions,
  goVersions,
  readFacts,
  readFixture,
  readText,
  type TraceFacts,
  type TraceName,
  traceRuns,
} from "../../../fixtures/fixtures.js";
import {
  type GcTraceEvent,
  parseGcTraceStream,
  parseGcTraceText,
  summarizeGc,
  summarizeSched,
} from "../src/index.js";

// Real stderr of fixtures/gen's trace workload, one directory per Go toolchain.
// Every count below is compared with what the program itself knew (the facts sidecar).

const versions = goVersions().filter((v) => {
  try {
    readFacts<TraceFacts>(v, "trace/gctrace-1.log");
    return true;
  } catch {
    return false;
  }
});
const atLeast = (v: string, min: string) => compareGoVersions(v, min) >= 0;

function load(v: string, name: TraceName) {
  const rel = `trace/${name}.log`;
  const facts = readFacts<TraceFacts>(v, rel);
  const parsed = parseGcTraceText(readText(v, rel));
  return { facts, ...parsed };
}

const count = (events: GcTraceEvent[], p: (e: GcTraceEvent) => boolean) => events.filter(p).length;

/** The program's own text survives: every `other` is an own line or the tail of a split one. */
function checkOwnLines(events: GcTraceEvent[], facts: TraceFacts): void {
  const others = events.flatMap((e) => (e.kind === "other" ? [e.text] : []));
  const own = others.filter((t) => t.startsWith(facts.ownPrefix));
  const tails = others.filter((t) => !t.startsWith(facts.ownPrefix));
  expect(own).toHaveLength(facts.ownLines);
  // A tail starting with digits that lands right after a number of a trace line is
  // ambiguous ("swept 1294" + "3 allocated" reads as "swept 12943"): the digits may
  // stay with the trace number, so they are optional here.
  for (const t of tails) expect(t).toMatch(/^\d* allocated \d+ objects \(split\)$/);
  expect(others).toContain(facts.doneLine);
}

test("fixtures are present", () => {
  expect(versions.length).toBeGreaterThan(0);
});

describe.each(versions)("%s", (v) => {
  test.each(["gctrace-1", "gctrace-2", "gctrace-1-gcpacertrace-1"] as const)(
    "%s: one gc event per cycle the program counted",
    (name) => {
      const { facts, events, diagnostics } = load(v, name);
      expect(diagnostics).toEqual([]);
      const gcs = events.filter((e) => e.kind === "gc");
      expect(gcs).toHaveLength(facts.numGC);
      expect(gcs.map((e) => e.cycle)).toEqual(gcs.map((_, i) => i + 1));
      const forced = count(gcs, (e) => e.kind === "gc" && e.forced);
      // go1.19 marks more cycles "(forced)" than MemStats.NumForcedGC counts.
      if (atLeast(v, "go1.20")) expect(forced).toBe(facts.numForcedGC);
      else expect(forced).toBeGreaterThanOrEqual(facts.numForcedGC);
      for (const e of gcs) {
        if (e.kind !== "gc") continue;
        expect(e.procs).toBe(facts.gomaxprocs);
        expect(e.stacksMB).toBeTypeOf("number"); // all fixture versions are >= 1.18
        expect(e.clockMs).toHaveLength(3);
      }
      const summary = summarizeGc(events);
      expect(summary.cycles).toBe(facts.numGC);
      expect(summary.missingCycles).toEqual([]);
      expect(summary.pauses.count).toBe(facts.numGC);
      checkOwnLines(events, facts);
    },
  );

  test("gctrace-1-gcpacertrace-1: pacer lines per cycle", () => {
    const { facts, events } = load(v, "gctrace-1-gcpacertrace-1");
    const form = (f: string) => count(events, (e) => e.kind === "pacer" && e.form === f);
    expect(form("assist")).toBe(facts.numGC);
    expect(form("cycle")).toBeGreaterThan(0);
    expect(form("cycle")).toBeLessThanOrEqual(facts.numGC);
    // The sweep-done line appears in the 1.25+ fixtures.
    if (atLeast(v, "go1.25")) expect(form("sweep")).toBe(facts.numGC);
    const syntax = new Set(events.flatMap((e) => (e.kind === "pacer" ? [e.floatSyntax] : [])));
    if (atLeast(v, "go1.26")) expect(syntax.has("legacy")).toBe(false);
    else expect(syntax).toEqual(new Set(["legacy"]));
  });

  test("gctrace-2: scan lines (Go 1.25+)", () => {
    const { facts, events } = load(v, "gctrace-2");
    const totals = count(events, (e) => e.kind === "scan" && e.scope === "total");
    expect(totals).toBe(atLeast(v, "go1.25") ? facts.numGC : 0);
  });

  test("inittrace-1-scavtrace-1: init lines and one forced scav per FreeOSMemory", () => {
    const { facts, events, diagnostics } = load(v, "inittrace-1-scavtrace-1");
    expect(diagnostics).toEqual([]);
    const inits = events.flatMap((e) => (e.kind === "init" ? [e.pkg] : []));
    expect(inits).toContain("runtime");
    expect(count(events, (e) => e.kind === "scav" && e.forced)).toBe(facts.freeOSMemoryCalls);
    const modern = count(events, (e) => e.kind === "scav" && e.workBgKiB !== undefined);
    const scavs = count(events, (e) => e.kind === "scav");
    expect(modern).toBe(atLeast(v, "go1.21") ? scavs : 0);
    checkOwnLines(events, facts);
  });

  test("schedtrace-100: one per-P entry per P", () => {
    const { facts, events } = load(v, "schedtrace-100");
    const scheds = events.filter((e) => e.kind === "sched");
    expect(scheds.length).toBeGreaterThan(0);
    for (const e of scheds) {
      if (e.kind !== "sched") continue;
      expect(e.gomaxprocs).toBe(facts.gomaxprocs);
      expect(e.localRunqueues).toHaveLength(facts.gomaxprocs);
      if (atLeast(v, "go1.25")) expect(e.schedticks).toHaveLength(facts.gomaxprocs);
      else expect(e.schedticks).toBeUndefined();
      expect(e.needspinning === undefined).toBe(!atLeast(v, "go1.20"));
    }
    expect(summarizeSched(events).samples).toBe(scheds.length);
    checkOwnLines(events, facts);
  });

  test("schedtrace-200-scheddetail-1: every block has one P line per P", () => {
    const { facts, events } = load(v, "schedtrace-200-scheddetail-1");
    const s = summarizeSched(events);
    expect(s.samples).toBeGreaterThan(0);
    for (const p of s.points) {
      expect(p.pLines).toBe(facts.gomaxprocs);
      expect(p.mLines).toBeGreaterThan(0);
      expect(p.gLines).toBeGreaterThan(0);
    }
    // P ids count up from 0 inside each block.
    let next = 0;
    for (const e of events) {
      if (e.kind === "sched") next = 0;
      if (e.kind === "P") expect(e.id).toBe(next++);
    }
    checkOwnLines(events, facts);
  });

  test("the byte-stream parser agrees with the string parser", async () => {
    const rel = "trace/gctrace-1-gcpacertrace-1.log";
    const bytes = readFixture(v, rel);
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 97) yield bytes.subarray(i, i + 97);
    }
    const streamed: GcTraceEvent[] = [];
    for await (const e of parseGcTraceStream(chunks())) streamed.push(e);
    expect(streamed).toEqual(parseGcTraceText(readText(v, rel)).events);
  });
});

test("trace run names match the fixture generator", () => {
  expect(Object.keys(traceRuns)).toContain("gctrace-1");
});

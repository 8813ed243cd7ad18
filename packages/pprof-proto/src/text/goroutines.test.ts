import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { goVersions, readFixture } from "../../../../fixtures/fixtures.js";
import { quoteGo } from "./go-string.js";
import { goroutineDumpToProfile } from "./goroutine-profile.js";
import { type Goroutine, type GoroutineFrame, parseGoroutineDump } from "./goroutines.js";

const one = (text: string): Goroutine => {
  const d = parseGoroutineDump(text);
  expect(d.diagnostics).toEqual([]);
  expect(d.goroutines.length).toBe(1);
  return d.goroutines[0] as Goroutine;
};

const body = "main.f()\n\t/src/main.go:3 +0x1d\n";

describe("goroutine headers (runtime/traceback.go goroutineheader)", () => {
  it.each([
    ["goroutine 7 [running]:", { id: 7, state: "running" }],
    ["goroutine 7 [chan receive, 3 minutes]:", { state: "chan receive", waitMinutes: 3 }],
    [
      "goroutine 7 [select, 12 minutes, locked to thread]:",
      { state: "select", waitMinutes: 12, lockedToThread: true },
    ],
    ["goroutine 7 [running (scan)]:", { state: "running", scan: true }],
    ["goroutine 7 [chan receive (leaked)]:", { state: "chan receive", leaked: true }],
    [
      "goroutine 7 [chan receive (durable), synctest bubble 4]:",
      { state: "chan receive (durable)", durable: true, syncTestBubble: 4 },
    ],
    [
      "goroutine 7 gp=0xc000002380 m=0 mp=0x5a6e40 [running]:",
      { gp: 0xc000002380n, m: 0, state: "running" },
    ],
    [
      "goroutine 7 gp=0xc000002380 m=nil [GC worker (idle)]:",
      { m: null, state: "GC worker (idle)" },
    ],
    [
      'goroutine 7 [sync.WaitGroup.Wait, 2 minutes labels:{"a": "b, c", "d": "]"}]:',
      {
        state: "sync.WaitGroup.Wait",
        waitMinutes: 2,
        labels: [
          ["a", "b, c"],
          ["d", "]"],
        ],
      },
    ],
    [
      "goroutine 7 [sleep, something new]:",
      { state: "sleep", otherHeaderParts: ["something new"] },
    ],
  ])("%s", (header, want) => {
    expect(one(`${header}\n${body}`)).toMatchObject(want);
  });
});

describe("goroutine tracebacks", () => {
  it("reads inlined frames, offsets, fp/sp/pc, elision, creators and ancestors", () => {
    const text = [
      "panic: boom",
      "",
      "goroutine 18 [chan receive]:",
      "main.helper(...)",
      "\t/src/main.go:12",
      "main.worker(0xc000010000, {0x1, 0x2}, 0x0?)",
      "\t/src/main.go:23 +0x4c fp=0xc00004a7d0 sp=0xc00004a790 pc=0x4b3d45",
      "...5 frames elided...",
      "main.outer()",
      "\tC:/src/outer.go:9 +0x20",
      "created by main.main in goroutine 1",
      "\t/src/main.go:14 +0x70",
      "[originating from goroutine 1]:",
      "main.main(...)",
      "\t/src/main.go:15 +0x70",
      "...additional frames elided...",
      "",
      "exit status 2",
    ].join("\n");
    const g = one(text);
    expect(g.stack.map((f) => [f.func, f.inlined, f.pcOffset, f.file, f.line])).toEqual([
      ["main.helper", true, undefined, "/src/main.go", 12],
      ["main.worker", false, 0x4c, "/src/main.go", 23],
      ["main.outer", false, 0x20, "C:/src/outer.go", 9],
    ]);
    expect(g.stack[1]?.args).toBe("0xc000010000, {0x1, 0x2}, 0x0?");
    expect(g.stack[1]?.pc).toBe(0x4b3d45n);
    expect(g.elided).toEqual({ at: 2, count: 5 });
    expect(g.createdBy).toEqual({
      func: "main.main",
      file: "/src/main.go",
      line: 14,
      pcOffset: 0x70,
      goroutine: 1,
    });
    expect(g.ancestors).toHaveLength(1);
    expect(g.ancestors[0]?.id).toBe(1);
    expect(g.ancestors[0]?.elided).toEqual({ at: 1, count: undefined });
    expect(g.ancestors[0]?.stack[0]?.inlined).toBe(false);
  });

  it("accepts goroutines whose stack is unavailable", () => {
    const g = one("goroutine 3 [running]:\ngoroutine running on other thread; stack unavailable\n");
    expect(g.stackUnavailable).toBe(true);
  });

  it("skips a malformed goroutine, reports its line, and resumes", () => {
    const d = parseGoroutineDump(
      `goroutine 1 [running]:\nmain.a()\n\tnot a file line\nmore junk\n\ngoroutine 2 [running]:\n${body}`,
    );
    expect(d.goroutines.map((g) => g.id)).toEqual([2]);
    expect(d.diagnostics).toMatchObject([{ code: "invalid-file-line", line: 3 }]);
  });

  it("keeps the goroutine cut off by the end of a truncated dump apart", () => {
    const d = parseGoroutineDump(
      `goroutine 1 [running]:\n${body}\ngoroutine 2 [running]:\nmain.g()\n`,
    );
    expect(d.goroutines.map((g) => g.id)).toEqual([1]);
    expect(d.truncated?.id).toBe(2);
    expect(d.diagnostics).toMatchObject([{ code: "truncated", line: 7 }]);
  });

  it("stops at maxGoroutines", () => {
    const text = `goroutine 1 [running]:\n${body}\ngoroutine 2 [running]:\n${body}`;
    expect(parseGoroutineDump(text, { maxGoroutines: 1 }).goroutines.map((g) => g.id)).toEqual([1]);
  });
});

// A writer in the runtime's format, for round trips.
interface GenFrame {
  func: string;
  args: string;
  file: string;
  line: number;
  pcOffset: number | undefined;
}
interface GenGoroutine {
  id: number;
  state: string;
  minutes: number;
  locked: boolean;
  labels: [string, string][];
  stack: GenFrame[];
  creator: { func: string; file: string; line: number; goroutine: number | undefined } | undefined;
}

function writeGoroutine(g: GenGoroutine): string {
  let header = `goroutine ${g.id} [${g.state}`;
  if (g.minutes > 0) header += `, ${g.minutes} minutes`;
  if (g.locked) header += ", locked to thread";
  if (g.labels.length > 0) {
    header += ` labels:{${g.labels.map(([k, v]) => `${quoteGo(k)}: ${quoteGo(v)}`).join(", ")}}`;
  }
  const out = [`${header}]:`];
  for (const f of g.stack) {
    out.push(`${f.func}(${f.args})`);
    out.push(
      `\t${f.file}:${f.line}${f.pcOffset !== undefined ? ` +0x${f.pcOffset.toString(16)}` : ""}`,
    );
  }
  if (g.creator) {
    const c = g.creator;
    out.push(
      `created by ${c.func}${c.goroutine !== undefined ? ` in goroutine ${c.goroutine}` : ""}`,
    );
    out.push(`\t${c.file}:${c.line} +0x1f`);
  }
  return `${out.join("\n")}\n`;
}

const funcName = fc.constantFrom(
  "main.main",
  "main.main.func1",
  "sync.(*Mutex).Lock",
  "main.F[...]",
  "runtime.gopark",
  "panic",
  "example.com/x/y.(*T).Run.gowrap2",
);
const frameArb: fc.Arbitrary<GenFrame> = fc
  .record({
    func: funcName,
    inlined: fc.boolean(),
    file: fc.constantFrom("/src/main.go", "C:/Users/x/main.go", "_cgo_gotypes.go", "a b/c.go"),
    line: fc.integer({ min: 1, max: 99999 }),
    pcOffset: fc.integer({ min: 1, max: 0xfffff }),
    args: fc.constantFrom("", "0x1", "0xc000010000, 0x2?", "{0x1, 0x2}, ..."),
  })
  .map((f) => ({
    func: f.func,
    args: f.inlined ? "..." : f.args,
    file: f.file,
    line: f.line,
    pcOffset: f.inlined ? undefined : f.pcOffset,
  }));
const labelText = fc.string({ unit: "grapheme", maxLength: 8 });
const goroutineArb: fc.Arbitrary<GenGoroutine> = fc.record({
  id: fc.integer({ min: 1, max: 1e9 }),
  state: fc.constantFrom(
    "running",
    "chan receive",
    "select",
    "IO wait",
    "sync.Mutex.Lock",
    "sleep",
  ),
  minutes: fc.integer({ min: 0, max: 500 }),
  locked: fc.boolean(),
  labels: fc.array(fc.tuple(labelText, labelText), { maxLength: 3 }),
  stack: fc.array(frameArb, { minLength: 1, maxLength: 6 }),
  creator: fc.option(
    fc.record({
      func: funcName,
      file: fc.constant("/src/main.go"),
      line: fc.integer({ min: 1, max: 999 }),
      goroutine: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
    }),
    { nil: undefined },
  ),
});

describe("round trip through the runtime's format", () => {
  test.prop([fc.array(goroutineArb, { maxLength: 8 })], { numRuns: 150 })(
    "parses back what was written",
    (gs) => {
      const d = parseGoroutineDump(gs.map(writeGoroutine).join("\n"));
      expect(d.diagnostics).toEqual([]);
      expect(
        d.goroutines.map((g) => ({
          id: g.id,
          state: g.state,
          minutes: g.waitMinutes,
          locked: g.lockedToThread,
          labels: g.labels,
          stack: g.stack.map((f: GoroutineFrame) => ({
            func: f.func,
            args: f.args,
            file: f.file,
            line: f.line,
            pcOffset: f.pcOffset,
          })),
          creator: g.createdBy
            ? {
                func: g.createdBy.func,
                file: g.createdBy.file,
                line: g.createdBy.line,
                goroutine: g.createdBy.goroutine,
              }
            : undefined,
        })),
      ).toEqual(gs);
      // The profile counts every goroutine exactly once.
      const p = goroutineDumpToProfile(d);
      let total = 0;
      for (let i = 0; i < p.samples.count; i++) total += p.sampleValue(i, 0);
      expect(total).toBe(gs.length);
    },
  );
});

describe("truncated real dumps", () => {
  const versions = goVersions();
  const dumps = versions.map((v) =>
    new TextDecoder().decode(readFixture(v, "pprof/goroutine.debug2.txt")),
  );

  test.prop([fc.nat({ max: versions.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true })], {
    numRuns: 150,
  })("a cut dump yields a prefix of the full dump's goroutines", (vi, at) => {
    const text = dumps[vi] as string;
    const full = parseGoroutineDump(text).goroutines;
    const cut = parseGoroutineDump(text.slice(0, Math.floor(text.length * at)));
    const got = cut.goroutines;
    expect(got.length).toBeLessThanOrEqual(full.length);
    for (let i = 0; i < got.length - 1; i++) expect(got[i]).toEqual(full[i]);
    const last = got[got.length - 1];
    if (last) {
      // Cut at a line boundary, the last goroutine looks complete but may
      // lack its outer frames.
      const ref = full[got.length - 1] as Goroutine;
      expect(last.id).toBe(ref.id);
      expect(ref.stack.slice(0, last.stack.length)).toEqual(last.stack);
    }
  });
});

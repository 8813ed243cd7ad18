// Round trips through a writer of runtime/pprof's debug=1 text
// (printCountProfile, writeHeapInternal, writeProfileInternal in
// src/runtime/pprof/pprof.go), and mutations of real text that must never
// end in anything but a PprofError.

import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { goVersions, readFixture } from "../../../../fixtures/fixtures.js";
import { isPprofError } from "../errors.js";
import type { Profile } from "../model.js";
import { quoteGo } from "./go-string.js";
import { parseGoroutineDump } from "./goroutines.js";
import { parseProfileText } from "./parse.js";

const U64 = (1n << 64n) - 1n;

interface Rec {
  values: bigint[];
  addrs: bigint[];
  labels: [string, string][];
}

/** Deterministic symbols per address, so every sample names an address alike. */
function symbolFor(addr: bigint): { name: string; file: string; line: number; inl: boolean } {
  const n = Number(addr % 1000n);
  return { name: `pkg.f${n}`, file: `pkg/f${n % 7}.go`, line: n + 1, inl: n % 3 === 0 };
}

/** The `#` lines printStackRecord would print (PC = return address - 1; some inlined pairs). */
function symbolLines(addrs: bigint[]): string[] {
  const out: string[] = [];
  for (const a of addrs) {
    const pc = (a - 1n) & U64;
    const s = symbolFor(a);
    if (s.inl) out.push(`#\t0x${pc.toString(16)}\t${s.name}.inl+0x4\t\t${s.file}:${s.line + 100}`);
    out.push(`#\t0x${pc.toString(16)}\t${s.name}+0x1f\t${s.file}:${s.line}`);
  }
  return out;
}

function stack(addrs: bigint[]): string {
  return addrs.map((a) => ` 0x${a.toString(16)}`).join("");
}

function writeCount(name: string, recs: Rec[]): string {
  let total = 0n;
  for (const r of recs) total += r.values[0] as bigint;
  const out = [`${name} profile: total ${total}`];
  for (const r of recs) {
    out.push(`${r.values[0]} @${stack(r.addrs)}`);
    if (r.labels.length > 0) {
      const kv = r.labels.map(([k, v]) => `${quoteGo(k)}:${quoteGo(v)}`).sort();
      out.push(`# labels: {${kv.join(", ")}}`);
    }
    out.push(...symbolLines(r.addrs), "");
  }
  return out.join("\n");
}

function writeHeap(recs: Rec[], memStats: [string, string][]): string {
  // values: inuse objects, inuse bytes, alloc objects, alloc bytes; heap/2 =
  // MemProfileRate 1, so nothing is rescaled.
  const out = ["heap profile: 1: 2 [3: 4] @ heap/2"];
  for (const r of recs) {
    const [a, b, c, d] = r.values as [bigint, bigint, bigint, bigint];
    out.push(`${a}: ${b} [${c}: ${d}] @${stack(r.addrs)}`);
    out.push(...symbolLines(r.addrs), "");
  }
  out.push("", "# runtime.MemStats");
  for (const [k, v] of memStats) out.push(`# ${k} = ${v}`);
  return `${out.join("\n")}\n`;
}

function writeContention(recs: Rec[], period: bigint): string {
  const out = ["--- mutex:", "cycles/second=1000000000", `sampling period=${period}`];
  for (const r of recs) {
    out.push(`${r.values[0]} ${r.values[1]} @${stack(r.addrs)}`);
    out.push(...symbolLines(r.addrs), "");
  }
  return `${out.join("\n")}\n`;
}

/** Every sample's (values, leaf-first decremented addresses, labels, function names) from the profile. */
function samplesOf(p: Profile) {
  const out = [];
  for (let i = 0; i < p.samples.count; i++) {
    const r = p.resolveSample(i);
    const addrs = [...p.sampleLocations(i)].map((li) => p.locations[li]?.address);
    out.push({ values: r.exactValues, addrs, labels: [...r.labels], frames: r.frames });
  }
  return out;
}

const address = fc.bigInt({ min: 1n, max: U64 });
const labelText = fc.string({ unit: "grapheme", maxLength: 6 });
// A label value of "" has string index 0, which the model (like Go's proto
// decoder) reads as "no string label": values are never empty here.
const labelValue = fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 });
const labels = fc
  .uniqueArray(fc.tuple(labelText, labelValue), { selector: (x) => x[0], maxLength: 3 })
  .map((ls) =>
    ls.sort((x, y) =>
      `${quoteGo(x[0])}:${quoteGo(x[1])}` < `${quoteGo(y[0])}:${quoteGo(y[1])}` ? -1 : 1,
    ),
  );
const addrs = fc.array(address, { minLength: 1, maxLength: 6 });

describe("debug=1 round trips", () => {
  test.prop(
    [
      fc.stringMatching(/^[a-z][a-z.]{0,12}$/),
      fc.array(fc.record({ n: fc.bigInt({ min: 1n, max: 1n << 40n }), addrs, labels }), {
        maxLength: 8,
      }),
    ],
    { numRuns: 120 },
  )("count profiles keep counts, addresses, labels and symbols", (name, rs) => {
    const recs: Rec[] = rs.map((r) => ({ values: [r.n], addrs: r.addrs, labels: r.labels }));
    const r = parseProfileText(writeCount(name, recs));
    expect(r.format).toBe("count");
    expect(r.name).toBe(name);
    expect(r.profile.diagnostics).toEqual([]);
    const got = samplesOf(r.profile);
    expect(got.length).toBe(recs.length);
    recs.forEach((rec, i) => {
      const s = got[i] as (typeof got)[number];
      expect(s.values).toEqual(rec.values);
      expect(s.addrs).toEqual(rec.addrs.map((a) => (a - 1n) & U64));
      // Labels come back in the printed (sorted) order.
      expect(s.labels).toEqual(rec.labels.map(([k, v]) => [k, [v]]));
      // Each address names its function (plus the inlined one before it).
      const want = rec.addrs.flatMap((a) => {
        const sym = symbolFor(a);
        return sym.inl ? [`${sym.name}.inl`, sym.name] : [sym.name];
      });
      expect(s.frames.map((f) => f.functionName)).toEqual(want);
    });
  });

  const heapValues = fc
    .tuple(fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: 1n, max: 1n << 20n }))
    .map(([n, size]) => [n, n * size] as const);
  test.prop(
    [
      fc.array(fc.record({ inuse: heapValues, alloc: heapValues, addrs }), { maxLength: 6 }),
      fc.array(
        fc.tuple(
          fc.stringMatching(/^[A-Z][A-Za-z]{0,8}$/),
          fc.stringMatching(/^[0-9[][0-9 /[\]]{0,10}[0-9\]]$/),
        ),
        {
          maxLength: 5,
        },
      ),
    ],
    { numRuns: 100 },
  )("heap profiles keep values, block sizes and the MemStats trailer", (rs, memStats) => {
    const recs: Rec[] = rs.map((r) => ({
      values: [r.inuse[0], r.inuse[1], r.alloc[0], r.alloc[1]],
      addrs: r.addrs,
      labels: [],
    }));
    const r = parseProfileText(writeHeap(recs, memStats));
    expect(r.format).toBe("heap");
    expect(r.memStats).toEqual(memStats.map(([name, value]) => ({ name, value })));
    const got = samplesOf(r.profile);
    recs.forEach((rec, i) => {
      const [a, b, c, d] = rec.values as [bigint, bigint, bigint, bigint];
      const s = got[i] as (typeof got)[number];
      // Alloc first, then inuse (google/pprof's order for Go heap text).
      expect(s.values).toEqual([c, d, a, b]);
      const block = a !== 0n ? b / a : c !== 0n ? d / c : 0n;
      const bytes = r.profile.resolveSample(i).numLabels.get("bytes")?.[0]?.exact ?? 0n;
      expect(bytes).toBe(block);
    });
  });

  test.prop(
    [
      fc.array(
        fc.record({
          cycles: fc.bigInt({ min: 0n, max: 1n << 40n }),
          n: fc.bigInt({ min: 0n, max: 1n << 20n }),
          addrs,
        }),
        {
          maxLength: 6,
        },
      ),
      fc.bigInt({ min: 1n, max: 100n }),
    ],
    { numRuns: 100 },
  )("mutex profiles convert cycles at 1 GHz and scale by the period", (rs, period) => {
    const recs: Rec[] = rs.map((r) => ({ values: [r.cycles, r.n], addrs: r.addrs, labels: [] }));
    const r = parseProfileText(writeContention(recs, period));
    expect(r.format).toBe("contention");
    expect(r.profile.period).toBe(period);
    const got = samplesOf(r.profile);
    recs.forEach((rec, i) => {
      const [cycles, n] = rec.values as [bigint, bigint];
      // At 1e9 cycles/second a cycle is a nanosecond; values are exact below 2^53.
      expect((got[i] as (typeof got)[number]).values).toEqual([n * period, cycles * period]);
    });
  });
});

describe("mutated real text", () => {
  const v = goVersions().at(-1) as string;
  const texts = ["goroutine", "heap", "block", "mutex", "custom", "threadcreate"].map((k) =>
    readFixture(v, `pprof/${k}.debug1.txt`),
  );
  texts.push(readFixture(v, "pprof/goroutine.debug2.txt"));

  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant("cut" as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.record({
      kind: fc.constant("byte" as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      value: fc.integer({ min: 0, max: 255 }),
    }),
    fc.record({
      kind: fc.constant("line" as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      line: fc.constantFrom(
        "1 @ 0xzz",
        "0x",
        "# labels: {",
        "--- Memory map: ---",
        "99999999999999999999999 @ 0x1",
        "1: 2 [3: 4] @ 0x1ffffffffffffffffff",
        "cycles/second=abc",
        "goroutine 1 [",
        "\tfile.go:",
      ),
    }),
  );

  test.prop(
    [fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 })],
    {
      numRuns: 300,
    },
  )("parse or throw PprofError with a line, never anything else", (ti, ms) => {
    let b = texts[ti] as Uint8Array;
    for (const m of ms) {
      const at = Math.floor(b.length * m.at);
      if (m.kind === "cut") b = b.subarray(0, at);
      else if (m.kind === "byte") {
        b = b.slice();
        if (at < b.length) b[at] = m.value;
      } else {
        const ins = new TextEncoder().encode(`\n${m.line}\n`);
        const next = new Uint8Array(b.length + ins.length);
        next.set(b.subarray(0, at));
        next.set(ins, at);
        next.set(b.subarray(at), at + ins.length);
        b = next;
      }
    }
    try {
      parseProfileText(b);
    } catch (e) {
      expect(isPprofError(e), String(e)).toBe(true);
      expect((e as { line?: number }).line).toBeTypeOf("number");
    }
    expect(() => parseGoroutineDump(b)).not.toThrow();
  });

  it("reports an unrecognised input with a line", () => {
    try {
      parseProfileText("hello\nworld\n");
      expect.unreachable();
    } catch (e) {
      expect(isPprofError(e)).toBe(true);
      expect((e as { code: string }).code).toBe("bad-text");
    }
  });
});

describe("hostile lines", () => {
  // Each of these made a backtracking port of google/pprof's patterns take
  // quadratic or cubic time; they must now parse (or fail) like any input.
  const n = 20000;
  const cases: [string, string][] = [
    ["heap", `heap profile: 1: 1 [1: 1] @ heap/2\n${"1".repeat(n)}] @\n`],
    ["contention", `--- contention:\ncycles/second=1\n${"1".repeat(n)} x\n`],
    ["java attribute", `--- heapz 1 ---\n${"a".repeat(n)}\n`],
    [
      "java sample",
      `--- heapz 1 ---\nformat = java\nresolution = bytes\n ${"1 ".repeat(n / 2)}x\n`,
    ],
    ["symbol", `goroutine profile: total 1\n1 @ 0x1\n#\t0x0\t${"+0x1\t".repeat(n / 5)}x\n`],
    ["thread", `--- Thread 1 (name: ${"--- Thread 1 (name: ".repeat(n / 20)}\n`],
    ["memory map", `goroutine profile: total 1\n1 @ 0x1\n--- Memory map: ---\n${"a".repeat(n)}\n`],
    [
      "java location",
      `--- heapz 1 ---\nformat = java\nresolution = bytes\n1 1 @ 0x1\n0x1 ${" (".repeat(n / 2)}x:1)\n`,
    ],
    ["dump", `goroutine 1 [running]:\nmain.f()\n\t${":1".repeat(n / 2)}x\n`],
  ];
  it.each(cases)("%s", (_, text) => {
    try {
      parseProfileText(text);
    } catch (e) {
      expect(isPprofError(e)).toBe(true);
    }
  });
});

describe("recursion", () => {
  it("gives a recursive frame one line, not two inlined ones", () => {
    const text = [
      "goroutine profile: total 1",
      "1 @ 0x11 0x11 0x21",
      "#\t0x10\tmain.rec+0x1\tmain.go:3",
      "#\t0x10\tmain.rec+0x1\tmain.go:3",
      "#\t0x20\tmain.main+0x1\tmain.go:9",
      "",
    ].join("\n");
    const p = parseProfileText(text).profile;
    expect(p.resolveSample(0).frames.map((f) => f.functionName)).toEqual([
      "main.rec",
      "main.rec",
      "main.main",
    ]);
  });
});

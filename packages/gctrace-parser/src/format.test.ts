import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { fastGc, fastPacer, fastScan, fastScav } from "./fast-path.js";
import type { GcTraceEvent } from "./index.js";
import {
  formatGcTrace,
  formatGcTraceEvent,
  formatGoFloatLegacy,
  formatGoFloatShortest,
  isGcTraceError,
  parseGcTraceLine,
  parseGcTraceText,
} from "./index.js";
import { parseGc, parsePacer, parseScan, parseScav } from "./parse-line.js";
import {
  gcEvent,
  initEvent,
  pacerEvent,
  scanEvent,
  scavEvent,
  schedEvent,
  schedGEvent,
  schedMEvent,
  schedPEvent,
  scvgEvent,
  traceEvent,
} from "./test-utils/arbitraries.js";

// Outputs of `println(v)` for the same values, captured from the runtimes themselves:
// go1.26.8 (strconv 'g' -1) and go1.25.5 (the old printfloat).
const floats: [number, string, string][] = [
  [0, "0", "+0.000000e+000"],
  [0.25, "0.25", "+2.500000e-001"],
  [1, "1", "+1.000000e+000"],
  [1.5, "1.5", "+1.500000e+000"],
  [123456, "123456", "+1.234560e+005"],
  [1234567, "1.234567e+06", "+1.234567e+006"],
  [1e21, "1e+21", "+1.000000e+021"],
  [0.0001, "0.0001", "+1.000000e-004"],
  [0.00001, "1e-05", "+1.000000e-005"],
  [0.8205354110054348, "0.8205354110054348", "+8.205354e-001"],
  [-3.5e-7, "-3.5e-07", "-3.500000e-007"],
  [100, "100", "+1.000000e+002"],
  [1e6, "1e+06", "+1.000000e+006"],
  [Number.POSITIVE_INFINITY, "+Inf", "+Inf"],
  [Number.NEGATIVE_INFINITY, "-Inf", "-Inf"],
  [Number.NaN, "NaN", "NaN"],
  [9.999999e30, "9.999999e+30", "+9.999999e+030"],
  [0.000244963032236323, "0.000244963032236323", "+2.449630e-004"],
];

describe("Go float syntaxes", () => {
  test.each(floats)("%d prints like the runtime", (v, shortest, legacy) => {
    expect(formatGoFloatShortest(v)).toBe(shortest);
    expect(formatGoFloatLegacy(v)).toBe(legacy);
  });
});

const kinds: [string, fc.Arbitrary<GcTraceEvent>][] = [
  ["gc", gcEvent],
  ["pacer", pacerEvent],
  ["scvg", scvgEvent],
  ["scav", scavEvent],
  ["scan", scanEvent],
  ["sched", schedEvent],
  ["P", schedPEvent],
  ["M", schedMEvent],
  ["G", schedGEvent],
  ["init", initEvent],
];

describe("parse(format(e)) == e", () => {
  for (const [name, arb] of kinds) {
    test.prop([arb], { numRuns: 300 })(`${name} events`, (e) => {
      const text = formatGcTraceEvent(e);
      expect(text).not.toContain("\n");
      expect(parseGcTraceLine(text, 1)).toEqual(e);
    });
  }

  test.prop([fc.array(traceEvent, { maxLength: 40 })], { numRuns: 100 })(
    "whole traces keep order and line numbers",
    (events) => {
      const text = formatGcTrace(events);
      const { events: parsed, diagnostics } = parseGcTraceText(text);
      expect(diagnostics).toEqual([]);
      expect(parsed).toEqual(events.map((e, i) => ({ ...e, line: i + 1 })));
    },
  );

  test("GC forced and other", () => {
    expect(formatGcTraceEvent({ kind: "forced", line: 3 })).toBe("GC forced");
    expect(formatGcTraceEvent({ kind: "other", line: 3, text: "app: hi" })).toBe("app: hi");
  });

  test("bad events are a GcTraceError", () => {
    let err: unknown;
    try {
      formatGcTraceEvent({ kind: "nope", line: 1 } as unknown as GcTraceEvent);
    } catch (e) {
      err = e;
    }
    expect(isGcTraceError(err)).toBe(true);
    expect(err).toMatchObject({ code: "INVALID_EVENT" });
  });
});

describe("fast paths agree with the strict parsers", () => {
  const pairs: [
    string,
    fc.Arbitrary<GcTraceEvent>,
    (s: string) => unknown,
    (s: string) => unknown,
  ][] = [
    ["gc", gcEvent, (s) => fastGc(s, 0, s.length, 1), (s) => parseGc(s, 0, s.length, 1)],
    [
      "pacer",
      pacerEvent,
      (s) => fastPacer(s, 0, s.length, 1),
      (s) => parsePacer(s, 0, s.length, 1),
    ],
    ["scan", scanEvent, (s) => fastScan(s, 0, s.length, 1), (s) => parseScan(s, 0, s.length, 1)],
    ["scav", scavEvent, (s) => fastScav(s, 0, s.length, 1), (s) => parseScav(s, 0, s.length, 1)],
  ];
  for (const [name, arb, fast, slow] of pairs) {
    test.prop([arb, fc.nat(), fc.string({ maxLength: 3 })], { numRuns: 300 })(
      name,
      (e, cut, junk) => {
        const text = formatGcTraceEvent(e);
        // Whole lines, and damaged ones (truncated or with junk inserted).
        const k = cut % (text.length + 1);
        for (const t of [text, text.slice(0, k), text.slice(0, k) + junk + text.slice(k)]) {
          const f = fast(t);
          if (f !== undefined) expect(f).toEqual(slow(t));
        }
      },
    );
  }

  test("digit runs the strict scanner refuses fall back to it", () => {
    // Found by the property above: text inserted into a pacer byte count made a
    // 21-digit number, which no uint64 prints; the strict parser refuses the line.
    const cycle =
      "pacer: 0% CPU (0 exp.) for 1+2+3 B work (4 B exp.) in 5 B -> 10 B (∆goal 101000000000000000000, cons/mark +1.000000e+000)";
    expect(parsePacer(cycle, 0, cycle.length, 1)).toBeUndefined();
    expect(fastPacer(cycle, 0, cycle.length, 1)).toBeUndefined();
    // A 17-digit MB count could have been rounded as a number.
    const assist = "pacer: assist ratio=1.5 (scan 12345678901234567 MB in 1->2 MB) workers=1+0.25";
    expect(fastPacer(assist, 0, assist.length, 1)).toBeUndefined();
    const ok = "pacer: assist ratio=1.5 (scan 3 MB in 1->2 MB) workers=1+0.25";
    expect(fastPacer(ok, 0, ok.length, 1)).toMatchObject({ scanMB: 3, heapGoalMB: 2 });
  });

  test("the fast paths take the common current lines", () => {
    const gc =
      "gc 1 @0.001s 15%: 0.12+0.46+0.030 ms clock, 0.25+0.14/0.22/0+0.060 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P";
    expect(fastGc(gc, 0, gc.length, 1)).toEqual(parseGc(gc, 0, gc.length, 1));
    const sc = "scav 0 KiB work (bg), 0 KiB work (eager), 3864 KiB now, 92% util (forced)";
    expect(fastScav(sc, 0, sc.length, 1)).toMatchObject({ releasedKiB: 3864, forced: true });
    const pc =
      "pacer: 32% CPU (25 exp.) for 161232+7976+204424 B work (340864 B exp.) in 6932800 B -> 7137600 B (∆goal 35696, cons/mark +0.000000e+000)";
    expect(fastPacer(pc, 0, pc.length, 1)).toEqual(parsePacer(pc, 0, pc.length, 1));
  });
});

import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { GcTraceEvent } from "./events.js";
import {
  fastDetail,
  fastPacer,
  fastSched,
  gcOrReject,
  pacerOrReject,
  rejectedAt,
  scavOrReject,
} from "./fast-path.js";
import { formatGcTraceEvent } from "./format.js";
import { parseGc, parsePacer, parseScav, parseSched, parseSchedDetail } from "./parse-line.js";
import {
  gcEvent,
  pacerEvent,
  scavEvent,
  schedEvent,
  schedGEvent,
  schedMEvent,
  schedPEvent,
} from "./test-utils/arbitraries.js";

/** Text that damages a trace line in the ways that matter to its parsers. */
const junk = fc.string({
  unit: fc.constantFrom(..."0123456789+-/.#e %:@->MBKiPs()[]abcNI\r\u2206".split("")),
  maxLength: 4,
});

type Parse = (s: string, start: number, end: number, line: number) => unknown;

const kinds: [string, fc.Arbitrary<GcTraceEvent>, Parse, Parse][] = [
  ["gc", gcEvent, gcOrReject, parseGc],
  ["pacer", pacerEvent, pacerOrReject, parsePacer],
  ["scav", scavEvent, scavOrReject, parseScav],
];

/** Damaged forms of a line: truncated, with text inserted, with a piece cut out or doubled. */
function variants(text: string, cut: number, cut2: number, j: string): string[] {
  const k = cut % (text.length + 1);
  const k2 = k + (cut2 % (text.length - k + 1));
  return [
    text,
    text.slice(0, k),
    text.slice(0, k) + j + text.slice(k),
    text.slice(0, k) + text.slice(k2),
    text.slice(0, k) + j + text.slice(k2),
    text.slice(0, k) + text.slice(k, k2) + text.slice(k, k2) + text.slice(k2),
  ];
}

const detailJunk = fc.string({
  unit: fc.constantFrom(..."0123456789-=[] ():nilPMGtruefalsem=lockedg\r".split("")),
  maxLength: 5,
});

describe("sched and P/M/G fast paths agree with the strict parsers", () => {
  const pairs: [string, fc.Arbitrary<GcTraceEvent>, Parse, Parse][] = [
    ["sched", schedEvent, fastSched, parseSched],
    ["P", schedPEvent, fastDetail, parseSchedDetail],
    ["M", schedMEvent, fastDetail, parseSchedDetail],
    ["G", schedGEvent, fastDetail, parseSchedDetail],
  ];
  for (const [name, arb, fast, strict] of pairs) {
    test.prop([arb, fc.nat(), fc.nat(), detailJunk], { numRuns: 600 })(name, (e, cut, cut2, j) => {
      const whole = formatGcTraceEvent(e);
      const w = fast(whole, 0, whole.length, 1);
      if (w !== undefined) expect(w).toEqual(e);
      for (const t of variants(whole, cut, cut2, j)) {
        const f = fast(t, 0, t.length, 1);
        if (f !== undefined) expect(f).toEqual(strict(t, 0, t.length, 1));
        // Windows inside a longer string read only the window.
        const u = `xx${t}) m=1 locks=0 =]`;
        const g = fast(u, 2, 2 + t.length, 1);
        if (g !== undefined) expect(g).toEqual(strict(u, 2, 2 + t.length, 1));
      }
    });
  }
});

describe("fast paths: rejections are certain", () => {
  for (const [name, arb, fast, strict] of kinds) {
    test.prop([arb, fc.nat(), fc.nat(), junk], { numRuns: 600 })(
      `${name}: when the fast path says null, the strict parser refuses the line too`,
      (e, cut, cut2, j) => {
        const text = formatGcTraceEvent(e);
        const k = cut % (text.length + 1);
        const k2 = k + (cut2 % (text.length - k + 1));
        const variants = [
          text,
          text.slice(0, k),
          text.slice(0, k) + j + text.slice(k),
          text.slice(0, k) + text.slice(k2),
          text.slice(0, k) + j + text.slice(k2),
          text.slice(0, k) + text.slice(k, k2) + text.slice(k, k2) + text.slice(k2),
        ];
        for (const t of variants) {
          const f = fast(t, 0, t.length, 1);
          const s = strict(t, 0, t.length, 1);
          if (f === null) expect(s).toBeUndefined();
          else if (f !== undefined) expect(f).toEqual(s);
        }
      },
    );

    test.prop([arb, fc.nat(), junk, fc.string({ maxLength: 40 }), junk], { numRuns: 600 })(
      `${name}: a refusal holds for every text sharing the characters up to rejectedAt`,
      (e, cut, j, tail, tail2) => {
        const text = formatGcTraceEvent(e);
        const k = cut % (text.length + 1);
        for (const t of [text.slice(0, k) + j + text.slice(k), text.slice(0, k) + j]) {
          if (fast(t, 0, t.length, 1) !== null) continue;
          const f = rejectedAt();
          if (f >= t.length) continue; // depended on where the text ends
          expect(f).toBeGreaterThanOrEqual(0);
          for (const rest of [tail, tail2, text.slice(k), t.slice(f + 1)]) {
            const u = t.slice(0, f + 1) + rest;
            expect(fast(u, 0, u.length, 1)).toBeNull();
            expect(strict(u, 0, u.length, 1)).toBeUndefined();
          }
        }
      },
    );
  }

  test("shapes left to the strict parser are not rejected", () => {
    const five =
      "gc 3 @0.100s 2%: 0.010+0.20+0.010+0.30+0.020 ms clock, 0.040+0.010+0.020+0.10/0.20/0+0.080 ms cpu, 4->5->2 MB, 5 MB goal, 4 P";
    expect(gcOrReject(five, 0, five.length, 1)).toBeUndefined();
    expect(parseGc(five, 0, five.length, 1)).toMatchObject({ cycle: 3, procs: 4 });
    const hash =
      "gc #7 @0.001s 15%: 0.12+0.46+0.030 ms clock, 0.25+0.14/0.22/0+0.060 ms cpu, 3->4->3 MB, 4 MB goal, 2 P";
    expect(gcOrReject(hash, 0, hash.length, 1)).toBeUndefined();
    expect(parseGc(hash, 0, hash.length, 1)).toMatchObject({ cycle: 7 });
    const long =
      "gc 1234567890123456 @0.001s 15%: 0.12+0.46+0.030 ms clock, 0.25+0.14/0.22/0+0.060 ms cpu, 3->4->3 MB, 4 MB goal, 2 P";
    expect(gcOrReject(long, 0, long.length, 1)).toBeUndefined();
    expect(parseGc(long, 0, long.length, 1)).toMatchObject({ cycle: 1234567890123456 });
    const legacy =
      "pacer: H_m_prev=4194304 h_t=+9.500000e-001 H_T=8178892 h_a=+1.003094e+000 H_a=8401120 h_g=+1.000000e+000 H_g=8388608 u_a=+2.500000e-001 u_g=+2.500000e-001 W_a=52456 goalΔ=+5.000000e-002 actualΔ=+5.309400e-002 u_a/u_g=+1.000000e+000";
    expect(pacerOrReject(legacy, 0, legacy.length, 1)).toBeUndefined();
    expect(parsePacer(legacy, 0, legacy.length, 1)).toMatchObject({ form: "legacy" });
    const gen = "scav 12345678901234567 KiB work, 4 KiB total, 50% util";
    expect(scavOrReject(gen, 0, gen.length, 1)).toBeUndefined();
  });
});

describe("float reader", () => {
  const legacyText = fc
    .tuple(
      fc.boolean(),
      fc.integer({ min: 0, max: 9 }),
      fc.integer({ min: 0, max: 999_999 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 400 }),
    )
    .map(
      ([neg, a, b, en, x]) =>
        `${neg ? "-" : "+"}${a}.${String(b).padStart(6, "0")}e${en ? "-" : "+"}${String(x).padStart(3, "0")}`,
    );
  const decimalText = fc
    .tuple(fc.nat(99_999_999), fc.nat(99_999_999), fc.integer({ min: 1, max: 9 }))
    .map(([a, b, d]) => `${a}.${String(b).padStart(d, "0")}`);
  const floatText = fc.oneof(
    fc.double({ noNaN: true }).map((v) => String(v)),
    legacyText,
    decimalText,
  );
  test.prop([floatText], { numRuns: 3000 })("gives the double Number() gives", (f) => {
    const line = `pacer: sweep done at heap size 1MB; allocated 0MB during sweep; swept 5 pages at ${f} pages/byte`;
    const ev = fastPacer(line, 0, line.length, 1);
    if (ev !== undefined && ev.form === "sweep")
      expect(Object.is(ev.pagesPerByte, Number(f))).toBe(true);
  });
});

import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { gcOrReject } from "./fast-path.js";
import { formatGcTraceEvent } from "./format.js";
import { parseGc } from "./parse-line.js";
import { gcEvent } from "./test-utils/arbitraries.js";

/** Text that damages a gc line in the ways that matter to its parsers. */
const gcJunk = fc.string({
  unit: fc.constantFrom(..."0123456789+/.# %:@->MBPs()abc\r".split("")),
  maxLength: 4,
});

describe("gc fast path: rejections are certain", () => {
  test.prop([gcEvent, fc.nat(), fc.nat(), gcJunk], { numRuns: 1000 })(
    "when gcOrReject says null, parseGc refuses the line too",
    (e, cut, cut2, junk) => {
      const text = formatGcTraceEvent(e);
      const k = cut % (text.length + 1);
      const k2 = k + (cut2 % (text.length - k + 1));
      const variants = [
        text,
        text.slice(0, k),
        text.slice(0, k) + junk + text.slice(k),
        text.slice(0, k) + text.slice(k2),
        text.slice(0, k) + junk + text.slice(k2),
        text.slice(0, k) + text.slice(k, k2) + text.slice(k, k2) + text.slice(k2),
      ];
      for (const t of variants) {
        const f = gcOrReject(t, 0, t.length, 1);
        const strict = parseGc(t, 0, t.length, 1);
        if (f === null) expect(strict).toBeUndefined();
        else if (f !== undefined) expect(f).toEqual(strict);
      }
    },
  );

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
  });
});

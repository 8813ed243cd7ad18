import { describe, expect, it } from "vitest";
import { ProfileBuilder } from "./model.js";
import { formatGoDuration, formatGoTime, toRawString } from "./raw.js";

// Expected strings were printed by Go 1.26 (time.Duration's String and %.4v,
// time.Unix(0, ns).UTC()'s String) for these inputs.
const durations: [bigint, string, string][] = [
  [0n, "0s", "0s"],
  [1n, "1ns", "1ns"],
  [999n, "999ns", "999n"],
  [1000n, "1µs", "1µs"],
  [1100n, "1.1µs", "1.1µ"],
  [1500000n, "1.5ms", "1.5m"],
  [1500000000n, "1.5s", "1.5s"],
  [5400000000000n, "1h30m0s", "1h30"],
  [-1n, "-1ns", "-1ns"],
  [-(2n ** 63n), "-2562047h47m16.854775808s", "-256"],
  [2n ** 63n - 1n, "2562047h47m16.854775807s", "2562"],
  [2004191234n, "2.004191234s", "2.00"],
];

const times: [bigint, string][] = [
  [0n, "1970-01-01 00:00:00 +0000 UTC"],
  [1n, "1970-01-01 00:00:00.000000001 +0000 UTC"],
  [1700000000123456789n, "2023-11-14 22:13:20.123456789 +0000 UTC"],
  [-(2n ** 63n), "1677-09-21 00:12:43.145224192 +0000 UTC"],
  [2n ** 63n - 1n, "2262-04-11 23:47:16.854775807 +0000 UTC"],
  [-1n, "1969-12-31 23:59:59.999999999 +0000 UTC"],
  [1505941079000000000n, "2017-09-20 20:57:59 +0000 UTC"],
];

describe("Go time formatting", () => {
  it.each(durations)("Duration(%s) prints %s", (d, full) => {
    expect(formatGoDuration(d)).toBe(full);
  });

  it.each(durations)("the Duration: line of %s keeps 4 runes (%s -> %s)", (d, _full, short) => {
    const b = new ProfileBuilder({ sampleTypes: [] });
    b.profile.durationNanos = d;
    const line = toRawString(b.build())
      .split("\n")
      .find((l) => l.startsWith("Duration: "));
    expect(line).toBe(d === 0n ? undefined : `Duration: ${short}`);
  });

  it.each(times)("time.Unix(0, %s) prints %s", (ns, text) => {
    expect(formatGoTime(ns)).toBe(text);
  });

  it("applies a zone offset", () => {
    expect(formatGoTime(0n, { offsetMinutes: -330, name: "X" })).toBe(
      "1969-12-31 18:30:00 -0530 X",
    );
  });
});

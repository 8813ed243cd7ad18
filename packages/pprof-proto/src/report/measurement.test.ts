// Number formatting against Go: a table of cases whose Go output is known
// (round-half-even on the exact binary value, %g exponent rules), and a
// differential run of Go's fmt over random doubles when Go is installed.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatFixed,
  formatG,
  formatMeasurement,
  percentage,
  scaledLabel,
  scaleValue,
} from "./measurement.js";

describe("Go number formatting", () => {
  it.each([
    [0.125, 2, "0.12"], // exact tie: half to even (JS toFixed says 0.13)
    [0.375, 2, "0.38"],
    [2.5, 0, "2"],
    [3.5, 0, "4"],
    [1.005, 2, "1.00"], // 1.005 is 1.00499999999999989... in binary
    [-0.001, 2, "-0.00"],
    [99.995, 2, "100.00"], // 99.99500000000000454...
    [1e21, 2, "1000000000000000000000.00"],
    [0, 2, "0.00"],
  ])("formatFixed(%d, %i) = %s", (x, prec, want) => {
    expect(formatFixed(x, prec)).toBe(want);
  });

  it.each([
    [0, "0"],
    [0.5, "0.5"],
    [0.25, "0.25"],
    [0.125, "0.12"],
    [0.05, "0.05"],
    [0.000015, "1.5e-05"],
    [0.00001234, "1.2e-05"],
    [0.0001, "0.0001"],
    [0.999, "1"],
    [12, "12"],
    [123, "1.2e+02"],
  ])("formatG(%d, 2) = %s", (x, want) => {
    expect(formatG(x, 2)).toBe(want);
  });

  it("scales units like google/pprof's measurement package", () => {
    expect(scaleValue(1536, "bytes", "minimum")).toEqual([1.5, "kB"]);
    expect(scaledLabel(900_560_000, "nanoseconds", "auto")).toBe("900.56ms");
    expect(scaledLabel(1_790_000_000, "nanoseconds", "s")).toBe("1.79s");
    expect(scaledLabel(0, "bytes", "minimum")).toBe("0");
    expect(scaledLabel(-2048, "bytes", "minimum")).toBe("-2kB");
    expect(scaledLabel(7, "count", "count")).toBe("7");
    expect(scaledLabel(7, "widgets", "widgets")).toBe("7widgets");
    expect(formatMeasurement(48, "bytes")).toBe("48B");
    expect(scaledLabel(5, "microseconds", "minimum")).toBe("5us");
    expect(percentage(1, 3)).toBe("33.33%");
    expect(percentage(1, 1000)).toBe("  0.1%");
    expect(percentage(1, 100_000)).toBe("0.001%");
    expect(percentage(1, 1)).toBe("  100%");
    expect(percentage(5, 0)).toBe("    0%");
  });
});

const goSrc = `package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		bits, _ := strconv.ParseUint(in.Text(), 10, 64)
		x := math.Float64frombits(bits)
		fmt.Printf("%.2f|%5.2g|%.0f\\n", x, x, x)
	}
}
`;

function runGo(inputs: number[]): string[] | undefined {
  if (spawnSync("go", ["version"]).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "tricolor-fmt-"));
  writeFileSync(join(dir, "main.go"), goSrc);
  const buf = new Float64Array(1);
  const bits = new BigUint64Array(buf.buffer);
  const lines = inputs.map((x) => {
    buf[0] = x;
    return (bits[0] as bigint).toString();
  });
  const r = spawnSync("go", ["run", "main.go"], {
    cwd: dir,
    input: `${lines.join("\n")}\n`,
    encoding: "utf8",
    env: { ...process.env, GOTOOLCHAIN: "local", GO111MODULE: "off" },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trimEnd().split("\n");
}

describe("formatting differential against Go's fmt", () => {
  const inputs = fc.sample(
    fc.oneof(
      fc.double({ min: 0, max: 200, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.integer({ min: 0, max: 80000 }).map((k) => k / 8), // exact ties
      fc.integer({ min: 1, max: 1000 }).map((k) => k / 1e7),
    ),
    { numRuns: 2000, seed: 42 },
  );
  const want = runGo(inputs);
  it.skipIf(want === undefined)("%.2f, %5.2g and %.0f equal Go on 2000 doubles", () => {
    const got = inputs.map(
      (x) => `${formatFixed(x, 2)}|${formatG(x, 2).padStart(5)}|${formatFixed(x, 0)}`,
    );
    expect(got).toEqual(want);
  });
});

// Every legacy profile in google/pprof's testdata (gperftools/Go/Java binary
// CPU, heapz/growthz, contentionz, threadz, Go heap and count text, Java
// heap/contention text) parses, and `toRawString` of the result equals the
// `.string` golden next to it, which is google/pprof's own Profile.String()
// of its own parse (i.e. `pprof -raw`).

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isPprofError, toRawString } from "../src/index.js";
import { parseProfile, parseProfileText, type TextProfileFormat } from "../src/text/index.js";
import { corpusRoot, goReference, hasCorpus } from "./go-reference.js";

const dir = join(corpusRoot, "google-pprof", "profile");

// The format each file must be recognised as (from the file names and headers).
const expectedFormat: Record<string, TextProfileFormat> = {
  "cppbench.contention": "contention",
  "cppbench.cpu": "cpu",
  "cppbench.growth": "heap",
  "cppbench.heap": "heap",
  "cppbench.thread": "thread",
  "cppbench.thread.all": "thread",
  "cppbench.thread.none": "thread",
  "go.crc32.cpu": "cpu",
  "go.godoc.thread": "count",
  "gobench.cpu": "cpu",
  "gobench.heap": "heap",
  "java.contention": "java-contention",
  "java.cpu": "java-cpu",
  "java.heap": "java-heap",
};

if (!hasCorpus)
  console.warn(`pprof-proto: ${corpusRoot} is absent; legacy corpus tests are skipped`);

describe.skipIf(!hasCorpus)("google/pprof legacy corpus", () => {
  const inputs = hasCorpus
    ? readdirSync(dir).filter(
        (f) => !f.endsWith(".string") && !f.startsWith("LICENSE") && f !== "SOURCE",
      )
    : [];

  it("has the 14 inputs this test knows about", () => {
    expect(inputs.sort()).toEqual(Object.keys(expectedFormat).sort());
  });

  describe.each(inputs)("%s", (name) => {
    const bytes = new Uint8Array(readFileSync(join(dir, name)));
    const golden = readFileSync(join(dir, `${name}.string`), "utf8");

    it("parses to exactly the pprof -raw golden", () => {
      expect(toRawString(parseProfile(bytes))).toBe(golden);
    });

    it("is recognised as the right format", () => {
      const r = parseProfileText(bytes);
      expect(r.format).toBe(expectedFormat[name]);
      expect(toRawString(r.profile)).toBe(golden);
    });

    it("reads the same from a string as from bytes (text formats)", () => {
      if (bytes[0] === 0) return; // binary
      const text = new TextDecoder().decode(bytes);
      expect(toRawString(parseProfileText(text).profile)).toBe(golden);
    });

    it("never throws anything but PprofError on truncations", () => {
      const cuts = [
        1,
        2,
        5,
        17,
        Math.floor(bytes.length / 3),
        Math.floor(bytes.length / 2),
        bytes.length - 1,
      ];
      for (const n of cuts) {
        try {
          parseProfileText(bytes.subarray(0, n));
        } catch (e) {
          expect(isPprofError(e), String(e)).toBe(true);
        }
      }
    });
  });

  it("agrees with Go's profile.Parse run now (when Go is available)", () => {
    const go = goReference();
    if (!go) {
      console.warn("pprof-proto: Go is unavailable; live legacy comparison skipped");
      return;
    }
    for (const name of inputs) {
      const file = join(dir, name);
      expect(toRawString(parseProfile(new Uint8Array(readFileSync(file)))), name).toBe(
        go.raw(file),
      );
    }
  });
});

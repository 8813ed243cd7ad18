import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { LineReader } from "./lines.js";

function all(input: string | Uint8Array): { lines: string[]; terminated: boolean[] } {
  const r = new LineReader(input);
  const lines: string[] = [];
  const terminated: boolean[] = [];
  for (let l = r.next(); l !== undefined; l = r.next()) {
    lines.push(l);
    terminated.push(r.terminated);
    expect(r.line).toBe(lines.length);
  }
  return { lines, terminated };
}

describe("LineReader", () => {
  it("splits like bufio.ScanLines", () => {
    expect(all("a\nb\r\n\nc")).toEqual({
      lines: ["a", "b", "", "c"],
      terminated: [true, true, true, false],
    });
    expect(all("a\n").lines).toEqual(["a"]);
    expect(all("").lines).toEqual([]);
    expect(all("\n").lines).toEqual([""]);
  });

  it("scan/text give an empty text after the end, as Go's Scanner does", () => {
    const r = new LineReader("x");
    expect(r.scan()).toBe(true);
    expect(r.text()).toBe("x");
    expect(r.scan()).toBe(false);
    expect(r.text()).toBe("");
    expect(r.scan()).toBe(false);
  });

  it("reads lines longer than a decoding chunk and multi-byte text across chunks", () => {
    const long = "é".repeat(700_000); // 1.4 MB of UTF-8, more than one chunk
    const text = `${long}\nshort\n${"✓".repeat(400_000)}\nend`;
    const bytes = new TextEncoder().encode(text);
    expect(all(bytes).lines).toEqual(text.split("\n"));
  });

  test.prop([fc.array(fc.string({ unit: "grapheme" }).map((s) => s.replace(/[\r\n]/g, "")))], {
    numRuns: 100,
  })("bytes and string input give the same lines", (lines) => {
    const text = lines.join("\n");
    const fromString = all(text).lines;
    expect(all(new TextEncoder().encode(text)).lines).toEqual(fromString);
    // ScanLines: no line after a final newline.
    const want = text === "" ? [] : text.split("\n");
    if (text.endsWith("\n")) want.pop();
    expect(fromString).toEqual(want);
  });
});

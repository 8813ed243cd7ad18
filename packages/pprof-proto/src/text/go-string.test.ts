import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { parseGoLabelSet, quoteGo, readGoQuoted } from "./go-string.js";

describe("readGoQuoted", () => {
  // Left: what Go 1.26's fmt %q printed for the string on the right.
  const cases: [string, string][] = [
    ['"plain"', "plain"],
    ['"a\\"b\\\\c"', 'a"b\\c'],
    ['"tab\\there\\nnl"', "tab\there\nnl"],
    ['"\\x00\\a\\x1b\\x7f"', "\u0000\u0007\u001b\u007f"],
    ['"héllo ✓ 😀"', "héllo ✓ 😀"],
    ['"\\u0085\\u200b\\ufeff"', "\u0085\u200b\ufeff"],
    ['"bad\\xffutf8"', "bad\ufffdutf8"],
    ['"{\\"k\\":\\"v\\", \\"x\\"}"', '{"k":"v", "x"}'],
    ['"\\U0001f600\\101"', "😀A"],
  ];
  it.each(cases)("%s", (quoted, want) => {
    expect(readGoQuoted(`${quoted}rest`, 0)).toEqual({ value: want, end: quoted.length });
  });

  it.each(['"open', '"bad\\q"', '"\\x4"', '"\\ud800"', "noquote", '"\\U00110000"'])(
    "rejects %s",
    (s) => {
      expect(readGoQuoted(s, 0)).toBeUndefined();
    },
  );

  test.prop([fc.string({ unit: "grapheme" })], { numRuns: 200 })(
    "reads back what quoteGo writes",
    (s) => {
      const q = quoteGo(s);
      expect(readGoQuoted(q, 0)).toEqual({ value: s, end: q.length });
    },
  );
});

describe("parseGoLabelSet", () => {
  it("reads runtime/pprof's form and the traceback form", () => {
    expect(parseGoLabelSet('{"a":"1", "b":"x\\"y"}')).toEqual([
      ["a", "1"],
      ["b", 'x"y'],
    ]);
    expect(parseGoLabelSet('{"worker": "w\\"q"}')).toEqual([["worker", 'w"q']]);
    expect(parseGoLabelSet("{}")).toEqual([]);
  });

  it.each(['{"a":"1"', '{"a"}', '{"a":"1",}', '{"a":"1"} x', "[]", '{"a":1}'])(
    "rejects %s",
    (s) => {
      expect(parseGoLabelSet(s)).toBeUndefined();
    },
  );
});

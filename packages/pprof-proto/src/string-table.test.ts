import { describe, expect, it } from "vitest";
import { PprofErrorCode } from "./errors.js";
import { StringTable } from "./string-table.js";
import { proto } from "./test-utils/proto-writer.js";

// Builds string_table fields and returns a lazy table over them.
function lazy(strings: string[], between: (i: number) => number[] = () => []): StringTable {
  const te = new TextEncoder();
  const bytes: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  strings.forEach((s, i) => {
    bytes.push(...between(i));
    const b = te.encode(s);
    bytes.push(0x32, b.length);
    starts.push(bytes.length);
    bytes.push(...b);
    ends.push(bytes.length);
  });
  return StringTable.fromByteRanges(
    Uint8Array.from(bytes),
    Uint32Array.from(starts),
    Uint32Array.from(ends),
    strings.length,
  );
}

describe("StringTable", () => {
  const cases: [string, string[], (i: number) => number[]][] = [
    ["ASCII, contiguous (one-pass decode)", ["", "main", "runtime.mallocgc", "x.go"], () => []],
    ["non-ASCII", ["", "héllo", "日本", "𝄞 clef"], () => []],
    ["scattered entries", ["", "a", "bb", "ccc"], (i) => new Array(100 * i).fill(0x08)],
  ];
  it.each(cases)("decodes %s the same one by one and all at once", (_name, strings, between) => {
    const one = lazy(strings, between);
    expect(strings.map((_, i) => one.get(i))).toEqual(strings);
    const all = lazy(strings, between);
    all.preload();
    expect(all.toArray()).toEqual(strings);
  });

  it("interns new strings after the decoded ones and finds existing ones", () => {
    const t = lazy(["", "a", "b", "a"]);
    expect(t.intern("a")).toBe(1);
    expect(t.intern("c")).toBe(4);
    expect(t.length).toBe(5);
    expect(t.get(4)).toBe("c");
  });

  it("rejects an index outside the table", () => {
    expect(() => StringTable.fromStrings(["", "x"]).get(2)).toThrow(
      expect.objectContaining({ code: PprofErrorCode.BadStringIndex }),
    );
    expect(() => StringTable.fromStrings(["x"])).toThrow(
      expect.objectContaining({ code: PprofErrorCode.BadStringTable }),
    );
  });

  it("keeps invalid UTF-8 as U+FFFD instead of throwing", () => {
    const bytes = proto((w) => w.bytes(6, []).bytes(6, [0x61, 0xff, 0x62]));
    const t = StringTable.fromByteRanges(bytes, Uint32Array.of(2, 4), Uint32Array.of(2, 7), 2);
    expect(t.get(1)).toBe("a\ufffdb");
  });
});

import { gzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { decodeProfile } from "./decode.js";
import { encodeProfile } from "./encode.js";
import { isPprofError, type PprofError, PprofErrorCode } from "./errors.js";
import { ProfileBuilder } from "./model.js";
import { StringTable } from "./string-table.js";
import { ProtoWriter, proto } from "./test-utils/proto-writer.js";

// A small profile: string table ["", "samples", "count", "main", "main.go"],
// one function (id 1), one location (id 7) and `extra` fields appended.
function tiny(extra: (w: ProtoWriter) => void = () => {}, strings = true): Uint8Array {
  return proto((w) => {
    w.message(1, (m) => m.uint(1, 1).uint(2, 2));
    w.message(5, (m) => m.uint(1, 1).uint(2, 3).uint(4, 4));
    w.message(4, (m) => m.uint(1, 7).message(4, (l) => l.uint(1, 1).uint(2, 10)));
    extra(w);
    if (strings) for (const s of ["", "samples", "count", "main", "main.go"]) w.string(6, s);
  });
}

function catchError(f: () => unknown): PprofError {
  try {
    f();
  } catch (e) {
    if (isPprofError(e)) return e;
    throw e;
  }
  throw new Error("expected a PprofError");
}

describe("decodeProfile on hand-written wire bytes", () => {
  it("reads unpacked and packed repeated fields alike", () => {
    const unpacked = decodeProfile(
      tiny((w) => w.message(2, (s) => s.uint(1, 7).uint(1, 7).uint(2, 5))),
    );
    const packed = decodeProfile(
      tiny((w) => w.message(2, (s) => s.packed(1, [7, 7]).packed(2, [5]))),
    );
    for (const p of [unpacked, packed]) {
      expect(p.samples.count).toBe(1);
      expect(Array.from(p.sampleLocations(0))).toEqual([0, 0]);
      expect(p.sampleValue(0, 0)).toBe(5);
      expect(p.resolveSample(0).frames[0]).toMatchObject({
        functionName: "main",
        fileName: "main.go",
        line: 10,
      });
    }
  });

  it("keeps negative int64 values and values above 2^53 exact", () => {
    const big = 2n ** 62n + 3n;
    const p = decodeProfile(
      tiny((w) => {
        w.message(2, (s) => s.uint(1, 7).uint(2, -5n));
        w.message(2, (s) => s.uint(1, 7).uint(2, big));
        w.message(2, (s) => s.uint(1, 7).uint(2, -(2n ** 63n)));
        w.uint(9, 1_700_000_000_123_456_789n);
      }),
    );
    expect(p.sampleValue(0, 0)).toBe(-5);
    expect(p.sampleValueExact(0, 0)).toBe(-5n);
    expect(p.sampleValueExact(1, 0)).toBe(big);
    expect(p.sampleValue(1, 0)).toBe(Number(big));
    expect(p.sampleValueExact(2, 0)).toBe(-(2n ** 63n));
    expect(p.timeNanos).toBe(1_700_000_000_123_456_789n);
  });

  it("keeps uint64 ids and addresses above 2^53 exact", () => {
    const id = 2n ** 64n - 1n;
    const addr = 0xffffffff81000000n;
    const p = decodeProfile(
      proto((w) => {
        w.message(1, (m) => m.uint(1, 1).uint(2, 2));
        w.message(2, (s) => s.uint(1, id).uint(2, 1));
        w.message(4, (m) => m.uint(1, id).uint(3, addr));
        for (const s of ["", "samples", "count"]) w.string(6, s);
      }),
    );
    expect(p.locations[0]?.id).toBe(id);
    expect(p.locations[0]?.address).toBe(addr);
    expect(Array.from(p.sampleLocations(0))).toEqual([0]);
  });

  it("skips unknown fields of every wire type, at every level, with multi-byte tags", () => {
    const noise = (w: ProtoWriter) => {
      w.uint(16, 1); // two-byte tag
      w.fixed64(17, 0x1122334455667788n);
      w.fixed32(18, 0xcafe);
      w.string(19, "ignored");
      w.group(20, (g) => g.uint(1, 2).group(21, (h) => h.string(2, "deep")));
      w.uint(2 ** 29 + 2, 3); // field number above 2^29: the tag's high half is non-zero
    };
    const plain = decodeProfile(tiny((w) => w.message(2, (s) => s.uint(1, 7).uint(2, 9))));
    const noisy = decodeProfile(
      proto((w) => {
        noise(w);
        w.message(1, (m) => {
          noise(m);
          m.uint(1, 1).uint(2, 2);
        });
        w.message(5, (m) => m.uint(1, 1).uint(2, 3).uint(4, 4).uint(99, 1));
        w.message(4, (m) => {
          m.message(4, (l) => {
            noise(l);
            l.uint(1, 1).uint(2, 10);
          });
          noise(m);
          m.uint(1, 7);
        });
        w.message(2, (s) => {
          noise(s);
          s.uint(1, 7).uint(2, 9);
        });
        for (const s of ["", "samples", "count", "main", "main.go"]) w.string(6, s);
        noise(w);
      }),
    );
    expect(encodeProfile(noisy, { gzip: false })).toEqual(encodeProfile(plain, { gzip: false }));
  });

  it("reads a string table written first, records in any order", () => {
    const p = decodeProfile(
      proto((w) => {
        for (const s of ["", "samples", "count", "main", "main.go"]) w.string(6, s);
        w.message(2, (s) => s.uint(2, 4).uint(1, 7));
        w.message(4, (m) => m.message(4, (l) => l.uint(2, 3).uint(1, 1)).uint(1, 7));
        w.message(1, (m) => m.uint(2, 2).uint(1, 1));
        w.message(5, (m) => m.uint(4, 4).uint(2, 3).uint(1, 1));
      }),
    );
    expect(p.resolveSample(0)).toMatchObject({
      values: [4],
      frames: [{ functionName: "main", line: 3 }],
    });
  });

  it("reports concatenated profiles (a second time_nanos)", () => {
    const bytes = tiny((w) => w.uint(9, 5).uint(9, 6));
    const e = catchError(() => decodeProfile(bytes));
    expect(e.code).toBe(PprofErrorCode.ConcatenatedProfiles);
    expect(bytes[e.offset as number]).toBe(9 << 3);
  });

  it("resolves a location whose mapping id is unknown to no mapping, with a diagnostic", () => {
    const p = decodeProfile(
      proto((w) => {
        w.message(4, (m) => m.uint(1, 1).uint(2, 42));
        w.string(6, "");
      }),
    );
    expect(p.locations[0]?.mapping).toBe(-1);
    expect(p.diagnostics).toEqual([expect.objectContaining({ code: "unknown-mapping-id" })]);
  });

  const bad: [string, Uint8Array, string, number | undefined][] = [
    ["empty input", new Uint8Array(0), PprofErrorCode.Empty, undefined],
    ["a truncated varint", Uint8Array.of(0x48, 0xff), PprofErrorCode.BadVarint, 1],
    [
      "an 11-byte varint",
      Uint8Array.of(0x48, ...new Array(10).fill(0xff), 0x01),
      PprofErrorCode.BadVarint,
      1,
    ],
    ["a length past the end", Uint8Array.of(0x0a, 0x05, 0x08), PprofErrorCode.Truncated, 1],
    ["wire type 7", Uint8Array.of(0xa7, 0x01), PprofErrorCode.BadWireType, 2],
    ["an end-group without a start", Uint8Array.of(0xa4, 0x01), PprofErrorCode.BadWireType, 2],
    ["a fixed64 past the end", Uint8Array.of(0x81, 0x01, 0x00), PprofErrorCode.Truncated, 2],
    [
      "a message field sent as a varint",
      Uint8Array.of(0x08, 0x01),
      PprofErrorCode.WireTypeMismatch,
      0,
    ],
    ["string_table[0] not empty", proto((w) => w.string(6, "x")), PprofErrorCode.BadStringTable, 2],
    [
      "a string index past the table",
      proto((w) => w.message(1, (m) => m.uint(1, 3)).string(6, "")),
      PprofErrorCode.BadStringIndex,
      0,
    ],
    [
      "a negative string index",
      proto((w) => w.uint(15, -1n).string(6, "")),
      PprofErrorCode.BadStringIndex,
      0,
    ],
    [
      "a sample at an unknown location",
      tiny((w) => w.message(2, (s) => s.uint(1, 8).uint(2, 1))),
      PprofErrorCode.UnknownId,
      undefined,
    ],
    [
      "a line with an unknown function",
      proto((w) => w.message(4, (m) => m.uint(1, 1).message(4, (l) => l.uint(1, 9))).string(6, "")),
      PprofErrorCode.UnknownId,
      undefined,
    ],
    [
      "two locations with one id",
      proto((w) =>
        w
          .message(4, (m) => m.uint(1, 1))
          .message(4, (m) => m.uint(1, 1))
          .string(6, ""),
      ),
      PprofErrorCode.BadId,
      undefined,
    ],
    [
      "a function with id 0",
      proto((w) => w.message(5, (m) => m.uint(2, 0)).string(6, "")),
      PprofErrorCode.BadId,
      undefined,
    ],
    [
      "a sample with too many values",
      tiny((w) => w.message(2, (s) => s.uint(1, 7).packed(2, [1, 2]))),
      PprofErrorCode.ValueCountMismatch,
      undefined,
    ],
    [
      "a sample with too few values",
      tiny((w) => w.message(2, (s) => s.uint(1, 7))),
      PprofErrorCode.ValueCountMismatch,
      undefined,
    ],
    [
      "samples without sample types",
      proto((w) => w.message(2, (s) => s.uint(2, 1)).string(6, "")),
      PprofErrorCode.ValueCountMismatch,
      undefined,
    ],
    [
      "a label value with the wrong wire type",
      tiny((w) =>
        w.message(2, (s) =>
          s
            .uint(1, 7)
            .uint(2, 1)
            .message(3, (l) => l.string(2, "x")),
        ),
      ),
      PprofErrorCode.WireTypeMismatch,
      undefined,
    ],
  ];
  it.each(bad)("rejects %s", (_name, bytes, code, offset) => {
    const e = catchError(() => decodeProfile(bytes));
    expect(e.code).toBe(code);
    expect(e.name).toBe("PprofError");
    if (offset !== undefined) expect(e.offset).toBe(offset);
    else if (bytes.length > 0) expect(e.offset).toBeGreaterThanOrEqual(0);
  });
});

describe("encoding a decoded string table", () => {
  it("merges equal entries by content and keeps their first-use order, whatever the bytes", () => {
    // Duplicates among ASCII, UTF-8 and invalid UTF-8 entries (two invalid
    // sequences decode to the same U+FFFD text), used in an order that
    // differs from the table's.
    const texts: (string | Uint8Array)[] = [
      "",
      "samples",
      "count",
      "main",
      "main.go",
      "main",
      "héllo",
      "héllo",
      Uint8Array.of(0x61, 0xff, 0x62),
      Uint8Array.of(0x61, 0xfe, 0x62),
      "x".repeat(100),
      "x".repeat(100),
      "count",
    ];
    const bytes = proto((w) => {
      w.message(1, (m) => m.uint(1, 12).uint(2, 2));
      w.message(5, (m) => m.uint(1, 1).uint(2, 5).uint(3, 3).uint(4, 4));
      w.message(5, (m) => m.uint(1, 2).uint(2, 7).uint(3, 6).uint(4, 9));
      w.message(5, (m) => m.uint(1, 3).uint(2, 10).uint(3, 8).uint(4, 11));
      w.message(4, (m) =>
        m
          .uint(1, 1)
          .message(4, (l) => l.uint(1, 1))
          .message(4, (l) => l.uint(1, 2)),
      );
      w.message(4, (m) => m.uint(1, 2).message(4, (l) => l.uint(1, 3)));
      w.message(2, (s) => s.packed(1, [1, 2, 1]).uint(2, 4));
      for (const t of texts) {
        if (typeof t === "string") w.string(6, t);
        else w.bytes(6, t);
      }
    });
    const lazy = decodeProfile(bytes);
    const eager = decodeProfile(bytes);
    eager.strings = StringTable.fromStrings(eager.strings.toArray());
    const a = encodeProfile(lazy, { gzip: false });
    expect(a).toEqual(encodeProfile(eager, { gzip: false }));
    const again = decodeProfile(a);
    expect(again.strings.toArray()).toEqual([
      "",
      "count",
      "main",
      "main.go",
      "héllo",
      "a\ufffdb",
      "x".repeat(100),
    ]);
  });
});

describe("input types", () => {
  const raw = tiny((w) => w.message(2, (s) => s.uint(1, 7).uint(2, 3)));
  const expected = encodeProfile(decodeProfile(raw), { gzip: false });
  // The same bytes inside a larger buffer, at an offset.
  const padded = new Uint8Array(raw.length + 11);
  padded.set(raw, 5);

  it.each([
    ["an ArrayBuffer", () => raw.slice().buffer],
    [
      "a SharedArrayBuffer",
      () => {
        const sab = new SharedArrayBuffer(raw.length);
        new Uint8Array(sab).set(raw);
        return sab;
      },
    ],
    ["a Buffer", () => Buffer.from(raw)],
    ["a Buffer sharing a larger pool", () => Buffer.from(padded.buffer, 5, raw.length)],
    ["a Uint8Array view at an offset", () => padded.subarray(5, 5 + raw.length)],
    ["a DataView", () => new DataView(padded.buffer, 5, raw.length)],
    ["an Int8Array", () => new Int8Array(padded.buffer, 5, raw.length)],
    ["a Uint8ClampedArray", () => new Uint8ClampedArray(padded.buffer, 5, raw.length)],
  ] as [string, () => ArrayBufferView | ArrayBufferLike][])("reads %s as its bytes", (_n, make) => {
    expect(encodeProfile(decodeProfile(make()), { gzip: false })).toEqual(expected);
  });

  it("reads gzip given as an ArrayBuffer", () => {
    expect(decodeProfile(gzipSync(raw).slice().buffer).sampleValue(0, 0)).toBe(3);
  });

  it("treats an empty ArrayBuffer as empty input", () => {
    expect(catchError(() => decodeProfile(new ArrayBuffer(0))).code).toBe(PprofErrorCode.Empty);
  });

  it.each([
    ["a string", "\x0a\x00"],
    ["a number array", [0x0a, 0x00]],
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
    ["a plain object", { length: 2, 0: 0x0a, 1: 0x00 }],
  ] as [string, unknown][])("rejects %s with a PprofError at offset 0", (_n, value) => {
    const e = catchError(() => decodeProfile(value as Uint8Array));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("PprofError");
    expect(e.code).toBe(PprofErrorCode.InvalidArgument);
    expect(e.offset).toBe(0);
  });
});

describe("allocation from untrusted counts", () => {
  it("rejects many samples times many sample types before allocating for them", () => {
    // 40k sample types and 40k empty samples in 160 kB would ask for 1.6e9 values.
    const w = new ProtoWriter();
    for (let i = 0; i < 40_000; i++) w.message(1, () => {});
    for (let i = 0; i < 40_000; i++) w.message(2, () => {});
    w.string(6, "");
    const e = catchError(() => decodeProfile(w.finish()));
    expect(e.code).toBe(PprofErrorCode.ValueCountMismatch);
  });
});

describe("gzip input", () => {
  const raw = tiny((w) => w.message(2, (s) => s.uint(1, 7).uint(2, 3)));

  it("is detected by magic", () => {
    expect(decodeProfile(gzipSync(raw)).sampleValue(0, 0)).toBe(3);
  });

  it("may have several members (concatenated gzip files)", () => {
    const cut = 7;
    const a = gzipSync(raw.subarray(0, cut));
    const b = gzipSync(raw.subarray(cut));
    const both = new Uint8Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    expect(encodeProfile(decodeProfile(both), { gzip: false })).toEqual(
      encodeProfile(decodeProfile(raw), { gzip: false }),
    );
  });

  it("rejects a truncated stream", () => {
    const gz = gzipSync(raw);
    expect(catchError(() => decodeProfile(gz.subarray(0, gz.length - 12))).code).toBe(
      PprofErrorCode.BadGzip,
    );
  });

  it("stops at maxDecompressedBytes", () => {
    const big = gzipSync(new Uint8Array(1 << 20));
    const e = catchError(() => decodeProfile(big, { maxDecompressedBytes: 1000 }));
    expect(e.code).toBe(PprofErrorCode.TooLarge);
  });
});

describe("ProfileBuilder", () => {
  it("interns functions and locations and resolves samples back", () => {
    const b = new ProfileBuilder({
      sampleTypes: [
        { type: "alloc_objects", unit: "count" },
        { type: "alloc_space", unit: "bytes" },
      ],
      periodType: { type: "space", unit: "bytes" },
      period: 524288,
      timeNanos: 2n ** 60n,
    });
    const leaf = {
      functionName: "runtime.mallocgc",
      fileName: "malloc.go",
      line: 1000,
      address: 0x401000n,
    };
    const inlined = b.location({
      address: 0x402000n,
      lines: [
        { functionName: "bytes.growSlice", fileName: "buffer.go", line: 249 },
        { functionName: "main.main", fileName: "main.go", line: 12 },
      ],
    });
    b.addSample([2, 96], [leaf, inlined], [{ key: "bytes", num: 48, unit: "bytes" }]);
    b.addSample([1n, 2n ** 62n], [leaf, inlined], [{ key: "span", str: "a" }]);
    const p = b.build();
    expect(p.locations).toHaveLength(2);
    expect(p.functions).toHaveLength(3);
    const s0 = p.resolveSample(0);
    expect(s0.frames.map((f) => [f.functionName, f.line, f.inlined])).toEqual([
      ["runtime.mallocgc", 1000, false],
      ["bytes.growSlice", 249, true],
      ["main.main", 12, false],
    ]);
    expect(s0.numLabels.get("bytes")).toEqual([{ value: 48, exact: 48n, unit: "bytes" }]);
    const s1 = decodeProfile(encodeProfile(p)).resolveSample(1);
    expect(s1.exactValues).toEqual([1n, 2n ** 62n]);
    expect(s1.labels.get("span")).toEqual(["a"]);
  });

  it("rejects a sample with the wrong number of values", () => {
    const b = new ProfileBuilder({ sampleTypes: [{ type: "samples", unit: "count" }] });
    expect(catchError(() => b.addSample([1, 2], [])).code).toBe(PprofErrorCode.ValueCountMismatch);
  });
});

describe("isPprofError", () => {
  it("checks the name, not the prototype", () => {
    expect(isPprofError({ name: "PprofError", code: "truncated" })).toBe(true);
    expect(isPprofError(new Error("x"))).toBe(false);
    expect(isPprofError(null)).toBe(false);
  });
});

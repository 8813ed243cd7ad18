import { fc, test } from "@fast-check/vitest";
import {
  type HeapDumpRecord,
  isHeapDumpError,
  readHeapDump,
  readHeapDumpRecords,
  streamHeapDump,
  writeHeapDump,
} from "@tricolor/heapdump-reader";
import { describe, expect, it } from "vitest";
import { goVersions, readFixture } from "../../../fixtures/fixtures.js";
import { asyncChunks, chunked } from "./arbitraries.js";

const HEADER = [..."go1.7 heap dump\n"].map((c) => c.charCodeAt(0));
const params: HeapDumpRecord = {
  kind: "params",
  bigEndian: false,
  pointerSize: 8,
  heapStart: 0,
  heapEnd: 0,
  arch: "amd64",
  goVersion: "go1.26.8",
  numCpu: 1,
};
const minimal = writeHeapDump([params]); // header, params, EOF
const paramsEnd = minimal.length - 1; // offset of the EOF tag

function withBody(...body: number[]): Uint8Array {
  return new Uint8Array([...minimal.subarray(0, paramsEnd), ...body]);
}

function errorOf(f: () => unknown): { code: string; offset: number; recordIndex: number } {
  try {
    f();
  } catch (e) {
    if (isHeapDumpError(e)) return { code: e.code, offset: e.offset, recordIndex: e.recordIndex };
    throw e;
  }
  throw new Error("no error thrown");
}

describe("each malformation has its own error code and position", () => {
  const cases: [string, Uint8Array, string, number, number][] = [
    [
      "wrong header",
      new Uint8Array([...HEADER.slice(0, 4), 0x39, ...HEADER.slice(5), 0]),
      "BAD_HEADER",
      4,
      -1,
    ],
    ["header cut short", new Uint8Array(HEADER.slice(0, 9)), "TRUNCATED", 9, -1],
    ["no EOF record", minimal.subarray(0, paramsEnd), "TRUNCATED", paramsEnd, 1],
    ["unknown tag 18", withBody(18, 0), "UNKNOWN_TAG", paramsEnd, 1],
    [
      "varint of 11 bytes",
      withBody(8, ...new Array(10).fill(0x80), 0, 0, 0),
      "VARINT_TOO_LONG",
      paramsEnd + 1,
      1,
    ],
    [
      "varint above 2^64",
      withBody(8, ...new Array(9).fill(0xff), 0x02, 0, 0),
      "VARINT_TOO_LONG",
      paramsEnd + 1,
      1,
    ],
    [
      "contents longer than the input",
      withBody(1, 0x10, 0xe8, 0x07, 1, 2, 0, 0),
      "LENGTH_OUT_OF_RANGE",
      paramsEnd + 2,
      1,
    ],
    [
      "absurd stack depth",
      withBody(16, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0),
      "LENGTH_OUT_OF_RANGE",
      paramsEnd + 3,
      1,
    ],
    ["no params record", new Uint8Array([...HEADER, 8, 1, 2, 0]), "MISSING_PARAMS", 16, 0],
    ["only EOF", new Uint8Array([...HEADER, 0]), "MISSING_PARAMS", 16, 0],
    ["a second EOF", withBody(0, 0), "SECOND_EOF", paramsEnd + 1, -1],
    ["bytes after EOF", withBody(0, 7), "TRAILING_DATA", paramsEnd + 1, -1],
    [
      "field kind 9",
      withBody(1, 0x10, 8, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0),
      "BAD_FIELD_KIND",
      paramsEnd + 11,
      1,
    ],
    ["pointer size 3", new Uint8Array([...HEADER, 6, 0, 3, 0, 0, 0, 0, 0, 0]), "BAD_PARAMS", 18, 0],
  ];
  it.each(cases)("%s", (_name, bytes, code, offset, recordIndex) => {
    expect(errorOf(() => readHeapDump(bytes))).toEqual({ code, offset, recordIndex });
    expect(errorOf(() => [...readHeapDumpRecords(bytes)])).toEqual({ code, offset, recordIndex });
  });

  it.each(cases)("%s (streamed byte by byte)", async (_name, bytes, code, offset) => {
    const chunks = [...bytes].map((b) => new Uint8Array([b]));
    let caught: unknown;
    try {
      for await (const _ of streamHeapDump(asyncChunks(chunks))) {
        // drain
      }
    } catch (e) {
      caught = e;
    }
    expect(isHeapDumpError(caught)).toBe(true);
    expect(caught).toMatchObject({ code, offset });
  });
});

// Fuzzing a real dump: every outcome is a result or a HeapDumpError. (Each
// case is bounded by construction: every loop of the reader advances the
// read position, and the suite's test timeout catches a regression.)
const real = readFixture(goVersions()[0] as string, "heap/timeline-0.dump.gz");

function outcome(bytes: Uint8Array): string {
  try {
    const dump = readHeapDump(bytes);
    return `ok ${dump.objectCount}`;
  } catch (e) {
    if (isHeapDumpError(e)) return `error ${e.code} ${e.offset}`;
    throw e;
  }
}

async function streamOutcome(bytes: Uint8Array, cuts: number[]): Promise<string> {
  let n = 0;
  try {
    for await (const _ of streamHeapDump(asyncChunks(chunked(bytes, cuts)))) n++;
    return `ok ${n}`;
  } catch (e) {
    if (isHeapDumpError(e)) return `error ${e.code} ${e.offset}`;
    throw e;
  }
}

function recordsOutcome(bytes: Uint8Array): string {
  let n = 0;
  try {
    for (const _ of readHeapDumpRecords(bytes)) n++;
    return `ok ${n}`;
  } catch (e) {
    if (isHeapDumpError(e)) return `error ${e.code} ${e.offset}`;
    throw e;
  }
}

describe("real dump, damaged", () => {
  test.prop([fc.nat({ max: real.length - 1 })], { numRuns: 60 })(
    "any truncation throws TRUNCATED or LENGTH_OUT_OF_RANGE",
    (n) => {
      const o = outcome(real.subarray(0, n));
      expect(o).toMatch(/^error (TRUNCATED|LENGTH_OUT_OF_RANGE|MISSING_PARAMS) /);
    },
  );

  test.prop(
    [
      fc.array(fc.tuple(fc.nat({ max: real.length - 1 }), fc.nat({ max: 255 })), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.array(fc.nat(), { maxLength: 8 }),
    ],
    { numRuns: 60 },
  )("any byte mutation parses or throws HeapDumpError, streamed alike", async (edits, cuts) => {
    const bytes = real.slice();
    for (const [at, value] of edits) bytes[at] = value;
    const o = outcome(bytes);
    expect(o).toMatch(/^(ok|error) /);
    // The record iterator and the stream agree on where (and whether) it breaks.
    const r = recordsOutcome(bytes);
    expect(await streamOutcome(bytes, cuts)).toBe(r);
    if (o.startsWith("error")) expect(r).toMatch(/^error /);
  });
});

// Deep equality over Uint8Array is slow in vitest; compare contents as base64.
function comparable(r: HeapDumpRecord): unknown {
  return "contents" in r ? { ...r, contents: Buffer.from(r.contents).toString("base64") } : r;
}

it("streams a real dump in random chunks exactly like the in-memory read", async () => {
  const expected = [...readHeapDumpRecords(real)].map(comparable);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(), { maxLength: 200 }), async (cuts) => {
      const got: unknown[] = [];
      for await (const r of streamHeapDump(asyncChunks(chunked(real, cuts))))
        got.push(comparable(r));
      expect(got).toEqual(expected);
    }),
    { numRuns: 15 },
  );
});

it("streams from a web ReadableStream", async () => {
  const bytes = real;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 4093) controller.enqueue(bytes.slice(i, i + 4093));
      controller.close();
    },
  });
  let n = 0;
  for await (const _ of streamHeapDump(stream)) n++;
  expect(n).toBe([...readHeapDumpRecords(bytes)].length);
});

describe("arguments that are not bytes", () => {
  it("reads an ArrayBuffer, a DataView and a typed array as the same bytes", () => {
    const copy = minimal.slice();
    const want = readHeapDump(minimal).params;
    expect(readHeapDump(copy.buffer).params).toEqual(want);
    expect(readHeapDump(new DataView(copy.buffer) as unknown as Uint8Array).params).toEqual(want);
    // A view into the middle of a larger buffer keeps its own window.
    const padded = new Uint8Array(minimal.length + 8);
    padded.set(minimal, 4);
    const words = new Uint8Array(padded.buffer, 4, minimal.length);
    expect(readHeapDump(words).params).toEqual(want);
    expect([...readHeapDumpRecords(copy.buffer)].map((r) => r.kind)).toEqual(["params"]);
  });

  it.each([
    ["a string", "go1.7 heap dump\n"],
    ["null", null],
    ["a plain array", [...minimal]],
    ["a number", 42],
  ])("refuses %s with INVALID_ARGUMENT at offset 0", (_name, value) => {
    expect(errorOf(() => readHeapDump(value as unknown as Uint8Array))).toMatchObject({
      code: "INVALID_ARGUMENT",
      offset: 0,
    });
    expect(errorOf(() => [...readHeapDumpRecords(value as unknown as Uint8Array)])).toMatchObject({
      code: "INVALID_ARGUMENT",
      offset: 0,
    });
  });

  it("refuses a stream chunk that is not bytes, at the offset it would start", async () => {
    async function* chunks() {
      yield minimal.subarray(0, 10);
      yield "heap dump text" as unknown as Uint8Array;
    }
    await expect(
      (async () => {
        for await (const _ of streamHeapDump(chunks())) {
          // drain
        }
      })(),
    ).rejects.toMatchObject({ name: "HeapDumpError", code: "INVALID_ARGUMENT", offset: 10 });
    await expect(
      streamHeapDump(42 as unknown as AsyncIterable<Uint8Array>).next(),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT", offset: 0 });
  });
});

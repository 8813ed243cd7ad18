/**
 * The byte stream decodes chunks one char per byte (latin1) and decodes a line as
 * UTF-8 only when the parser cannot take its bytes as they are. Whatever the input,
 * the events must be those of the string path: the whole input decoded by one
 * streaming UTF-8 decoder, split into lines, one push per line.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it, vi } from "vitest";
import {
  type GcTraceEvent,
  GcTraceParser,
  MAX_LINE_LENGTH,
  parseGcTraceLine,
  parseGcTraceStreamBatches,
  readLines,
} from "./index.js";

async function* chunked(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let prev = 0;
  const ends = [...cuts.map((c) => Math.min(c, bytes.length)), bytes.length].sort((a, b) => a - b);
  for (const k of ends) {
    if (k <= prev) continue;
    yield bytes.subarray(prev, k);
    prev = k;
  }
}

/** The string path: one streaming UTF-8 decoder over the whole input, one push per line. */
async function expected(bytes: Uint8Array, cuts: number[] = []): Promise<GcTraceEvent[]> {
  const p = new GcTraceParser();
  const out: GcTraceEvent[] = [];
  // (Where a line longer than MAX_LINE_LENGTH is cut depends on the chunks.)
  for await (const l of readLines(chunked(bytes, cuts))) p.push(l, out);
  p.end(out);
  return out;
}

async function streamed(
  source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
  parse = parseGcTraceStreamBatches,
): Promise<GcTraceEvent[]> {
  const out: GcTraceEvent[] = [];
  for await (const b of parse(source)) out.push(...b);
  return out;
}

const enc = new TextEncoder();
const PACER =
  "pacer: 25% CPU (25 exp.) for 211752+8152+154602 B work (300594 B exp.) in 7163704 B -> 8392392 B (\u2206goal 432878, cons/mark 0.882490251150594)";
const LEGACY =
  "pacer: H_m_prev=4194304 h_t=+9.500000e-001 H_T=8178892 h_a=+1.003094e+000 H_a=8401120 h_g=+1.000000e+000 H_g=8388608 u_a=+2.500000e-001 u_g=+2.500000e-001 W_a=52456 goal\u0394=+5.000000e-002 actual\u0394=+5.309400e-002 u_a/u_g=+1.000000e+000";
const lines: string[] = [
  PACER,
  PACER.replace("\u2206", "\u0394"),
  // A pacer line whose number is too long for the fast path: the strict parser reads it.
  PACER.replace("211752", "1234567890123456789"),
  LEGACY,
  // The delta's UTF-8 bytes as text: not a delta.
  PACER.replace("\u2206", "\u00e2\u0088\u0086"),
  PACER.replace("\u2206", "\u2207"),
  "gc 1 @0.001s 15%: 0.12+0.46+0.030 ms clock, 0.25+0.14/0.22/0+0.060 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
  "gc 2 @0.5s 3%: ",
  "  G1: status=1(chan receive) m=-1 lockedm=0",
  "  G2: status=4(attente \u00e9tendue \u{1f600}) m=-1 lockedm=-1",
  "  M3: p=-1 curg=-1 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=true lockedg=-1",
  "  M2: p=1 curg=4 mallocing=0 throwing=0 preemptoff=gc\u00e9 locks=3 dying=0 spinning=false blocked=false lockedg=-1",
  "init runtime @0.17 ms, 0.12 ms clock, 0 bytes, 0 allocs",
  "init caf\u00e9/\u65e5\u672c @0.17 ms, 0.12 ms clock, 0 bytes, 0 allocs",
  "SCHED 0ms: gomaxprocs=2 idleprocs=1 threads=4 spinningthreads=0 idlethreads=2 runqueue=0 [0 0]",
  "SCHED 0ms: gomaxprocs=2 idleprocs=1 threads=4 spinn\u00efngthreads=0 idlethreads=2 runqueue=0 [0 0]",
  "app: caf\u00e9 \u65e5\u672c\u8a9e \u{1f600} done",
  "\u00e9crit: gc 3 @0.7s 3%: 0.12+0.46+0.030 ms clock, 0.25+0.14/0.22/0+0.060 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
  "scan: total 5 objs \u00b5",
  "\u2206",
  "",
];
const bad: number[][] = [
  [0xef, 0xbb, 0xbf], // BOM
  [0xe2, 0x88], // truncated ∆
  [0xe2],
  [0x88, 0x86], // continuation bytes alone
  [0xff],
  [0xc0, 0x80], // overlong
  [0xed, 0xa0, 0x80], // surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf0, 0x9f, 0x98], // truncated 4-byte
  [0x0d], // CR
];
const pieces: Uint8Array[] = [
  ...lines.map((l) => enc.encode(l)),
  ...lines.map((l) => enc.encode(`${l}\n`)),
  ...bad.map((b) => new Uint8Array(b)),
];

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let k = 0;
  for (const b of parts) {
    out.set(b, k);
    k += b.length;
  }
  return out;
}

const byteText = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map(concat);

describe("byte stream decoded as latin1", () => {
  test.prop([byteText, fc.array(fc.nat(1200), { maxLength: 12 })], { numRuns: 400 })(
    "non-ASCII text, deltas, invalid UTF-8 and any chunking give the string path's events",
    async (bytes, cuts) => {
      expect(await streamed(chunked(bytes, cuts))).toEqual(await expected(bytes));
    },
  );

  it("takes a pacer line's delta from its bytes, cut anywhere, and not from text that only looks like them", async () => {
    const bytes = enc.encode(`app: \u00e9\n${PACER}\n${PACER}`);
    const want = await expected(bytes);
    expect(want.map((e) => e.kind)).toEqual(["other", "pacer", "pacer"]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await streamed(chunked(bytes, [cut]))).toEqual(want);
      expect(await streamed(chunked(bytes, [cut, cut + 1, cut + 2]))).toEqual(want);
    }
    // The same chars as UTF-8 text (not bytes) are not a delta.
    expect(parseGcTraceLine(PACER.replace("\u2206", "\u00e2\u0088\u0086"))).toBeUndefined();
    const looksLike = enc.encode(PACER.replace("\u2206", "\u00e2\u0088\u0086"));
    expect(await streamed(chunked(looksLike, []))).toEqual([
      { kind: "other", line: 1, text: PACER.replace("\u2206", "\u00e2\u0088\u0086") },
    ]);
  });

  it("keeps non-ASCII free text (wait reason, preemptoff, package, program lines) as UTF-8 decodes it", async () => {
    const text = lines.join("\n");
    const got = await streamed(chunked(enc.encode(text), [7, 300, 301, 302, 1000]));
    expect(got).toEqual(await expected(enc.encode(text)));
    expect(got).toContainEqual(
      expect.objectContaining({ kind: "G", waitReason: "attente \u00e9tendue \u{1f600}" }),
    );
    expect(got).toContainEqual(expect.objectContaining({ kind: "M", preemptoff: "gc\u00e9" }));
    expect(got).toContainEqual(
      expect.objectContaining({ kind: "init", pkg: "caf\u00e9/\u65e5\u672c" }),
    );
    expect(got).toContainEqual(
      expect.objectContaining({
        kind: "other",
        text: "app: caf\u00e9 \u65e5\u672c\u8a9e \u{1f600} done",
      }),
    );
    expect(got.filter((e) => e.kind === "pacer")).toHaveLength(4);
  });

  it("replaces invalid bytes as the streaming decoder does, wherever the chunks end", async () => {
    const bytes = concat([
      new Uint8Array([0xef, 0xbb, 0xbf]),
      enc.encode("app: a"),
      new Uint8Array([0xe2, 0x88, 0x0a, 0xff, 0xc3]),
      enc.encode(`\n${PACER.slice(0, 100)}`),
      new Uint8Array([0xe2, 0x88]),
      enc.encode(`\n\uFEFFapp: b`),
      new Uint8Array([0xf0, 0x9f, 0x98]),
    ]);
    const want = await expected(bytes);
    expect(want.map((e) => (e.kind === "other" ? e.text : e.kind))).toEqual([
      "app: a\ufffd",
      "\ufffd\ufffd",
      `${PACER.slice(0, 100)}\ufffd`,
      "\ufeffapp: b\ufffd",
    ]);
    for (let cut = 0; cut <= bytes.length; cut++)
      expect(await streamed(chunked(bytes, [cut, cut + 2]))).toEqual(want);
  });

  it("long lines: a BOM is dropped only at the start, and UTF-8 cut where the long-line path hands back is kept whole", async () => {
    const long = "x".repeat(MAX_LINE_LENGTH + 10);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const inputs = [
      concat([bom, enc.encode(`${long}\n${PACER}\n`)]),
      concat([enc.encode("app: a\n"), bom, enc.encode(`${long}\n`), bom, enc.encode("app: b\n")]),
      concat([enc.encode(`${long}\n\u2206 app\n${PACER}\n\u00e9`)]),
    ];
    for (const bytes of inputs) {
      // Cuts at and around each line end, so chunks end inside the `∆` and the `é`.
      const cuts: number[] = [];
      for (let k = 0; k < bytes.length; k++) if (bytes[k] === 10) cuts.push(k + 1, k + 2, k + 3);
      const mid = MAX_LINE_LENGTH + 3;
      for (const c of [
        [],
        cuts,
        cuts.map((k) => k + 1),
        [1, 2, mid],
        [mid, ...cuts],
        [mid, ...cuts.map((k) => k + 1)],
      ]) {
        const want = await expected(bytes, c);
        expect(want.some((e) => e.kind === "pacer")).toBe(bytes !== inputs[1]);
        expect(await streamed(chunked(bytes, c))).toEqual(want);
      }
    }
  });

  it("gives the same events from a web ReadableStream of plain Uint8Arrays", async () => {
    const bytes = enc.encode(`${lines.join("\n")}\n`);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(bytes.subarray(0, 333)));
        c.enqueue(new Uint8Array(bytes.subarray(333)));
        c.close();
      },
    });
    expect(await streamed(stream)).toEqual(await expected(bytes));
  });

  it("without Node's Buffer (windows-1252 decoding), still gives the string path's events", async () => {
    const bytes = concat(pieces);
    const want = await expected(bytes);
    vi.resetModules();
    vi.stubGlobal("Buffer", undefined);
    try {
      const m = await import("./parse.js");
      for (const cuts of [[], [1, 2, 3], [500, 1000, 1500]])
        expect(await streamed(chunked(bytes, cuts), m.parseGcTraceStreamBatches)).toEqual(want);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});

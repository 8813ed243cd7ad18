import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  type GcTraceEvent,
  GcTraceParser,
  MAX_LINE_LENGTH,
  parseGcTraceStreamBatches,
  readLines,
} from "./index.js";

/** Chunks of `bytes` cut at `cuts`; with `reuse`, every chunk is written into one shared buffer. */
async function* chunked(
  bytes: Uint8Array,
  cuts: number[],
  reuse = false,
): AsyncGenerator<Uint8Array> {
  const shared = new Uint8Array(bytes.length);
  let prev = 0;
  const ends = [...cuts.map((c) => Math.min(c, bytes.length)), bytes.length].sort((a, b) => a - b);
  for (const k of ends) {
    if (k <= prev) continue;
    if (reuse) {
      shared.fill(0);
      shared.set(bytes.subarray(prev, k));
      yield shared.subarray(0, k - prev);
    } else yield bytes.subarray(prev, k);
    prev = k;
  }
}

/** What the stream parser must give: readLines (the streaming decoder), one push per line. */
async function expected(source: AsyncIterable<Uint8Array>): Promise<GcTraceEvent[]> {
  const p = new GcTraceParser();
  const out: GcTraceEvent[] = [];
  for await (const l of readLines(source)) p.push(l, out);
  p.end(out);
  return out;
}

async function streamed(source: AsyncIterable<Uint8Array>): Promise<GcTraceEvent[]> {
  const out: GcTraceEvent[] = [];
  for await (const b of parseGcTraceStreamBatches(source)) out.push(...b);
  return out;
}

const enc = new TextEncoder();
const pieces: Uint8Array[] = [
  "gc 1 @0.001s 15%: 0.12+0.46+0.030 ms clock, 0.25+0.14/0.22/0+0.060 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
  "pacer: 25% CPU (25 exp.) for 211752+8152+154602 B work (300594 B exp.) in 7163704 B -> 8392392 B (\u2206goal 432878, cons/mark 0.882490251150594)",
  "app: hello",
  "\n",
  "\r\n",
  "scan: total 5 objs",
  "gc 2 @0.5s 3%: ",
].map((s) => enc.encode(s));
const odd: Uint8Array[] = [
  [0xef, 0xbb, 0xbf], // BOM
  [0xe2, 0x88], // truncated ∆
  [0xff],
  [0xc3, 0xa9], // é
  [0xf0, 0x9f, 0x98, 0x80], // 4-byte character
].map((b) => new Uint8Array(b));

const byteText = fc
  .array(fc.oneof(fc.constantFrom(...pieces), fc.constantFrom(...odd)), { maxLength: 30 })
  .map((parts) => {
    const n = parts.reduce((a, b) => a + b.length, 0);
    const out = new Uint8Array(n);
    let k = 0;
    for (const b of parts) {
      out.set(b, k);
      k += b.length;
    }
    return out;
  });

describe("byte stream edge cases", () => {
  test.prop([byteText, fc.array(fc.nat(600), { maxLength: 10 }), fc.boolean()], { numRuns: 300 })(
    "BOMs, invalid UTF-8, CRLF and any chunking give the line reader's events",
    async (bytes, cuts, reuse) => {
      const want = await expected(chunked(bytes, [bytes.length]));
      expect(await streamed(chunked(bytes, cuts, reuse))).toEqual(want);
    },
  );

  test("lines longer than MAX_LINE_LENGTH are cut as readLines cuts them, and later lines still parse", async () => {
    const long = "\u00e9x".repeat(MAX_LINE_LENGTH / 2 + 1000); // 2-byte characters
    const longer = "y".repeat(2 * MAX_LINE_LENGTH + 5);
    const text = `app: first\n${long}\nscan: total 5 objs\n${longer}\n\u2206 app: after\nscan: total 7 objs`;
    const bytes = enc.encode(text);
    for (const size of [1 << 20, 300_001, 65_536]) {
      const cuts: number[] = [];
      for (let k = size; k < bytes.length; k += size) cuts.push(k);
      for (const reuse of [false, true]) {
        const want = await expected(chunked(bytes, cuts));
        const got = await streamed(chunked(bytes, cuts, reuse));
        expect(got).toEqual(want);
        // How many pieces a long line makes depends on the chunking, as in readLines.
        expect(got.filter((e) => e.kind === "scan")).toHaveLength(2);
        expect(got.some((e) => e.kind === "other" && e.text.length === MAX_LINE_LENGTH)).toBe(true);
      }
    }
  });
});

/**
 * The peers of the gctrace benchmark, each reading `file` as a 1 MiB-chunk byte
 * stream and returning the number of lines (shared by run.ts and profile.ts).
 */
import { createReadStream } from "node:fs";
import {
  type GcTraceEvent,
  parseGcTraceStream,
  parseGcTraceStreamBatches,
} from "@tricolor/gctrace-parser";
import { baselineLine } from "./baseline.js";

/** Our parser, batched: bytes -> arrays of events, including split-line repair. */
export async function oursBatches(file: string): Promise<number> {
  let lines = 0;
  for await (const batch of parseGcTraceStreamBatches(
    createReadStream(file, { highWaterMark: 1 << 20 }),
  )) {
    lines = (batch[batch.length - 1] as GcTraceEvent).line;
  }
  return lines;
}

/** Our parser, one event per async iteration step. */
export async function ours(file: string): Promise<number> {
  let last: GcTraceEvent | undefined;
  for await (const e of parseGcTraceStream(createReadStream(file, { highWaterMark: 1 << 20 }))) {
    last = e;
  }
  // The last event sits on the last line.
  return last?.line ?? 0;
}

/** Baseline: same byte splitting, then one anchored regex per kind per line. */
export async function baseline(file: string): Promise<number> {
  const decoder = new TextDecoder();
  let carry = "";
  let lineNo = 0;
  let sink = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = carry + decoder.decode(chunk as Uint8Array, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      const e = baselineLine(text.slice(start, nl), ++lineNo) as { kind: string };
      sink += e.kind.length;
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  if (carry !== "") baselineLine(carry, ++lineNo);
  return sink >= 0 ? lineNo : 0;
}

/**
 * Reference, not a parser: read, decode and find every line end, nothing else. No
 * parser of this input can be faster than this on the same machine.
 */
export async function floor(file: string): Promise<number> {
  const decoder = new TextDecoder();
  let carry = "";
  let lineNo = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = carry + decoder.decode(chunk as Uint8Array, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      lineNo++;
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  if (carry !== "") lineNo++;
  return lineNo;
}

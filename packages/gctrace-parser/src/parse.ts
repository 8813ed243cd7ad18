/**
 * Entry points over whole inputs: a string, an iterable of lines, or a byte stream.
 */
import { GcTraceError, GcTraceErrorCode } from "./errors.js";
import type { GcTraceEvent } from "./events.js";
import { type GcTraceDiagnostic, type GcTraceParseOptions, GcTraceParser } from "./parser.js";

/** A source of bytes: any async iterable of chunks (Node streams are) or a web `ReadableStream`. */
export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Result of {@link parseGcTraceText}. */
export interface GcTraceParseResult {
  /** All events in input order. */
  events: GcTraceEvent[];
  /** Recoverable anomalies (capped). */
  diagnostics: GcTraceDiagnostic[];
}

/**
 * Parses trace text lazily. `input` is the whole text (split on `\n`; a final line
 * without newline counts) or an iterable of lines without their newlines.
 *
 * @example
 * ```ts
 * for (const ev of parseGcTrace(stderrText)) if (ev.kind === "gc") console.log(ev.cycle);
 * ```
 */
export function* parseGcTrace(
  input: string | Iterable<string>,
  options: GcTraceParseOptions = {},
): Generator<GcTraceEvent, GcTraceDiagnostic[], undefined> {
  const parser = new GcTraceParser(options);
  const out: GcTraceEvent[] = [];
  if (typeof input === "string") {
    const n = input.length;
    let start = 0;
    while (start < n) {
      let nl = input.indexOf("\n", start);
      if (nl < 0) nl = n;
      parser.push(input, out, start, nl);
      start = nl + 1;
      if (out.length > 0) {
        yield* out;
        out.length = 0;
      }
    }
  } else if (input !== null && typeof input === "object" && Symbol.iterator in input) {
    for (const line of input) {
      if (typeof line !== "string") {
        throw new GcTraceError(GcTraceErrorCode.InvalidInput, "line iterables must yield strings", {
          line: parser.line,
        });
      }
      parser.push(line, out);
      if (out.length > 0) {
        yield* out;
        out.length = 0;
      }
    }
  } else {
    throw new GcTraceError(
      GcTraceErrorCode.InvalidInput,
      "parseGcTrace expects a string or an iterable of lines",
    );
  }
  parser.end(out);
  yield* out;
  return parser.diagnostics;
}

/** Parses a whole text at once, returning every event and the diagnostics. */
export function parseGcTraceText(
  text: string,
  options: GcTraceParseOptions = {},
): GcTraceParseResult {
  const events: GcTraceEvent[] = [];
  const it = parseGcTrace(text, options);
  for (;;) {
    const r = it.next();
    if (r.done === true) return { events, diagnostics: r.value };
    events.push(r.value);
  }
}

/** Longest line kept whole; longer runs without a newline are cut into pieces of this size. */
export const MAX_LINE_LENGTH = 1 << 20;

async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      reader.releaseLock();
    }
  } else if (source !== null && typeof source === "object" && Symbol.asyncIterator in source) {
    for await (const c of source as AsyncIterable<Uint8Array | string>) {
      // Node streams with an encoding set yield strings; accept them too.
      yield typeof c === "string" ? new TextEncoder().encode(c) : c;
    }
  } else {
    throw new GcTraceError(
      GcTraceErrorCode.InvalidInput,
      "expected an AsyncIterable<Uint8Array> or a ReadableStream<Uint8Array>",
    );
  }
}

/**
 * Splits a byte stream into lines (without newlines). Bytes are decoded chunk by
 * chunk as UTF-8 (a character split across chunks is handled by the streaming
 * decoder), so the input is never held as one string. A run of more than
 * {@link MAX_LINE_LENGTH} characters without a newline is cut into pieces.
 */
export async function* readLines(source: ByteSource): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder("utf-8");
  let carry = "";
  for await (const chunk of chunksOf(source)) {
    const text = carry + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      yield text.slice(start, nl);
      start = nl + 1;
    }
    carry = start === 0 ? text : text.slice(start);
    while (carry.length > MAX_LINE_LENGTH) {
      yield carry.slice(0, MAX_LINE_LENGTH);
      carry = carry.slice(MAX_LINE_LENGTH);
    }
  }
  carry += decoder.decode();
  if (carry !== "") yield carry;
}

/** Most events per batch of {@link parseGcTraceStreamBatches}. */
const BATCH = 1024;

/**
 * Parses a byte stream into batches of events: arrays of up to 1024 events, handed
 * out as the input arrives. This is the fastest way to consume a large stream, since the
 * per-event cost of async iteration is paid once per batch. The generator's return
 * value is the diagnostics list.
 */
export async function* parseGcTraceStreamBatches(
  source: ByteSource,
  options: GcTraceParseOptions = {},
): AsyncGenerator<GcTraceEvent[], GcTraceDiagnostic[], undefined> {
  const parser = new GcTraceParser(options);
  let out: GcTraceEvent[] = [];
  const decoder = new TextDecoder("utf-8");
  // Bytes of the unfinished last line. Only whole lines are decoded, so each chunk's
  // text is one flat string and lines are parsed in place as windows of it (no
  // per-line substring; parsing a window of a flat string is faster than parsing a
  // slice of it, or a concatenation). The decoder sees the bytes in order and in
  // streaming mode, so the text is the same as decoding chunk by chunk.
  let rest: Uint8Array | undefined;
  // A line longer than MAX_LINE_LENGTH bytes goes through `carry` (decoded text
  // after the last newline) and is cut into pieces as readLines does; once it has
  // ended, whole lines go back to the byte path.
  let carry = "";
  for await (const chunk of chunksOf(source)) {
    if (carry === "") {
      let buf = chunk;
      if (rest !== undefined) {
        buf = new Uint8Array(rest.length + chunk.length);
        buf.set(rest);
        buf.set(chunk, rest.length);
        rest = undefined;
      }
      const last = buf.lastIndexOf(10);
      // Copied: a source may reuse the buffer of a chunk it has handed out.
      if (last + 1 < buf.length) rest = buf.slice(last + 1);
      if (last >= 0) {
        const text = decoder.decode(buf.subarray(0, last + 1), { stream: true });
        const n = text.length;
        let start = 0;
        while (start < n) {
          const nl = text.indexOf("\n", start);
          parser.push(text, out, start, nl);
          start = nl + 1;
          // Small batches keep events young: handing them out before they survive a
          // scavenge keeps the garbage collector's work low.
          if (out.length >= BATCH) {
            yield out;
            out = [];
          }
        }
      }
      if (rest === undefined || rest.length <= MAX_LINE_LENGTH) {
        if (out.length > 0) {
          yield out;
          out = [];
        }
        continue;
      }
      // UTF-16 length <= UTF-8 length, so no line was long enough to cut before now.
      carry = decoder.decode(rest, { stream: true });
      rest = undefined;
    } else {
      const text = carry + decoder.decode(chunk, { stream: true });
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        if (nl < 0) break;
        parser.push(text, out, start, nl);
        start = nl + 1;
        if (out.length >= BATCH) {
          yield out;
          out = [];
        }
      }
      carry = start === 0 ? text : text.slice(start);
    }
    while (carry.length > MAX_LINE_LENGTH) {
      parser.push(carry, out, 0, MAX_LINE_LENGTH);
      carry = carry.slice(MAX_LINE_LENGTH);
    }
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  carry += decoder.decode(rest);
  if (carry !== "") parser.push(carry, out);
  parser.end(out);
  if (out.length > 0) yield out;
  return parser.diagnostics;
}

/**
 * Parses a byte stream (a file stream, a child's stderr, a `fetch` body) into events
 * as the bytes arrive (diagnostics: use {@link GcTraceParser} or the batch form).
 * For very large inputs {@link parseGcTraceStreamBatches} avoids the per-event cost
 * of async iteration.
 *
 * @example
 * ```ts
 * import { createReadStream } from "node:fs";
 * for await (const ev of parseGcTraceStream(createReadStream("trace.log"))) console.log(ev.kind);
 * ```
 */
export function parseGcTraceStream(
  source: ByteSource,
  options: GcTraceParseOptions = {},
): AsyncIterableIterator<GcTraceEvent> {
  return new EventIterator(parseGcTraceStreamBatches(source, options));
}

/**
 * Flattens batches without an async generator: events already parsed are handed out
 * as resolved promises, so the per-event cost is one microtask, not a generator resume.
 */
class EventIterator implements AsyncIterableIterator<GcTraceEvent> {
  private batch: GcTraceEvent[] = [];
  private index = 0;
  private readonly batches: AsyncGenerator<GcTraceEvent[], GcTraceDiagnostic[], undefined>;
  /** Diagnostics, available once iteration is done. */
  diagnostics: GcTraceDiagnostic[] = [];

  constructor(batches: AsyncGenerator<GcTraceEvent[], GcTraceDiagnostic[], undefined>) {
    this.batches = batches;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<GcTraceEvent> {
    return this;
  }

  next(): Promise<IteratorResult<GcTraceEvent>> {
    if (this.index < this.batch.length) {
      return Promise.resolve({ done: false, value: this.batch[this.index++] as GcTraceEvent });
    }
    return this.refill();
  }

  private async refill(): Promise<IteratorResult<GcTraceEvent>> {
    for (;;) {
      const r = await this.batches.next();
      if (r.done === true) {
        this.diagnostics = r.value;
        return { done: true, value: undefined };
      }
      if (r.value.length > 0) {
        this.batch = r.value;
        this.index = 1;
        return { done: false, value: r.value[0] as GcTraceEvent };
      }
    }
  }

  async return(): Promise<IteratorResult<GcTraceEvent>> {
    await this.batches.return([]);
    return { done: true, value: undefined };
  }
}

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

/** Node's Buffer, when there is one: its latin1 decoding is a plain one-byte copy. */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;
let singleByte: TextDecoder | undefined;

/**
 * `bytes[start:end]` decoded one char per byte: latin1 with Node's Buffer, else
 * windows-1252 (the WHATWG "latin1"; slower, and it maps 0x80–0x9f elsewhere, but
 * still to chars above 0x7f, which is all the callers rely on).
 */
function oneCharPerByte(bytes: Uint8Array, start: number, end: number): string {
  if (NodeBuffer !== undefined) {
    const b =
      bytes instanceof NodeBuffer
        ? bytes
        : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return b.toString("latin1", start, end);
  }
  singleByte ??= new TextDecoder("latin1");
  return singleByte.decode(bytes.subarray(start, end));
}

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
  // The lines are those one streaming UTF-8 decoder would give for the whole input
  // (a leading BOM dropped, bad bytes replaced), split on "\n".
  //
  // Only whole lines are decoded, so each chunk's text is one flat string and lines
  // are parsed in place as windows of it (no per-line substring; parsing a window of
  // a flat string is faster than parsing a slice of it, or a concatenation). The
  // bytes are decoded one char per byte (with Node's Buffer a plain copy into a
  // one-byte string, where UTF-8 decoding gives a two-byte string as soon as a chunk
  // holds one `∆`), and a line is decoded again as UTF-8 only when it holds a byte
  // above 0x7f that the parser cannot take as is (see GcTraceParser.pushLatin1).
  // Since "\n" is ASCII, decoding each line on its own gives the same text as one
  // streaming decoder: a UTF-8 sequence cut by "\n" is replaced the same way.
  const lineDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
  // Whether no line has been decoded yet (a BOM there is dropped).
  let first = true;
  // Bytes of the unfinished last line.
  let rest: Uint8Array | undefined;
  // A line longer than MAX_LINE_LENGTH bytes switches to `long` mode: the text after
  // the last newline, decoded by the streaming `decoder`, waits in `carry` and is cut
  // into pieces as readLines cuts it. Whole lines go back to the byte path after a
  // chunk that ends with a newline (the decoder holds no bytes then).
  let long = false;
  let carry = "";
  let decoder: TextDecoder | undefined;
  const chunks = chunksOf(source);
  try {
    for (;;) {
      const r = await chunks.next();
      // At the end, the input's last line without a newline goes round the byte path.
      const chunk = r.done === true ? undefined : r.value;
      if (chunk === undefined && (long || rest === undefined)) break;
      if (!long) {
        let buf = chunk ?? (rest as Uint8Array);
        // The line cut by the chunk boundary, put together, when the chunk ends it;
        // the chunk's own lines then start at `from` (no copy of the whole chunk).
        let head: Uint8Array | undefined;
        let from = 0;
        if (chunk !== undefined && rest !== undefined) {
          const nl = chunk.indexOf(10);
          if (nl < 0) {
            buf = new Uint8Array(rest.length + chunk.length);
            buf.set(rest);
            buf.set(chunk, rest.length);
          } else {
            head = new Uint8Array(rest.length + nl + 1);
            head.set(rest);
            head.set(chunk.subarray(0, nl + 1), rest.length);
            from = nl + 1;
          }
        }
        rest = undefined;
        const end = chunk === undefined ? buf.length : buf.lastIndexOf(10) + 1;
        // Copied: a source may reuse the buffer of a chunk it has handed out.
        if (end < buf.length) rest = buf.slice(end);
        for (let part = head === undefined ? 1 : 0; part < 2; part++) {
          const b = part === 0 ? (head as Uint8Array) : buf;
          const last = part === 0 ? b.length : end;
          let start = part === 0 ? 0 : from;
          if (start >= last) continue;
          if (first) {
            first = false;
            if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3;
          }
          const text = oneCharPerByte(b, 0, last);
          while (start < last) {
            let nl = text.indexOf("\n", start);
            if (nl < 0) nl = last;
            if (!parser.pushLatin1(text, out, start, nl))
              parser.push(lineDecoder.decode(b.subarray(start, nl)), out);
            start = nl + 1;
            // Small batches keep events young: handing them out before they survive a
            // scavenge keeps the garbage collector's work low.
            if (out.length >= BATCH) {
              yield out;
              out = [];
            }
          }
        }
        if (chunk === undefined) break;
        if (rest === undefined || rest.length <= MAX_LINE_LENGTH) {
          if (out.length > 0) {
            yield out;
            out = [];
          }
          continue;
        }
        // UTF-16 length <= UTF-8 length, so no line was long enough to cut before now.
        // A BOM is dropped only at the start of the input.
        decoder = new TextDecoder("utf-8", { ignoreBOM: !first });
        first = false;
        long = true;
        carry = decoder.decode(rest, { stream: true });
        rest = undefined;
      } else {
        const text = carry + (decoder as TextDecoder).decode(chunk, { stream: true });
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
        if (chunk !== undefined && chunk[chunk.length - 1] === 10) long = false;
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
  } finally {
    await chunks.return(undefined);
  }
  if (long) {
    carry += (decoder as TextDecoder).decode();
    if (carry !== "") parser.push(carry, out);
  }
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

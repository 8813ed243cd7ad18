/**
 * Loading a heap dump for the heap commands: read the file (gunzipping
 * `.gz` dumps, as the fixtures are stored), decode it with
 * `@tricolor/heapdump-reader`, build the object graph with
 * `@tricolor/object-graph`. Errors are tagged with the file name so the
 * one-line error names it.
 */
import { gunzipSync } from "node:zlib";
import { type HeapDump, readHeapDump } from "@tricolor/heapdump-reader";
import { buildObjectGraph, type ObjectGraph } from "@tricolor/object-graph";
import type { Io } from "./command.js";
import { CliError, withInput } from "./errors.js";
import { formatBytes, formatCount } from "./format.js";
import { inputName, readInputBytes } from "./input.js";
import { StatusLine } from "./progress.js";

/** A decoded dump and its graph. */
export interface LoadedHeap {
  /** Display name of the input. */
  name: string;
  /** Size of the (decompressed) dump. */
  bytes: number;
  dump: HeapDump;
  graph: ObjectGraph;
}

/** Announces the stages of long work on the terminal (silent otherwise). */
export class Stages {
  readonly #line: StatusLine;
  constructor(io: Io) {
    this.#line = new StatusLine(io.stderr);
  }
  /** Shows what is being done now. */
  show(text: string): void {
    this.#line.set(`${text}…`);
  }
  /** Erases the status line. */
  done(): void {
    this.#line.clear();
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Reads, decodes and graphs one dump. */
export async function loadHeap(path: string, io: Io, stages = new Stages(io)): Promise<LoadedHeap> {
  const name = inputName(path);
  stages.show(`reading ${name}`);
  let bytes = await readInputBytes(path, io);
  if (isGzip(bytes)) {
    try {
      const raw = gunzipSync(bytes);
      bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    } catch (error) {
      throw new CliError(`corrupt gzip stream: ${(error as Error).message}`, {
        file: name,
        cause: error,
      });
    }
  }
  stages.show(`decoding ${name} (${formatBytes(bytes.length)})`);
  const dump = await withInput(name, () => readHeapDump(bytes));
  stages.show(`building the object graph of ${formatCount(dump.objectCount)} objects`);
  const graph = await withInput(name, () => buildObjectGraph(dump));
  stages.done();
  return { name, bytes: bytes.length, dump, graph };
}

/** The allocation-site label of an object, or a size description when it was not sampled. */
export function objectLabel(graph: ObjectGraph, ordinal: number): string {
  const id = graph.siteIds?.[ordinal] ?? -1;
  if (id >= 0) return graph.sites[id] ?? "(unknown site)";
  return "(allocation site not sampled)";
}

/** Parses a Go pointer written as `0xc000012340` (or decimal). */
export function parseAddress(text: string): number {
  const trimmed = text.trim().toLowerCase();
  const valid = /^0x[0-9a-f]+$/.test(trimmed) || /^\d+$/.test(trimmed);
  const value = valid ? Number(BigInt(trimmed)) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new CliError(`"${text}" is not an address (expected hex like 0xc000012340)`);
  }
  return value;
}

// Entry points: recognise which text or legacy format the input is and parse
// it. The order of attempts is google/pprof's parseLegacy
// (profile/legacy_profile.go): binary CPU, heap, count, threadz, contention,
// Java; goroutine dumps (debug=2), which google/pprof does not read, last.

import { decodeProfile } from "../decode.js";
import { isPprofError, PprofError, PprofErrorCode } from "../errors.js";
import { gunzip, isGzip } from "../gzip.js";
import type { Profile } from "../model.js";
import { badText, isUnrecognized, type TextParseOptions, type Unrecognized } from "./common.js";
import { readContentionProfile } from "./contention.js";
import { readCountProfile } from "./count.js";
import { readCpuProfile } from "./cpu.js";
import { type GoroutineProfileOptions, goroutineDumpToProfile } from "./goroutine-profile.js";
import { type GoroutineDump, isGoroutineHeader, parseGoroutineDump } from "./goroutines.js";
import { type MemStatsEntry, readHeapProfile } from "./heap.js";
import { readJavaProfile } from "./java.js";
import { addLegacyFrameInfo, type LProfile, toProfile } from "./legacy-model.js";
import { LineReader } from "./lines.js";
import { readThreadProfile } from "./thread.js";

/** Which text or legacy format an input was read as. */
export type TextProfileFormat =
  /** Go debug=1 goroutine, threadcreate or custom profile (`<name> profile: total N`). */
  | "count"
  /** Go heap/allocs debug=1, or C++ heapz/growthz/fragmentationz text. */
  | "heap"
  /** Go block/mutex debug=1, or C++ contentionz text. */
  | "contention"
  /** C++ threadz text. */
  | "thread"
  /** gperftools binary CPU profile (also Go before 1.9). */
  | "cpu"
  /** Java agent binary CPU profile. */
  | "java-cpu"
  /** Java agent heapz text. */
  | "java-heap"
  /** Java agent contentionz text. */
  | "java-contention"
  /** Go goroutine dump (goroutine profile at debug=2, or panic output). */
  | "goroutine-dump";

/** The result of {@link parseProfileText}. */
export interface TextProfile {
  /** The format the input was read as. */
  format: TextProfileFormat;
  /** The profile. */
  profile: Profile;
  /** For `count`: the profile name from the header (`goroutine`, `threadcreate`, a custom name). */
  name: string | undefined;
  /** For Go heap profiles: the `# runtime.MemStats` trailer, in order. */
  memStats: MemStatsEntry[] | undefined;
  /** For `goroutine-dump`: the parsed goroutines. */
  goroutines: GoroutineDump | undefined;
}

/** Options for {@link parseProfileText}. */
export interface ParseProfileTextOptions extends TextParseOptions, GoroutineProfileOptions {}

function finish(p: LProfile): Profile {
  addLegacyFrameInfo(p);
  return toProfile(p);
}

function result(
  format: TextProfileFormat,
  profile: Profile,
  extra: Partial<Pick<TextProfile, "name" | "memStats" | "goroutines">> = {},
): TextProfile {
  return {
    format,
    profile,
    name: extra.name,
    memStats: extra.memStats,
    goroutines: extra.goroutines,
  };
}

/** Binary CPU profiles start with a zero word; text never does. */
function looksBinary(input: string | Uint8Array): input is Uint8Array {
  return typeof input !== "string" && input.length >= 4 && input[0] === 0 && input[1] === 0;
}

const HEADER_SCAN_LINES = 200;

const TEXT_SCAN_BYTES = 1 << 16;

/**
 * True when the first 64 KiB hold no control bytes other than tab, newline,
 * form feed and carriage return: what Go's text profiles and tracebacks are
 * made of. Binary files (a heap dump can contain traceback text) are not.
 */
function looksLikeText(input: string | Uint8Array): boolean {
  const n = Math.min(input.length, TEXT_SCAN_BYTES);
  for (let i = 0; i < n; i++) {
    const c = typeof input === "string" ? input.charCodeAt(i) : (input[i] as number);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) return false;
    if (c === 0x7f) return false;
  }
  return true;
}

/** True when the input is text and one of its first lines is a goroutine traceback header. */
function looksLikeGoroutineDump(input: string | Uint8Array): boolean {
  if (!looksLikeText(input)) return false;
  const r = new LineReader(input);
  for (let i = 0; i < HEADER_SCAN_LINES; i++) {
    const l = r.next();
    if (l === undefined) return false;
    if (isGoroutineHeader(l)) return true;
  }
  return false;
}

/**
 * Parses a profile in one of Go's text formats or one of the legacy formats
 * google/pprof's `Parse` accepts: Go debug=1 count (goroutine, threadcreate,
 * custom), heap/allocs, block/mutex; goroutine debug=2 dumps; gperftools
 * binary CPU; C++ heapz/growthz/contentionz/threadz; Java cpu/heap/contention.
 *
 * Throws {@link PprofError} (`bad-text`, with a line) when no format fits or
 * the input is malformed. Gzip input is not accepted here; see {@link parseProfile}.
 */
export function parseProfileText(
  input: string | Uint8Array,
  options: ParseProfileTextOptions = {},
): TextProfile {
  const failures: Unrecognized[] = [];
  const attempt = <T>(x: T | Unrecognized): T | undefined => {
    if (isUnrecognized(x)) {
      failures.push(x);
      return undefined;
    }
    return x;
  };

  if (looksBinary(input)) {
    const cpu = attempt(readCpuProfile(input));
    if (cpu) return result(cpu.java ? "java-cpu" : "cpu", finish(cpu.p));
  }
  const heap = attempt(readHeapProfile(new LineReader(input), options));
  if (heap) return result("heap", finish(heap.p), { memStats: heap.memStats });
  const count = attempt(readCountProfile(new LineReader(input), options));
  if (count) return result("count", finish(count.p), { name: count.name });
  const thread = attempt(readThreadProfile(new LineReader(input)));
  if (thread) return result("thread", finish(thread));
  const contention = attempt(readContentionProfile(new LineReader(input), options));
  if (contention) return result("contention", finish(contention));
  const java = attempt(readJavaProfile(new LineReader(input)));
  if (java) {
    const format = java.sampleTypes[0]?.[0] === "contentions" ? "java-contention" : "java-heap";
    return result(format, finish(java));
  }
  if (looksLikeGoroutineDump(input)) {
    const goroutines = parseGoroutineDump(input);
    return result("goroutine-dump", goroutineDumpToProfile(goroutines, options), { goroutines });
  }
  // Report the attempt that got furthest: the likeliest intended format.
  const best = failures.reduce<Unrecognized | undefined>(
    (a, f) => (a === undefined || f.line > a.line ? f : a),
    undefined,
  );
  throw badText(
    `unrecognized profile format${best && best.line > 1 ? `: ${best.reason}` : ""}`,
    Math.max(best?.line ?? 1, 1),
  );
}

/**
 * Parses anything google/pprof's `Parse` accepts, plus goroutine dumps:
 * gzip is undone first, then the bytes are decoded as `profile.proto`, and
 * when that fails (other than for empty or concatenated input), read with
 * {@link parseProfileText}, as Go's ParseData does.
 */
export function parseProfile(input: Uint8Array, options: ParseProfileTextOptions = {}): Profile {
  const bytes = isGzip(input) ? gunzip(input) : input;
  let protoError: unknown;
  try {
    return decodeProfile(bytes);
  } catch (e) {
    if (
      !isPprofError(e) ||
      e.code === PprofErrorCode.Empty ||
      e.code === PprofErrorCode.ConcatenatedProfiles
    ) {
      throw e;
    }
    protoError = e;
  }
  try {
    return parseProfileText(bytes, options).profile;
  } catch (e) {
    if (isPprofError(e) && e.message.startsWith("unrecognized profile format")) {
      // Binary input that no legacy binary format accepted: the protobuf
      // decoder's error (with its byte offset) is the one that explains it.
      if (!looksLikeText(bytes) && isPprofError(protoError)) throw protoError;
      const reason = e.message.replace(/ \(at (?:line|byte) \d+\)$/, "");
      throw new PprofError(PprofErrorCode.BadText, `not a profile: ${reason}`, {
        ...(e.line !== undefined ? { line: e.line } : {}),
        cause: protoError,
      });
    }
    throw e;
  }
}

// Java agent profiles: "--- heapz 1 ---" and "--- contentionz 1 ---" text
// with "name = value" attributes, "value1 value2 @ addrs" samples and a
// trailing "0xADDR function (file:line)" symbol table; the binary Java CPU
// profile shares the symbol table. Follows google/pprof's
// profile/legacy_java_profile.go; addresses are ids, not code addresses, and
// are dropped once the symbols are attached.

import {
  badText,
  parseHexAddresses,
  parseIntBase0,
  type Unrecognized,
  unrecognized,
} from "./common.js";
import { scaleHeapSample } from "./heap.js";
import {
  type LFunction,
  LocationsByAddress,
  type LProfile,
  newLProfile,
  parseHexU64,
  remapFunctions,
  remapLocations,
  remapMappings,
  toInt64,
} from "./legacy-model.js";
import { type LineReader, trimSpace } from "./lines.js";
import {
  execAtStarts,
  matchJavaFileLine,
  matchJavaPath,
  spaceOrDigitRunStart,
  wordRunStart,
} from "./match.js";

// Sticky: tried only where a match can start (see match.ts).
const ATTRIBUTE_RX = /([0-9A-Za-z_ ]+)=([0-9A-Za-z_ ]+)/y;
const JAVA_SAMPLE_RX = / *([0-9]+) +([0-9]+) +@ +([ x0-9a-f]*)/y;
// Applied to trimmed lines, so the trailing \s* of Go's pattern is empty.
const JAVA_LOCATION_RX = /^[\t\n\f\r ]*0x([0-9A-Fa-f]+)[\t\n\f\r ]+(.*)$/s;

/** The sampling interval of Java heapz profiles (512 KiB). */
const JAVA_HEAPZ_SAMPLING_RATE = 524288n;

/** Reads a Java heapz/contentionz text profile, or reports it is not one. */
export function readJavaProfile(r: LineReader): LProfile | Unrecognized {
  const first = r.next();
  // bytes.SplitAfterN needs a newline after the header.
  if (first === undefined || !r.terminated) return unrecognized("not a Java profile", 1);
  const header = trimSpace(first);
  let pType: "heap" | "contention";
  if (header === "--- heapz 1 ---") pType = "heap";
  else if (header === "--- contentionz 1 ---") pType = "contention";
  else return unrecognized("not a Java profile header", 1);

  const p = newLProfile([]);
  p.periodType = ["", ""];
  // Header and samples only look at newline-terminated lines; the first line
  // that is neither starts the symbol table.
  let line = r.next();
  for (; line !== undefined && r.terminated; line = r.next()) {
    const t = trimSpace(line);
    if (t === "") continue;
    const h = execAtStarts(ATTRIBUTE_RX, t, wordRunStart);
    if (!h) break;
    const attribute = trimSpace(h[1] as string);
    const value = trimSpace(h[2] as string);
    switch (`${pType}/${attribute}`) {
      case "heap/format":
      case "contention/format":
        if (value !== "java") return unrecognized(`format ${value} is not java`, r.line);
        break;
      case "heap/resolution":
        p.sampleTypes = [
          ["inuse_objects", "count"],
          ["inuse_space", value],
        ];
        break;
      case "contention/resolution":
        p.sampleTypes = [
          ["contentions", "count"],
          ["delay", value],
        ];
        break;
      case "contention/sampling period": {
        p.periodType = ["contentions", "count"];
        const v = parseIntBase0(value);
        if (v === undefined) throw badText(`bad attribute ${t}`, r.line);
        p.period = v;
        break;
      }
      case "contention/ms since reset": {
        const v = parseIntBase0(value);
        if (v === undefined) throw badText(`bad attribute ${t}`, r.line);
        p.durationNanos = toInt64(v * 1_000_000n);
        break;
      }
      default:
        return unrecognized(`unknown Java profile attribute ${attribute}`, r.line);
    }
  }

  const locs = new LocationsByAddress(p);
  for (; line !== undefined && r.terminated; line = r.next()) {
    const t = trimSpace(line);
    if (t === "") continue;
    const sample = execAtStarts(JAVA_SAMPLE_RX, t, spaceOrDigitRunStart);
    if (!sample) break;
    // Java prints the two values the other way round.
    const v0 = parseIntBase0(sample[2] as string);
    const v1 = parseIntBase0(sample[1] as string);
    if (v0 === undefined || v1 === undefined) throw badText(`bad sample ${t.slice(0, 80)}`, r.line);
    const values = [v0, v1];
    const s = {
      values,
      locations: parseHexAddresses(sample[3] as string, r.line).map((a) => locs.get(a)),
      labels: [],
      numLabels: [] as [string, bigint][],
    };
    if (pType === "heap") {
      if (values[0] === 0n) throw badText("heap sample with zero objects", r.line);
      s.numLabels.push(["bytes", (values[1] as bigint) / (values[0] as bigint)]);
      [values[0], values[1]] = scaleHeapSample(v0, v1, JAVA_HEAPZ_SAMPLING_RATE);
    } else if (p.period !== 0n) {
      values[0] = toInt64(v0 * p.period);
      values[1] = toInt64(v1 * p.period);
    }
    p.samples.push(s);
  }
  readJavaLocations(r, locs, p, line);
  return p;
}

/** Go's filepath.Base for slash-separated paths. */
function baseName(path: string): string {
  if (path === "") return ".";
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/**
 * parseJavaLocations: attaches "0xADDR function (file:line)" symbols to the
 * locations with that address, then drops addresses ("for better merge").
 * `pending` is a line already read that belongs to the table.
 */
export function readJavaLocations(
  r: LineReader,
  locs: LocationsByAddress,
  p: LProfile,
  pending?: string,
): void {
  const fns = new Map<string, LFunction>();
  for (let line = pending ?? r.next(); line !== undefined; line = r.next()) {
    const t = trimSpace(line);
    if (t === "") continue;
    const jloc = JAVA_LOCATION_RX.exec(t);
    if (!jloc) continue;
    const addr = parseHexU64(jloc[1] as string);
    if (addr === undefined) throw badText(`bad address in ${t.slice(0, 80)}`, r.line);
    const loc = locs.map.get(addr);
    if (!loc) continue;
    const text = jloc[2] as string;
    let lineFunc: string;
    let lineFile = "";
    let lineNo = 0;
    const fileLine = matchJavaFileLine(text);
    const filePath = fileLine ? undefined : matchJavaPath(text);
    if (fileLine) {
      lineFunc = fileLine[0];
      lineFile = fileLine[1];
      const n = Number(fileLine[2]);
      if (Number.isSafeInteger(n) && n > 0) lineNo = n;
    } else if (filePath) {
      // A shared library path: only its base name is interesting.
      lineFunc = filePath[0];
      lineFile = baseName(filePath[1]);
    } else if (text.includes("generated stub/JIT")) {
      lineFunc = "STUB";
    } else {
      // Agent-internal states such as "GC" or "VM".
      lineFunc = text;
    }
    let fn = fns.get(lineFunc);
    if (!fn) {
      fn = { name: lineFunc, systemName: lineFunc, filename: lineFile };
      fns.set(lineFunc, fn);
      p.functions.push(fn);
    }
    loc.lines = [{ fn, line: lineNo }];
    loc.address = 0n;
  }
  remapLocations(p);
  remapFunctions(p);
  remapMappings(p);
  // Aggregate(true, true, true, true, false, false) then only clears columns
  // (never set here) and addresses.
  for (const l of p.locations) l.address = 0n;
}

// Memory maps appended to legacy profiles after "--- Memory map: ---" or
// "MAPPED_LIBRARIES:", in /proc/<pid>/maps form or the brief
// "start-end file (@offset) buildid" form. Follows
// parseProcMapsFromScanner and parseMappingEntry in google/pprof's
// profile/legacy_profile.go, including `name=value` lines that define
// `$name` substitutions for later lines.

import { type LMapping, newMapping, parseHexU64 } from "./legacy-model.js";
import type { LineReader } from "./lines.js";

// Go's RE2 \s is [\t\n\f\r ]; spelled out so JS's wider \s does not leak in.
const S = "[\\t\\n\\f\\r ]";
const NS = "[^\\t\\n\\f\\r ]";
const X = "[0-9A-Fa-f]";
const cHex = `(?:0x)?(${X}+)`;
const cHexRange = `${S}*${cHex}(?:${S}|-)?${S}*${cHex}:?`;
const cPerm = `(?:${S}+([-rwxp]+))?`;
const cSpaceHex = `(?:${S}+(${X}+))?`;
const hexPair = `${S}+${X}+:${X}+`;
const spaceDigits = `${S}+[0-9]+`;
const cSpaceString = `(?:${S}+(${NS}+))?`;
const cSpaceAtOffset = `(?:${S}+\\(@(${X}+)\\))?`;

const PROC_MAPS_RE = new RegExp(
  `^${cHexRange}${cPerm}${cSpaceHex}${hexPair}${spaceDigits}${cSpaceString}`,
);
const BRIEF_MAPS_RE = new RegExp(
  `^${cHexRange}${cPerm}${cSpaceString}${cSpaceAtOffset}${cSpaceHex}`,
);
const LOG_INFO_RE = /^[^[\]]+:[0-9]+\][\t\n\f\r ]/;

const SENTINELS = ["--- Memory map: ---", "MAPPED_LIBRARIES:"];

/** True when `line` starts the memory-map section. */
export function isMemoryMapSentinel(line: string): boolean {
  return SENTINELS.some((s) => line.includes(s));
}

// Mapping lines are short; the patterns backtrack over long hex runs, so
// lines past this length, or whose leading hex run could not be an address,
// are treated as unrecognized (Go would still try them).
const MAX_MAPPING_LINE = 8192;
const LONG_HEX_RUN = /^[\t\n\f\r ]*(?:0x)?[0-9A-Fa-f]{41}/;

/** Parses one mapping line; `null` for a non-executable entry, `undefined` when unrecognized. */
export function parseMappingEntry(l: string): LMapping | null | undefined {
  if (l.length > MAX_MAPPING_LINE || LONG_HEX_RUN.test(l)) return undefined;
  let start: string | undefined;
  let end: string | undefined;
  let perm: string | undefined;
  let file: string | undefined;
  let offset: string | undefined;
  let buildId: string | undefined;
  const proc = PROC_MAPS_RE.exec(l);
  const brief = proc ? null : BRIEF_MAPS_RE.exec(l);
  if (proc) {
    [, start, end, perm, offset, file] = proc;
  } else if (brief) {
    [, start, end, perm, file, offset, buildId] = brief;
  } else {
    return undefined;
  }
  if (perm !== undefined && perm !== "" && !perm.includes("x")) return null;
  const s = parseHexU64(start ?? "");
  const e = parseHexU64(end ?? "");
  if (s === undefined || e === undefined) return undefined;
  const m = newMapping(s, e);
  m.file = file ?? "";
  m.buildId = buildId ?? "";
  if (offset !== undefined && offset !== "") {
    const o = parseHexU64(offset);
    if (o === undefined) return undefined;
    m.offset = o;
  }
  return m;
}

/** strings.NewReplacer semantics: at each position the earliest-listed matching key wins. */
function replaceAll(s: string, pairs: [string, string][]): string {
  if (pairs.length === 0) return s;
  let out = "";
  let i = 0;
  while (i <= s.length) {
    let hit: [string, string] | undefined;
    for (const p of pairs) {
      if (s.startsWith(p[0], i)) {
        hit = p;
        break;
      }
    }
    if (hit && hit[0].length > 0) {
      out += hit[1];
      i += hit[0].length;
    } else {
      if (hit) out += hit[1];
      if (i < s.length) out += s[i];
      i++;
    }
  }
  return out;
}

/** Reads mapping lines until the end of input. */
export function readMemoryMap(r: LineReader): LMapping[] {
  const mappings: LMapping[] = [];
  const attrs: [string, string][] = [];
  for (let raw = r.next(); raw !== undefined; raw = r.next()) {
    const logMatch = LOG_INFO_RE.exec(raw);
    const line = replaceAll(logMatch ? raw.slice(logMatch[0].length) : raw, attrs);
    const m = parseMappingEntry(line);
    if (m === undefined) {
      const eq = line.indexOf("=");
      if (eq >= 0) attrs.push([`$${line.slice(0, eq).trim()}`, line.slice(eq + 1).trim()]);
      continue;
    }
    if (m !== null) mappings.push(m);
  }
  return mappings;
}

// Aggregation by granularity, following google/pprof: the driver's
// `aggregate` (internal/driver/driver.go) picks which attributes to keep for
// a granularity, and `Profile.Aggregate` (profile/profile.go) erases the
// others from functions and locations.

import { PprofError, PprofErrorCode } from "../errors.js";
import type { Profile } from "../model.js";
import { copyLocations, withParts } from "./internal.js";
import { compactProfile } from "./merge.js";

/** What a report node stands for (`-granularity` of `go tool pprof`). */
export type Granularity = "functions" | "filefunctions" | "files" | "lines" | "addresses";

/** Options for {@link aggregateProfile}. */
export interface AggregateOptions {
  /** Keep inlined frames (default true; false is `-noinlines`). */
  inlines?: boolean;
  /** Keep column numbers at `lines`/`addresses` granularity (`-showcolumns`, default false). */
  columns?: boolean;
  /**
   * Merge the locations and functions that became identical, and their
   * samples (default true). Reports pass false to keep Go's sample order.
   */
  compact?: boolean;
}

/**
 * Erases what `granularity` does not keep, as `go tool pprof -granularity=…`
 * does before building a report: `functions` keeps function names only,
 * `filefunctions` names and files, `files` files only, `lines` names, files
 * and line numbers, `addresses` everything (with inlines kept it is the
 * identity, as in Go). Without inlines each location keeps only its last
 * (physical caller) line. Returns a new profile, compacted unless
 * `compact: false`.
 */
export function aggregateProfile(
  p: Profile,
  granularity: Granularity = "functions",
  options: AggregateOptions = {},
): Profile {
  const inlines = options.inlines ?? true;
  let fn = false;
  let file = false;
  let line = false;
  let address = false;
  switch (granularity) {
    case "addresses":
      if (inlines) return options.compact === false ? withParts(p, {}) : compactProfile(p);
      fn = file = line = address = true;
      break;
    case "lines":
      fn = file = line = true;
      break;
    case "files":
      file = true;
      break;
    case "functions":
      fn = true;
      break;
    case "filefunctions":
      fn = file = true;
      break;
    default:
      throw new PprofError(
        PprofErrorCode.InvalidArgument,
        `unexpected granularity ${JSON.stringify(granularity)}`,
      );
  }
  const columns = options.columns ?? false;
  const out = withParts(p, { locations: copyLocations(p.locations) });
  out.mappings = p.mappings.map((m) => ({
    ...m,
    hasInlineFrames: m.hasInlineFrames && inlines,
    hasFunctions: m.hasFunctions && fn,
    hasFilenames: m.hasFilenames && file,
    hasLineNumbers: m.hasLineNumbers && line,
  }));
  out.functions = p.functions.map((f) => ({
    ...f,
    name: fn ? f.name : 0,
    systemName: fn ? f.systemName : 0,
    filename: file ? f.filename : 0,
  }));
  for (const l of out.locations) {
    if (!inlines && l.lines.length > 1) l.lines = l.lines.slice(l.lines.length - 1);
    for (const ln of l.lines) {
      if (!line) {
        ln.line = 0;
        ln.column = 0;
      }
      if (!columns) ln.column = 0;
    }
    if (!address) l.address = 0n;
  }
  return options.compact === false ? out : compactProfile(out);
}

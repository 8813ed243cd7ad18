// DataDog/gostackparse's goroutine dumps against their golden JSON (that
// project's own parse), mapped onto this package's goroutine model: every
// goroutine, its state, wait time, locked flag, frames, elision, creator and
// ancestor chain, and the line of every error.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Goroutine, type GoroutineFrame, parseGoroutineDump } from "../src/text/index.js";
import { corpusRoot, hasCorpus } from "./go-reference.js";

const dir = join(corpusRoot, "datadog-gostackparse");
const hasDir = hasCorpus && readdirSafe(dir).length > 0;

function readdirSafe(d: string): string[] {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
}

interface GoldenFrame {
  Func: string;
  File: string;
  Line: number;
}
interface GoldenGoroutine {
  ID: number;
  State: string;
  Wait: number;
  LockedToThread: boolean;
  Stack: GoldenFrame[] | null;
  FramesElided: boolean;
  CreatedBy: GoldenFrame | null;
  Ancestor?: GoldenGoroutine | null;
}
interface Golden {
  Errors: string[] | null;
  Goroutines: GoldenGoroutine[] | null;
}

const frame = (f: GoroutineFrame): GoldenFrame => ({ Func: f.func, File: f.file, Line: f.line });

/** Our goroutine in gostackparse's shape; ancestors become its nested chain. */
function toGolden(g: Goroutine): GoldenGoroutine {
  const out: GoldenGoroutine = {
    ID: g.id,
    State: g.state,
    Wait: g.waitMinutes * 60e9,
    LockedToThread: g.lockedToThread,
    Stack: g.stack.map(frame),
    FramesElided: g.elided !== undefined,
    CreatedBy: g.createdBy
      ? { Func: g.createdBy.func, File: g.createdBy.file, Line: g.createdBy.line }
      : null,
  };
  let parent = out;
  for (const a of g.ancestors) {
    const next: GoldenGoroutine = {
      ID: a.id,
      State: "",
      Wait: 0,
      LockedToThread: false,
      Stack: a.stack.map(frame),
      FramesElided: a.elided !== undefined,
      CreatedBy: a.createdBy
        ? { Func: a.createdBy.func, File: a.createdBy.file, Line: a.createdBy.line }
        : null,
    };
    parent.Ancestor = next;
    parent = next;
  }
  return out;
}

/** Drops `Ancestor: null/undefined` so both sides compare alike. */
function normalize(g: GoldenGoroutine): GoldenGoroutine {
  const { Ancestor, ...rest } = g;
  return Ancestor ? { ...rest, Ancestor: normalize(Ancestor) } : rest;
}

if (!hasDir) console.warn(`pprof-proto: ${dir} is absent; gostackparse corpus tests are skipped`);

describe.skipIf(!hasDir)("DataDog/gostackparse corpus", () => {
  const names = readdirSafe(dir)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => f.slice(0, -4));

  it("has inputs", () => {
    expect(names.length).toBeGreaterThanOrEqual(13);
  });

  describe.each(names)("%s", (name) => {
    const text = hasDir ? readFileSync(join(dir, `${name}.txt`)) : Buffer.alloc(0);
    const golden = hasDir
      ? (JSON.parse(readFileSync(join(dir, `${name}.golden.json`), "utf8")) as Golden)
      : { Errors: null, Goroutines: null };

    it("yields the golden goroutines", () => {
      const dump = parseGoroutineDump(new Uint8Array(text));
      expect(dump.goroutines.map(toGolden).map(normalize)).toEqual(
        (golden.Goroutines ?? []).map(normalize),
      );
    });

    it("reports problems on the golden lines", () => {
      const dump = parseGoroutineDump(new Uint8Array(text));
      const want = (golden.Errors ?? []).map((e) => {
        const m = /^(invalid function call|invalid file:line ref) on line ([0-9]+)/.exec(e);
        return { kind: m?.[1], line: Number(m?.[2]) };
      });
      const got = dump.diagnostics.map((d) => ({
        kind: /^(invalid function call|invalid file:line ref)/.exec(d.message)?.[1],
        line: d.line,
      }));
      expect(got).toEqual(want);
    });
  });
});

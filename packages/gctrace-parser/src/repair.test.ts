import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  formatGcTraceEvent,
  type GcTraceEvent,
  GcTraceParser,
  isGcTraceError,
  parseGcTrace,
  parseGcTraceText,
} from "./index.js";
import { TRACE_PREFIXES } from "./parse-line.js";
import { programLine, splittableEvent } from "./test-utils/arbitraries.js";

/** Comparable view: trace events without position info, program text as a string. */
function view(e: GcTraceEvent): unknown {
  if (e.kind === "other") return e.text;
  const { line: _l, repaired: _r, ...rest } = e;
  return rest;
}

function charClass(c: string | undefined): number {
  if (c === undefined) return 0;
  if (/[0-9.]/.test(c)) return 1;
  if (/[A-Za-z]/.test(c)) return 2;
  return 0;
}

/**
 * Places where the runtime's writes could be interrupted: after the first literal,
 * and never inside a number or a word (each is one write). The end of the line
 * (before the runtime's own `\n`) counts too.
 */
function splitPoints(line: string): number[] {
  const prefix = TRACE_PREFIXES.find((p) => line.startsWith(p)) ?? "";
  const out: number[] = [];
  for (let k = prefix.length; k <= line.length; k++) {
    const a = charClass(line[k - 1]);
    if (a !== 0 && a === charClass(line[k])) continue;
    out.push(k);
  }
  return out;
}

type Item = { trace: GcTraceEvent } | { program: string };

const item: fc.Arbitrary<Item> = fc.oneof(
  splittableEvent.map((trace) => ({ trace })),
  programLine.map((program) => ({ program })),
);

describe("repair of lines split by program output", () => {
  test.prop(
    [
      fc.array(item, { minLength: 1, maxLength: 12 }),
      fc.nat(),
      fc.nat(),
      fc.array(programLine, { minLength: 1, maxLength: 3 }),
    ],
    { numRuns: 400 },
  )("a trace line cut by whole program lines is reassembled", (items, which, where, inserted) => {
    // Real traces number their cycles consecutively; the repair relies on that.
    let cycle = 1 + (which % 1000);
    items = items.map((it) =>
      "trace" in it && it.trace.kind === "gc" ? { trace: { ...it.trace, cycle: cycle++ } } : it,
    );
    const traces = items.flatMap((it, i) => ("trace" in it ? [i] : []));
    fc.pre(traces.length > 0);
    const target = traces[which % traces.length] as number;
    const lines: string[] = [];
    const expected: unknown[] = [];
    items.forEach((it, i) => {
      if ("program" in it) {
        lines.push(it.program);
        expected.push(it.program);
        return;
      }
      const text = formatGcTraceEvent(it.trace);
      expected.push(view(it.trace));
      if (i !== target) {
        lines.push(text);
        return;
      }
      const points = splitPoints(text);
      const k = points[where % points.length] as number;
      // head + first program line, further program lines, then the remainder.
      lines.push(text.slice(0, k) + inserted[0]);
      lines.push(...inserted.slice(1));
      lines.push(text.slice(k));
      expected.push(...inserted);
    });
    const { events } = parseGcTraceText(`${lines.join("\n")}\n`);
    expect(events.map(view)).toEqual(expected);
    const repaired = events.filter((e) => e.repaired === true);
    expect(repaired).toHaveLength(1);
    expect(view(repaired[0] as GcTraceEvent)).toEqual(
      view((items[target] as { trace: GcTraceEvent }).trace),
    );
    // Line numbers never go backwards, and the repaired event keeps its first line.
    for (let i = 1; i < events.length; i++) {
      expect((events[i] as GcTraceEvent).line).toBeGreaterThanOrEqual(
        (events[i - 1] as GcTraceEvent).line,
      );
    }
  });

  test.prop([splittableEvent, programLine, fc.constantFrom("before", "after")], { numRuns: 300 })(
    "program text without a newline before or after a trace line",
    (trace, program, side) => {
      const text = formatGcTraceEvent(trace);
      const line = side === "before" ? program + text : text + program;
      const { events, diagnostics } = parseGcTraceText(`app: first\n${line}\napp: last\n`);
      const expected =
        side === "before"
          ? ["app: first", program, view(trace), "app: last"]
          : ["app: first", view(trace), program, "app: last"];
      expect(events.map(view)).toEqual(expected);
      expect(events.filter((e) => e.repaired).length).toBe(1);
      expect(diagnostics).toEqual([]);
    },
  );

  test("the fixture pattern: `app: step ` then runtime lines, then the rest of the app line", () => {
    // Captured from fixtures/go1.19.13/trace/gctrace-1.log (lines 62-68).
    const text = [
      "app: step gc 43 @0.448s 1%: 0.013+1.0+0.003 ms clock, 0.026+0.041/0.039/0.11+0.007 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
      "gc 44 @0.450s 1%: 0.10+0.62+0.002 ms clock, 0.20+0.040/0.073/0.064+0.004 ms cpu, 3->4->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
      "gc 48 @0.455s 1%: 0.045+0.41+0.001 ms clock, 0.09118 allocated 49152 objects (split)",
      "+0/0.20/0.16+0.003 ms cpu, 3->3->2 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)",
      "app: step 19 allocated 8192 objects",
    ].join("\n");
    const events = [...parseGcTrace(text)];
    expect(events.map((e) => [e.kind, e.line, e.repaired ?? false])).toEqual([
      ["other", 1, false],
      ["gc", 1, true],
      ["gc", 2, false],
      ["gc", 3, true],
      ["other", 3, false],
      ["other", 5, false],
    ]);
    expect(events[0]).toMatchObject({ text: "app: step " });
    // The number ends at 0.091: "0.09118" is not something fmtNSAsMS prints.
    expect(events[3]).toMatchObject({
      cycle: 48,
      cpuMs: [0.091, 0, 0.2, 0.16, 0.003],
      forced: true,
    });
    expect(events[4]).toMatchObject({ text: "18 allocated 49152 objects (split)" });
  });

  test("a lone prefix that never completes stays program text, with a diagnostic", () => {
    const { events, diagnostics } = parseGcTraceText("gc 7 @0.5s this is not it\nnext\n");
    expect(events.map(view)).toEqual(["gc 7 @0.5s this is not it", "next"]);
    expect(diagnostics).toMatchObject([{ line: 1, code: "unrepaired-split" }]);
  });

  test("output behind a waiting line is held at most repairWindow lines", () => {
    const p = new GcTraceParser({ repairWindow: 2 });
    const out: GcTraceEvent[] = [];
    p.push("scav 12 KiB work, hello", out);
    expect(out).toEqual([]);
    p.push("a", out);
    expect(out).toEqual([]);
    p.push("b", out);
    expect(out.map(view)).toEqual(["scav 12 KiB work, hello", "a", "b"]);
  });

  test("repair can be switched off", () => {
    const text = "gc 1 @0.001s 15%: hello\n0.12+0.46+0.030 ms clock";
    expect([...parseGcTrace(text, { repair: false })].map((e) => e.kind)).toEqual([
      "other",
      "other",
    ]);
  });

  test("invalid options are a GcTraceError", () => {
    for (const bad of [
      { repairWindow: 0 },
      { repairWindow: 1.5 },
      { maxDiagnostics: -1 },
      { repair: "yes" },
    ]) {
      let err: unknown;
      try {
        new GcTraceParser(bad as never);
      } catch (e) {
        err = e;
      }
      expect(isGcTraceError(err), JSON.stringify(bad)).toBe(true);
      expect(err).toMatchObject({ name: "GcTraceError", code: "INVALID_OPTION" });
    }
    expect(() => [...parseGcTrace(42 as never)]).toThrow(/string or an iterable/);
  });

  test("garbage is never an error and never hangs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "binary", maxLength: 200 }), { maxLength: 30 }),
        (lines) => {
          const { events } = parseGcTraceText(lines.join("\n"));
          for (const e of events) expect(typeof e.line).toBe("number");
        },
      ),
      { numRuns: 200 },
    );
  });
});

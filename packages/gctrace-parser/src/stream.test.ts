import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  formatGcTrace,
  type GcTraceEvent,
  isGcTraceError,
  parseGcTraceStream,
  parseGcTraceStreamBatches,
  parseGcTraceText,
  readLines,
  summarizeGc,
  summarizeSched,
} from "./index.js";
import { programLine, traceEvent } from "./test-utils/arbitraries.js";

async function* chunked(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const k = Math.min(c, bytes.length);
    if (k > prev) yield bytes.subarray(prev, k);
    prev = Math.max(prev, k);
  }
  if (prev < bytes.length) yield bytes.subarray(prev);
}

const pacerCycle =
  "pacer: 25% CPU (25 exp.) for 211752+8152+154602 B work (300594 B exp.) in 7163704 B -> 8392392 B (∆goal 432878, cons/mark 0.882490251150594)";

describe("byte streams", () => {
  test.prop(
    [
      fc.array(
        fc.oneof(
          traceEvent,
          programLine.map((text) => ({ kind: "other" as const, line: 1, text })),
        ),
        {
          maxLength: 25,
        },
      ),
      fc.array(fc.nat(4000), { maxLength: 12 }),
    ],
    { numRuns: 150 },
  )(
    "any chunking (even inside a UTF-8 character) gives the string parser's events",
    async (events, cuts) => {
      const text = formatGcTrace(events) + pacerCycle; // no final newline; ∆ is 3 UTF-8 bytes
      const bytes = new TextEncoder().encode(text);
      const streamed: GcTraceEvent[] = [];
      for await (const e of parseGcTraceStream(chunked(bytes, cuts))) streamed.push(e);
      expect(streamed).toEqual(parseGcTraceText(text).events);
      const lines: string[] = [];
      for await (const l of readLines(chunked(bytes, cuts))) lines.push(l);
      expect(lines).toEqual(text.split("\n"));
    },
  );

  test("web ReadableStream sources and batches", async () => {
    const text = `app: hi\n${pacerCycle}\n`;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        const b = new TextEncoder().encode(text);
        c.enqueue(b.subarray(0, 40));
        c.enqueue(b.subarray(40));
        c.close();
      },
    });
    const batches: GcTraceEvent[][] = [];
    const it = parseGcTraceStreamBatches(stream);
    let r = await it.next();
    while (r.done !== true) {
      batches.push(r.value);
      r = await it.next();
    }
    expect(r.value).toEqual([]);
    expect(batches.flat().map((e) => e.kind)).toEqual(["other", "pacer"]);
  });

  test("non-stream input is a GcTraceError", async () => {
    let err: unknown;
    try {
      for await (const _ of parseGcTraceStream(42 as never)) {
        // unreachable
      }
    } catch (e) {
      err = e;
    }
    expect(isGcTraceError(err)).toBe(true);
  });
});

describe("summaries", () => {
  test("summarizeGc: pauses are sweep termination + mark termination", () => {
    const line = (n: number, st: string, mt: string, forced: boolean) =>
      `gc ${n} @0.${String(n).padStart(3, "0")}s 1%: ${st}+1.0+${mt} ms clock, 0.10+0/0.10/0+0.10 ms cpu, 4->4->2 MB, ${n + 3} MB goal, 0 MB stacks, 0 MB globals, 2 P${forced ? " (forced)" : ""}`;
    const text = [
      line(1, "0.10", "0.20", false),
      "app: hello",
      line(2, "1.0", "2.0", true),
      line(4, "0.050", "0.050", false),
    ].join("\n");
    const s = summarizeGc(parseGcTraceText(text).events);
    expect(s.cycles).toBe(3);
    expect(s.forcedCycles).toBe(1);
    expect(s.missingCycles).toEqual([3]);
    expect(s.points.map((p) => p.pauseMs)).toEqual([0.1 + 0.2, 1 + 2, 0.05 + 0.05]);
    expect(s.pauses.maxMs).toBe(3);
    expect(s.pauses.p50Ms).toBeCloseTo(0.3, 12);
    expect(s.pauses.totalMs).toBeCloseTo(3.4, 12);
    expect(s.peakGoalMB).toBe(7);
    expect(summarizeGc([]).pauses).toMatchObject({ count: 0, p99Ms: 0, maxMs: 0 });
  });

  test("summarizeSched: series and detail line counts", () => {
    const text = [
      "SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=1 needspinning=0 idlethreads=0 runqueue=3 [ 2 1 ] schedticks=[ 0 0 ]",
      "SCHED 100ms: gomaxprocs=2 idleprocs=1 threads=6 spinningthreads=0 needspinning=0 idlethreads=1 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false",
      "  P0: status=1 schedtick=5 syscalltick=0 m=0 runqsize=4 gfreecnt=0 timerslen=0",
      "  P1: status=0 schedtick=2 syscalltick=0 m=nil runqsize=0 gfreecnt=0 timerslen=0",
      "  M0: p=0 curg=1 mallocing=0 throwing=0 preemptoff= locks=1 dying=0 spinning=false blocked=false lockedg=nil",
      "  G1: status=2() m=0 lockedm=nil",
    ].join("\n");
    const s = summarizeSched(parseGcTraceText(text).events);
    expect(s.samples).toBe(2);
    expect(
      s.points.map((p) => [p.timeMs, p.runqueue, p.localRunqueue, p.pLines, p.mLines, p.gLines]),
    ).toEqual([
      [0, 3, 3, 0, 0, 0],
      [100, 0, 4, 2, 1, 1],
    ]);
    expect(s.maxThreads).toBe(6);
    expect(s.maxRunnable).toBe(6);
  });
});

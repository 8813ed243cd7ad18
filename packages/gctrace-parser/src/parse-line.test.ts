import { describe, expect, test } from "vitest";
import { parseGcTraceLine } from "./index.js";

// Each line below is written from the runtime printer of the version named in its
// case, or copied from real output of that version where noted.

describe("gc lines (src/runtime/mgc.go)", () => {
  test("Go 1.5: five clock phases and seven CPU figures", () => {
    // go1.5 gc(): tScan, tInstallWB, tMark, tMarkTerm, tEnd; cpu a+b+c+d/e/f+g.
    const e = parseGcTraceLine(
      "gc 3 @0.017s 2%: 0.065+0.89+0.006+0.27+0.26 ms clock, 0.26+0.89+0+0.14/0.55/0.64+1.0 ms cpu, 4->4->1 MB, 4 MB goal, 4 P",
    );
    expect(e).toMatchObject({
      kind: "gc",
      cycle: 3,
      startSeconds: 0.017,
      cpuPercent: 2,
      clockMs: [0.065, 0.89, 0.006, 0.27, 0.26],
      cpuMs: [0.26, 0.89, 0, 0.14, 0.55, 0.64, 1.0],
      heapBeforeMB: 4,
      heapAfterMB: 4,
      heapLiveMB: 1,
      heapGoalMB: 4,
      procs: 4,
      forced: false,
      goroutineLeakCheck: false,
    });
    if (e?.kind !== "gc") throw new Error("not gc");
    expect(e.wall.sweepTermination).toBe(0.065);
    expect(e.wall.markTermination).toBe(0.26);
    expect(e.wall.mark).toBeCloseTo(0.89 + 0.006 + 0.27, 12);
    expect(e.cpu.assist).toBe(0.14);
    expect(e.cpu.idle).toBe(0.64);
    expect(e.stacksMB).toBeUndefined();
  });

  test("Go 1.6–1.17: three clock phases, no stacks/globals, forced", () => {
    const e = parseGcTraceLine(
      "gc 12 @1.234s 4%: 0.008+1.2+0.027 ms clock, 0.033+0.33/1.0/2.5+0.11 ms cpu, 4->4->0 MB, 5 MB goal, 8 P (forced)",
    );
    expect(e).toMatchObject({
      kind: "gc",
      cycle: 12,
      startSeconds: 1.234,
      wall: { sweepTermination: 0.008, mark: 1.2, markTermination: 0.027 },
      cpu: {
        sweepTermination: 0.033,
        assist: 0.33,
        background: 1.0,
        idle: 2.5,
        markTermination: 0.11,
      },
      heapGoalMB: 5,
      procs: 8,
      forced: true,
    });
    expect(e && "stacksMB" in e).toBe(false);
  });

  test("Go 1.18+: stacks and globals (real go1.21.13 output)", () => {
    const e = parseGcTraceLine(
      "gc 1 @0.001s 14%: 0.030+0.32+0.002 ms clock, 0.061+0.31/0.053/0.080+0.005 ms cpu, 3->3->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P",
    );
    expect(e).toMatchObject({ kind: "gc", stacksMB: 0, globalsMB: 0, procs: 2, heapGoalMB: 4 });
  });

  test("Go 1.26: goroutine leak marker; whole-ms figures >= 10", () => {
    const e = parseGcTraceLine(
      "gc 40 @12.500s 3% (checking for goroutine leaks): 0.11+15+0.040 ms clock, 0.22+1.2/30/0+0.080 ms cpu, 120->130->60 MB, 125 MB goal, 1 MB stacks, 2 MB globals, 4 P",
    );
    expect(e).toMatchObject({
      goroutineLeakCheck: true,
      clockMs: [0.11, 15, 0.04],
      cpuMs: [0.22, 1.2, 30, 0, 0.08],
    });
  });

  test("GOGC=off goal: ^uint64(0)>>20 stays exact as a number", () => {
    const e = parseGcTraceLine(
      "gc 2 @0.100s 0%: 0.010+0.20+0.003 ms clock, 0.020+0/0.10/0+0.006 ms cpu, 9->9->8 MB, 17592186044415 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)",
    );
    expect(e).toMatchObject({ heapGoalMB: 17592186044415, forced: true });
  });

  test("shapes fmtNSAsMS cannot print are rejected", () => {
    const head = "gc 1 @0.001s 1%: ";
    const tail =
      " ms clock, 0.10+0/0/0+0.10 ms cpu, 1->1->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P";
    expect(parseGcTraceLine(`${head}0.10+0.20+0.030${tail}`)).toBeDefined();
    // 5 decimals, 3 significant digits, and an integer below 10 are all impossible.
    expect(parseGcTraceLine(`${head}0.09118+0.20+0.030${tail}`)).toBeUndefined();
    expect(parseGcTraceLine(`${head}0.123+0.20+0.030${tail}`)).toBeUndefined();
    expect(parseGcTraceLine(`${head}5+0.20+0.030${tail}`)).toBeUndefined();
    expect(parseGcTraceLine(`${head}0.10+0.20+0.030${tail} extra`)).toBeUndefined();
  });
});

describe("pacer lines (src/runtime/mgcpacer.go, mgcsweep.go)", () => {
  test("Go ≤ 1.17 end-of-cycle line with Greek Δ and legacy floats; GOGC=off H_T above 2^53", () => {
    const e = parseGcTraceLine(
      "pacer: H_m_prev=4194304 h_t=+9.500000e-001 H_T=18446744073709551615 h_a=+9.805195e-001 H_a=8306688 h_g=+1.000000e+000 H_g=8388608 u_a=+2.500000e-001 u_g=+2.500000e-001 W_a=1064752 goalΔ=+5.000000e-002 actualΔ=+3.051948e-002 u_a/u_g=+1.000000e+000",
    );
    expect(e).toMatchObject({
      kind: "pacer",
      form: "legacy",
      heapMarkedPrev: 4194304n,
      triggerRatio: 0.95,
      trigger: 18446744073709551615n,
      actualGrowth: 0.9805195,
      heapGoal: 8388608n,
      scanWork: 1064752n,
      goalDelta: 0.05,
      actualDelta: 0.03051948,
      floatSyntax: "legacy",
    });
  });

  test("Go 1.5–1.9 assist line with an integer fractional worker count", () => {
    expect(
      parseGcTraceLine("pacer: assist ratio=+1.230769e+000 (scan 2 MB in 4->5 MB) workers=1+0"),
    ).toMatchObject({
      form: "assist",
      assistRatio: 1.230769,
      dedicatedWorkers: 1,
      fractionalWorkers: 0,
      floatSyntax: "legacy",
    });
  });

  test("Go 1.18–1.25 cycle line with ∆ (U+2206) and legacy cons/mark (real go1.21.13 output)", () => {
    const e = parseGcTraceLine(
      "pacer: 32% CPU (25 exp.) for 161232+7976+204424 B work (340864 B exp.) in 6932800 B -> 7137600 B (∆goal 35696, cons/mark +0.000000e+000)",
    );
    expect(e).toMatchObject({
      form: "cycle",
      cpuPercent: 32,
      expectedPercent: 25,
      heapScanWork: 161232n,
      stackScanWork: 7976n,
      globalsScanWork: 204424n,
      expectedWork: 340864n,
      triggered: 6932800n,
      live: 7137600n,
      goalDelta: 35696n,
      consMark: 0,
      floatSyntax: "legacy",
    });
  });

  test("Go 1.26 shortest floats (real go1.26 output), negative ∆goal", () => {
    expect(
      parseGcTraceLine(
        "pacer: assist ratio=0.8205354110054348 (scan 0 MB in 3->4 MB) workers=0+0.25",
      ),
    ).toMatchObject({
      assistRatio: 0.8205354110054348,
      fractionalWorkers: 0.25,
      floatSyntax: "shortest",
    });
    expect(
      parseGcTraceLine(
        "pacer: 25% CPU (25 exp.) for 211752+8152+154602 B work (300594 B exp.) in 7163704 B -> 8392392 B (∆goal -432878, cons/mark 0.882490251150594)",
      ),
    ).toMatchObject({ goalDelta: -432878n, consMark: 0.882490251150594, floatSyntax: "shortest" });
    expect(
      parseGcTraceLine(
        "pacer: sweep done at heap size 3MB; allocated 0MB during sweep; swept 543 pages at 0.000244963032236323 pages/byte",
      ),
    ).toMatchObject({
      form: "sweep",
      heapMB: 3,
      allocatedMB: 0,
      pagesSwept: 543,
      pagesPerByte: 0.000244963032236323,
    });
  });

  test("legacy NaN/Inf tokens", () => {
    expect(
      parseGcTraceLine("pacer: assist ratio=+Inf (scan 0 MB in 0->4 MB) workers=1+NaN"),
    ).toMatchObject({ assistRatio: Number.POSITIVE_INFINITY, fractionalWorkers: Number.NaN });
  });
});

describe("scavenger lines", () => {
  test("Go 1.5–1.12 scvg lines under gctrace (src/runtime/mheap.go)", () => {
    expect(
      parseGcTraceLine("scvg0: inuse: 3, idle: 0, sys: 3, released: 0, consumed: 3 (MB)"),
    ).toEqual({
      kind: "scvg",
      line: 1,
      id: 0,
      forcedPrefix: false,
      form: "stats",
      inuseMB: 3,
      idleMB: 0,
      sysMB: 3,
      releasedMB: 0,
      consumedMB: 3,
    });
    expect(parseGcTraceLine("scvg-1: 12 MB released")).toMatchObject({
      id: -1,
      form: "released",
      releasedMB: 12,
    });
  });

  test("Go 1.13 scvg: and forced scvg: lines (src/runtime/mgcscavenge.go, mheap.go)", () => {
    expect(parseGcTraceLine("scvg: 1 MB released")).toMatchObject({ id: null, releasedMB: 1 });
    expect(
      parseGcTraceLine("forced scvg: inuse: 2, idle: 61, sys: 63, released: 59, consumed: 4 (MB)"),
    ).toMatchObject({ forcedPrefix: true, id: null, idleMB: 61, consumedMB: 4 });
  });

  test("Go 1.14 scav without generation; Go 1.15–1.17 with it; Go 1.19 [controller reset]", () => {
    expect(parseGcTraceLine("scav 12 KiB work, 64 KiB total, 98% util")).toEqual({
      kind: "scav",
      line: 1,
      workKiB: 12,
      releasedKiB: 64,
      utilPercent: 98,
      forced: false,
      controllerReset: false,
    });
    expect(parseGcTraceLine("scav 3 12 KiB work, 64 KiB total, 98% util (forced)")).toMatchObject({
      generation: 3,
      workKiB: 12,
      forced: true,
    });
    expect(
      parseGcTraceLine("scav 0 KiB work, 1024 KiB total, 97% util [controller reset]"),
    ).toMatchObject({ controllerReset: true, forced: false });
  });

  test("Go 1.21+ bg/eager form (real go1.21.13 output)", () => {
    expect(
      parseGcTraceLine("scav 0 KiB work (bg), 0 KiB work (eager), 3864 KiB now, 92% util"),
    ).toEqual({
      kind: "scav",
      line: 1,
      workBgKiB: 0,
      workEagerKiB: 0,
      releasedKiB: 3864,
      utilPercent: 92,
      forced: false,
      controllerReset: false,
    });
  });
});

describe("scan lines, Go 1.25+ gctrace=2", () => {
  test("green tea form", () => {
    expect(parseGcTraceLine("scan: total 32+75+93=200 objs, 8+6=14 spans")).toEqual({
      kind: "scan",
      line: 1,
      scope: "total",
      objects: 200,
      objectsBreakdown: [32, 75, 93],
      spans: 14,
      spansBreakdown: [8, 6],
    });
    expect(parseGcTraceLine("scan: class 16B 0+37+0=37 objs, 4+0=4 spans")).toMatchObject({
      scope: "class",
      classBytes: 16,
      objects: 37,
    });
  });
  test("non-green-tea form", () => {
    expect(parseGcTraceLine("scan: class L 1 objs")).toEqual({
      kind: "scan",
      line: 1,
      scope: "large",
      objects: 1,
    });
    expect(parseGcTraceLine("scan: total 178 objs")).toMatchObject({
      scope: "total",
      objects: 178,
    });
  });
});

describe("schedtrace (src/runtime/proc.go)", () => {
  test("Go 1.5–1.19 summary with compact per-P list", () => {
    expect(
      parseGcTraceLine(
        "SCHED 2008ms: gomaxprocs=4 idleprocs=4 threads=6 spinningthreads=0 idlethreads=3 runqueue=0 [0 1 0 2]",
      ),
    ).toEqual({
      kind: "sched",
      line: 1,
      timeMs: 2008,
      gomaxprocs: 4,
      idleprocs: 4,
      threads: 6,
      spinningthreads: 0,
      idlethreads: 3,
      runqueue: 0,
      localRunqueues: [0, 1, 0, 2],
    });
  });

  test("Go 1.20–1.24 adds needspinning", () => {
    expect(
      parseGcTraceLine(
        "SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=1 needspinning=1 idlethreads=0 runqueue=3 [2 0]",
      ),
    ).toMatchObject({ needspinning: 1, runqueue: 3, localRunqueues: [2, 0] });
  });

  test("Go 1.25+ spaced list and schedticks (real go1.26 output)", () => {
    expect(
      parseGcTraceLine(
        "SCHED 104ms: gomaxprocs=2 idleprocs=0 threads=5 spinningthreads=0 needspinning=1 idlethreads=1 runqueue=0 [ 0 0 ] schedticks=[ 3247 10832 ]",
      ),
    ).toMatchObject({ localRunqueues: [0, 0], schedticks: [3247, 10832] });
  });

  test("detailed summary: integer flags up to Go 1.19 (real go1.19.13 output), booleans from Go 1.20", () => {
    expect(
      parseGcTraceLine(
        "SCHED 1004ms: gomaxprocs=2 idleprocs=2 threads=4 spinningthreads=0 idlethreads=2 runqueue=0 gcwaiting=1 nmidlelocked=0 stopwait=0 sysmonwait=0",
      ),
    ).toMatchObject({ gcwaiting: true, sysmonwait: false, nmidlelocked: 0, stopwait: 0 });
    expect(
      parseGcTraceLine(
        "SCHED 0ms: gomaxprocs=2 idleprocs=0 threads=3 spinningthreads=1 needspinning=0 idlethreads=0 runqueue=0 gcwaiting=false nmidlelocked=0 stopwait=0 sysmonwait=false",
      ),
    ).toMatchObject({ gcwaiting: false, needspinning: 0 });
  });

  test("P lines: -1 (Go 1.14–1.19, with timerslen; real go1.19.13 output) and nil (Go 1.20+)", () => {
    expect(
      parseGcTraceLine(
        "  P0: status=0 schedtick=5 syscalltick=2 m=-1 runqsize=0 gfreecnt=0 timerslen=1",
      ),
    ).toEqual({
      kind: "P",
      line: 1,
      id: 0,
      status: 0,
      schedtick: 5,
      syscalltick: 2,
      m: null,
      runqsize: 0,
      gfreecnt: 0,
      timerslen: 1,
    });
    // Go 1.5-era: no timerslen.
    expect(
      parseGcTraceLine("  P3: status=1 schedtick=10 syscalltick=0 m=4 runqsize=2 gfreecnt=7"),
    ).toMatchObject({ id: 3, m: 4, runqsize: 2 });
    expect(
      parseGcTraceLine(
        "  P1: status=0 schedtick=0 syscalltick=0 m=nil runqsize=0 gfreecnt=0 timerslen=0",
      ),
    ).toMatchObject({ m: null, timerslen: 0 });
  });

  test("M lines: Go ≤ 1.11 helpgc and -1 ids; Go 1.20+ nil; preemptoff with spaces", () => {
    expect(
      parseGcTraceLine(
        "  M1: p=-1 curg=-1 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 helpgc=0 spinning=false blocked=false lockedg=-1",
      ),
    ).toMatchObject({ id: 1, p: null, curg: null, helpgc: 0, lockedg: null, preemptoff: "" });
    expect(
      parseGcTraceLine(
        "  M0: p=0 curg=1 mallocing=1 throwing=0 preemptoff=write heap dump locks=3 dying=0 spinning=false blocked=false lockedg=1",
      ),
    ).toMatchObject({
      p: 0,
      curg: 1,
      mallocing: 1,
      preemptoff: "write heap dump",
      locks: 3,
      lockedg: 1,
    });
  });

  test("G lines: wait reasons with parentheses, empty reasons, -1 and nil", () => {
    expect(parseGcTraceLine("  G1: status=4(semacquire) m=-1 lockedm=-1")).toEqual({
      kind: "G",
      line: 1,
      id: 1,
      status: 4,
      waitReason: "semacquire",
      m: null,
      lockedm: null,
    });
    expect(
      parseGcTraceLine("  G7: status=4(chan receive (nil chan)) m=nil lockedm=nil"),
    ).toMatchObject({
      waitReason: "chan receive (nil chan)",
    });
    expect(parseGcTraceLine("  G1: status=1() m=nil lockedm=0")).toMatchObject({
      waitReason: "",
      lockedm: 0,
    });
  });
});

describe("init, GC forced, other", () => {
  test("inittrace line (real go1.26 output)", () => {
    expect(
      parseGcTraceLine("init internal/godebug @0.28 ms, 0.15 ms clock, 9928 bytes, 158 allocs"),
    ).toEqual({
      kind: "init",
      line: 1,
      pkg: "internal/godebug",
      atMs: 0.28,
      clockMs: 0.15,
      bytes: 9928,
      allocs: 158,
    });
  });
  test("GC forced", () => {
    expect(parseGcTraceLine("GC forced", 9)).toEqual({ kind: "forced", line: 9 });
  });
  test("program text and near misses are not trace lines", () => {
    for (const s of [
      "",
      "hello",
      "gc is running",
      "gc 1 @0.001s 15%: garbage",
      "SCHED later",
      "init something",
      "  Processing item 3",
      "scav",
      "pacer: nothing",
      "GC forcedX",
    ]) {
      expect(parseGcTraceLine(s), s).toBeUndefined();
    }
  });
  test("CRLF line ends are tolerated", () => {
    expect(parseGcTraceLine("scav 12 KiB work, 64 KiB total, 98% util\r")).toMatchObject({
      kind: "scav",
    });
  });
});

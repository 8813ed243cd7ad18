/**
 * fast-check arbitraries producing events the way the runtime's printers can
 * produce them (value shapes follow `fmtNSAsMS`, `itoaDiv`, `printfloat` ...).
 * Derived fields (`wall`, `cpu`) are computed here from the raw figures with the
 * documented rule, independently of the parser.
 */
import fc from "fast-check";
import type {
  FloatSyntax,
  GcEvent,
  GcTraceEvent,
  InitEvent,
  PacerEvent,
  ScanEvent,
  ScavEvent,
  SchedEvent,
  SchedGEvent,
  SchedMEvent,
  SchedPEvent,
  ScvgEvent,
} from "../events.js";

const nat = (max = 1_000_000) => fc.integer({ min: 0, max });

/** Values `fmtNSAsMS` can print: 0, 0.001–0.099, 0.10–0.99, 1.0–9.9, whole ms >= 10. */
export const msValue: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 99 }).map((m) => m / 1000),
  fc.integer({ min: 10, max: 99 }).map((m) => m / 100),
  fc.integer({ min: 10, max: 99 }).map((m) => m / 10),
  fc.integer({ min: 10, max: 10_000_000 }),
);

/** A float in the legacy 7-significant-digit syntax (always a finite value). */
const legacyFloat: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc
    .tuple(
      fc.boolean(),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 0, max: 999_999 }),
      fc.integer({ min: -30, max: 30 }),
    )
    .map(([neg, d, frac, e]) =>
      Number(`${neg ? "-" : ""}${d}.${String(frac).padStart(6, "0")}e${e}`),
    ),
);

/** Any double the shortest syntax can carry, avoiding 3-digit exponents (ambiguous with legacy). */
const shortestFloat: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: -1e90, max: 1e90 }).filter((v) => v === 0 || Math.abs(v) > 1e-90),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0.25, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);

const floatFor = (syntax: FloatSyntax) => (syntax === "legacy" ? legacyFloat : shortestFloat);
const uint64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const int64 = fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
const optId = fc.option(nat(10_000), { nil: null });

export const gcEvent: fc.Arbitrary<GcEvent> = fc
  .record({
    five: fc.boolean(),
    cycle: nat(),
    startMs: nat(100_000_000),
    cpuPercent: nat(100),
    clock: fc.array(msValue, { minLength: 5, maxLength: 5 }),
    cpu: fc.array(msValue, { minLength: 7, maxLength: 7 }),
    heap: fc.array(nat(1 << 30), { minLength: 4, maxLength: 4 }),
    goal: fc.oneof(nat(1 << 30), fc.constant(2 ** 44 - 1)),
    scan: fc.option(fc.tuple(nat(4096), nat(4096)), { nil: undefined }),
    procs: fc.integer({ min: 1, max: 1024 }),
    forced: fc.boolean(),
    leak: fc.boolean(),
  })
  .map((r) => {
    const clockMs = r.five ? r.clock : r.clock.slice(0, 3);
    const cpuMs = r.five ? r.cpu : r.cpu.slice(0, 5);
    const c = clockMs as number[] & { length: number };
    const u = cpuMs;
    const at = (a: number[], i: number) => a[i] as number;
    const e: GcEvent = {
      kind: "gc",
      line: 1,
      cycle: r.cycle,
      startSeconds: r.startMs / 1000,
      cpuPercent: r.cpuPercent,
      clockMs,
      cpuMs,
      wall: r.five
        ? {
            sweepTermination: at(c, 0),
            mark: at(c, 1) + at(c, 2) + at(c, 3),
            markTermination: at(c, 4),
          }
        : { sweepTermination: at(c, 0), mark: at(c, 1), markTermination: at(c, 2) },
      cpu: r.five
        ? {
            sweepTermination: at(u, 0) + at(u, 1) + at(u, 2),
            assist: at(u, 3),
            background: at(u, 4),
            idle: at(u, 5),
            markTermination: at(u, 6),
          }
        : {
            sweepTermination: at(u, 0),
            assist: at(u, 1),
            background: at(u, 2),
            idle: at(u, 3),
            markTermination: at(u, 4),
          },
      heapBeforeMB: at(r.heap, 0),
      heapAfterMB: at(r.heap, 1),
      heapLiveMB: at(r.heap, 2),
      heapGoalMB: r.goal,
      procs: r.procs,
      forced: r.forced,
      goroutineLeakCheck: r.leak,
    };
    if (r.scan !== undefined) {
      e.stacksMB = r.scan[0];
      e.globalsMB = r.scan[1];
    }
    return e;
  });

const syntax = fc.constantFrom<FloatSyntax>("legacy", "shortest");

export const pacerEvent: fc.Arbitrary<PacerEvent> = syntax.chain((floatSyntax) => {
  const f = floatFor(floatSyntax);
  return fc.oneof(
    fc.record({
      kind: fc.constant("pacer" as const),
      form: fc.constant("assist" as const),
      line: fc.constant(1),
      assistRatio: f,
      scanMB: nat(),
      heapLiveMB: nat(),
      heapGoalMB: nat(),
      dedicatedWorkers: nat(64),
      fractionalWorkers: f,
      floatSyntax: fc.constant(floatSyntax),
    }),
    fc.record({
      kind: fc.constant("pacer" as const),
      form: fc.constant("sweep" as const),
      line: fc.constant(1),
      heapMB: nat(),
      allocatedMB: nat(),
      pagesSwept: nat(),
      pagesPerByte: f,
      floatSyntax: fc.constant(floatSyntax),
    }),
    fc.record({
      kind: fc.constant("pacer" as const),
      form: fc.constant("legacy" as const),
      line: fc.constant(1),
      heapMarkedPrev: uint64,
      triggerRatio: f,
      trigger: uint64,
      actualGrowth: f,
      heapLive: uint64,
      goalGrowth: f,
      heapGoal: int64,
      utilization: f,
      goalUtilization: f,
      scanWork: uint64,
      goalDelta: f,
      actualDelta: f,
      utilizationRatio: f,
      floatSyntax: fc.constant(floatSyntax),
    }),
    fc.record({
      kind: fc.constant("pacer" as const),
      form: fc.constant("cycle" as const),
      line: fc.constant(1),
      cpuPercent: nat(1000),
      expectedPercent: nat(100),
      heapScanWork: uint64,
      stackScanWork: uint64,
      globalsScanWork: uint64,
      expectedWork: uint64,
      triggered: uint64,
      live: uint64,
      goalDelta: int64,
      consMark: f,
      floatSyntax: fc.constant(floatSyntax),
    }),
  );
});

export const scvgEvent: fc.Arbitrary<ScvgEvent> = fc.oneof(
  fc.record({
    kind: fc.constant("scvg" as const),
    line: fc.constant(1),
    id: fc.oneof(fc.constant(null), fc.constant(-1), nat(10_000)),
    forcedPrefix: fc.boolean(),
    form: fc.constant("released" as const),
    releasedMB: nat(),
  }),
  fc.record({
    kind: fc.constant("scvg" as const),
    line: fc.constant(1),
    id: fc.oneof(fc.constant(null), fc.constant(-1), nat(10_000)),
    forcedPrefix: fc.boolean(),
    form: fc.constant("stats" as const),
    releasedMB: nat(),
    inuseMB: nat(),
    idleMB: nat(),
    sysMB: nat(),
    consumedMB: nat(),
  }),
);

export const scavEvent: fc.Arbitrary<ScavEvent> = fc
  .record({
    modern: fc.boolean(),
    generation: fc.option(nat(10_000), { nil: undefined }),
    a: nat(1 << 30),
    b: nat(1 << 30),
    released: nat(1 << 30),
    util: nat(100),
    tail: fc.constantFrom("none", "forced", "reset"),
  })
  .map((r) => {
    const e: ScavEvent = {
      kind: "scav",
      line: 1,
      releasedKiB: r.released,
      utilPercent: r.util,
      forced: r.tail === "forced",
      controllerReset: r.tail === "reset",
    };
    if (r.modern) {
      e.workBgKiB = r.a;
      e.workEagerKiB = r.b;
    } else {
      e.workKiB = r.a;
      if (r.generation !== undefined) e.generation = r.generation;
    }
    return e;
  });

export const scanEvent: fc.Arbitrary<ScanEvent> = fc
  .record({
    scope: fc.constantFrom<ScanEvent["scope"]>("total", "large", "class"),
    classBytes: fc.integer({ min: 8, max: 32768 }),
    green: fc.boolean(),
    o: fc.array(nat(), { minLength: 3, maxLength: 3 }),
    s: fc.array(nat(), { minLength: 2, maxLength: 2 }),
  })
  .map((r) => {
    const [a, b, c] = r.o as [number, number, number];
    const [sa, sb] = r.s as [number, number];
    const e: ScanEvent = r.green
      ? {
          kind: "scan",
          line: 1,
          scope: r.scope,
          objects: a + b + c,
          objectsBreakdown: [a, b, c],
          spans: sa + sb,
          spansBreakdown: [sa, sb],
        }
      : { kind: "scan", line: 1, scope: r.scope, objects: a };
    if (r.scope === "class") e.classBytes = r.classBytes;
    return e;
  });

/** SCHED lines in the shapes of the successive Go versions. */
export const schedEvent: fc.Arbitrary<SchedEvent> = fc
  .record({
    shape: fc.constantFrom("pre121", "go121", "go125", "detailOld", "detailNew"),
    timeMs: nat(100_000_000),
    nums: fc.array(nat(10_000), { minLength: 9, maxLength: 9 }),
    ps: fc.array(nat(300), { minLength: 1, maxLength: 8 }),
    ticks: fc.array(nat(10_000_000), { minLength: 1, maxLength: 8 }),
    gcwaiting: fc.boolean(),
    sysmonwait: fc.boolean(),
  })
  .map((r) => {
    const n = (i: number) => r.nums[i] as number;
    const e: SchedEvent = {
      kind: "sched",
      line: 1,
      timeMs: r.timeMs,
      gomaxprocs: n(0),
      idleprocs: n(1),
      threads: n(2),
      spinningthreads: n(3),
      idlethreads: n(4),
      runqueue: n(5),
    };
    if (r.shape === "go121" || r.shape === "go125" || r.shape === "detailNew") {
      e.needspinning = n(6);
    }
    if (r.shape === "detailOld" || r.shape === "detailNew") {
      e.gcwaiting = r.gcwaiting;
      e.nmidlelocked = n(7);
      e.stopwait = n(8);
      e.sysmonwait = r.sysmonwait;
    } else {
      e.localRunqueues = r.ps;
      if (r.shape === "go125") e.schedticks = r.ticks.slice(0, r.ps.length);
    }
    // Property tests compare the event as a whole, so rebuild it in printing order.
    return e;
  });

export const schedPEvent: fc.Arbitrary<SchedPEvent> = fc
  .record({
    id: nat(1024),
    status: nat(4),
    schedtick: nat(1e9),
    syscalltick: nat(1e9),
    m: optId,
    runqsize: nat(256),
    gfreecnt: nat(1000),
    timerslen: fc.option(nat(1000), { nil: undefined }),
  })
  .map((r) => {
    const e: SchedPEvent = {
      kind: "P",
      line: 1,
      id: r.id,
      status: r.status,
      schedtick: r.schedtick,
      syscalltick: r.syscalltick,
      m: r.m,
      runqsize: r.runqsize,
      gfreecnt: r.gfreecnt,
    };
    if (r.timerslen !== undefined) e.timerslen = r.timerslen;
    return e;
  });

export const schedMEvent: fc.Arbitrary<SchedMEvent> = fc
  .record({
    id: nat(1024),
    p: optId,
    curg: optId,
    mallocing: nat(3),
    throwing: nat(3),
    preemptoff: fc.constantFrom("", "gcing", "write heap dump", "GOMAXPROCS", "stopTheWorld"),
    locks: nat(10),
    dying: nat(3),
    helpgc: fc.option(nat(3), { nil: undefined }),
    spinning: fc.boolean(),
    blocked: fc.boolean(),
    lockedg: optId,
  })
  .map((r) => {
    const { helpgc, ...rest } = r;
    const e: SchedMEvent = { kind: "M", line: 1, ...rest };
    if (helpgc !== undefined) e.helpgc = helpgc;
    return e;
  });

/** Wait reasons as `waitReason.String()` prints them (src/runtime/runtime2.go). */
export const waitReasons = [
  "",
  "GC assist marking",
  "chan receive",
  "chan receive (nil chan)",
  "select (no cases)",
  "semacquire",
  "sync.WaitGroup.Wait",
  "GC worker (idle)",
  "force gc (idle)",
  "chan send (durable)",
];

export const schedGEvent: fc.Arbitrary<SchedGEvent> = fc.record({
  kind: fc.constant("G" as const),
  line: fc.constant(1),
  id: nat(1e9),
  status: nat(9),
  waitReason: fc.constantFrom(...waitReasons),
  m: optId,
  lockedm: optId,
});

export const initEvent: fc.Arbitrary<InitEvent> = fc.record({
  kind: fc.constant("init" as const),
  line: fc.constant(1),
  pkg: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}(\/[a-z][a-z0-9_.-]{0,8}){0,3}$/),
  atMs: msValue,
  clockMs: msValue,
  bytes: nat(1e9),
  allocs: nat(1e7),
});

/** Every trace event kind (no `other`). */
export const traceEvent: fc.Arbitrary<GcTraceEvent> = fc.oneof(
  gcEvent,
  pacerEvent,
  scvgEvent,
  scavEvent,
  scanEvent,
  schedEvent,
  schedPEvent,
  schedMEvent,
  schedGEvent,
  initEvent,
  fc.constant({ kind: "forced" as const, line: 1 }),
);

/** Trace events whose lines have no free-form text field (safe to split anywhere). */
export const splittableEvent: fc.Arbitrary<GcTraceEvent> = fc.oneof(
  gcEvent,
  pacerEvent,
  scvgEvent,
  scavEvent,
  scanEvent,
  schedEvent,
  schedPEvent,
);

/** Program output lines: words that are not trace syntax. */
export const programLine: fc.Arbitrary<string> = fc
  .array(fc.constantFrom("app:", "hello", "world", "request", "served", "ok", "retry", "user"), {
    minLength: 1,
    maxLength: 6,
  })
  .map((w) => w.join(" "));

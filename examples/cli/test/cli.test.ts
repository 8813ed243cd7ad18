/**
 * End-to-end tests of the `tricolor` command on the real fixtures: every run
 * is a child process, outputs are compared with golden files, and the
 * goldens themselves are checked against facts the Go programs recorded
 * (or against `go tool pprof` when go is installed), never against the
 * CLI's own earlier output alone.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import {
  hasGo,
  readFacts,
  type StructuresFacts,
  type TimelineFacts,
  type TraceFacts,
} from "../../../fixtures/fixtures.js";
import { formatHelp } from "../src/command.js";
import { commands } from "../src/commands/index.js";
import { expectGolden } from "./golden.js";
import { type CliResult, repoRoot, runCli } from "./run-cli.js";

/** Goldens are pinned to one toolchain's fixtures so adding versions does not churn them. */
const version = "go1.26.8";
const dir = `fixtures/${version}`;
const present = existsSync(join(repoRoot, dir, "heap"));
const structures = `${dir}/heap/structures.dump.gz`;
const trace = `${dir}/trace/gctrace-1-gcpacertrace-1.log`;

function ok(result: CliResult): string {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
}

async function json<T>(args: string[]): Promise<T> {
  return JSON.parse(ok(await runCli([...args, "--json"]))) as T;
}

describe.runIf(present)(`tricolor on the ${version} fixtures`, () => {
  const facts = present
    ? readFacts<StructuresFacts>(version, "heap/structures.dump.gz")
    : undefined!;

  describe("heap", () => {
    type Summary = {
      objects: { count: number; liveCount: number; garbageCount: number; garbageBytes: number };
      memStats: { heapObjects: string };
      goVersion: string;
      goroutines: {
        total: number;
        byState: { waitReason: string; count: number; system: number }[];
      };
      roots: { kind: string }[];
    };
    let summary: Summary;
    beforeAll(async () => {
      summary = await json<Summary>(["heap", structures]);
    });

    it("matches the golden summary", async () => {
      expectGolden("heap-structures.txt", ok(await runCli(["heap", structures, "--top", "5"])));
    });

    it("counts what the dump's own MemStats and the program's facts say", () => {
      expect(summary.goVersion).toBe(facts.goVersion);
      // After dropping phantom span slots the object count equals HeapObjects
      // of the memstats record written in the same WriteHeapDump call.
      expect(summary.objects.count).toBe(Number(summary.memStats.heapObjects));
      // The 32 dropped ring objects (48 B each) are garbage: at least them.
      expect(summary.objects.garbageCount).toBeGreaterThanOrEqual(facts.garbage.addresses.length);
      expect(summary.objects.garbageBytes).toBeGreaterThanOrEqual(
        facts.garbage.addresses.length * facts.garbage.size,
      );
      expect(summary.objects.liveCount + summary.objects.garbageCount).toBe(summary.objects.count);
    });

    it("groups the parked goroutines by wait reason", () => {
      expect(summary.goroutines.total).toBeGreaterThanOrEqual(facts.goroutines.numGoroutine);
      const expected = new Map<string, number>();
      for (const kind of facts.goroutines.kinds) {
        for (const reason of kind.waitReasons)
          expected.set(reason, (expected.get(reason) ?? 0) + kind.count);
      }
      for (const [reason, count] of expected) {
        const user = summary.goroutines.byState
          .filter((g) => g.waitReason === reason)
          .reduce((n, g) => n + g.count - g.system, 0);
        expect(user, reason).toBeGreaterThanOrEqual(count);
      }
    });

    it("finds the bss roots of the program's globals", () => {
      expect(summary.roots.map((r) => r.kind)).toContain("bss");
    });
  });

  describe("heap path", () => {
    it("walks the linked list from its global to the tail", async () => {
      const tail = facts.list.nodes.at(-1)!;
      const result = await json<{
        live: boolean;
        root: { kind: string };
        path: { address: string; size: number }[];
      }>(["heap", "path", structures, tail]);
      expect(result.live).toBe(true);
      expect(result.root.kind).toBe("bss");
      // ListHead -> node 0 -> ... -> node 49: the shortest path is the list itself.
      expect(result.path.map((p) => p.address)).toEqual(facts.list.nodes);
      expect(result.path.every((p) => p.size === facts.list.nodeSize)).toBe(true);
      expectGolden("heap-path-list-tail.txt", ok(await runCli(["heap", "path", structures, tail])));
    });

    it("resolves an interior pointer and reports garbage as such", async () => {
      const node = facts.garbage.addresses[0]!;
      const interior = `0x${(BigInt(node) + 8n).toString(16)}`;
      const result = await json<{ live: boolean; object: { address: string; size: number } }>([
        "heap",
        "path",
        structures,
        interior,
      ]);
      expect(result.live).toBe(false);
      expect(result.object).toMatchObject({ address: node, size: facts.garbage.size });
    });
  });

  describe("heap diff", () => {
    it("sorts the tracked objects into allocated, freed and surviving", async () => {
      const step = readFacts<TimelineFacts>(version, "heap/timeline-1.dump.gz").step!;
      type Side = { count: number; addresses: string[] };
      const diff = await json<{ allocated: Side; freed: Side; surviving: Side }>([
        "heap",
        "diff",
        `${dir}/heap/timeline-0.dump.gz`,
        `${dir}/heap/timeline-1.dump.gz`,
        "--addresses",
      ]);
      expect(diff.allocated.addresses).toEqual(expect.arrayContaining(step.allocated));
      expect(diff.freed.addresses).toEqual(expect.arrayContaining(step.freed));
      expect(diff.surviving.addresses).toEqual(expect.arrayContaining(step.surviving));
      expect(diff.allocated.count).toBe(diff.allocated.addresses.length);
      const text = ok(
        await runCli([
          "heap",
          "diff",
          `${dir}/heap/timeline-0.dump.gz`,
          `${dir}/heap/timeline-1.dump.gz`,
        ]),
      );
      expectGolden("heap-diff-timeline.txt", text);
    });
  });

  describe("heap export", () => {
    it("writes a .heapsnapshot DevTools can parse", async () => {
      const outDir = mkdtempSync(join(tmpdir(), "tricolor-cli-"));
      onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
      const out = join(outDir, "s.heapsnapshot");
      const text = ok(await runCli(["heap", "export", structures, out]));
      expect(text).toMatch(/^wrote .*s\.heapsnapshot/);
      const snapshot = JSON.parse(readFileSync(out, "utf8")) as {
        snapshot: { meta: { node_fields: string[] }; node_count: number };
        nodes: number[];
        strings: string[];
      };
      expect(snapshot.nodes.length).toBe(
        snapshot.snapshot.node_count * snapshot.snapshot.meta.node_fields.length,
      );
      // The list nodes are live and sampled, so their allocator names appear.
      expect(snapshot.strings.some((s) => s.includes(facts.allocators.list!))).toBe(true);
    });
  });

  describe("mark", () => {
    it("blackens exactly the reachable objects and leaves the garbage white", async () => {
      const mark = await json<{
        garbageCount: number;
        markedCount: number;
        matchesReachability: boolean;
        rootScans: number;
        peakGrey: number;
        greyOverTime: { grey: number }[];
      }>(["mark", structures]);
      const heap = await json<{ objects: { liveCount: number; garbageCount: number } }>([
        "heap",
        structures,
      ]);
      expect(mark.matchesReachability).toBe(true);
      expect(mark.markedCount).toBe(heap.objects.liveCount);
      expect(mark.garbageCount).toBe(heap.objects.garbageCount);
      expect(mark.greyOverTime.at(-1)!.grey).toBe(0);
      expect(mark.peakGrey).toBeGreaterThan(0);
      expectGolden("mark-structures.txt", ok(await runCli(["mark", structures])));
    });
  });

  describe("gctrace", () => {
    const traceFacts = present
      ? readFacts<TraceFacts>(version, "trace/gctrace-1-gcpacertrace-1.log")
      : undefined!;

    it("counts the cycles the program counted", async () => {
      const summary = await json<{
        gc: { cycles: number; forcedCycles: number; missingCycles: number[] };
      }>(["gctrace", trace]);
      expect(summary.gc.cycles).toBe(traceFacts.numGC);
      expect(summary.gc.forcedCycles).toBe(traceFacts.numForcedGC);
      expect(summary.gc.missingCycles).toEqual([]);
      expectGolden("gctrace.txt", ok(await runCli(["gctrace", trace])));
    });

    it("summarises schedtrace output", async () => {
      const log = `${dir}/trace/schedtrace-200-scheddetail-1.log`;
      const summary = await json<{ sched: { samples: number; maxThreads: number } }>([
        "gctrace",
        log,
      ]);
      const text = readFileSync(join(repoRoot, log), "utf8");
      // Counted here by the line prefix printed by schedtrace (src/runtime/proc.go).
      expect(summary.sched.samples).toBe(
        text.split("\n").filter((l) => l.startsWith("SCHED ")).length,
      );
      const threads = [...text.matchAll(/^SCHED .* threads=(\d+)/gm)].map((m) => Number(m[1]));
      expect(summary.sched.maxThreads).toBe(Math.max(...threads));
    });

    it("reads stdin with -", async () => {
      const text = readFileSync(join(repoRoot, trace), "utf8");
      const summary = JSON.parse(ok(await runCli(["gctrace", "-", "--json"], { stdin: text }))) as {
        gc: { cycles: number };
        file: string;
      };
      expect(summary.file).toBe("<stdin>");
      expect(summary.gc.cycles).toBe(traceFacts.numGC);
    });

    it("reads a gzip-compressed log, from a file and from stdin", async () => {
      const text = readFileSync(join(repoRoot, trace));
      const tmp = mkdtempSync(join(tmpdir(), "tricolor-cli-gz-"));
      onTestFinished(() => rmSync(tmp, { recursive: true, force: true }));
      const path = join(tmp, "trace.log.gz");
      writeFileSync(path, gzipSync(text));
      const plain = JSON.parse(ok(await runCli(["gctrace", trace, "--json"]))) as {
        file: string;
      };
      const fromFile = JSON.parse(ok(await runCli(["gctrace", path, "--json"]))) as {
        gc: { cycles: number };
        file: string;
      };
      expect(fromFile.gc.cycles).toBe(traceFacts.numGC);
      expect({ ...fromFile, file: plain.file }).toEqual(plain);
      const fromStdin = JSON.parse(
        ok(await runCli(["gctrace", "-", "--json"], { stdin: gzipSync(text) })),
      ) as { gc: { cycles: number } };
      expect(fromStdin.gc.cycles).toBe(traceFacts.numGC);
    });
  });

  describe("pprof top, traces and diff", () => {
    const goPprof = (args: string[]): string => {
      const go = spawnSync("go", ["tool", "pprof", ...args], {
        cwd: repoRoot,
        encoding: "utf8",
        env: { ...process.env, TZ: "UTC" },
      });
      expect(go.status, go.stderr).toBe(0);
      return go.stdout;
    };

    it("matches the golden top of the CPU profile", async () => {
      const text = ok(await runCli(["pprof", "top", `${dir}/pprof/cpu.pb.gz`]));
      expectGolden("pprof-top-cpu.txt", text);
      // The two burners ran ~0.9 s each under their labels: both lead the table.
      const cpuFacts = readFacts<{ functions: string[] }>(version, "pprof/cpu.pb.gz");
      const rows = text.split("\n").filter((line) => /^\s+\S+\s+\S+%/.test(line));
      for (const fn of cpuFacts.functions) expect(rows.some((row) => row.endsWith(fn))).toBe(true);
    });

    it("counts the known allocations in the heap profile", async () => {
      const known = readFacts<{
        knownAllocObjects: number;
        knownInuseObjects: number;
        functions: string[];
      }>(version, "pprof/heap.pb.gz");
      const top = await json<{ rows: { name: string; flat: number }[] }>([
        "pprof",
        "top",
        `${dir}/pprof/heap.pb.gz`,
        "--sample_index",
        "alloc_objects",
      ]);
      const allocKnown = top.rows.find((row) => row.name.endsWith(".allocKnown"));
      expect(allocKnown?.flat).toBe(known.knownAllocObjects);
    });

    it.runIf(hasGo())("prints what go tool pprof prints", async () => {
      for (const kind of ["cpu", "heap", "allocs", "goroutine", "mutex", "block"]) {
        const file = `${dir}/pprof/${kind}.pb.gz`;
        expect(ok(await runCli(["pprof", "top", file])), `top ${kind}`).toBe(
          goPprof(["-top", file]),
        );
      }
      const heap = `${dir}/pprof/heap.pb.gz`;
      expect(
        ok(
          await runCli(["pprof", "top", heap, "--sample_index", "alloc_space", "--nodecount", "3"]),
        ),
      ).toBe(goPprof(["-top", "-sample_index=alloc_space", "-nodecount=3", heap]));
      expect(ok(await runCli(["pprof", "traces", heap]))).toBe(goPprof(["-traces", heap]));
      const allocs = `${dir}/pprof/allocs.pb.gz`;
      expect(
        ok(await runCli(["pprof", "diff", heap, allocs, "--sample_index", "inuse_space"])),
      ).toBe(goPprof(["-top", "-sample_index=inuse_space", `-diff_base=${heap}`, allocs]));
    });
  });

  describe("pprof raw", () => {
    it.runIf(hasGo())("prints what go tool pprof -raw prints", async () => {
      for (const kind of ["heap", "cpu", "goroutine"]) {
        const file = `${dir}/pprof/${kind}.pb.gz`;
        const go = spawnSync("go", ["tool", "pprof", "-raw", file], {
          cwd: repoRoot,
          encoding: "utf8",
          env: { ...process.env, TZ: "UTC" },
        });
        expect(go.status).toBe(0);
        expect(ok(await runCli(["pprof", "raw", file]))).toBe(go.stdout);
      }
    });
  });
});

describe.runIf(present)("demo", () => {
  it("runs heap, mark, gctrace and pprof top on the bundled fixtures", async () => {
    const text = ok(await runCli(["demo"]));
    const commands = [...text.matchAll(/^\$ tricolor (\S+(?: top)?) /gm)].map((m) => m[1]);
    expect(commands).toEqual(["heap", "mark", "gctrace", "pprof top"]);
    expect(text).toMatch(/^Heap dump fixtures\/go[\d.]+\/heap\/structures\.dump\.gz$/m);
    expect(text).toMatch(/^check +black set equals the reachable set/m);
    expect(text).toMatch(/^GC cycles +\d+/m);
    expect(text).toMatch(/^ +flat +flat% +sum% +cum +cum%$/m);
  });
});

describe("errors are one line with exit code 1", () => {
  const tmp = mkdtempSync(join(tmpdir(), "tricolor-cli-errors-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function oneLine(result: CliResult, pattern: RegExp): void {
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.endsWith("\n")).toBe(true);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  }

  it("missing file", async () => {
    oneLine(
      await runCli(["heap", "nope.dump"]),
      /^tricolor: nope\.dump: no such file or directory\n$/,
    );
    oneLine(
      await runCli(["gctrace", "nope.log"]),
      /^tricolor: nope\.log: no such file or directory\n$/,
    );
    oneLine(
      await runCli(["pprof", "raw", "nope.pb.gz"]),
      /^tricolor: nope\.pb\.gz: no such file or directory\n$/,
    );
  });

  it.runIf(present)("truncated heap dump names the byte offset", async () => {
    const whole = gunzipSync(readFileSync(join(repoRoot, structures)));
    const cut = 4096;
    const path = join(tmp, "truncated.dump");
    writeFileSync(path, whole.subarray(0, cut));
    const result = await runCli(["heap", path]);
    oneLine(result, new RegExp(`^tricolor: ${path.replace(/[.]/g, "\\.")}:(\\d+): `));
    const offset = Number(/:(\d+): /.exec(result.stderr)![1]);
    expect(offset).toBeLessThanOrEqual(cut);
    expect(offset).toBeGreaterThan(0);
  });

  it("a file that is not a heap dump", async () => {
    const path = join(tmp, "text.dump");
    writeFileSync(path, "hello, not a dump\n");
    oneLine(await runCli(["heap", path]), /^tricolor: .*text\.dump:0: /);
  });

  it.runIf(present)("a truncated profile names the byte offset", async () => {
    const whole = gunzipSync(readFileSync(join(repoRoot, `${dir}/pprof/heap.pb.gz`)));
    const path = join(tmp, "truncated.pb");
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    oneLine(await runCli(["pprof", "raw", path]), /^tricolor: .*truncated\.pb:\d+: /);
  });

  it("a truncated gzip-compressed log", async () => {
    const path = join(tmp, "cut.log.gz");
    const gz = gzipSync(Buffer.from("gc 1 @0.001s 1%: 0.1+0.2+0.3 ms clock\n".repeat(2000)));
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
    oneLine(await runCli(["gctrace", path]), /^tricolor: .*cut\.log\.gz: corrupt gzip stream: /);
  });

  it("a log without trace lines", async () => {
    const path = join(tmp, "plain.log");
    writeFileSync(path, "just\nsome\nprogram output\n");
    oneLine(
      await runCli(["gctrace", path]),
      /^tricolor: .*plain\.log: no GODEBUG trace lines found/,
    );
  });

  it("usage mistakes point at --help", async () => {
    oneLine(await runCli(["frobnicate"]), /^tricolor: unknown command "frobnicate"/);
    oneLine(
      await runCli(["heap"]),
      /^tricolor: heap: expected 1 argument, got 0 \(see `tricolor heap --help`\)/,
    );
    oneLine(await runCli(["heap", "x", "--bogus"]), /^tricolor: heap: Unknown option '--bogus'/);
    oneLine(await runCli(["run"]), /^tricolor: run: give the program after --/);
  });

  it("--debug adds the stack trace", async () => {
    const result = await runCli(["heap", "nope.dump", "--debug"]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("tricolor: nope.dump: no such file or directory");
    expect(lines.length).toBeGreaterThan(1);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});

describe("help", () => {
  it("lists every command, and each command documents its options", async () => {
    const overview = ok(await runCli(["--help"]));
    for (const command of commands) {
      const words = command.words.join(" ");
      expect(overview).toContain(`  ${words} `);
      const help = formatHelp(command);
      expect(help).toMatch(new RegExp(`^usage: tricolor ${words}`));
      for (const option of Object.keys(command.options)) expect(help).toContain(`--${option}`);
    }
    const heapHelp = ok(await runCli(["heap", "path", "--help"]));
    expect(heapHelp).toBe(formatHelp(commands.find((c) => c.words.join(" ") === "heap path")!));
  });
});

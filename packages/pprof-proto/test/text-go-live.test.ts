// A goroutine dump made by the installed Go while this test runs: a program
// parks goroutines of known kinds (labeled, locked to a thread, deep
// recursion, a grandchild) and panics with GOTRACEBACK=system,
// GODEBUG=tracebackancestors=3,tracebacklabels=1, so the crash output has
// every header variant the fixtures lack: gp=/m=/mp=, labels, locked to
// thread, fp/sp/pc, "...N frames elided...", ancestors and "created by … in
// goroutine N". Skipped (with a message) when Go is not installed.

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasGo } from "../../../fixtures/fixtures.js";
import { type Goroutine, parseGoroutineDump, parseProfileText } from "../src/text/index.js";

const program = `package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"sync"
)

//go:noinline
func leaf(ch chan int) { <-ch }

//go:noinline
func chain(n int, ch chan int, wg *sync.WaitGroup) {
	if n == 0 {
		wg.Done()
		leaf(ch)
		return
	}
	chain(n-1, ch, wg)
}

//go:noinline
func deep(n int, ch chan int, wg *sync.WaitGroup) {
	if n == 0 {
		wg.Done()
		leaf(ch)
		return
	}
	deep(n-1, ch, wg)
}

func spawnGrandchild(ch chan int, wg *sync.WaitGroup) {
	go func() { chain(1, ch, wg) }()
	leaf(ch)
}

func main() {
	ch := make(chan int)
	var wg sync.WaitGroup
	wg.Add(3)
	for i := 0; i < 3; i++ {
		go func() {
			pprof.Do(context.Background(), pprof.Labels("worker", "w\\"q"), func(context.Context) { chain(2, ch, &wg) })
		}()
	}
	wg.Add(1)
	go func() { runtime.LockOSThread(); wg.Done(); leaf(ch) }()
	wg.Add(1)
	go deep(150, ch, &wg)
	wg.Add(1)
	go spawnGrandchild(ch, &wg)
	wg.Wait()
	fmt.Println(\`{"labeled":3,"locked":1,"deep":150,"label":["worker","w\\"q"]}\`)
	panic("tricolor live")
}
`;

interface LiveFacts {
  labeled: number;
  locked: number;
  deep: number;
  label: [string, string];
}

function runProgram(): { stderr: string; facts: LiveFacts; goVersion: string } | undefined {
  const dir = join(tmpdir(), `tricolor-pprof-live-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.go"), program);
  writeFileSync(join(dir, "go.mod"), "module live\n\ngo 1.21\n");
  const env = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" };
  const build = spawnSync("go", ["build", "-o", "live", "."], { cwd: dir, env, encoding: "utf8" });
  if (build.status !== 0) {
    console.warn(`pprof-proto: cannot build the live goroutine program:\n${build.stderr}`);
    return undefined;
  }
  const version = spawnSync("go", ["env", "GOVERSION"], { env, encoding: "utf8" }).stdout.trim();
  const run = spawnSync(join(dir, "live"), [], {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GOTRACEBACK: "system",
      GODEBUG: "tracebackancestors=3,tracebacklabels=1",
    },
  });
  return { stderr: run.stderr, facts: JSON.parse(run.stdout) as LiveFacts, goVersion: version };
}

const go = hasGo();
if (!go) console.warn("pprof-proto: Go is unavailable; live goroutine dump test skipped");

/** True when the toolchain is at least go1.<minor>. */
function atLeast(goVersion: string, minor: number): boolean {
  const m = /^go1\.([0-9]+)/.exec(goVersion);
  return m !== null && Number(m[1]) >= minor;
}

describe.skipIf(!go)("a crash dump from the installed Go", () => {
  const live = go ? runProgram() : undefined;
  // Header labels (tracebacklabels) exist since Go 1.26; "in goroutine N" and
  // "...N frames elided..." since Go 1.21.
  const hasLabels = live !== undefined && atLeast(live.goVersion, 26);
  const hasGoroutineIds = live !== undefined && atLeast(live.goVersion, 21);
  const inStack = (g: Goroutine, fn: string) => g.stack.some((f) => f.func === fn);

  it("parses every goroutine without diagnostics", () => {
    if (!live) return;
    const dump = parseGoroutineDump(live.stderr);
    expect(dump.diagnostics).toEqual([]);
    expect(dump.truncated).toBeUndefined();
    // GOTRACEBACK=system: every header has gp= and m=, every physical frame fp/sp/pc.
    for (const g of dump.goroutines) {
      expect(g.gp).toBeTypeOf("bigint");
      expect(g.m === null || typeof g.m === "number").toBe(true);
      for (const f of g.stack) if (!f.inlined) expect(f.pc).toBeTypeOf("bigint");
    }
    const main = dump.goroutines.find((g) => g.id === 1);
    expect(main?.state).toBe("running");
    expect(main && inStack(main, "main.main")).toBe(true);
    expect(main?.stack[0]?.func).toBe("panic");
  });

  it("reads labels, locked threads, elided frames, creators and ancestors", () => {
    if (!live) return;
    const { facts } = live;
    const dump = parseGoroutineDump(live.stderr);
    const labeled = dump.goroutines.filter((g) => g.labels.length > 0);
    expect(labeled.length).toBe(hasLabels ? facts.labeled : 0);
    for (const g of labeled) {
      expect(g.labels).toEqual([facts.label]);
      expect(g.state).toBe("chan receive");
      expect(inStack(g, "main.chain")).toBe(true);
    }
    expect(dump.goroutines.filter((g) => g.lockedToThread).length).toBe(facts.locked);

    const deep = dump.goroutines.filter((g) => inStack(g, "main.deep"));
    expect(deep.length).toBe(1);
    const d = deep[0] as Goroutine;
    expect(d.elided).toBeDefined();
    if (hasGoroutineIds) {
      expect(d.elided?.count).toBeGreaterThan(0);
      // Printed frames plus elided ones: deep(150)…deep(0), leaf, and the
      // runtime frames around them.
      const deepFrames = d.stack.filter((f) => f.func === "main.deep").length;
      expect(deepFrames + (d.elided?.count ?? 0)).toBeGreaterThanOrEqual(facts.deep + 1);
    }

    // The grandchild: created in the goroutine running spawnGrandchild, whose
    // own creator is main; ancestors list that chain nearest first.
    const parent = dump.goroutines.find((g) => inStack(g, "main.spawnGrandchild"));
    const child = dump.goroutines.find((g) => g.createdBy?.func === "main.spawnGrandchild");
    expect(parent && child).toBeTruthy();
    expect(child?.ancestors[0]?.id).toBe(parent?.id);
    expect(child?.ancestors[0]?.stack.some((f) => f.func === "main.spawnGrandchild")).toBe(true);
    if (hasGoroutineIds) {
      expect(child?.createdBy?.goroutine).toBe(parent?.id);
      expect(parent?.createdBy?.goroutine).toBe(1);
    }
  });

  it("converts to a goroutine profile with one count per goroutine", () => {
    if (!live) return;
    const r = parseProfileText(live.stderr, { stateLabel: true });
    expect(r.format).toBe("goroutine-dump");
    const n = r.goroutines?.goroutines.length ?? 0;
    let total = 0;
    for (let i = 0; i < r.profile.samples.count; i++) total += r.profile.sampleValue(i, 0);
    expect(total).toBe(n);
    // The three labeled workers share a stack and a label set: one sample of 3.
    let labeledSamples = 0;
    for (let i = 0; i < r.profile.samples.count; i++) {
      const s = r.profile.resolveSample(i);
      if (s.labels.get(live.facts.label[0])?.[0] === live.facts.label[1]) {
        labeledSamples++;
        expect(s.values[0]).toBe(live.facts.labeled);
        expect(s.labels.get("state")).toEqual(["chan receive"]);
      }
    }
    expect(labeledSamples).toBe(hasLabels ? 1 : 0);
  });
});

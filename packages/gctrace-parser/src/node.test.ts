import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, test } from "vitest";
import { hasGo } from "../../../fixtures/fixtures.js";
import type { GcTraceEvent } from "./index.js";
import { isGcTraceError } from "./index.js";
import { mergeGodebug, runTraced } from "./node.js";

function collect(stream: PassThrough): () => string {
  let s = "";
  stream.on("data", (c: Buffer) => {
    s += c.toString("utf8");
  });
  return () => s;
}

// A stand-in "program": echoes its GODEBUG, writes trace lines and its own lines to
// stderr (one trace line split by its own write), and something to stdout.
const script = `
const w = (s) => process.stderr.write(s);
process.stdout.write("stdout: " + process.env.GODEBUG + "\\n");
w("app: start\\n");
w("gc 1 @0.001s 15%: 0.12+0.46+0.030 ms clock, 0.25+0.14/0.22/0+0.060 ms cpu, 3->4->3 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\\n");
w("gc 2 @0.002s 14%: ");
w("app: interleaved\\n");
w("0.13+0.48+0.010 ms clock, 0.27+0/0.19/0.088+0.020 ms cpu, 6->8->6 MB, 7 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)\\n");
w("app: end\\n");
`;

describe("runTraced", () => {
  test("merges GODEBUG, streams events, passes program output through", async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    const seen: string[] = [];
    const run = runTraced(process.execPath, ["-e", script], {
      env: { ...process.env, GODEBUG: "madvdontneed=1,gctrace=0" },
      godebug: { gctrace: 1, schedtrace: 100 },
      stdout,
      stderr,
      onEvent: (e) => seen.push(e.kind),
    });
    const events: GcTraceEvent[] = [];
    for await (const e of run) events.push(e);
    const result = await run.wait();
    expect(result).toMatchObject({ exitCode: 0, signal: null, events: 5, diagnostics: [] });
    expect(events.map((e) => [e.kind, e.line, e.repaired ?? false])).toEqual([
      ["other", 1, false],
      ["gc", 2, false],
      ["gc", 3, true],
      ["other", 3, false],
      ["other", 5, false],
    ]);
    expect(seen).toEqual(events.map((e) => e.kind));
    expect(out()).toBe("stdout: madvdontneed=1,gctrace=1,schedtrace=100\n");
    expect(err()).toBe("app: start\napp: interleaved\napp: end\n");
  });

  test("wait() drains by itself when nobody iterates", async () => {
    let gcs = 0;
    const run = runTraced(process.execPath, ["-e", script], {
      stdout: null,
      stderr: null,
      onEvent: (e) => {
        if (e.kind === "gc") gcs++;
      },
    });
    const r = await run.wait();
    expect(r.exitCode).toBe(0);
    expect(gcs).toBe(2);
  });

  test("bad options are GcTraceErrors", () => {
    expect(() => mergeGodebug("", { "bad key": 1 })).toThrow(/invalid GODEBUG/);
    let err: unknown;
    try {
      runTraced("");
    } catch (e) {
      err = e;
    }
    expect(isGcTraceError(err)).toBe(true);
    expect(mergeGodebug("a=1, b=2", "b=3,c")).toBe("a=1,b=3,c=");
  });

  test.skipIf(!hasGo())(
    "a real Go program under gctrace=1",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "gctrace-node-"));
      writeFileSync(join(dir, "go.mod"), "module tracedemo\n\ngo 1.21\n");
      writeFileSync(
        join(dir, "main.go"),
        `package main

import (
	"fmt"
	"os"
	"runtime"
)

var sink []byte

func main() {
	for i := 0; i < 3; i++ {
		sink = make([]byte, 1<<20)
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "numgc=%d\\n", ms.NumGC)
}
`,
      );
      const env: Record<string, string | undefined> = {
        ...process.env,
        GOTOOLCHAIN: "local",
        GOFLAGS: "-mod=mod",
      };
      delete env.GODEBUG;
      execFileSync("go", ["build", "-o", "demo", "."], { cwd: dir, env, stdio: "ignore" });
      const run = runTraced(join(dir, "demo"), [], {
        env,
        godebug: "gctrace=1",
        stdout: null,
        stderr: null,
      });
      const events: GcTraceEvent[] = [];
      for await (const e of run) events.push(e);
      const r = await run.wait();
      expect(r.exitCode).toBe(0);
      const last = events.filter((e) => e.kind === "other").at(-1);
      const numgc = Number(/numgc=(\d+)/.exec(last?.kind === "other" ? last.text : "")?.[1]);
      expect(events.filter((e) => e.kind === "gc")).toHaveLength(numgc);
      expect(events.filter((e) => e.kind === "gc" && e.forced)).toHaveLength(3);
      expect(numgc).toBeGreaterThanOrEqual(3);
    },
    120_000,
  );
});

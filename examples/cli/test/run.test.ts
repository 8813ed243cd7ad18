/**
 * `tricolor run` against a real Go program: the summary's cycle count must
 * equal the program's own runtime.MemStats.NumGC, which also proves that the
 * go command's own collections (it is a Go program too) stay out of the trace.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasGo } from "../../../fixtures/fixtures.js";
import { runCli, startCli } from "./run-cli.js";

const program = `package main

import (
	"fmt"
	"os"
	"runtime"
)

var sink [][]byte

func main() {
	for i := 0; i < 3000; i++ {
		sink = append(sink, make([]byte, 64<<10))
		if len(sink) > 40 {
			sink = sink[:0]
		}
	}
	runtime.GC()
	fmt.Fprintln(os.Stderr, "app: a line of the program's own stderr")
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("numgc=%d forced=%d\\n", m.NumGC, m.NumForcedGC)
	os.Exit(3)
}
`;

type RunSummary = {
  exitCode: number;
  gc: { cycles: number; forcedCycles: number; pauses: { count: number } };
  lastCycle: { cycle: number };
};

function parseRun(stdout: string): { numGC: number; forced: number; summary: RunSummary } {
  const [own, ...rest] = stdout.split("\n");
  const counted = /^numgc=(\d+) forced=(\d+)$/.exec(own ?? "");
  if (counted === null) throw new Error(`unexpected output: ${stdout}`);
  return {
    numGC: Number(counted[1]),
    forced: Number(counted[2]),
    summary: JSON.parse(rest.join("\n")) as RunSummary,
  };
}

describe.runIf(hasGo())("tricolor run", () => {
  const dir = mkdtempSync(join(tmpdir(), "tricolor-run-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const main = join(dir, "main.go");
  writeFileSync(main, program);
  const env = { GODEBUG: "", GOFLAGS: "" };

  it("summarises a binary's GC as it runs and keeps its exit code", async () => {
    const binary = join(dir, "prog");
    const build = spawnSync("go", ["build", "-o", binary, main], { encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const log = join(dir, "gc.log");
    const result = await runCli(["run", "--progress", "--json", "--log", log, "--", binary], {
      env,
    });
    expect(result.code).toBe(3);
    const { numGC, forced, summary } = parseRun(result.stdout);
    expect(summary.exitCode).toBe(3);
    expect(summary.gc.cycles).toBe(numGC);
    expect(summary.gc.forcedCycles).toBe(forced);
    expect(summary.lastCycle.cycle).toBe(numGC);
    expect(summary.gc.pauses.count).toBe(numGC);
    // The program's own stderr passes through; trace lines do not, and the
    // live summary (forced on by --progress) printed one line per cycle.
    const stderr = result.stderr.split("\n");
    expect(stderr).toContain("app: a line of the program's own stderr");
    expect(stderr.some((line) => line.includes("ms clock"))).toBe(false);
    expect(stderr.filter((line) => /^gc \d+ @\S+s {2}GC CPU/.test(line))).toHaveLength(numGC);
  });

  it("keeps the go command's own collections out of `go run`", async () => {
    const result = await runCli(["run", "--json", "--", "go", "run", main], { env });
    // go run reports the program's exit status 3 and exits with 1 itself.
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("exit status 3");
    const { numGC, summary } = parseRun(result.stdout);
    expect(summary.gc.cycles).toBe(numGC);
  });

  it("passes a signal on to the program and still prints the summary", async () => {
    const forever = join(dir, "forever.go");
    writeFileSync(
      forever,
      "package main\n\nvar sink [][]byte\n\nfunc main() {\n\tfor {\n\t\tsink = append(sink, make([]byte, 64<<10))\n\t\tif len(sink) > 40 {\n\t\t\tsink = sink[:0]\n\t\t}\n\t}\n}\n",
    );
    const binary = join(dir, "forever");
    const build = spawnSync("go", ["build", "-o", binary, forever], { encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const child = startCli(["run", "--progress", "--", binary], env);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    // Signal once the first cycle has been summarised: the program is running.
    let signalled = false;
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (!signalled && stderr.includes("gc 1 @")) {
        signalled = true;
        child.kill("SIGTERM");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(128 + 15);
    expect(stdout).toMatch(/^GC cycles +\d+ \(0 forced\)/m);
  });

  it("reports a program that cannot be started in one line", async () => {
    const result = await runCli(["run", "--", "./no-such-program-here"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("tricolor: ./no-such-program-here: command not found\n");
  });
});

import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readFacts } from "../../fixtures/fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));

it("summarises the bundled allocs profile", () => {
  const out = execFileSync(
    process.execPath,
    ["--conditions=@tricolor/source", "--import", "tsx", join(here, "main.ts")],
    { cwd: join(here, "..", ".."), encoding: "utf8" },
  );
  expect(out).toMatch(
    /^sample types: alloc_objects\/count, alloc_space\/bytes, inuse_objects\/count, inuse_space\/bytes$/m,
  );
  expect(out).toMatch(/^\d+ samples, \d+ locations, \d+ functions, \d+ mappings$/m);
  expect(out).toContain("pproffix.allocKnown");
  // The fixture program keeps knownInuseObjects objects of knownAllocSize bytes
  // alive from allocKnown, so at least that much is in use.
  const facts = readFacts<{ knownInuseObjects: number; knownAllocSize: number }>(
    "go1.26.8",
    "pprof/allocs.pb.gz",
  );
  const total = Number(/^total inuse_space: (\d+) bytes$/m.exec(out)?.[1]);
  expect(total).toBeGreaterThanOrEqual(facts.knownInuseObjects * facts.knownAllocSize);
  expect(out).toMatch(/^re-encoded: \d+ bytes, stable: true$/m);
  expect(out).toMatch(/^ {2}PeriodType: space bytes$/m);
  expect(out).toMatch(/^time_nanos: \d{19} /m);
});

it("reads a goroutine dump and names bad input in one line", () => {
  const run = (file: string) =>
    spawnSync(
      process.execPath,
      ["--conditions=@tricolor/source", "--import", "tsx", join(here, "main.ts"), file],
      { cwd: join(here, "..", ".."), encoding: "utf8" },
    );
  const dump = run("fixtures/go1.26.8/pprof/goroutine.debug2.txt");
  expect(dump.status).toBe(0);
  expect(dump.stdout).toMatch(/^sample types: goroutine\/count$/m);
  const bad = run("README.md");
  expect(bad.status).toBe(1);
  expect(bad.stderr.trim()).toMatch(/^README\.md: not a profile: .*\(at line \d+\)$/);
  expect(bad.stderr).not.toContain("    at ");
});

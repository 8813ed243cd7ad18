import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readFacts, type TraceFacts } from "../../fixtures/fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));

it("summarises the bundled gctrace log", () => {
  const out = execFileSync(
    process.execPath,
    ["--conditions=@tricolor/source", "--import", "tsx", join(here, "main.ts")],
    { cwd: join(here, "..", ".."), encoding: "utf8" },
  );
  const facts = readFacts<TraceFacts>("go1.26.8", "trace/gctrace-1-gcpacertrace-1.log");
  // One gc line per cycle the program counted, none missing.
  expect(out).toContain(`  gc: ${facts.numGC}\n`);
  expect(out).toContain(`gc cycles: ${facts.numGC} (forced: ${facts.numForcedGC}, missing: 0)`);
  expect(out).toContain(`  pacer/assist: ${facts.numGC}\n`);
  // The workload splits its own lines around forced GCs; those get repaired.
  expect(Number(/^repaired split lines: (\d+)$/m.exec(out)?.[1])).toBeGreaterThan(0);
  expect(out).toMatch(/^ {4}program text: "app: step "$/m);
  expect(out).toContain(`program said: ${facts.doneLine}`);
  expect(out).toMatch(/^stop-the-world pauses: total \d+\.\d{3} ms, p50 [\d.]+ ms/m);
});

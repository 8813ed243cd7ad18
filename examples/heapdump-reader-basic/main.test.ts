import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { readFacts, type StructuresFacts } from "../../fixtures/fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));

it("summarises the bundled heap dump", () => {
  const out = execFileSync(
    process.execPath,
    ["--conditions=@tricolor/source", "--import", "tsx", join(here, "main.ts")],
    { cwd: join(here, "..", ".."), encoding: "utf8" },
  );
  const facts = readFacts<StructuresFacts>("go1.26.8", "heap/structures.dump.gz");
  expect(out).toMatch(/^go1\.26\.8 amd64, 8-byte pointers, \d+ bytes$/m);
  // The live object count equals the dump's own MemStats.HeapObjects.
  const m = /^objects: (\d+) \(MemStats\.HeapObjects: (\d+)\)/m.exec(out);
  expect(m?.[1]).toBe(m?.[2]);
  expect(Number(/^goroutines: (\d+)$/m.exec(out)?.[1])).toBeGreaterThanOrEqual(
    facts.goroutines.numGoroutine,
  );
  expect(out).toMatch(/^ {2}\d+ waiting \(chan receive\)$/m);
  expect(out).toMatch(/^ {2}bss: \d+ \(\d+ into the heap\)$/m);
  expect(out).toContain(facts.allocators.list);
  expect(out).toMatch(/^lookupObject\(0x[0-9a-f]+\) = 0$/m);
});

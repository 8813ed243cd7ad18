import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));

it("runs on the bundled fixture and reports live, garbage, marker and retainers", () => {
  const out = execFileSync(
    process.execPath,
    ["--conditions=@tricolor/source", "--import", "tsx", join(here, "main.ts")],
    { cwd: join(here, "..", ".."), encoding: "utf8" },
  );
  expect(out).toMatch(/^go1\.26\.8: \d+ objects, \d+ pointers, \d+ roots$/m);
  // The fixture program drops 32 objects of 48 bytes plus two finalized ones.
  const garbage = /^garbage: (\d+) objects, (\d+) bytes$/m.exec(out);
  expect(Number(garbage?.[1])).toBeGreaterThanOrEqual(32);
  const live = Number(/^live: +(\d+) objects/m.exec(out)?.[1]);
  // the marker blackens exactly the live objects
  expect(out).toMatch(new RegExp(`; ${live} objects black$`, "m"));
  expect(out).toMatch(/^path: +\w[\w-]* root "/m);
  expect(out).toContain("heapfix."); // allocation sites name the fixture's functions
});

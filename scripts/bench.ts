// Runs every benchmark under bench/<area>/run.ts, one after another, each in
// its own process so that peak-RSS figures do not leak between areas.
//   pnpm bench                 all areas
//   pnpm bench heapdump pprof  only these areas
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const benchDir = join(root, "bench");
const wanted = process.argv.slice(2);
const areas = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(benchDir, d.name, "run.ts")))
  .map((d) => d.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

if (areas.length === 0) {
  console.error(`bench: no benchmark matches ${wanted.join(", ") || "(any)"}`);
  process.exit(1);
}

let failed = 0;
for (const area of areas) {
  console.log(`\n=== bench/${area} ===`);
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@tricolor/source", join(benchDir, area, "run.ts")],
    { cwd: root, stdio: "inherit" },
  );
  if (r.status !== 0) {
    failed++;
    console.error(`bench/${area} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);

#!/usr/bin/env node
// The `tricolor` bin: runs src/main.ts through tsx's loader in a child Node
// process so that the `@tricolor/source` export condition is active (Node only
// honours --conditions given at start-up) and the workspace packages are used
// straight from their sources, without a build step.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const loader = pathToFileURL(require.resolve("tsx")).href;
const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));

const child = spawn(
  process.execPath,
  ["--conditions=@tricolor/source", "--import", loader, main, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
// The terminal delivers Ctrl-C to the whole process group; the child decides.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => {});
child.on("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});

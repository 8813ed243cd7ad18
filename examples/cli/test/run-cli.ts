/**
 * Test helper: runs the CLI as a child process exactly as `pnpm tricolor`
 * does (tsx loader + the `@tricolor/source` condition) and captures its
 * output and exit code.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const loader = pathToFileURL(require.resolve("tsx")).href;

/** Absolute path of the CLI entry point. */
export const mainPath = fileURLToPath(new URL("../src/main.ts", import.meta.url));

/** The repository root, so tests can pass paths relative to it. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** What a CLI run produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `tricolor <args>` without waiting for it (for tests that signal it). */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(
    process.execPath,
    ["--conditions=@tricolor/source", "--import", loader, mainPath, ...args],
    {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

/** Runs `tricolor <args>` with the repository root as working directory. */
export function runCli(
  args: readonly string[],
  options: { stdin?: string | Uint8Array; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--conditions=@tricolor/source", "--import", loader, mainPath, ...args],
      {
        cwd: options.cwd ?? repoRoot,
        env: { ...process.env, NO_COLOR: "1", ...options.env },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

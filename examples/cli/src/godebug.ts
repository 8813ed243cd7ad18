/**
 * GODEBUG handling for `tricolor run`: the trace settings are merged into
 * whatever GODEBUG the user already has, and `go run` gets them only for the
 * program it builds (through `-exec env GODEBUG=...`), not for the go command
 * and the compiler, whose own GC cycles would otherwise be mixed into the
 * trace.
 */

/** The settings `tricolor run` turns on (runtime/extern.go documents them). */
export const traceSettings: readonly (readonly [string, string])[] = [
  ["gctrace", "1"],
  ["gcpacertrace", "1"],
];

/**
 * Merges the trace settings into a GODEBUG value. Settings the user already
 * gave keep the user's value (`gctrace=2` stays 2); order is preserved.
 */
export function mergeGodebug(existing: string | undefined): string {
  const parts = (existing ?? "").split(",").filter((part) => part.trim() !== "");
  const keys = new Set(parts.map((part) => part.split("=", 1)[0]!.trim()));
  for (const [key, value] of traceSettings) {
    if (!keys.has(key)) parts.push(`${key}=${value}`);
  }
  return parts.join(",");
}

/** The command line and environment `tricolor run` starts. */
export interface RunPlan {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** True when the settings travel through `go run -exec` rather than the environment. */
  viaExec: boolean;
}

/**
 * Plans the child process for `tricolor run -- <program...>`. `go run ...`
 * without its own `-exec` is rewritten to `go run -exec "env GODEBUG=..."`;
 * anything else gets GODEBUG in its environment.
 */
export function planRun(program: readonly string[], env: NodeJS.ProcessEnv): RunPlan {
  const [command, ...args] = program;
  if (command === undefined) throw new Error("no program given");
  const godebug = mergeGodebug(env.GODEBUG);
  const isGoRun = /(^|\/)go$/.test(command) && args[0] === "run";
  const hasExec = args.some((arg) => /^--?exec(=|$)/.test(arg));
  if (isGoRun && !hasExec && !godebug.includes(" ")) {
    return {
      command,
      args: ["run", "-exec", `env GODEBUG=${godebug}`, ...args.slice(1)],
      env: { ...env },
      viaExec: true,
    };
  }
  return { command, args, env: { ...env, GODEBUG: godebug }, viaExec: false };
}

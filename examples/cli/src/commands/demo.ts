/**
 * `tricolor demo` (`pnpm demo` at the repository root): runs `heap`, `mark`,
 * `gctrace` and `pprof top` on the real fixtures bundled in `fixtures/`,
 * picking the directory of the installed Go version, or the newest one.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { type Command, parseCommandArgs } from "../command.js";
import { CliError, formatError } from "../errors.js";

const fixturesRoot = fileURLToPath(new URL("../../../../fixtures/", import.meta.url));

function versionKey(version: string): number[] {
  return (/^go(\d+)\.(\d+)(?:\.(\d+))?/.exec(version) ?? []).slice(1).map((x) => Number(x ?? 0));
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [versionKey(a), versionKey(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

function installedGoVersion(): string | undefined {
  try {
    const out = execFileSync("go", ["env", "GOVERSION"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    });
    return out.trim().split(" ")[0];
  } catch {
    return undefined;
  }
}

/** The fixture version directory the demo uses: the installed Go's, else the newest. */
export function demoVersion(): string {
  const present = existsSync(fixturesRoot)
    ? readdirSync(fixturesRoot).filter(
        (d) => /^go\d+\.\d+/.test(d) && existsSync(join(fixturesRoot, d, "heap")),
      )
    : [];
  if (present.length === 0) {
    throw new CliError("no fixtures found (run `pnpm fixtures` to generate them)", {
      file: fixturesRoot,
    });
  }
  const installed = installedGoVersion();
  if (installed !== undefined && present.includes(installed)) return installed;
  return present.sort(compareVersions).at(-1)!;
}

export const demoCommand: Command = {
  words: ["demo"],
  summary: "run heap, mark, gctrace and pprof top on the bundled real fixtures",
  usage: "demo",
  description:
    "Uses fixtures/<go version>/ for the installed Go version when present, else the\nnewest version there.",
  options: {},
  args: { min: 0, max: 0 },
  async run(_args, io) {
    const version = demoVersion();
    const dir = join(fixturesRoot, version);
    const show = (rel: string): string => relative(process.cwd(), join(dir, rel)) || rel;
    const steps: string[][] = [
      ["heap", show("heap/structures.dump.gz"), "--top", "5"],
      ["mark", show("heap/structures.dump.gz")],
      ["gctrace", show("trace/gctrace-1-gcpacertrace-1.log"), "--cycles", "5"],
      ["pprof", "top", show("pprof/cpu.pb.gz")],
    ];
    const { commands } = await import("./index.js");
    io.stdout.write(`tricolor demo on the real ${version} fixtures in ${show("")}\n`);
    // Every step runs even if one fails; a failure is reported in the usual
    // one-line form where its output would be, and the demo then exits 1.
    let failed = 0;
    for (const argv of steps) {
      io.stdout.write(`\n$ tricolor ${argv.join(" ")}\n\n`);
      const command = commands
        .filter((c) => c.words.every((w, i) => argv[i] === w))
        .sort((a, b) => b.words.length - a.words.length)[0]!;
      try {
        const code = await command.run(
          parseCommandArgs(command, argv.slice(command.words.length)),
          io,
        );
        if (code !== undefined && code !== 0) failed++;
      } catch (error) {
        io.stderr.write(`${formatError(error)}\n`);
        failed++;
      }
    }
    return failed === 0 ? 0 : 1;
  },
};

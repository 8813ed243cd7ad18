/**
 * Entry point of the `tricolor` command. Run it from the repository root with
 * `pnpm tricolor <command> ...` or through the package's bin.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Command, formatHelp, type Io, parseCommandArgs } from "./command.js";
import { commands } from "./commands/index.js";
import { CliError, formatError, UsageError } from "./errors.js";

function overview(): string {
  const width = Math.max(...commands.map((c) => c.words.join(" ").length));
  const lines = [
    "usage: tricolor <command> [options] [arguments]",
    "",
    "Read what the Go runtime tells about itself: heap dumps, tri-color marking,",
    "GODEBUG gctrace output and pprof profiles.",
    "",
    "commands:",
    ...commands.map((c) => `  ${c.words.join(" ").padEnd(width)}  ${c.summary}`),
    "",
    "Run `tricolor <command> --help` for the options of a command.",
    "Errors are printed as one line, `tricolor: <file>:<offset|line>: <message>`, with",
    "exit code 1: the number is a byte offset in binary inputs (heap dumps, pprof",
    "protobufs) and a line number in text inputs. `--debug` adds the stack trace.",
  ];
  return `${lines.join("\n")}\n`;
}

/** Picks the command whose words match the longest prefix of `argv`. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const command of commands) {
    const matches = command.words.every((word, i) => argv[i] === word);
    if (matches && (best === undefined || command.words.length > best.words.length)) {
      best = command;
    }
  }
  return best === undefined ? undefined : { command: best, rest: argv.slice(best.words.length) };
}

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns
 * the exit code. Never throws: errors become the one-line message on stderr.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const ownArgs = argv.includes("--") ? argv.slice(0, argv.indexOf("--")) : argv;
  const debug = ownArgs.includes("--debug");
  try {
    const first = argv[0];
    if (first === undefined || first === "help" || first === "--help" || first === "-h") {
      const topic = first === "help" ? findCommand(argv.slice(1)) : undefined;
      io.stdout.write(topic === undefined ? overview() : formatHelp(topic.command));
      return first === undefined ? 1 : 0;
    }
    const found = findCommand(argv);
    if (found === undefined) {
      // A group word such as `pprof`: list its commands, or name the bad one.
      const group = commands.filter((c) => c.words.length > 1 && c.words[0] === first);
      if (group.length > 0) {
        const second = argv[1];
        if (second === undefined || second === "--help" || second === "-h") {
          const width = Math.max(...group.map((c) => c.words.join(" ").length));
          io.stdout.write(
            `usage: tricolor ${first} <${group.map((c) => c.words[1]).join("|")}> [options] [arguments]\n\n` +
              `${group.map((c) => `  ${c.words.join(" ").padEnd(width)}  ${c.summary}`).join("\n")}\n\n` +
              `Run \`tricolor ${first} <command> --help\` for the options of a command.\n`,
          );
          return second === undefined ? 1 : 0;
        }
        throw new UsageError(
          `unknown ${first} command "${second}" (one of: ${group.map((c) => c.words[1]).join(", ")})`,
        );
      }
      throw new UsageError(`unknown command "${first}" (run \`tricolor --help\` for the list)`);
    }
    const args = parseCommandArgs(found.command, found.rest);
    if (args.values.help === true) {
      io.stdout.write(formatHelp(found.command));
      return 0;
    }
    return (await found.command.run(args, io)) ?? 0;
  } catch (error) {
    let line = formatError(error);
    if (error instanceof UsageError && !line.includes("--help")) {
      const found = findCommand(argv);
      const name = found === undefined ? "" : ` ${found.command.words.join(" ")}`;
      line += ` (see \`tricolor${name} --help\`)`;
    }
    io.stderr.write(`${line}\n`);
    if (debug) {
      const stack = error instanceof CliError && error.cause !== undefined ? error.cause : error;
      io.stderr.write(
        `${stack instanceof Error ? (stack.stack ?? stack.message) : String(stack)}\n`,
      );
    }
    return 1;
  }
}

async function runAsScript(): Promise<void> {
  // `tricolor heap x.dump | head` closes the pipe early: stop quietly.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
  process.exitCode = code;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await runAsScript();

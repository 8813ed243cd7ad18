/**
 * The command model: each `tricolor` (sub)command declares its options with
 * help text, and {@link parseCommandArgs} turns argv into typed values with
 * `node:util` parseArgs (strict: unknown options are usage errors).
 */
import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";

/** One option of a command. */
export interface OptionSpec {
  type: "boolean" | "string";
  short?: string;
  /** Placeholder shown in help for string options, e.g. `N`. */
  value?: string;
  /** One line of help. */
  help: string;
  /** Default for string options, shown in help. */
  default?: string;
}

/** Options every command accepts. */
export const globalOptions: Readonly<Record<string, OptionSpec>> = {
  help: { type: "boolean", short: "h", help: "show this help" },
  debug: { type: "boolean", help: "print the stack trace of errors" },
};

/** Parsed command line of one command. */
export interface ParsedArgs {
  /** Positional arguments after the command words. */
  positionals: string[];
  /** Option values by long name (booleans or strings). */
  values: Record<string, string | boolean | undefined>;
  /** Arguments after a literal `--` (for `tricolor run`). */
  rest: string[];
}

/** Where a command writes. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** A `tricolor` command. */
export interface Command {
  /** Words that select it, e.g. `["heap", "path"]`. */
  words: readonly string[];
  /** One line for the command list. */
  summary: string;
  /** Usage line(s) without the leading `tricolor `. */
  usage: string;
  /** Longer explanation printed by `--help`. */
  description?: string;
  options: Record<string, OptionSpec>;
  /** Number of positional arguments accepted. */
  args: { min: number; max: number };
  /** Runs the command; the returned number is the exit code (default 0). */
  run(args: ParsedArgs, io: Io): Promise<number | undefined>;
}

/** Parses `argv` (the words after the command words) for `command`. */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedArgs {
  const dashdash = argv.indexOf("--");
  const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
  const rest = dashdash === -1 ? [] : argv.slice(dashdash + 1);
  const options = { ...globalOptions, ...command.options };
  const config: Record<string, { type: "boolean" | "string"; short?: string }> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] =
      spec.short === undefined ? { type: spec.type } : { type: spec.type, short: spec.short };
  }
  // `--top -3`: parseArgs would take "-3" for an option; hand it over as the
  // value so that the option's own check reports it.
  const words: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const w = own[i] as string;
    const next = own[i + 1];
    const name = w.startsWith("--") ? w.slice(2) : undefined;
    if (
      name !== undefined &&
      config[name]?.type === "string" &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      words.push(`${w}=${next}`);
      i++;
    } else words.push(w);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: words, options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command.words.join(" ")}: ${usageMessage(error)}`);
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(options)) {
    const value = parsed.values[name];
    values[name] = typeof value === "string" || typeof value === "boolean" ? value : spec.default;
  }
  if (values.help === true) return { positionals: parsed.positionals, values, rest };
  const count = parsed.positionals.length;
  if (count < command.args.min || count > command.args.max) {
    const wanted =
      command.args.min === command.args.max
        ? `${command.args.min}`
        : `${command.args.min} to ${command.args.max}`;
    throw new UsageError(
      `${command.words.join(" ")}: expected ${wanted} argument${command.args.max === 1 ? "" : "s"}, got ${count}`,
    );
  }
  return { positionals: parsed.positionals, values, rest };
}

function usageMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // parseArgs messages end with advice about "--" that does not apply here.
  return message.split(". To specify")[0]!.split("\n")[0]!;
}

/** Reads an integer option (`--top 20`), rejecting anything else. */
export function intOption(args: ParsedArgs, name: string, fallback: number): number {
  const value = args.values[name];
  if (value === undefined || typeof value === "boolean") return fallback;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${name}: expected a whole number, got "${value}"`);
  return Number(value);
}

/** The help text of one command. */
export function formatHelp(command: Command): string {
  const lines = [`usage: tricolor ${command.usage}`, "", command.summary];
  if (command.description !== undefined) lines.push("", command.description);
  const options = { ...command.options, ...globalOptions };
  const rows = Object.entries(options).map(([name, spec]) => {
    const short = spec.short === undefined ? "    " : `-${spec.short}, `;
    const value = spec.type === "string" ? ` ${spec.value ?? "VALUE"}` : "";
    const fallback = spec.default === undefined ? "" : ` (default ${spec.default})`;
    return [`  ${short}--${name}${value}`, `${spec.help}${fallback}`] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  lines.push("", "options:");
  for (const [flag, help] of rows) lines.push(`${flag.padEnd(width)}  ${help}`);
  return `${lines.join("\n")}\n`;
}

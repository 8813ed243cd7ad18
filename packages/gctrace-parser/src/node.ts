/**
 * Node-only helpers of `@tricolor/gctrace-parser`: run a Go program (or any command)
 * with GODEBUG trace settings and stream the parsed events as they arrive.
 *
 * @example
 * ```ts
 * import { runTraced } from "@tricolor/gctrace-parser/node";
 * const run = runTraced("./server", [], { godebug: { gctrace: 1, schedtrace: 1000 } });
 * for await (const ev of run) if (ev.kind === "gc") console.log(ev.cycle, ev.heapLiveMB);
 * console.log(await run.wait());
 * ```
 *
 * @packageDocumentation
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Writable } from "node:stream";
import { GcTraceError, GcTraceErrorCode } from "./errors.js";
import type { GcTraceEvent } from "./events.js";
import { parseGcTraceStreamBatches } from "./parse.js";
import type { GcTraceDiagnostic, GcTraceParseOptions } from "./parser.js";

/** GODEBUG settings: a `k=v,k=v` string or an object of values. */
export type GodebugSettings = string | Record<string, string | number | boolean>;

/** Options of {@link runTraced}. */
export interface RunTracedOptions extends GcTraceParseOptions {
  /** Settings merged into the child's `GODEBUG` (they override keys already there). */
  godebug?: GodebugSettings;
  /** Base environment (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Working directory of the child. */
  cwd?: string;
  /** Where the child's stdout goes (default `process.stdout`; `null` discards it). */
  stdout?: Writable | null;
  /**
   * Where the program's own stderr lines (`other` events) are written back, each with
   * a newline (default `process.stderr`; `null` discards them).
   */
  stderr?: Writable | null;
  /** Called for every event, in order, before the iterator yields it. */
  onEvent?: (event: GcTraceEvent) => void;
  /** Kills the child when aborted. */
  signal?: AbortSignal;
}

/** How a traced run ended. */
export interface RunTracedResult {
  /** Exit code, or `null` when the child was killed by a signal. */
  exitCode: number | null;
  /** Signal that ended the child, if any. */
  signal: NodeJS.Signals | null;
  /** Number of events parsed. */
  events: number;
  /** Parser diagnostics. */
  diagnostics: GcTraceDiagnostic[];
}

const KEY = /^[A-Za-z0-9_.]+$/;
const VALUE = /^[^,=\s]*$/;

function parseGodebug(s: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of s.split(",")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    out.push(eq < 0 ? [part.trim(), ""] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return out;
}

/**
 * Merges GODEBUG settings: keys in `settings` replace the same keys of `existing`,
 * others are kept in order. Throws a {@link GcTraceError} for malformed settings.
 *
 * @example
 * ```ts
 * mergeGodebug("madvdontneed=1,gctrace=0", { gctrace: 1 }); // "madvdontneed=1,gctrace=1"
 * ```
 */
export function mergeGodebug(existing: string | undefined, settings: GodebugSettings): string {
  const add: [string, string][] =
    typeof settings === "string"
      ? parseGodebug(settings)
      : Object.entries(settings).map(([k, v]) => [
          k,
          typeof v === "boolean" ? (v ? "1" : "0") : String(v),
        ]);
  for (const [k, v] of add) {
    if (!KEY.test(k) || !VALUE.test(v)) {
      throw new GcTraceError(
        GcTraceErrorCode.InvalidOption,
        `invalid GODEBUG setting ${JSON.stringify(`${k}=${v}`)}`,
      );
    }
  }
  const merged = new Map<string, string>(parseGodebug(existing ?? ""));
  for (const [k, v] of add) {
    merged.delete(k);
    merged.set(k, v);
  }
  return [...merged].map(([k, v]) => `${k}=${v}`).join(",");
}

/**
 * A running traced command. Iterate it for events (pulled as the child writes them),
 * and/or `await run.wait()` for the end; `wait()` drains the events itself when
 * nobody iterates (use `onEvent` to see them then).
 */
export class TracedRun implements AsyncIterable<GcTraceEvent> {
  /** The child process. */
  readonly child: ChildProcess;
  private readonly options: RunTracedOptions;
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private started = false;
  private count = 0;
  private diagnostics: GcTraceDiagnostic[] = [];
  private drained: Promise<void> | undefined;
  private finish: (() => void) | undefined;
  private fail: ((e: unknown) => void) | undefined;

  constructor(child: ChildProcess, options: RunTracedOptions) {
    this.child = child;
    this.options = options;
    this.exit = new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => resolve({ code, signal }));
    });
    // Keep an early spawn error from becoming an unhandled rejection; wait() reports it.
    this.exit.catch(() => {});
  }

  [Symbol.asyncIterator](): AsyncIterator<GcTraceEvent> {
    if (this.started) {
      throw new GcTraceError(
        GcTraceErrorCode.InvalidInput,
        "a TracedRun can be iterated only once",
      );
    }
    this.started = true;
    this.drained = new Promise((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    this.drained.catch(() => {});
    return this.pump();
  }

  private async *pump(): AsyncGenerator<GcTraceEvent, void, undefined> {
    const stderr = this.child.stderr;
    if (stderr === null)
      throw new GcTraceError(GcTraceErrorCode.InvalidInput, "child has no stderr pipe");
    const sink = this.options.stderr === undefined ? process.stderr : this.options.stderr;
    try {
      const it = parseGcTraceStreamBatches(stderr, this.options);
      for (;;) {
        const r = await it.next();
        if (r.done === true) {
          this.diagnostics = r.value;
          break;
        }
        for (const ev of r.value) {
          this.count++;
          if (ev.kind === "other" && sink !== null) sink.write(`${ev.text}\n`);
          this.options.onEvent?.(ev);
          yield ev;
        }
      }
      this.finish?.();
    } catch (e) {
      this.fail?.(e);
      throw e;
    }
  }

  /** Waits for the child to exit and its stderr to be fully parsed. */
  async wait(): Promise<RunTracedResult> {
    if (!this.started) {
      for await (const _ of this) {
        // drained for onEvent / pass-through
      }
    }
    await this.drained;
    const { code, signal } = await this.exit;
    return { exitCode: code, signal, events: this.count, diagnostics: this.diagnostics };
  }
}

/**
 * Runs `command` with `GODEBUG` merged into its environment and parses its stderr.
 * The program's stdout and its own stderr lines are passed through (see
 * {@link RunTracedOptions.stdout} and {@link RunTracedOptions.stderr}).
 */
export function runTraced(
  command: string,
  args: readonly string[] = [],
  options: RunTracedOptions = {},
): TracedRun {
  if (typeof command !== "string" || command === "") {
    throw new GcTraceError(GcTraceErrorCode.InvalidOption, "command must be a non-empty string");
  }
  const base = options.env ?? process.env;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  if (options.godebug !== undefined) env.GODEBUG = mergeGodebug(env.GODEBUG, options.godebug);
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const out = options.stdout === undefined ? process.stdout : options.stdout;
  if (child.stdout !== null) {
    if (out === null) child.stdout.resume();
    else child.stdout.pipe(out, { end: false });
  }
  return new TracedRun(child, options);
}

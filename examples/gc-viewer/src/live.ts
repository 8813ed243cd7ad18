import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { GcTraceEvent } from "@tricolor/gctrace-parser";
import { runTraced, type TracedRun } from "@tricolor/gctrace-parser/node";

/** Settings of a live run of the demo workload. */
export interface LiveOptions {
  /** Objects in gcload's rolling live window. */
  readonly live: number;
  /** GOGC of the workload. */
  readonly gogc: number;
  /** Seconds between automatic heap dumps (0: only on request). */
  readonly dumpEverySeconds: number;
}

/** What the server streams to the page (one SSE message each). */
export type LiveMessage =
  | { readonly type: "status"; readonly state: string; readonly detail?: string }
  | { readonly type: "trace"; readonly event: GcTraceEvent }
  | { readonly type: "dump"; readonly name: string; readonly url: string; readonly at: number };

/** JSON for an SSE frame: bigints (pacer work counters) become decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

const DUMP_LINE = /^gcload: dump (.+\.dump)$/;

/**
 * Runs `fixtures/gen/cmd/gcload` under `GODEBUG=gctrace=1,gcpacertrace=1`,
 * parses its stderr with `@tricolor/gctrace-parser/node` and fans the events
 * out to listeners. The binary is built once per server into a temp dir (the
 * Go build cache makes later builds quick). gcload writes a heap dump into
 * its dump directory on SIGUSR1 and every `-dump-every`, and prints
 * `gcload: dump <path>` afterwards — that line (an `other` event to the
 * parser) is how the server learns a dump is complete.
 */
export class LiveSession {
  readonly genDir: string;
  readonly work: string;
  private binary: string | undefined;
  private building: Promise<string> | undefined;
  private run: TracedRun | undefined;
  private readonly listeners = new Set<(m: LiveMessage) => void>();
  private state = "idle";
  private startedAt = 0;

  constructor(genDir: string) {
    this.genDir = genDir;
    this.work = mkdtempSync(join(tmpdir(), "tricolor-viewer-"));
  }

  get running(): boolean {
    return this.run !== undefined;
  }

  get dumpDir(): string {
    return join(this.work, "dumps");
  }

  /** Adds a listener; returns its removal function. */
  listen(fn: (m: LiveMessage) => void): () => void {
    this.listeners.add(fn);
    fn({ type: "status", state: this.state });
    return () => this.listeners.delete(fn);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private emit(m: LiveMessage): void {
    if (m.type === "status") this.state = m.state;
    for (const fn of this.listeners) fn(m);
  }

  private build(): Promise<string> {
    if (this.binary !== undefined) return Promise.resolve(this.binary);
    this.building ??= new Promise<string>((resolve, reject) => {
      const out = join(this.work, "gcload");
      // Only the Go toolchain's own variables matter here; GOFLAGS from the
      // caller could, say, force -mod=vendor, so it is dropped.
      const env = { ...process.env, GOFLAGS: "", CGO_ENABLED: "0" };
      execFile(
        "go",
        ["build", "-o", out, "./cmd/gcload"],
        { cwd: this.genDir, env, timeout: 180_000 },
        (err, _stdout, stderr) => {
          if (err) {
            this.building = undefined;
            reject(new Error(`go build gcload failed: ${stderr.trim() || err.message}`));
          } else {
            this.binary = out;
            resolve(out);
          }
        },
      );
    });
    return this.building;
  }

  /** Starts the workload (no-op while running). */
  async start(options: LiveOptions): Promise<void> {
    if (this.run !== undefined) return;
    if (!existsSync(join(this.genDir, "cmd", "gcload"))) {
      this.emit({ type: "status", state: "error", detail: "fixtures/gen/cmd/gcload not found" });
      return;
    }
    this.emit({ type: "status", state: "building" });
    let bin: string;
    try {
      bin = await this.build();
    } catch (e) {
      this.emit({ type: "status", state: "error", detail: (e as Error).message });
      return;
    }
    if (this.run !== undefined) return; // a concurrent start won
    const args = [
      `-live=${options.live}`,
      `-gogc=${options.gogc}`,
      `-dump-dir=${this.dumpDir}`,
      "-keep=8",
      "-tick=1s",
    ];
    if (options.dumpEverySeconds > 0) args.push(`-dump-every=${options.dumpEverySeconds}s`);
    const run = runTraced(bin, args, {
      godebug: { gctrace: 1, gcpacertrace: 1 },
      // GOGC/GOMEMLIMIT from the caller would fight the -gogc flag.
      env: { ...process.env, GOGC: undefined, GOMEMLIMIT: undefined, GOMAXPROCS: "2" },
      stdout: null,
      stderr: null,
    });
    this.run = run;
    this.startedAt = Date.now();
    this.emit({ type: "status", state: "running", detail: `pid ${run.child.pid ?? "?"}` });
    void (async () => {
      try {
        for await (const event of run) {
          if (event.kind === "other") {
            const m = DUMP_LINE.exec(event.text.trim());
            if (m?.[1] !== undefined) {
              const name = basename(m[1]);
              this.emit({
                type: "dump",
                name,
                url: `/api/live/dumps/${encodeURIComponent(name)}`,
                at: (Date.now() - this.startedAt) / 1000,
              });
              continue;
            }
          }
          this.emit({ type: "trace", event });
        }
        const r = await run.wait();
        this.emit({
          type: "status",
          state: "stopped",
          detail: `exit ${r.exitCode ?? r.signal ?? "?"}`,
        });
      } catch (e) {
        this.emit({ type: "status", state: "error", detail: (e as Error).message });
      } finally {
        if (this.run === run) this.run = undefined;
      }
    })();
  }

  /** Asks the workload for a heap dump now (SIGUSR1). */
  requestDump(): boolean {
    const child = this.run?.child;
    if (child === undefined || child.exitCode !== null) return false;
    return child.kill("SIGUSR1");
  }

  /** Stops the workload. */
  stop(): void {
    const child = this.run?.child;
    if (child !== undefined && child.exitCode === null) child.kill("SIGTERM");
  }

  /** Bytes of a dump the workload wrote (only plain `gcload-N.dump` names). */
  readDump(name: string): Uint8Array | undefined {
    if (!/^gcload-\d+\.dump$/.test(name)) return undefined;
    const path = join(this.dumpDir, name);
    if (!existsSync(path)) return undefined;
    return readFileSync(path);
  }

  /** Dumps currently in the dump directory, oldest first. */
  listDumps(): string[] {
    try {
      return readdirSync(this.dumpDir)
        .filter((n) => /^gcload-\d+\.dump$/.test(n))
        .sort();
    } catch {
      return [];
    }
  }

  /** Kills the workload and removes the temp dir. */
  dispose(): void {
    const child = this.run?.child;
    if (child !== undefined && child.exitCode === null) child.kill("SIGKILL");
    rmSync(this.work, { recursive: true, force: true });
  }
}

// Runs the Go side of the differential tests: `test/go/` (a tiny program over
// github.com/google/pprof/profile) and `go tool pprof`. Everything here is
// optional: without a Go toolchain, or when the module cannot be fetched,
// `goReference()` returns undefined and the tests say they are skipped.

import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const goDir = join(here, "go");

/** Repository root. */
export const repoRoot = join(here, "..", "..", "..");
/** The shared public corpus (`<repo>/../shared/corpus`), absent in a fresh clone. */
export const corpusRoot = join(repoRoot, "..", "shared", "corpus");
/** True when the shared corpus is present. */
export const hasCorpus = existsSync(join(corpusRoot, "google-pprof"));

/** The Go reference tools. */
export interface GoReference {
  /** google/pprof Parse + WriteUncompressed of `file`. */
  reencode(file: string): Uint8Array;
  /** google/pprof Parse + Profile.String() of `file`. */
  raw(file: string): string;
  /** `go tool pprof -raw -symbolize=none file` with TZ=UTC. */
  toolRaw(file: string): string;
}

let cached: GoReference | null | undefined;

/** Builds the reference program once per source version; undefined when Go is unavailable. */
export function goReference(): GoReference | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  if (spawnSync("go", ["version"]).status !== 0) return undefined;
  const hash = createHash("sha256");
  for (const f of ["main.go", "go.mod", "go.sum"]) hash.update(readFileSync(join(goDir, f)));
  const bin = join(tmpdir(), `tricolor-pprofref-${hash.digest("hex").slice(0, 12)}`);
  if (!existsSync(bin)) {
    const r = spawnSync("go", ["build", "-o", bin, "."], { cwd: goDir, encoding: "utf8" });
    if (r.status !== 0) {
      console.warn(
        `pprof-proto: cannot build the Go reference, skipping Go comparisons:\n${r.stderr}`,
      );
      return undefined;
    }
  }
  const env = { ...process.env, TZ: "UTC" };
  const opts = { env, maxBuffer: 1 << 30 };
  cached = {
    reencode: (file) => new Uint8Array(execFileSync(bin, ["reencode", file], opts)),
    raw: (file) => execFileSync(bin, ["raw", file], opts).toString("utf8"),
    toolRaw: (file) =>
      execFileSync("go", ["tool", "pprof", "-raw", "-symbolize=none", file], {
        ...opts,
        stdio: ["ignore", "pipe", "ignore"],
      }).toString("utf8"),
  };
  return cached;
}

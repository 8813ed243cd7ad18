import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** One file the server offers (a bundled heap dump or profile, or a live dump). */
export interface ListedFile {
  /** File name, e.g. `structures.dump`. */
  readonly name: string;
  /** Where it came from: a Go version directory, or `live`. */
  readonly source: string;
  /** URL the page fetches it from. */
  readonly url: string;
  /** Size on disk (compressed size for `.gz`). */
  readonly bytes: number;
}

/** Go version directory names ordered oldest first (`go1.9.1` < `go1.26.8` < `go1.27.4`). */
export function sortGoVersions(names: readonly string[]): string[] {
  const key = (v: string): number[] =>
    v
      .replace(/^go/, "")
      .split(".")
      .map((p) => Number(p) || 0);
  return [...names].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
      const d = (ka[i] ?? 0) - (kb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/**
 * The bundled fixtures the viewer serves: heap dumps and pprof profiles of the
 * newest Go version directory under `fixtures/` that has heap dumps.
 */
export class FixtureCatalog {
  readonly root: string;
  readonly version: string | undefined;

  constructor(fixturesRoot: string) {
    this.root = fixturesRoot;
    let versions: string[] = [];
    try {
      versions = readdirSync(fixturesRoot).filter((n) => /^go\d+\.\d+/.test(n));
    } catch {
      // No fixtures directory: the page still works with dropped files.
    }
    this.version = sortGoVersions(versions)
      .reverse()
      .find((v) => this.list(v, "heap", ".dump.gz").length > 0);
  }

  private list(version: string, dir: string, suffix: string): string[] {
    try {
      return readdirSync(join(this.root, version, dir))
        .filter((n) => n.endsWith(suffix))
        .sort();
    } catch {
      return [];
    }
  }

  /** Heap dumps, names without `.gz` (the server gunzips them). */
  dumps(): ListedFile[] {
    const v = this.version;
    if (v === undefined) return [];
    return this.list(v, "heap", ".dump.gz").map((file) => ({
      name: file.slice(0, -3),
      source: v,
      url: `/api/dumps/${v}/${encodeURIComponent(file.slice(0, -3))}`,
      bytes: statSync(join(this.root, v, "heap", file)).size,
    }));
  }

  /** pprof profiles (`*.pb.gz`), served as they are (the page's decoder gunzips). */
  profiles(): ListedFile[] {
    const v = this.version;
    if (v === undefined) return [];
    return this.list(v, "pprof", ".pb.gz").map((file) => ({
      name: file,
      source: v,
      url: `/api/profiles/${v}/${encodeURIComponent(file)}`,
      bytes: statSync(join(this.root, v, "pprof", file)).size,
    }));
  }

  /**
   * Bytes of a listed dump (gunzipped) — only names from the listing are
   * accepted, so a request can never reach outside the fixtures directory.
   */
  readDump(version: string, name: string): Uint8Array | undefined {
    if (version !== this.version) return undefined;
    if (!this.dumps().some((d) => d.name === name)) return undefined;
    return gunzipSync(readFileSync(join(this.root, version, "heap", `${name}.gz`)));
  }

  /** Bytes of a listed profile, as stored. */
  readProfile(version: string, name: string): Uint8Array | undefined {
    if (version !== this.version) return undefined;
    if (!this.profiles().some((d) => d.name === name)) return undefined;
    return readFileSync(join(this.root, version, "pprof", name));
  }
}

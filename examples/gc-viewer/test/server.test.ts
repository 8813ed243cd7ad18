import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { decodeProfile } from "@tricolor/pprof-proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  compareGoVersions,
  fixtureFile,
  fixturesRoot,
  readFixture,
  readFixtureRaw,
} from "../../../fixtures/fixtures.js";
import { sortGoVersions } from "../src/fixtures-api.js";
import { toJson } from "../src/live.js";
import { startViewerServer, type ViewerServer } from "../src/server.js";
import { summarizeProfile } from "../web/pprof-summary.js";

/** The newest fixture version directory that has heap dumps, found without the server's code. */
function newestWithDumps(): string | undefined {
  const versions = readdirSync(fixturesRoot)
    .filter((n) => /^go\d/.test(n))
    .sort(compareGoVersions)
    .reverse();
  return versions.find((v) => {
    const dir = join(fixturesRoot, v, "heap");
    return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith(".dump.gz"));
  });
}

describe("viewer server API", () => {
  let viewer: ViewerServer;
  const version = newestWithDumps() as string;

  beforeAll(async () => {
    viewer = await startViewerServer({ port: 0, dev: true });
  }, 60_000);
  afterAll(async () => {
    await viewer?.close();
  });

  const get = (path: string): Promise<Response> => fetch(new URL(path, viewer.url));

  it("listens on the loopback interface only", () => {
    const addr = viewer.server.address();
    expect(typeof addr === "object" && addr?.address).toBe("127.0.0.1");
  });

  it("lists the newest fixtures' dumps and serves them gunzipped", async () => {
    const body = (await (await get("/api/dumps")).json()) as {
      version: string;
      dumps: { name: string; url: string }[];
    };
    expect(body.version).toBe(version);
    const names = body.dumps.map((d) => d.name);
    expect(names).toContain("structures.dump");
    const expected = readdirSync(join(fixturesRoot, version, "heap"))
      .filter((f) => f.endsWith(".dump.gz"))
      .map((f) => f.slice(0, -3))
      .sort();
    expect(names).toEqual(expected);
    const entry = body.dumps.find((d) => d.name === "structures.dump");
    const res = await get(entry?.url ?? "");
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(
      Buffer.from(bytes).equals(Buffer.from(readFixture(version, "heap/structures.dump.gz"))),
    ).toBe(true);
  });

  it("serves profiles as stored", async () => {
    const res = await get(`/api/profiles/${version}/heap.pb.gz`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.equals(Buffer.from(readFixtureRaw(version, "pprof/heap.pb.gz")))).toBe(true);
  });

  it.each([
    `/api/dumps/${"go1.1.1"}/structures.dump`,
    "/api/dumps/VERSION/..%2F..%2F..%2Fpackage.json",
    "/api/dumps/VERSION/structures.dump.gz",
    "/api/profiles/VERSION/..%2Fheap%2Fstructures.dump.gz",
    "/api/live/dumps/..%2F..%2Fetc%2Fpasswd",
    "/api/live/dumps/gcload-1.dump",
    "/api/nothing",
  ])("refuses %s with a 404", async (path) => {
    const res = await get(path.replace("VERSION", version));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBeTypeOf("string");
  });
});

describe("helpers", () => {
  it("orders Go versions numerically", () => {
    expect(sortGoVersions(["go1.9.1", "go1.27.4", "go1.26.8", "go1.10"])).toEqual([
      "go1.9.1",
      "go1.10",
      "go1.26.8",
      "go1.27.4",
    ]);
  });

  it("writes bigints (pacer work counters) into SSE JSON exactly", () => {
    const v = 2n ** 63n - 1n;
    expect(JSON.parse(toJson({ work: v, n: 1 }))).toEqual({ work: "9223372036854775807", n: 1 });
  });
});

function goAvailable(): boolean {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

// The page's top table against `go tool pprof -top` on the same real profile.
describe.skipIf(!goAvailable())("profile top table vs go tool pprof", () => {
  const version = newestWithDumps() as string;
  it.each([
    ["allocs.pb.gz", "alloc_objects"],
    ["goroutine.pb.gz", "goroutine"],
  ])("%s (%s)", (file, sampleIndex) => {
    const path = fixtureFile(version, `pprof/${file}`);
    const text = execFileSync(
      "go",
      [
        "tool",
        "pprof",
        "-top",
        "-nodefraction=0",
        "-edgefraction=0",
        "-nodecount=100000",
        `-sample_index=${sampleIndex}`,
        path,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    const want = new Map<string, [number, number]>();
    for (const line of text.split("\n")) {
      const m = /^\s*(-?\d+)\s+\S+%\s+\S+%\s+(-?\d+)\s+\S+%\s+(.+)$/.exec(line);
      if (m !== null) want.set(m[3] as string, [Number(m[1]), Number(m[2])]);
    }
    expect(want.size).toBeGreaterThan(0);
    const p = decodeProfile(readFixtureRaw(version, `pprof/${file}`));
    const vi = p.resolvedSampleTypes().findIndex((t) => t.type === sampleIndex);
    const { top } = summarizeProfile(p, vi);
    const got = new Map(top.map((r) => [r.name, [r.flat, r.cum] as [number, number]]));
    expect(got).toEqual(want);
  });
});

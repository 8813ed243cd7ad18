import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { readHeapDump } from "@tricolor/heapdump-reader";
import { buildObjectGraph, summarizeBySizeClass } from "@tricolor/object-graph";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ProfileFacts,
  readFacts,
  readFixture,
  readFixtureRaw,
  type StructuresFacts,
  type TimelineFacts,
} from "../../../fixtures/fixtures.js";
import type { ViewerTestState } from "../web/state.js";
import {
  artifactsDir,
  CHROMIUM,
  hasChromium,
  launchBrowser,
  type RunningServer,
  startServer,
} from "./harness.js";

const chromiumMissing = !hasChromium();
if (chromiumMissing) {
  console.warn(
    `gc-viewer end-to-end tests SKIPPED: ${CHROMIUM} is missing (bash scripts/ensure-chromium.sh installs it)`,
  );
}

function goAvailable(): boolean {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const goMissing = !goAvailable();
if (goMissing && !chromiumMissing) {
  console.warn("gc-viewer live-mode test SKIPPED: no `go` on PATH to build the demo workload");
}

describe.skipIf(chromiumMissing)("gc-viewer in headless chromium", () => {
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let version = "";
  const pageErrors: string[] = [];

  const state = (): Promise<ViewerTestState> => page.evaluate(() => window.__tricolor);

  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    server = await startServer();
    try {
      browser = await launchBrowser();
      page = await browser.context.newPage();
      page.on("pageerror", (e) => pageErrors.push(e.message));
      const listing = (await (await fetch(`${server.url}api/dumps`)).json()) as { version: string };
      version = listing.version;
      await page.goto(server.url);
      await page.waitForFunction(() => window.__tricolor?.heap.loaded === true, null, {
        timeout: 45_000,
      });
    } catch (e) {
      await server.stop();
      throw e;
    }
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    // The server runs in its own process group with the Go workload; after
    // stop() nothing of it may be left.
    expect(server.child.exitCode !== null || server.child.signalCode !== null).toBe(true);
  });

  it("loads the bundled structures dump and draws every object", async () => {
    const s = await state();
    expect(s.heap.name).toBe("structures.dump");
    expect(s.heap.sceneKind).toBe("objects");
    expect(s.heap.nodeCount).toBe(s.heap.objectCount);
    const facts = readFacts<StructuresFacts>(version, "heap/structures.dump.gz");
    // Every address the Go program recorded is an object the page knows.
    for (const a of [...facts.list.nodes, ...facts.garbage.addresses, facts.tree.root]) {
      expect(await page.evaluate((x) => window.__tricolorProbe.colorOf(x), a)).toBe("white");
    }
    expect(s.heap.white).toBe(s.heap.objectCount);
    expect(s.heap.grey + s.heap.black).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("steps the tri-color marker and colours change", async () => {
    const before = await state();
    for (let i = 0; i < 25; i++) await page.click("#mark-step");
    await page.waitForFunction((n) => window.__tricolor.heap.steps === n, before.heap.steps + 25);
    const mid = await state();
    expect(mid.heap.white).toBeLessThan(before.heap.white);
    expect(mid.heap.grey + mid.heap.black).toBeGreaterThan(0);
    expect(mid.heap.white + mid.heap.grey + mid.heap.black).toBe(mid.heap.objectCount);
    // The grey queue strip lists what is grey right now.
    const chips = await page.locator("#grey-items span").count();
    expect(chips).toBe(Math.min(60, mid.heap.grey));
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(artifactsDir, "gc-viewer-marking.png") });

    // Full speed to the end: what the Go program kept is black, its garbage white.
    await page.locator("#mark-speed").fill("100");
    await page.click("#mark-play");
    await page.waitForFunction(() => window.__tricolor.heap.done, null, { timeout: 30_000 });
    const done = await state();
    expect(done.heap.grey).toBe(0);
    const facts = readFacts<StructuresFacts>(version, "heap/structures.dump.gz");
    const colors = await page.evaluate(
      ([live, dead]) => ({
        live: live.map((a) => window.__tricolorProbe.colorOf(a)),
        dead: dead.map((a) => window.__tricolorProbe.colorOf(a)),
      }),
      [
        [...facts.list.nodes, ...facts.tree.nodes.map((n) => n.address), ...facts.slice.elements],
        facts.garbage.addresses,
      ] as const,
    );
    expect(new Set(colors.live)).toEqual(new Set(["black"]));
    expect(new Set(colors.dead)).toEqual(new Set(["white"]));
    await page.screenshot({ path: join(artifactsDir, "gc-viewer-marked.png") });
  });

  it("shows size, retained size and the retainer path of a clicked object", async () => {
    const facts = readFacts<StructuresFacts>(version, "heap/structures.dump.gz");
    const head = facts.list.nodes[0] as string;
    expect(await page.evaluate((a) => window.__tricolorProbe.select(a), head)).toBe(true);
    const sel = (await state()).heap.selected;
    expect(sel?.address).toBe(head);
    expect(sel?.size).toBe(facts.list.nodeSize);
    // The head keeps the whole list alive: it retains all 50 nodes.
    expect(sel?.retained).toBeGreaterThanOrEqual(facts.list.length * facts.list.nodeSize);
    expect(sel?.pathLength).toBeGreaterThanOrEqual(1);
    expect(sel?.hasStack).toBe(true); // MemProfileRate = 1: every workload object was sampled
    const text = (await page.locator("#selection").textContent()) ?? "";
    expect(text).toContain(head);
    expect(text).toContain(facts.allocators.list as string);
    expect(text).toMatch(/retainer path/);
    // A garbage object has no retainer path.
    await page.evaluate(
      (a) => window.__tricolorProbe.select(a),
      facts.garbage.addresses[0] as string,
    );
    expect(await page.locator("#selection").textContent()).toMatch(/garbage/);
  });

  it("selects an object clicked on the canvas", async () => {
    await page.waitForFunction(() => window.__tricolor.heap.layoutAlpha <= 0.004, null, {
      timeout: 20_000,
    });
    const facts = readFacts<StructuresFacts>(version, "heap/structures.dump.gz");
    const k = await page.evaluate((a) => window.__tricolorProbe.nodeOf(a), facts.tree.root);
    expect(k).toBeGreaterThanOrEqual(0);
    const at = await page.evaluate((i) => window.__tricolorProbe.nodeOnPage(i), k);
    expect(at).not.toBeNull();
    await page.mouse.click(at?.x ?? 0, at?.y ?? 0);
    expect((await state()).heap.selected?.address).toBe(facts.tree.root);
    // The root of the 31-node tree retains the whole tree.
    expect((await state()).heap.selected?.retained).toBeGreaterThanOrEqual(
      facts.tree.size * facts.tree.nodeSize,
    );
  });

  it("groups by size class and drills down into a group", async () => {
    const graph = buildObjectGraph(readHeapDump(readFixture(version, "heap/structures.dump.gz")));
    const classes = summarizeBySizeClass(graph);
    await page.selectOption("#group-by", "class");
    await page.waitForFunction(() => window.__tricolor.heap.sceneKind === "groups");
    expect((await state()).heap.nodeCount).toBe(classes.length);
    await page.waitForFunction(() => window.__tricolor.heap.layoutAlpha <= 0.004, null, {
      timeout: 20_000,
    });
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(artifactsDir, "gc-viewer-groups.png") });
    // Group 0 is the class with the most bytes.
    const biggest = [...classes].sort((a, b) => b.bytes - a.bytes)[0];
    const at = await page.evaluate(() => window.__tricolorProbe.nodeOnPage(0));
    await page.mouse.dblclick(at?.x ?? 0, at?.y ?? 0);
    await page.waitForFunction(() => window.__tricolor.heap.sceneKind === "objects");
    expect((await state()).heap.nodeCount).toBe(biggest?.count);
    await page.click("#drill-up");
    await page.waitForFunction(() => window.__tricolor.heap.sceneKind === "groups");
    await page.selectOption("#group-by", "auto");
    await page.waitForFunction(() => window.__tricolor.heap.sceneKind === "objects");
  });

  it("plays the bundled timeline with born/survived matching the program's facts", async () => {
    await page.click("#load-timeline");
    await page.waitForFunction(() => window.__tricolor.heap.timelineLength === 3, null, {
      timeout: 20_000,
    });
    await page.click("#tl-next");
    await page.waitForFunction(() => window.__tricolor.heap.timelineIndex === 1);
    for (const index of [1, 2]) {
      if (index === 2) {
        await page.click("#tl-next");
        await page.waitForFunction(() => window.__tricolor.heap.timelineIndex === 2);
      }
      const facts = readFacts<TimelineFacts>(version, `heap/timeline-${index}.dump.gz`);
      const step = facts.step;
      expect(step).not.toBeNull();
      const got = await page.evaluate(
        ([born, kept]) => ({
          born: born.map((a) => window.__tricolorProbe.diffOf(a)),
          kept: kept.map((a) => window.__tricolorProbe.diffOf(a)),
        }),
        [step?.allocated ?? [], step?.surviving ?? []] as const,
      );
      expect(new Set(got.born)).toEqual(new Set(["born"]));
      expect(new Set(got.kept)).toEqual(new Set(["survived"]));
      const s = await state();
      expect(s.heap.diff?.born).toBeGreaterThanOrEqual(step?.allocated.length ?? 0);
      expect(s.heap.diff?.died).toBeGreaterThanOrEqual(step?.freed.length ?? 0);
    }
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(artifactsDir, "gc-viewer-timeline.png") });
  });

  it("opens a dropped gzipped dump in the browser and reports a broken one with its offset", async () => {
    const gz = readFixtureRaw(version, "heap/timeline-0.dump.gz");
    await page.setInputFiles("#file-input", {
      name: "timeline-0.dump.gz",
      mimeType: "application/gzip",
      buffer: Buffer.from(gz),
    });
    await page.waitForFunction(() => window.__tricolor.heap.name === "timeline-0.dump");
    const facts = readFacts<TimelineFacts>(version, "heap/timeline-0.dump.gz");
    expect(
      await page.evaluate((a) => window.__tricolorProbe.colorOf(a), facts.live[0] as string),
    ).toBe("white");
    // A dump cut in the middle of its records: the reader's typed error, with a byte offset.
    const whole = readFixture(version, "heap/timeline-0.dump.gz");
    await page.setInputFiles("#file-input", {
      name: "cut.dump",
      mimeType: "application/octet-stream",
      buffer: Buffer.from(whole.subarray(0, Math.floor(whole.length / 2))),
    });
    await page.waitForFunction(() => window.__tricolor.errors.length > 0);
    const err = (await page.locator("#error").textContent()) ?? "";
    expect(err).toMatch(/^cut\.dump: [A-Z_]+ at byte \d+/);
    // The previous dump stays on screen.
    expect((await state()).heap.name).toBe("timeline-0.dump");
  });

  it("shows a flame graph and top table for a bundled profile", async () => {
    await page.click('button[data-tab="pprof"]');
    const options = await page.locator("#profile-list option").allTextContents();
    const heapIdx = options.findIndex((o) => o.endsWith("/heap.pb.gz"));
    expect(heapIdx).toBeGreaterThanOrEqual(0);
    await page.selectOption("#profile-list", { index: heapIdx });
    await page.click("#load-profile");
    await page.waitForFunction(() => window.__tricolor.pprof.name.endsWith("heap.pb.gz"));
    const facts = readFacts<ProfileFacts>(version, "pprof/heap.pb.gz");
    const table = (await page.locator("#top-table").textContent()) ?? "";
    for (const fn of facts.functions) expect(table).toContain(fn);
    const s = await state();
    expect(s.pprof.flameNodes).toBeGreaterThan(1);
    await page.screenshot({ path: join(artifactsDir, "gc-viewer-pprof.png") });
  });

  it.skipIf(goMissing)(
    "live mode streams gc events from a running Go program and feeds dumps to the timeline",
    async () => {
      await page.click('button[data-tab="live"]');
      await page.fill("#live-every", "1");
      await page.click("#live-start");
      await page.waitForFunction(
        () => window.__tricolor.live.gcEvents >= 3 && window.__tricolor.live.dumpsLoaded >= 2,
        null,
        { timeout: 120_000 },
      );
      const s = await state();
      expect(s.live.state).toBe("running");
      expect(s.live.pacerEvents).toBeGreaterThan(0); // gcpacertrace=1 is on
      expect(s.live.lastCycle).toBeGreaterThanOrEqual(3);
      await page.screenshot({ path: join(artifactsDir, "gc-viewer-live.png") });
      await page.click('button[data-tab="heap"]');
      const h = await state();
      expect(h.heap.name).toMatch(/^gcload-\d+\.dump$/);
      expect(h.heap.timelineLength).toBeGreaterThanOrEqual(2);
      expect(h.heap.diff).not.toBeNull();
      await page.evaluate(() => fetch("/api/live/stop", { method: "POST" }));
      await page.waitForTimeout(1500);
      await page.screenshot({ path: join(artifactsDir, "gc-viewer-live-heap.png") });
    },
    150_000,
  );
});

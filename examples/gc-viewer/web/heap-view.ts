import {
  Color,
  createMarker,
  diffGraphs,
  type GraphDiff,
  type GreyPolicy,
  type MarkEvent,
  type Marker,
  rootKindName,
  shortestRetainerPath,
} from "@tricolor/object-graph";
import {
  dominatorTree,
  formatBytes,
  groupObjects,
  hex,
  type LoadedDump,
  type ObjectGroup,
} from "./heap-model.js";
import { ForceLayout, layeredPositions } from "./layout.js";
import { testState, type ViewerProbe } from "./state.js";

/** Up to this many objects are drawn one by one in "auto" view. */
const OBJECT_LIMIT = 4000;
/** A drill-down into one group draws at most this many of its objects. */
const DRILL_LIMIT = 5000;

type GroupBy = "auto" | "objects" | "site" | "class";
type ColorMode = "mark" | "diff";

/** What the canvas shows: object nodes or group nodes, with a running layout. */
interface Scene {
  readonly kind: "objects" | "groups";
  /** objects: the ordinal of each node; groups: the group index. */
  readonly ids: Uint32Array;
  /** objects scene: ordinal -> node index, -1 when not drawn. */
  readonly nodeOf: Int32Array | undefined;
  readonly groups: readonly ObjectGroup[];
  readonly edges: Int32Array;
  readonly radius: Float64Array;
  readonly isRoot: Uint8Array;
  readonly layout: ForceLayout;
}

const COLORS = {
  white: "#f4f4f4",
  grey: "#8d939c",
  black: "#050505",
  born: "#4caf50",
  survived: "#5f7896",
  edge: "rgba(200,210,225,0.18)",
  path: "#f0a23b",
};

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`missing #${id}`);
  return e as T;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The heap tab: the object graph of the current dump on a canvas, the
 * tri-color marker driving its colours, the grey queue, the timeline of
 * dumps and the selection panel.
 */
export class HeapView {
  private readonly canvas = el<HTMLCanvasElement>("graph");
  private readonly ctx: CanvasRenderingContext2D;
  private timeline: LoadedDump[] = [];
  private index = -1;
  private marker: Marker | undefined;
  /**
   * The most recently shaded-grey ordinals, a ring buffer: the strip shows
   * those of them still grey. (Copying a set of every grey object each frame
   * would cost O(grey) on heaps with millions of objects.)
   */
  private readonly recentGrey = new Int32Array(256).fill(-1);
  private recentGreyPos = 0;
  /** Group pie counts (white, grey, black or born per group), recomputed at a bounded rate. */
  private pieCache: { key: string; at: number; counts: Int32Array } | undefined;
  private scene: Scene | undefined;
  private diff: GraphDiff | undefined;
  private bornMask: Uint8Array | undefined;
  private ghosts: { x: number; y: number; r: number }[] = [];
  private ghostStart = 0;
  private scale = 1;
  private tx = 0;
  private ty = 0;
  private fitted = false;
  private userMoved = false;
  private selected = -1; // node index
  private pathNodes = new Set<number>();
  private playing = false;
  private stepBudget = 0;
  private lastFrame = 0;
  private groupBy: GroupBy = "auto";
  private colorMode: ColorMode = "mark";
  private drillGroup: ObjectGroup | undefined;
  private policy: GreyPolicy = "span-fifo";
  private timelineTimer: ReturnType<typeof setInterval> | undefined;
  /** Positions by address, carried across timeline frames so the graph animates. */
  private positions = new Map<number, [number, number]>();
  visible = true;

  constructor() {
    const ctx = this.canvas.getContext("2d");
    if (ctx === null) throw new Error("no 2d canvas");
    this.ctx = ctx;
    this.bindControls();
    this.bindCanvas();
    requestAnimationFrame((t) => this.frame(t));
  }

  /** Replaces the timeline with `dumps` and shows dump `show`. */
  setDumps(dumps: LoadedDump[], show = 0): void {
    this.timeline = dumps;
    this.index = -1;
    this.userMoved = false;
    this.positions.clear();
    this.fitted = false;
    this.showIndex(show);
  }

  /** Appends a dump to the timeline (live mode), keeping the last `keep`; shows it. */
  appendDump(d: LoadedDump, keep = 6): void {
    // A live series starts a fresh timeline: diffing it against a bundled
    // dump of another process would be meaningless.
    const series = (x: LoadedDump): string => x.name.replace(/-\d+\.dump$/, "");
    if (this.timeline.some((x) => series(x) !== series(d))) {
      this.timeline = [];
      this.index = -1;
      this.positions.clear();
      this.fitted = false;
    }
    this.timeline.push(d);
    while (this.timeline.length > keep) this.timeline.shift();
    this.showIndex(this.timeline.length - 1);
  }

  private get current(): LoadedDump | undefined {
    return this.timeline[this.index];
  }

  private showIndex(i: number): void {
    if (i < 0 || i >= this.timeline.length) return;
    const prev = this.current;
    const prevScene = this.scene;
    // Remember where every drawn object was, keyed by address.
    if (prev !== undefined && prevScene?.kind === "objects") {
      for (let k = 0; k < prevScene.ids.length; k++) {
        const o = prevScene.ids[k] as number;
        this.positions.set(prev.graph.addresses[o] as number, [
          prevScene.layout.x[k] as number,
          prevScene.layout.y[k] as number,
        ]);
      }
    }
    this.index = i;
    const cur = this.timeline[i] as LoadedDump;
    const before = i > 0 ? this.timeline[i - 1] : undefined;
    this.diff = before !== undefined ? diffGraphs(before.graph, cur.graph) : undefined;
    this.bornMask = undefined;
    if (this.diff !== undefined) {
      this.bornMask = new Uint8Array(cur.graph.objectCount);
      for (const o of this.diff.allocated.ordinals) this.bornMask[o] = 1;
      // Objects that died since the previous dump fade out where they were drawn.
      this.ghosts = [];
      if (before !== undefined) {
        for (const o of this.diff.freed.ordinals) {
          const p = this.positions.get(before.graph.addresses[o] as number);
          if (p !== undefined) this.ghosts.push({ x: p[0], y: p[1], r: 3 });
        }
      }
      this.ghostStart = performance.now();
    }
    if (this.timeline.length > 1 && this.diff !== undefined) this.colorMode = "diff";
    el<HTMLSelectElement>("color-mode").value = this.colorMode;
    this.drillGroup = undefined;
    this.resetMarker();
    this.rebuildScene();
    this.renderTimeline();
    this.renderDumpInfo();
    this.select(-1);
  }

  private resetMarker(): void {
    const cur = this.current;
    this.playing = false;
    el("mark-play").textContent = "▶ Play";
    this.recentGrey.fill(-1);
    this.pieCache = undefined;
    this.marker = undefined;
    if (cur === undefined) return;
    const m = createMarker(cur.graph, { policy: this.policy });
    m.subscribe((ev) => this.onMarkEvent(ev));
    this.marker = m;
  }

  private onMarkEvent(ev: MarkEvent): void {
    if (ev.type === "shade" && ev.color === Color.Grey) {
      this.recentGrey[this.recentGreyPos] = ev.ordinal;
      this.recentGreyPos = (this.recentGreyPos + 1) % this.recentGrey.length;
    }
  }

  private rebuildScene(): void {
    this.pieCache = undefined;
    const cur = this.current;
    if (cur === undefined) return;
    const g = cur.graph;
    const wantGroups =
      this.drillGroup === undefined &&
      (this.groupBy === "site" ||
        this.groupBy === "class" ||
        (this.groupBy === "auto" && g.objectCount > OBJECT_LIMIT));
    el("drill-up").hidden = this.drillGroup === undefined;
    if (wantGroups) {
      this.scene = this.groupScene(cur, groupObjects(g, this.groupBy !== "class"));
    } else {
      let ids: Uint32Array;
      if (this.drillGroup !== undefined) ids = this.drillGroup.members.subarray(0, DRILL_LIMIT);
      else if (g.objectCount > DRILL_LIMIT * 4) {
        // "objects" forced on a huge heap: draw the first objects only.
        ids = new Uint32Array(DRILL_LIMIT * 4).map((_, i) => i);
      } else ids = new Uint32Array(g.objectCount).map((_, i) => i);
      this.scene = this.objectScene(cur, ids);
    }
  }

  private objectScene(cur: LoadedDump, ids: Uint32Array): Scene {
    const g = cur.graph;
    const n = ids.length;
    const nodeOf = new Int32Array(g.objectCount).fill(-1);
    ids.forEach((o, k) => {
      nodeOf[o] = k;
    });
    const edges: number[] = [];
    for (let k = 0; k < n; k++) {
      const o = ids[k] as number;
      for (let e = g.edgeStart[o] as number; e < (g.edgeStart[o + 1] as number); e++) {
        const t = nodeOf[g.edgeTargets[e] as number] as number;
        if (t >= 0 && t !== k) edges.push(k, t);
      }
    }
    const edgeArr = Int32Array.from(edges);
    const isRoot = new Uint8Array(n);
    const roots: number[] = [];
    for (let r = 0; r < g.rootCount; r++) {
      const k = nodeOf[g.rootTargets[r] as number] as number;
      if (k >= 0 && isRoot[k] === 0) {
        isRoot[k] = 1;
        roots.push(k);
      }
    }
    const radius = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      radius[k] = Math.min(14, 2.5 + Math.sqrt(g.sizes[ids[k] as number] as number) / 5);
    }
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const fixed = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const p = this.positions.get(g.addresses[ids[k] as number] as number);
      if (p !== undefined) {
        x[k] = p[0];
        y[k] = p[1];
        fixed[k] = 1;
      }
    }
    layeredPositions(n, edgeArr, roots, x, y, fixed);
    // New objects start next to an already placed retainer, so a timeline
    // step looks like growth rather than a fresh layout.
    let anyFixed = false;
    for (let k = 0; k < n; k++) if (fixed[k] === 1) anyFixed = true;
    if (anyFixed) {
      for (let e = 0; e < edgeArr.length; e += 2) {
        const s = edgeArr[e] as number;
        const t = edgeArr[e + 1] as number;
        if (fixed[s] === 1 && fixed[t] === 0) {
          x[t] = (x[s] as number) + ((t * 37) % 21) - 10;
          y[t] = (y[s] as number) + ((t * 53) % 21) - 10;
          fixed[t] = 2;
        }
      }
    }
    const layout = new ForceLayout(n, edgeArr, x, y);
    if (anyFixed) layout.alpha = 0.35;
    return { kind: "objects", ids, nodeOf, groups: [], edges: edgeArr, radius, isRoot, layout };
  }

  private groupScene(cur: LoadedDump, groups: ObjectGroup[]): Scene {
    const g = cur.graph;
    const n = groups.length;
    const groupOf = new Int32Array(g.objectCount);
    groups.forEach((grp, k) => {
      for (const o of grp.members) groupOf[o] = k;
    });
    const pairs = new Set<number>();
    for (let o = 0; o < g.objectCount; o++) {
      const a = groupOf[o] as number;
      for (let e = g.edgeStart[o] as number; e < (g.edgeStart[o + 1] as number); e++) {
        const b = groupOf[g.edgeTargets[e] as number] as number;
        if (a !== b) pairs.add(a * n + b);
      }
    }
    const edges = new Int32Array(pairs.size * 2);
    let i = 0;
    for (const p of pairs) {
      edges[i++] = Math.floor(p / n);
      edges[i++] = p % n;
    }
    const isRoot = new Uint8Array(n);
    const roots: number[] = [];
    for (let r = 0; r < g.rootCount; r++) {
      const k = groupOf[g.rootTargets[r] as number] as number;
      if (isRoot[k] === 0) {
        isRoot[k] = 1;
        roots.push(k);
      }
    }
    const radius = new Float64Array(n);
    const maxBytes = Math.max(1, ...groups.map((x) => x.bytes));
    groups.forEach((grp, k) => {
      radius[k] = 6 + 34 * Math.sqrt(grp.bytes / maxBytes);
    });
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    layeredPositions(n, edges, roots, x, y, new Uint8Array(n), 90);
    const layout = new ForceLayout(n, edges, x, y, 90);
    return {
      kind: "groups",
      ids: Uint32Array.from(groups.keys()),
      nodeOf: undefined,
      groups,
      edges,
      radius,
      isRoot,
      layout,
    };
  }

  /** Ordinal of the object starting exactly at `address` (hex) in the shown dump, or -1. */
  private ordinalAt(address: string): number {
    const g = this.current?.graph;
    if (g === undefined) return -1;
    const a = Number(BigInt(address));
    const o = g.resolveAddress(a);
    return o >= 0 && g.addresses[o] === a ? o : -1;
  }

  /** Test and console probes (see `ViewerProbe`). */
  readonly probe: ViewerProbe = {
    colorOf: (address) => {
      const o = this.ordinalAt(address);
      if (o < 0 || this.marker === undefined) return null;
      const c = this.marker.colors[o];
      return c === Color.Black ? "black" : c === Color.Grey ? "grey" : "white";
    },
    diffOf: (address) => {
      const o = this.ordinalAt(address);
      if (o < 0 || this.bornMask === undefined) return null;
      return this.bornMask[o] === 1 ? "born" : "survived";
    },
    select: (address) => {
      const o = this.ordinalAt(address);
      if (o < 0) return false;
      this.selectOrdinal(o);
      return true;
    },
    nodeOnPage: (k) => {
      const s = this.scene;
      if (s === undefined || k < 0 || k >= s.layout.n) return null;
      const r = this.canvas.getBoundingClientRect();
      return {
        x: r.left + this.tx + (s.layout.x[k] as number) * this.scale,
        y: r.top + this.ty + (s.layout.y[k] as number) * this.scale,
      };
    },
    nodeOf: (address) => {
      const o = this.ordinalAt(address);
      return o < 0 ? -1 : (this.scene?.nodeOf?.[o] ?? -1);
    },
  };

  // ---------------------------------------------------------------- marking

  /** Runs `n` marker steps (what the Step button and playback do). */
  step(n = 1): void {
    const m = this.marker;
    if (m === undefined) return;
    if (this.colorMode !== "mark") {
      this.colorMode = "mark";
      el<HTMLSelectElement>("color-mode").value = "mark";
    }
    for (let i = 0; i < n && !m.done; i++) m.step();
    if (m.done && this.playing) this.togglePlay();
    // State and panels follow at once, not at the next animation frame.
    this.publish();
  }

  private togglePlay(): void {
    if (this.marker?.done === true && !this.playing) this.resetMarker();
    this.playing = !this.playing;
    el("mark-play").textContent = this.playing ? "❚❚ Pause" : "▶ Play";
  }

  private stepsPerSecond(): number {
    const v = Number(el<HTMLInputElement>("mark-speed").value);
    return Math.round(10 ** (v / 25));
  }

  // ---------------------------------------------------------------- frame loop

  private frame(t: number): void {
    const dt = Math.min(0.1, (t - this.lastFrame) / 1000);
    this.lastFrame = t;
    if (this.playing) {
      this.stepBudget += dt * this.stepsPerSecond();
      const n = Math.floor(this.stepBudget);
      this.stepBudget -= n;
      if (n > 0) this.step(n);
    }
    const s = this.scene;
    if (s !== undefined && this.visible) {
      const iterations = s.layout.n > 2000 ? 1 : s.layout.n > 800 ? 3 : 5;
      for (let i = 0; i < iterations; i++) s.layout.tick();
      // Keep the whole graph in view while it settles, until the user pans or zooms.
      if (!this.fitted || (!this.userMoved && s.layout.active)) this.fit();
      this.draw();
    }
    this.publish();
    requestAnimationFrame((tt) => this.frame(tt));
  }

  private fit(): void {
    const s = this.scene;
    if (s === undefined || s.layout.n === 0) return;
    const { x, y } = s.layout;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < s.layout.n; i++) {
      minX = Math.min(minX, x[i] as number);
      maxX = Math.max(maxX, x[i] as number);
      minY = Math.min(minY, y[i] as number);
      maxY = Math.max(maxY, y[i] as number);
    }
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight - 70; // room for the grey-queue strip
    this.scale = Math.min(4, 0.9 * Math.min(w / (maxX - minX + 40), h / (maxY - minY + 40)));
    this.tx = w / 2 - ((minX + maxX) / 2) * this.scale;
    this.ty = h / 2 - ((minY + maxY) / 2) * this.scale;
    this.fitted = true;
  }

  private nodeColor(o: number): string {
    if (this.colorMode === "diff") {
      return this.bornMask?.[o] === 1 ? COLORS.born : COLORS.survived;
    }
    const c = this.marker?.colors[o] ?? Color.White;
    return c === Color.Black ? COLORS.black : c === Color.Grey ? COLORS.grey : COLORS.white;
  }

  private draw(): void {
    const s = this.scene;
    const cur = this.current;
    if (s === undefined || cur === undefined) return;
    const { canvas, ctx } = this;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, dpr * this.tx, dpr * this.ty);
    const { x, y } = s.layout;
    const lw = 1 / this.scale;
    // Nodes never shrink below a few pixels, so colours stay readable zoomed out.
    const minR = 3 / this.scale;
    const rad = (k: number): number => Math.max(s.radius[k] as number, minR);

    // Edges in one path.
    ctx.strokeStyle = COLORS.edge;
    ctx.lineWidth = lw;
    ctx.beginPath();
    for (let e = 0; e < s.edges.length; e += 2) {
      const a = s.edges[e] as number;
      const b = s.edges[e + 1] as number;
      ctx.moveTo(x[a] as number, y[a] as number);
      ctx.lineTo(x[b] as number, y[b] as number);
    }
    ctx.stroke();

    // Retainer path of the selection.
    if (this.pathNodes.size > 0) {
      ctx.strokeStyle = COLORS.path;
      ctx.lineWidth = 2.5 * lw;
      ctx.beginPath();
      for (let e = 0; e < s.edges.length; e += 2) {
        const a = s.edges[e] as number;
        const b = s.edges[e + 1] as number;
        if (this.pathNodes.has(a) && this.pathNodes.has(b)) {
          ctx.moveTo(x[a] as number, y[a] as number);
          ctx.lineTo(x[b] as number, y[b] as number);
        }
      }
      ctx.stroke();
    }

    // Fading ghosts of objects that died since the previous dump.
    const age = (performance.now() - this.ghostStart) / 2500;
    if (this.ghosts.length > 0 && age < 1 && this.colorMode === "diff") {
      ctx.fillStyle = `rgba(229,57,53,${(1 - age).toFixed(3)})`;
      ctx.beginPath();
      for (const gh of this.ghosts) {
        ctx.moveTo(gh.x + gh.r * (1 + age), gh.y);
        ctx.arc(gh.x, gh.y, gh.r * (1 + age), 0, 2 * Math.PI);
      }
      ctx.fill();
    }

    if (s.kind === "objects") {
      // Batch nodes by fill colour: one path per colour.
      const byColor = new Map<string, number[]>();
      for (let k = 0; k < s.ids.length; k++) {
        const c = this.nodeColor(s.ids[k] as number);
        let list = byColor.get(c);
        if (list === undefined) {
          list = [];
          byColor.set(c, list);
        }
        list.push(k);
      }
      for (const [color, list] of byColor) {
        ctx.fillStyle = color;
        ctx.beginPath();
        for (const k of list) {
          const r = rad(k);
          ctx.moveTo((x[k] as number) + r, y[k] as number);
          ctx.arc(x[k] as number, y[k] as number, r, 0, 2 * Math.PI);
        }
        ctx.fill();
      }
      ctx.strokeStyle = "#6c7584";
      ctx.lineWidth = lw;
      ctx.beginPath();
      for (let k = 0; k < s.ids.length; k++) {
        const r = rad(k);
        ctx.moveTo((x[k] as number) + r, y[k] as number);
        ctx.arc(x[k] as number, y[k] as number, r, 0, 2 * Math.PI);
      }
      ctx.stroke();
    } else {
      const counts = this.pieCounts(s);
      for (let k = 0; k < s.groups.length; k++) {
        const grp = s.groups[k] as ObjectGroup;
        const white = counts[3 * k] as number;
        const grey = counts[3 * k + 1] as number;
        const black = counts[3 * k + 2] as number;
        const born = white;
        const parts: [number, string][] =
          this.colorMode === "diff"
            ? [
                [born, COLORS.born],
                [grp.members.length - born, COLORS.survived],
              ]
            : [
                [white, COLORS.white],
                [grey, COLORS.grey],
                [black, COLORS.black],
              ];
        const cx = x[k] as number;
        const cy = y[k] as number;
        const r = rad(k);
        let a0 = -Math.PI / 2;
        for (const [count, color] of parts) {
          if (count === 0) continue;
          const a1 = a0 + (2 * Math.PI * count) / grp.members.length;
          ctx.fillStyle = color;
          ctx.beginPath();
          ctx.moveTo(cx, cy);
          ctx.arc(cx, cy, r, a0, a1);
          ctx.closePath();
          ctx.fill();
          a0 = a1;
        }
        ctx.strokeStyle = "#6c7584";
        ctx.lineWidth = lw;
        ctx.beginPath();
        ctx.arc(cx, cy, r, 0, 2 * Math.PI);
        ctx.stroke();
      }
      if (this.scale > 0.5) {
        ctx.fillStyle = "#cfd6e0";
        ctx.font = `${11 / this.scale}px system-ui`;
        for (let k = 0; k < Math.min(40, s.groups.length); k++) {
          ctx.fillText(
            (s.groups[k] as ObjectGroup).short,
            (x[k] as number) + rad(k) + 2,
            (y[k] as number) + 3,
          );
        }
      }
    }

    // Root rings and the selection ring.
    ctx.strokeStyle = "#4fa3ff";
    ctx.lineWidth = 1.5 * lw;
    ctx.beginPath();
    for (let k = 0; k < s.ids.length; k++) {
      if (s.isRoot[k] !== 1) continue;
      const r = rad(k) + 2 * lw;
      ctx.moveTo((x[k] as number) + r, y[k] as number);
      ctx.arc(x[k] as number, y[k] as number, r, 0, 2 * Math.PI);
    }
    ctx.stroke();
    if (this.selected >= 0 && this.selected < s.ids.length) {
      const k = this.selected;
      ctx.strokeStyle = COLORS.path;
      ctx.lineWidth = 3 * lw;
      ctx.beginPath();
      ctx.arc(x[k] as number, y[k] as number, rad(k) + 4 * lw, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }

  /**
   * Per-group counts for the pies: (white, grey, black) in mark mode, (born,
   * -, -) in diff mode. A full pass over every object, so on big heaps it runs
   * at most every 250 ms.
   */
  private pieCounts(s: Scene): Int32Array {
    const m = this.marker;
    const key = `${this.colorMode}/${m?.steps ?? 0}/${this.index}/${s.groups.length}`;
    const now = performance.now();
    const c = this.pieCache;
    const big = (this.current?.graph.objectCount ?? 0) > 200_000;
    if (c !== undefined && (c.key === key || (big && now - c.at < 250))) return c.counts;
    const counts = new Int32Array(s.groups.length * 3);
    const colors = m?.colors;
    const born = this.bornMask;
    s.groups.forEach((grp, k) => {
      if (this.colorMode === "diff") {
        let n = 0;
        for (const o of grp.members) n += born?.[o] ?? 0;
        counts[3 * k] = n;
      } else {
        let grey = 0;
        let black = 0;
        for (const o of grp.members) {
          const col = colors?.[o] ?? 0;
          if (col === Color.Black) black++;
          else if (col === Color.Grey) grey++;
        }
        counts[3 * k] = grp.members.length - grey - black;
        counts[3 * k + 1] = grey;
        counts[3 * k + 2] = black;
      }
    });
    this.pieCache = { key, at: now, counts };
    return counts;
  }

  // ---------------------------------------------------------------- interaction

  private bindCanvas(): void {
    const c = this.canvas;
    let drag: { x: number; y: number; tx: number; ty: number; moved: boolean } | undefined;
    c.addEventListener("mousedown", (e) => {
      drag = { x: e.clientX, y: e.clientY, tx: this.tx, ty: this.ty, moved: false };
    });
    window.addEventListener("mousemove", (e) => {
      if (drag === undefined) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) {
        drag.moved = true;
        this.userMoved = true;
      }
      this.tx = drag.tx + dx;
      this.ty = drag.ty + dy;
    });
    window.addEventListener("mouseup", (e) => {
      if (drag !== undefined && !drag.moved && e.target === c) {
        const rect = c.getBoundingClientRect();
        this.select(this.hit(e.clientX - rect.left, e.clientY - rect.top));
      }
      drag = undefined;
    });
    c.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const rect = c.getBoundingClientRect();
        const mx = e.clientX - rect.left;
        const my = e.clientY - rect.top;
        const f = Math.exp(-e.deltaY * 0.0015);
        this.tx = mx - (mx - this.tx) * f;
        this.ty = my - (my - this.ty) * f;
        this.scale *= f;
        this.fitted = true;
        this.userMoved = true;
      },
      { passive: false },
    );
    c.addEventListener("dblclick", () => {
      const s = this.scene;
      const grp = s?.kind === "groups" ? s.groups[this.selected] : undefined;
      if (grp !== undefined) this.drill(grp);
    });
  }

  /** Node under canvas point (px, py), or -1. */
  private hit(px: number, py: number): number {
    const s = this.scene;
    if (s === undefined) return -1;
    const wx = (px - this.tx) / this.scale;
    const wy = (py - this.ty) / this.scale;
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (let k = 0; k < s.layout.n; k++) {
      const dx = (s.layout.x[k] as number) - wx;
      const dy = (s.layout.y[k] as number) - wy;
      const d = Math.hypot(dx, dy);
      const reach = Math.max(s.radius[k] as number, 3 / this.scale) + 4 / this.scale;
      if (d <= reach && d < bestD) {
        best = k;
        bestD = d;
      }
    }
    return best;
  }

  private drill(grp: ObjectGroup): void {
    this.drillGroup = grp;
    this.fitted = false;
    this.rebuildScene();
    this.select(-1);
  }

  /** Selects node `k` (-1: nothing) and fills the selection panel. */
  select(k: number): void {
    this.selected = k;
    this.pathNodes.clear();
    const panel = el("selection");
    const s = this.scene;
    const cur = this.current;
    if (k < 0 || s === undefined || cur === undefined) {
      panel.innerHTML = `<i class="small">click an object${s?.kind === "groups" ? " or a group (double-click drills down)" : ""}</i>`;
      return;
    }
    if (s.kind === "groups") {
      const grp = s.groups[k] as ObjectGroup;
      panel.innerHTML = `<b>${escapeHtml(grp.label)}</b>
        <div class="small">${grp.members.length} objects, ${formatBytes(grp.bytes)}</div>
        <button id="drill-down">Drill down (${Math.min(DRILL_LIMIT, grp.members.length)} objects)</button>`;
      el("drill-down").onclick = () => this.drill(grp);
      return;
    }
    this.showObject(s.ids[k] as number);
  }

  /** Selects an object by ordinal (used by the retainer-path links). */
  selectOrdinal(o: number): void {
    const k = this.scene?.nodeOf?.[o] ?? -1;
    if (k >= 0) this.select(k);
    else this.showObject(o);
  }

  private showObject(o: number): void {
    const cur = this.current;
    const s = this.scene;
    if (cur === undefined) return;
    const g = cur.graph;
    const dom = dominatorTree(cur);
    const site = cur.dump.allocationSite(o);
    const path = shortestRetainerPath(g, o);
    const color = this.marker?.colors[o] ?? Color.White;
    const colorName = ["white", "grey", "black"][color] ?? "?";
    const out = (g.edgeStart[o + 1] as number) - (g.edgeStart[o] as number);
    const inn = (g.retainerStart[o + 1] as number) - (g.retainerStart[o] as number);
    let html = `<b>object ${hex(g.addresses[o] as number)}</b>
      <div class="small">ordinal <b>${o}</b> · size <b>${formatBytes(g.sizes[o] as number)}</b> ·
        retained <b id="sel-retained">${formatBytes(dom.retainedSizes[o] as number)}</b> · colour <b>${colorName}</b><br>
        ${out} pointers out, ${inn} in${g.noscan?.[o] === 1 ? " · noscan" : ""}</div>`;
    if (site !== undefined) {
      html += `<div class="small">allocated by (sampled stack, ${site.allocs} allocs / ${site.frees} frees):</div>
        <div class="frames">${site.frames.map((f) => escapeHtml(`${f.functionName}\n    ${f.file}:${f.line}`)).join("\n")}</div>`;
    } else {
      html += `<div class="small">no allocation sample (the memory profiler samples one object per MemProfileRate bytes)</div>`;
    }
    if (path === undefined) {
      html += `<div class="small"><b>garbage</b>: no root reaches it</div>`;
    } else {
      const root = `${rootKindName(g.rootKinds[path.root] as number)}: ${g.rootDescriptions[path.root] ?? ""}`;
      html += `<div class="small">retainer path (${path.ordinals.length - 1} hops) from root <b>${escapeHtml(root)}</b>:</div><div class="path">`;
      html += path.ordinals
        .map((p) => `<a data-ordinal="${p}">${hex(g.addresses[p] as number)}</a>`)
        .join(" → ");
      html += "</div>";
      if (s?.nodeOf !== undefined) {
        for (const p of path.ordinals) {
          const k = s.nodeOf[p] as number;
          if (k >= 0) this.pathNodes.add(k);
        }
      }
    }
    const panel = el("selection");
    panel.innerHTML = html;
    for (const a of panel.querySelectorAll<HTMLAnchorElement>("a[data-ordinal]")) {
      a.onclick = () => this.selectOrdinal(Number(a.dataset.ordinal));
    }
    testState.heap.selected = {
      ordinal: o,
      address: hex(g.addresses[o] as number),
      size: g.sizes[o] as number,
      retained: dom.retainedSizes[o] as number,
      pathLength: path?.ordinals.length ?? 0,
      hasStack: site !== undefined,
    };
  }

  // ---------------------------------------------------------------- panels

  private bindControls(): void {
    // Space: play/pause, "s" or →: one step, "r": reset — on the heap tab,
    // unless typing into a form field.
    window.addEventListener("keydown", (e) => {
      if (
        !this.visible ||
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLSelectElement
      ) {
        return;
      }
      if (e.key === " ") this.togglePlay();
      else if (e.key === "s" || e.key === "ArrowRight") this.step(1);
      else if (e.key === "r") this.resetMarker();
      else return;
      e.preventDefault();
    });
    el("mark-play").onclick = () => this.togglePlay();
    el("mark-step").onclick = () => this.step(1);
    el("mark-reset").onclick = () => this.resetMarker();
    const speed = el<HTMLInputElement>("mark-speed");
    const label = (): void => {
      el("speed-label").textContent = `${this.stepsPerSecond()} steps/s`;
    };
    speed.oninput = label;
    label();
    el<HTMLSelectElement>("mark-policy").onchange = (e) => {
      this.policy = (e.target as HTMLSelectElement).value as GreyPolicy;
      this.resetMarker();
    };
    el<HTMLSelectElement>("group-by").onchange = (e) => {
      this.groupBy = (e.target as HTMLSelectElement).value as GroupBy;
      this.drillGroup = undefined;
      this.fitted = false;
      this.rebuildScene();
      this.select(-1);
    };
    el<HTMLSelectElement>("color-mode").onchange = (e) => {
      this.colorMode = (e.target as HTMLSelectElement).value as ColorMode;
    };
    el("drill-up").onclick = () => {
      this.drillGroup = undefined;
      this.fitted = false;
      this.rebuildScene();
      this.select(-1);
    };
    el("tl-prev").onclick = () => this.showIndex(this.index - 1);
    el("tl-next").onclick = () => this.showIndex(this.index + 1);
    el("tl-play").onclick = () => {
      if (this.timelineTimer !== undefined) {
        clearInterval(this.timelineTimer);
        this.timelineTimer = undefined;
        return;
      }
      this.showIndex(0);
      this.timelineTimer = setInterval(() => {
        if (this.index >= this.timeline.length - 1) {
          clearInterval(this.timelineTimer);
          this.timelineTimer = undefined;
        } else this.showIndex(this.index + 1);
      }, 2500);
    };
  }

  private renderTimeline(): void {
    el("timeline-box").hidden = this.timeline.length < 2;
    const box = el("timeline");
    box.innerHTML = "";
    this.timeline.forEach((d, i) => {
      const b = document.createElement("button");
      b.textContent = d.name.replace(/\.dump$/, "");
      if (i === this.index) b.className = "current";
      b.onclick = () => this.showIndex(i);
      box.append(b);
    });
    const d = this.diff;
    el("diff-info").innerHTML =
      d === undefined
        ? "first dump: nothing to compare"
        : `vs previous: <b style="color:${COLORS.born}">${d.allocated.count} born</b> (${formatBytes(d.allocated.bytes)}),
           <b style="color:#e57373">${d.freed.count} died</b> (${formatBytes(d.freed.bytes)}),
           <b>${d.surviving.count} survived</b>`;
  }

  private renderDumpInfo(): void {
    const cur = this.current;
    if (cur === undefined) return;
    const { dump, graph } = cur;
    el("dump-info").innerHTML = `<b>${escapeHtml(cur.name)}</b>: ${escapeHtml(dump.goVersion)},
      ${graph.objectCount} objects, ${formatBytes(graph.totalBytes)}, ${graph.edgeTargets.length} pointers,
      ${graph.rootCount} roots, ${dump.goroutines.length} goroutines`;
  }

  private publish(): void {
    const m = this.marker;
    const cur = this.current;
    const st = testState.heap;
    st.loaded = cur !== undefined;
    st.name = cur?.name ?? "";
    st.objectCount = cur?.graph.objectCount ?? 0;
    st.sceneKind = this.scene?.kind ?? "";
    st.nodeCount = this.scene?.ids.length ?? 0;
    st.layoutAlpha = this.scene?.layout.alpha ?? 0;
    st.steps = m?.steps ?? 0;
    st.done = m?.done ?? false;
    st.grey = m?.greyCount ?? 0;
    st.black = m === undefined ? 0 : m.markedCount - m.greyCount;
    st.white = (cur?.graph.objectCount ?? 0) - (m?.markedCount ?? 0);
    st.playing = this.playing;
    st.colorMode = this.colorMode;
    st.timelineLength = this.timeline.length;
    st.timelineIndex = this.index;
    st.diff =
      this.diff === undefined
        ? null
        : {
            born: this.diff.allocated.count,
            died: this.diff.freed.count,
            survived: this.diff.surviving.count,
          };
    const legend = el("legend");
    legend.innerHTML =
      this.colorMode === "mark"
        ? `<span>⚪ white ${st.white}</span><span style="color:#b8bec7">● grey ${st.grey}</span><span>⚫ black ${st.black}</span><span class="small">steps ${st.steps}${st.done ? " · done" : ""}</span><span style="color:#4fa3ff">○ root</span>`
        : `<span style="color:${COLORS.born}">● born</span><span style="color:${COLORS.survived}">● survived</span><span style="color:#e57373">● died (fading)</span>`;
    el("grey-count").textContent = `${st.grey} objects`;
    const items = el("grey-items");
    if (cur !== undefined && items.dataset.stamp !== `${st.steps}/${this.index}`) {
      items.dataset.stamp = `${st.steps}/${this.index}`;
      const list: number[] = [];
      const colors = m?.colors;
      const len = this.recentGrey.length;
      for (let i = 1; i <= len && list.length < 60 && colors !== undefined; i++) {
        const o = this.recentGrey[(this.recentGreyPos - i + len) % len] as number;
        if (o >= 0 && colors[o] === Color.Grey && !list.includes(o)) list.push(o);
      }
      items.innerHTML = list
        .map((o) => `<span>${hex(cur.graph.addresses[o] as number)}</span>`)
        .join("");
    }
    el("mark-status").textContent =
      m === undefined
        ? ""
        : m.done
          ? `done after ${m.steps} steps: ${m.markedCount} marked (${formatBytes(m.markedBytes)}), ${st.white} white = garbage`
          : `${m.steps} steps, ${m.markedCount} marked`;
  }
}

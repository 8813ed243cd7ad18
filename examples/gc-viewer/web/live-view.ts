import type { GcEvent, GcTraceEvent } from "@tricolor/gctrace-parser";
import { testState } from "./state.js";

interface Point {
  t: number;
  before: number;
  live: number;
  goal: number;
  pauseMs: number;
  cpu: number;
  cycle: number;
}

type LiveMessage =
  | { type: "status"; state: string; detail?: string }
  | { type: "trace"; event: GcTraceEvent }
  | { type: "dump"; name: string; url: string; at: number };

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`missing #${id}`);
  return e as T;
}

/**
 * The live tab: subscribes to the server's SSE stream, which starts the demo
 * workload, and plots every gctrace line as it arrives — heap live/goal (MB),
 * stop-the-world pauses (sweep termination + mark termination wall clock,
 * the two STW phases of `src/runtime/mgc.go`) and GC CPU % (the cumulative
 * share gctrace prints).
 */
export class LiveView {
  private readonly canvas = el<HTMLCanvasElement>("live-chart");
  private source: EventSource | undefined;
  private points: Point[] = [];
  private lines: string[] = [];
  private dumps: string[] = [];
  private dirty = true;
  visible = false;
  /** Called for each dump the workload writes (when "add to timeline" is on). */
  onDump: ((url: string, name: string) => void) | undefined;

  constructor() {
    el("live-start").onclick = () => this.start();
    el("live-stop").onclick = () => this.stop();
    el("live-dump").onclick = () => void fetch("/api/live/dump", { method: "POST" });
    const loop = (): void => {
      if (this.visible && this.dirty) this.draw();
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    window.addEventListener("resize", () => {
      this.dirty = true;
    });
  }

  /** Opens the event stream (the server starts the workload for the first client). */
  start(): void {
    if (this.source !== undefined) return;
    const every = Number(el<HTMLInputElement>("live-every").value) || 0;
    this.points = [];
    this.lines = [];
    const src = new EventSource(`/api/live/events?dumpEvery=${every}`);
    this.source = src;
    const handle = (e: MessageEvent<string>): void => this.onMessage(JSON.parse(e.data));
    for (const t of ["status", "trace", "dump"]) src.addEventListener(t, handle);
    src.onerror = () => {
      this.setStatus("connection lost; retrying");
    };
  }

  /** Stops the workload and closes the stream. */
  stop(): void {
    void fetch("/api/live/stop", { method: "POST" });
    this.source?.close();
    this.source = undefined;
    this.setStatus("stopped");
  }

  private setStatus(s: string): void {
    testState.live.state = s;
    el("live-status").textContent = s;
  }

  private onMessage(m: LiveMessage): void {
    const st = testState.live;
    if (m.type === "status") {
      this.setStatus(m.detail === undefined ? m.state : `${m.state} (${m.detail})`);
      st.state = m.state;
    } else if (m.type === "dump") {
      st.dumps++;
      this.dumps.push(m.name);
      el("live-dumps").innerHTML = this.dumps
        .slice(-8)
        .map((n) => `<div>${n}</div>`)
        .join("");
      if (el<HTMLInputElement>("live-timeline").checked) this.onDump?.(m.url, m.name);
    } else {
      const ev = m.event;
      if (ev.kind === "gc") {
        st.gcEvents++;
        st.lastCycle = ev.cycle;
        this.addGc(ev);
      } else if (ev.kind === "pacer") st.pacerEvents++;
      else if (ev.kind === "other") st.otherEvents++;
    }
  }

  private addGc(ev: GcEvent): void {
    this.points.push({
      t: ev.startSeconds,
      before: ev.heapBeforeMB,
      live: ev.heapLiveMB,
      goal: ev.heapGoalMB,
      pauseMs: ev.wall.sweepTermination + ev.wall.markTermination,
      cpu: ev.cpuPercent,
      cycle: ev.cycle,
    });
    if (this.points.length > 2000) this.points.splice(0, this.points.length - 2000);
    this.lines.push(
      `gc ${ev.cycle} @${ev.startSeconds.toFixed(3)}s ${ev.cpuPercent}%: ${ev.heapBeforeMB}->${ev.heapAfterMB}->${ev.heapLiveMB} MB, ${ev.heapGoalMB} MB goal, STW ${(ev.wall.sweepTermination + ev.wall.markTermination).toFixed(3)} ms${ev.forced ? " (forced)" : ""}`,
    );
    if (this.lines.length > 30) this.lines.shift();
    el("live-log").textContent = this.lines.slice().reverse().join("\n");
    this.dirty = true;
  }

  private draw(): void {
    this.dirty = false;
    const c = this.canvas;
    const ctx = c.getContext("2d");
    if (ctx === null) return;
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth;
    const h = c.clientHeight;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const pts = this.points;
    ctx.font = "12px system-ui";
    if (pts.length === 0) {
      ctx.fillStyle = "#9aa3b2";
      ctx.fillText("Start the demo workload to see its GC cycles here.", 20, 30);
      return;
    }
    const t0 = (pts[0] as Point).t;
    const t1 = Math.max(t0 + 1, (pts[pts.length - 1] as Point).t);
    const left = 60;
    const right = w - 20;
    const xs = (t: number): number => left + ((t - t0) / (t1 - t0)) * (right - left);
    const panels = [
      { title: "heap (MB): before / live / goal", top: 10, height: (h - 60) * 0.5 },
      { title: "STW pause per cycle (ms)", top: 20 + (h - 60) * 0.5, height: (h - 60) * 0.25 },
      { title: "GC CPU %", top: 30 + (h - 60) * 0.75, height: (h - 60) * 0.25 },
    ];
    const axis = (p: (typeof panels)[number], max: number): ((v: number) => number) => {
      ctx.strokeStyle = "#444c59";
      ctx.strokeRect(left, p.top, right - left, p.height);
      ctx.fillStyle = "#9aa3b2";
      ctx.fillText(p.title, left + 6, p.top + 14);
      ctx.fillText(max.toPrecision(3), 4, p.top + 10);
      ctx.fillText("0", 4, p.top + p.height);
      return (v: number) => p.top + p.height - (v / max) * (p.height - 18);
    };
    const line = (ys: (v: number) => number, get: (p: Point) => number, color: string): void => {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      pts.forEach((p, i) => {
        if (i === 0) ctx.moveTo(xs(p.t), ys(get(p)));
        else ctx.lineTo(xs(p.t), ys(get(p)));
      });
      ctx.stroke();
    };
    const heapMax = Math.max(1, ...pts.map((p) => Math.max(p.goal, p.before)));
    const hy = axis(panels[0] as (typeof panels)[number], heapMax * 1.1);
    line(hy, (p) => p.before, "#6c7584");
    line(hy, (p) => p.live, "#4caf50");
    line(hy, (p) => p.goal, "#f0a23b");
    const pauseMax = Math.max(0.01, ...pts.map((p) => p.pauseMs));
    const py = axis(panels[1] as (typeof panels)[number], pauseMax * 1.1);
    ctx.fillStyle = "#4fa3ff";
    for (const p of pts) ctx.fillRect(xs(p.t) - 1, py(p.pauseMs), 2, py(0) - py(p.pauseMs));
    const cpuMax = Math.max(1, ...pts.map((p) => p.cpu));
    line(axis(panels[2] as (typeof panels)[number], cpuMax * 1.1), (p) => p.cpu, "#e57373");
    ctx.fillStyle = "#9aa3b2";
    ctx.fillText(`${t0.toFixed(1)} s`, left, h - 6);
    ctx.fillText(
      `${t1.toFixed(1)} s · ${pts.length} cycles · last gc ${(pts[pts.length - 1] as Point).cycle}`,
      right - 220,
      h - 6,
    );
  }
}

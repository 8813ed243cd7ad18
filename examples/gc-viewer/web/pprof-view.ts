import { decodeProfile, type Profile } from "@tricolor/pprof-proto";
import { type FlameNode, formatValue, summarizeProfile } from "./pprof-summary.js";
import { testState } from "./state.js";

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`missing #${id}`);
  return e as T;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function countNodes(n: FlameNode): number {
  let c = 1;
  for (const ch of n.children.values()) c += countNodes(ch);
  return c;
}

/** The profile tab: sample-type choice, flame graph (click to zoom) and top table. */
export class PprofView {
  private readonly canvas = el<HTMLCanvasElement>("flame");
  private profile: Profile | undefined;
  private name = "";
  private root: FlameNode | undefined;
  private zoom: FlameNode | undefined;
  private unit = "";
  private boxes: { x: number; y: number; w: number; node: FlameNode }[] = [];
  visible = false;

  constructor() {
    el<HTMLSelectElement>("sample-type").onchange = () => this.summarize();
    this.canvas.addEventListener("click", (e) => {
      const r = this.canvas.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      const hit = this.boxes.find((b) => x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + 18);
      this.zoom = hit?.node ?? this.root;
      this.describe(hit?.node);
      this.draw();
    });
    window.addEventListener("resize", () => this.draw());
  }

  /** Decodes a profile (gzip or raw protobuf) and shows it. */
  load(name: string, bytes: Uint8Array): void {
    const p = decodeProfile(bytes);
    this.profile = p;
    this.name = name;
    const types = p.resolvedSampleTypes();
    const select = el<HTMLSelectElement>("sample-type");
    select.innerHTML = types
      .map((t, i) => `<option value="${i}">${escapeHtml(t.type)} (${escapeHtml(t.unit)})</option>`)
      .join("");
    // The profile's own default, else the last type (go tool pprof's choice).
    const def = p.defaultSampleType !== 0 ? p.string(p.defaultSampleType) : "";
    const idx = types.findIndex((t) => t.type === def);
    select.value = String(idx >= 0 ? idx : types.length - 1);
    this.summarize();
  }

  private summarize(): void {
    const p = this.profile;
    if (p === undefined) return;
    const vi = Math.max(0, Number(el<HTMLSelectElement>("sample-type").value) || 0);
    this.unit = p.resolvedSampleTypes()[vi]?.unit ?? "";
    const { root, top, total } = summarizeProfile(p, vi);
    this.root = root;
    this.zoom = root;
    el("profile-info").innerHTML = `<b>${escapeHtml(this.name)}</b>: ${p.samples.count} samples,
      ${p.functionCount} functions, total ${formatValue(total, this.unit)}`;
    let sum = 0;
    const pct = (v: number): string => (total === 0 ? "0%" : `${((100 * v) / total).toFixed(2)}%`);
    const rows = top.slice(0, 200).map((r) => {
      sum += r.flat;
      return `<tr><td>${formatValue(r.flat, this.unit)}</td><td>${pct(r.flat)}</td><td>${pct(sum)}</td><td>${formatValue(r.cum, this.unit)}</td><td>${pct(r.cum)}</td><td>${escapeHtml(r.name)}</td></tr>`;
    });
    el("top-table").innerHTML =
      `<tr><th>flat</th><th>flat%</th><th>sum%</th><th>cum</th><th>cum%</th><th>function</th></tr>${rows.join("")}`;
    Object.assign(testState.pprof, {
      loaded: true,
      name: this.name,
      samples: p.samples.count,
      functions: top.length,
      flameNodes: countNodes(root),
    });
    this.describe(undefined);
    this.draw();
  }

  private describe(n: FlameNode | undefined): void {
    const box = el("flame-selection");
    if (n === undefined || this.root === undefined) {
      box.innerHTML = `<i class="small">click a frame to zoom, click the background to reset</i>`;
      return;
    }
    const total = this.root.value || 1;
    box.innerHTML = `<b>${escapeHtml(n.name)}</b><div class="small">${formatValue(n.value, this.unit)}
      (${((100 * n.value) / total).toFixed(2)}% of total), ${n.children.size} callees</div>`;
  }

  /** Redraws the flame graph (icicle: callers on top). */
  draw(): void {
    const c = this.canvas;
    const ctx = c.getContext("2d");
    const zoom = this.zoom;
    if (ctx === null || zoom === undefined || !this.visible) return;
    const dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth;
    const h = c.clientHeight;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = "11px system-ui";
    this.boxes = [];
    const rowH = 18;
    // The zoomed node's ancestors stay visible above it, full width.
    const chain: FlameNode[] = [];
    for (let n: FlameNode | undefined = zoom.parent; n !== undefined; n = n.parent)
      chain.unshift(n);
    const hue = (name: string): number => {
      let hsh = 0;
      for (let i = 0; i < name.length; i++) hsh = (hsh * 31 + name.charCodeAt(i)) | 0;
      return 20 + (Math.abs(hsh) % 40);
    };
    const box = (n: FlameNode, x: number, y: number, bw: number, dim: boolean): void => {
      ctx.fillStyle = dim
        ? "#555c68"
        : `hsl(${hue(n.name)}, 75%, ${55 + (Math.abs(n.value) % 7)}%)`;
      ctx.fillRect(x, y, Math.max(1, bw - 1), rowH - 1);
      this.boxes.push({ x, y, w: bw, node: n });
      if (bw > 40) {
        ctx.fillStyle = "#111";
        const label = n.name.slice(n.name.lastIndexOf("/") + 1);
        const maxChars = Math.floor((bw - 6) / 6.2);
        ctx.fillText(
          label.length > maxChars ? `${label.slice(0, maxChars - 1)}…` : label,
          x + 3,
          y + 13,
        );
      }
    };
    chain.forEach((n, i) => {
      box(n, 0, i * rowH, w, true);
    });
    const total = zoom.value || 1;
    const walk = (n: FlameNode, x: number, depth: number, bw: number): void => {
      const y = depth * rowH;
      if (y > h) return;
      box(n, x, y, bw, false);
      let cx = x;
      for (const ch of n.children.values()) {
        const cw = n.value > 0 && ch.value > 0 ? (bw * ch.value) / n.value : 0;
        if (cw >= 0.5) walk(ch, cx, depth + 1, cw);
        cx += cw;
      }
    };
    if (total !== 0) walk(zoom, 0, chain.length, w);
  }
}

/**
 * Incremental force-directed layout for a few thousand nodes: springs along
 * edges, repulsion only between nodes in neighbouring grid cells (so one
 * iteration costs about O(nodes + edges) instead of O(nodes²)), a weak pull
 * to the centre, and a cooling factor. The page runs a couple of iterations
 * per animation frame, so the graph settles while staying interactive.
 */
export class ForceLayout {
  readonly n: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  readonly edges: Int32Array; // pairs (a, b)
  alpha = 1;
  /** Desired edge length (world units). */
  readonly distance: number;
  private readonly cellNext: Int32Array;
  private cellHead = new Int32Array(0);

  constructor(n: number, edges: Int32Array, x: Float64Array, y: Float64Array, distance = 18) {
    this.n = n;
    this.edges = edges;
    this.x = x;
    this.y = y;
    this.vx = new Float64Array(n);
    this.vy = new Float64Array(n);
    this.distance = distance;
    this.cellNext = new Int32Array(n);
  }

  /** True while the layout still moves noticeably. */
  get active(): boolean {
    return this.alpha > 0.004;
  }

  /** Restarts movement (after new nodes were placed, for instance). */
  reheat(alpha = 0.6): void {
    this.alpha = Math.max(this.alpha, alpha);
  }

  /** One iteration; returns whether anything still moves. */
  tick(): boolean {
    const { n, x, y, vx, vy, edges } = this;
    if (n === 0 || !this.active) return false;
    const d0 = this.distance;
    const cell = d0 * 2.5;
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const yi = y[i] as number;
      if (xi < minX) minX = xi;
      if (xi > maxX) maxX = xi;
      if (yi < minY) minY = yi;
      if (yi > maxY) maxY = yi;
    }
    // Grid of cells (capped so a far-flung node cannot blow up the table).
    const cols = Math.min(1024, Math.max(1, Math.ceil((maxX - minX) / cell) + 1));
    const rows = Math.min(1024, Math.max(1, Math.ceil((maxY - minY) / cell) + 1));
    const cw = (maxX - minX) / cols + 1e-9;
    const ch = (maxY - minY) / rows + 1e-9;
    if (this.cellHead.length < cols * rows) this.cellHead = new Int32Array(cols * rows);
    const head = this.cellHead;
    head.fill(-1, 0, cols * rows);
    const next = this.cellNext;
    const cx = new Int32Array(n);
    const cy = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = Math.min(cols - 1, Math.floor(((x[i] as number) - minX) / cw));
      const r = Math.min(rows - 1, Math.floor(((y[i] as number) - minY) / ch));
      cx[i] = c;
      cy[i] = r;
      const k = r * cols + c;
      next[i] = head[k] as number;
      head[k] = i;
    }
    const a = this.alpha;
    const rep = d0 * d0 * 0.6 * a;
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      const yi = y[i] as number;
      const c0 = cx[i] as number;
      const r0 = cy[i] as number;
      let fx = 0;
      let fy = 0;
      for (let r = Math.max(0, r0 - 1); r <= Math.min(rows - 1, r0 + 1); r++) {
        for (let c = Math.max(0, c0 - 1); c <= Math.min(cols - 1, c0 + 1); c++) {
          for (let j = head[r * cols + c] as number; j !== -1; j = next[j] as number) {
            if (j === i) continue;
            let dx = xi - (x[j] as number);
            let dy = yi - (y[j] as number);
            let d2 = dx * dx + dy * dy;
            if (d2 < 0.01) {
              // Coincident nodes: push apart in a direction fixed by their ids.
              dx = ((i * 7919 + j) % 13) - 6 || 1;
              dy = ((i * 104729 + j) % 11) - 5 || 1;
              d2 = dx * dx + dy * dy;
            }
            if (d2 > cell * cell) continue;
            const f = rep / d2;
            fx += dx * f;
            fy += dy * f;
          }
        }
      }
      vx[i] = (vx[i] as number) + fx;
      vy[i] = (vy[i] as number) + fy;
    }
    const ks = 0.08 * a;
    for (let e = 0; e < edges.length; e += 2) {
      const s = edges[e] as number;
      const t = edges[e + 1] as number;
      const dx = (x[t] as number) - (x[s] as number);
      const dy = (y[t] as number) - (y[s] as number);
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const f = ((d - d0) / d) * ks;
      vx[s] = (vx[s] as number) + dx * f;
      vy[s] = (vy[s] as number) + dy * f;
      vx[t] = (vx[t] as number) - dx * f;
      vy[t] = (vy[t] as number) - dy * f;
    }
    // Linear pull to the centre keeps disconnected components (garbage, idle
    // goroutine stacks' objects) from drifting off: repulsion is local only.
    const g = 0.02 * Math.sqrt(a);
    const maxStep = d0 * 2;
    for (let i = 0; i < n; i++) {
      let mx = ((vx[i] as number) - (x[i] as number) * g) * 0.6;
      let my = ((vy[i] as number) - (y[i] as number) * g) * 0.6;
      const m = Math.hypot(mx, my);
      if (m > maxStep) {
        mx *= maxStep / m;
        my *= maxStep / m;
      }
      x[i] = (x[i] as number) + mx;
      y[i] = (y[i] as number) + my;
      vx[i] = mx * 0.5;
      vy[i] = my * 0.5;
    }
    this.alpha *= 0.985;
    return this.active;
  }
}

/**
 * Initial positions, layered by breadth-first distance from the roots: ring
 * `d` holds the nodes `d` edges away from a root, unreachable nodes go on an
 * outer ring. `fixed` marks nodes that already have a position (kept).
 */
export function layeredPositions(
  n: number,
  edges: Int32Array,
  roots: readonly number[],
  x: Float64Array,
  y: Float64Array,
  fixed: Uint8Array,
  distance = 18,
): void {
  const adjStart = new Int32Array(n + 1);
  for (let e = 0; e < edges.length; e += 2) {
    const s = (edges[e] as number) + 1;
    adjStart[s] = (adjStart[s] as number) + 1;
  }
  for (let i = 0; i < n; i++)
    adjStart[i + 1] = (adjStart[i + 1] as number) + (adjStart[i] as number);
  const adj = new Int32Array(edges.length / 2);
  const fill = adjStart.slice(0, n);
  for (let e = 0; e < edges.length; e += 2) {
    const s = edges[e] as number;
    const at = fill[s] as number;
    fill[s] = at + 1;
    adj[at] = edges[e + 1] as number;
  }
  const depth = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (const r of roots) {
    if (r >= 0 && r < n && depth[r] === -1) {
      depth[r] = 0;
      queue[tail++] = r;
    }
  }
  while (head < tail) {
    const v = queue[head++] as number;
    for (let k = adjStart[v] as number; k < (adjStart[v + 1] as number); k++) {
      const w = adj[k] as number;
      if (depth[w] === -1) {
        depth[w] = (depth[v] as number) + 1;
        queue[tail++] = w;
      }
    }
  }
  let maxDepth = 0;
  for (let i = 0; i < n; i++) maxDepth = Math.max(maxDepth, depth[i] as number);
  const layers: number[][] = Array.from({ length: maxDepth + 2 }, () => []);
  // BFS order within a layer keeps parents' children next to each other.
  for (let q = 0; q < tail; q++) {
    const v = queue[q] as number;
    layers[depth[v] as number]?.push(v);
  }
  for (let i = 0; i < n; i++) if (depth[i] === -1) layers[maxDepth + 1]?.push(i);
  // Each layer fills an annulus outside the previous one, nodes on a
  // sunflower spiral (golden angle) at about one node per distance² of area,
  // so a layer of thousands stays compact instead of becoming a huge ring.
  const golden = Math.PI * (3 - Math.sqrt(5));
  const perNode = distance * distance * 1.2;
  let inner = 0;
  let placed = 0;
  for (const layer of layers) {
    if (layer.length === 0) continue;
    const r0 = inner === 0 ? 0 : inner + distance;
    layer.forEach((v, k) => {
      const r = Math.sqrt(r0 * r0 + ((k + 0.5) * perNode) / Math.PI);
      if (fixed[v] !== 1) {
        const t = (placed + k) * golden;
        x[v] = Math.cos(t) * r;
        y[v] = Math.sin(t) * r;
      }
    });
    placed += layer.length;
    inner = Math.sqrt(r0 * r0 + (layer.length * perNode) / Math.PI);
  }
}

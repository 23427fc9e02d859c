// t-SNE's repulsion on a 2-D layout by Barnes-Hut (van der Maaten, JMLR 2014): a quadtree over
// the points, and for each point every cell far enough away (cell side < θ · distance to the
// cell's centre of mass) counted as one heavy point at its centre of mass. O(n log n) per step
// instead of O(n²). The tree is rebuilt every step on index ranges (partitioned in place), so
// it needs no pointers and its arrays are allocated once per layout.

/** Points per leaf: below this a cell's points are visited one by one. */
const LEAF = 4;
/** Depth beyond which a cell stays a leaf whatever it holds (points at one spot). */
const MAX_DEPTH = 40;

export class QuadTree {
  /** Point ids, ordered so that every cell's points are one range [lo, hi). */
  private readonly idx: Int32Array;
  private comX: Float64Array;
  private comY: Float64Array;
  private size: Float64Array;
  private lo: Int32Array;
  private hi: Int32Array;
  /** Four children per cell, -1 where a quadrant is empty; all four -1 = a leaf. */
  private child: Int32Array;
  private cells = 0;
  private readonly stack = new Int32Array(4 * MAX_DEPTH + 8);

  constructor(readonly n: number) {
    this.idx = new Int32Array(n);
    // Spread points need about 4n/LEAF cells; points bunched at one spot need more (a chain of
    // one-child cells down to their scale), so the arrays grow when a build needs it.
    const cap = Math.ceil((4 * n) / LEAF) + 16;
    this.comX = new Float64Array(cap);
    this.comY = new Float64Array(cap);
    this.size = new Float64Array(cap);
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    this.child = new Int32Array(cap * 4);
  }

  /** Rebuilds the tree over positions y (n × 2). */
  build(y: Float64Array): void {
    const n = this.n;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      this.idx[i] = i;
      const a = y[2 * i], b = y[2 * i + 1];
      if (a < minX) minX = a;
      if (a > maxX) maxX = a;
      if (b < minY) minY = b;
      if (b > maxY) maxY = b;
    }
    this.cells = 0;
    if (n > 0) this.split(y, 0, n, minX, minY, Math.max(maxX - minX, maxY - minY) + 1e-9, 0);
  }

  /**
   * The points in the order of the last build's cells (each cell's points one run, its
   * quadrants in turn): points near each other in the plane come near each other here.
   */
  order(): Int32Array {
    return this.idx.slice();
  }

  private split(y: Float64Array, l: number, h: number, x0: number, y0: number, s: number, depth: number): number {
    if (this.cells === this.lo.length) this.grow();
    const cell = this.cells++;
    const idx = this.idx;
    this.lo[cell] = l;
    this.hi[cell] = h;
    this.size[cell] = s;
    let sx = 0, sy = 0;
    for (let t = l; t < h; t++) { sx += y[2 * idx[t]]; sy += y[2 * idx[t] + 1]; }
    this.comX[cell] = sx / (h - l);
    this.comY[cell] = sy / (h - l);
    const c4 = cell * 4;
    this.child[c4] = this.child[c4 + 1] = this.child[c4 + 2] = this.child[c4 + 3] = -1;
    if (h - l <= LEAF || depth >= MAX_DEPTH) return cell;
    const mx = x0 + s / 2, my = y0 + s / 2, half = s / 2;
    const m = partition(idx, y, l, h, 0, mx);
    const m1 = partition(idx, y, l, m, 1, my);
    const m2 = partition(idx, y, m, h, 1, my);
    if (m1 > l) this.child[c4] = this.split(y, l, m1, x0, y0, half, depth + 1);
    if (m > m1) this.child[c4 + 1] = this.split(y, m1, m, x0, my, half, depth + 1);
    if (m2 > m) this.child[c4 + 2] = this.split(y, m, m2, mx, y0, half, depth + 1);
    if (h > m2) this.child[c4 + 3] = this.split(y, m2, h, mx, my, half, depth + 1);
    return cell;
  }

  private grow(): void {
    const cap = this.lo.length * 2;
    const more = <T extends Float64Array | Int32Array>(a: T, len: number): T => {
      const b = new (a.constructor as new (len: number) => T)(len);
      b.set(a);
      return b;
    };
    this.comX = more(this.comX, cap);
    this.comY = more(this.comY, cap);
    this.size = more(this.size, cap);
    this.lo = more(this.lo, cap);
    this.hi = more(this.hi, cap);
    this.child = more(this.child, cap * 4);
  }

  /**
   * Point i's repulsion: writes Σ_j w_ij² (y_i − y_j) into out[2i], out[2i + 1] and returns
   * Σ_j w_ij, with w_ij = 1 / (1 + |y_i − y_j|²) (the Cauchy kernel), j ≠ i, far cells lumped.
   */
  repulsion(y: Float64Array, i: number, theta: number, out: Float64Array): number {
    const { idx, comX, comY, size, lo, hi, child, stack } = this;
    const th2 = theta * theta;
    const xi = y[2 * i], yi = y[2 * i + 1];
    let fx = 0, fy = 0, z = 0, sp = 0;
    if (this.cells > 0) stack[sp++] = 0;
    while (sp > 0) {
      const cell = stack[--sp];
      const c4 = cell * 4;
      const dx = xi - comX[cell], dy = yi - comY[cell];
      const d2 = dx * dx + dy * dy;
      if (child[c4] + child[c4 + 1] + child[c4 + 2] + child[c4 + 3] === -4) {
        for (let t = lo[cell]; t < hi[cell]; t++) {
          const j = idx[t];
          if (j === i) continue;
          const ex = xi - y[2 * j], ey = yi - y[2 * j + 1];
          const w = 1 / (1 + ex * ex + ey * ey);
          z += w;
          fx += w * w * ex;
          fy += w * w * ey;
        }
      } else if (size[cell] * size[cell] < th2 * d2) {
        const m = hi[cell] - lo[cell];
        const w = 1 / (1 + d2);
        z += m * w;
        fx += m * w * w * dx;
        fy += m * w * w * dy;
      } else {
        for (let c = 0; c < 4; c++) if (child[c4 + c] >= 0) stack[sp++] = child[c4 + c];
      }
    }
    out[2 * i] = fx;
    out[2 * i + 1] = fy;
    return z;
  }
}

/** Moves the ids in [l, h) whose coordinate `axis` is below `at` to the front; returns where the rest begin. */
function partition(idx: Int32Array, y: Float64Array, l: number, h: number, axis: number, at: number): number {
  let i = l, j = h - 1;
  while (i <= j) {
    if (y[2 * idx[i] + axis] < at) i++;
    else {
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
      j--;
    }
  }
  return i;
}

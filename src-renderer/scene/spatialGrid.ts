// A uniform grid over data space, built once per layout by counting sort: point ids sorted by
// cell plus their coordinates in the same order, so a query walks contiguous memory.
// Picking, lasso and the thumbnail level of detail all query it; nothing reads the GPU.
import { GRID_POINTS_PER_CELL } from './constants';
import type { Rect } from './camera';

export interface SpatialGrid {
  /** Points in the layout, placed or not. */
  n: number;
  minX: number;
  minY: number;
  cellW: number;
  cellH: number;
  cols: number;
  rows: number;
  /** Points of cell c are order[cellStart[c] .. cellStart[c + 1]); cells row-major. */
  cellStart: Uint32Array;
  /** Ids of the placed points (finite x and y), grouped by cell. */
  order: Uint32Array;
  /** Coordinates of order[k] at k. */
  xs: Float32Array;
  ys: Float32Array;
}

const MAX_SIDE = 4096;

export function buildGrid(x: Float32Array, y: Float32Array, pointsPerCell = GRID_POINTS_PER_CELL): SpatialGrid {
  const n = x.length;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const px = x[i];
    const py = y[i];
    if (px - px !== 0 || py - py !== 0) continue;
    m++;
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  if (m === 0) {
    minX = minY = 0;
    maxX = maxY = 1;
  }
  // Square-ish cells holding pointsPerCell points on average; a flat extent still gets a width.
  const w = Math.max(maxX - minX, 1e-9 * Math.max(1, Math.abs(maxX)));
  const h = Math.max(maxY - minY, 1e-9 * Math.max(1, Math.abs(maxY)));
  const target = Math.max(1, m / pointsPerCell);
  const side = Math.sqrt((w * h) / target);
  const cols = Math.min(MAX_SIDE, Math.max(1, Math.ceil(w / side)));
  const rows = Math.min(MAX_SIDE, Math.max(1, Math.ceil(h / side)));
  const g: SpatialGrid = {
    n,
    minX,
    minY,
    cellW: w / cols,
    cellH: h / rows,
    cols,
    rows,
    cellStart: new Uint32Array(cols * rows + 1),
    order: new Uint32Array(m),
    xs: new Float32Array(m),
    ys: new Float32Array(m),
  };
  const cellOf = new Uint32Array(n);
  const counts = g.cellStart;
  for (let i = 0; i < n; i++) {
    const px = x[i];
    const py = y[i];
    if (px - px !== 0 || py - py !== 0) {
      cellOf[i] = 0xffffffff;
      continue;
    }
    const c = cellIndex(g, px, py);
    cellOf[i] = c;
    counts[c + 1]++;
  }
  for (let c = 0; c < cols * rows; c++) counts[c + 1] += counts[c];
  const fill = counts.slice(0, cols * rows);
  for (let i = 0; i < n; i++) {
    const c = cellOf[i];
    if (c === 0xffffffff) continue;
    const k = fill[c]++;
    g.order[k] = i;
    g.xs[k] = x[i];
    g.ys[k] = y[i];
  }
  return g;
}

export function colOf(g: SpatialGrid, x: number): number {
  const c = Math.floor((x - g.minX) / g.cellW);
  return c < 0 ? 0 : c >= g.cols ? g.cols - 1 : c;
}

export function rowOf(g: SpatialGrid, y: number): number {
  const r = Math.floor((y - g.minY) / g.cellH);
  return r < 0 ? 0 : r >= g.rows ? g.rows - 1 : r;
}

export function cellIndex(g: SpatialGrid, x: number, y: number): number {
  return rowOf(g, y) * g.cols + colOf(g, x);
}

/** Does the rectangle overlap the grid's extent at all? */
function overlaps(g: SpatialGrid, r: Rect): boolean {
  return r.maxX >= g.minX && r.minX <= g.minX + g.cols * g.cellW && r.maxY >= g.minY && r.minY <= g.minY + g.rows * g.cellH;
}

/**
 * Nearest placed point to (x, y) within `maxDist` (data units) whose `skip` flag is zero; -1
 * when none. Equal distances go to the higher id, which is drawn on top.
 */
export function nearest(g: SpatialGrid, x: number, y: number, maxDist: number, skip?: Uint8Array | null): number {
  const r: Rect = { minX: x - maxDist, minY: y - maxDist, maxX: x + maxDist, maxY: y + maxDist };
  if (g.order.length === 0 || !overlaps(g, r)) return -1;
  let best = -1;
  let bestD = maxDist * maxDist;
  // Its own loop rather than forEachInRect: hover picks on every pointer move, and a callback
  // per point (not inlined: that walk serves the LOD and lasso code too) made it twice as slow
  // (bench/scene-pick.ts). The distance test is the rectangle test, tighter.
  const c0 = colOf(g, r.minX);
  const c1 = colOf(g, r.maxX);
  const r0 = rowOf(g, r.minY);
  const r1 = rowOf(g, r.maxY);
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) {
      const cell = row * g.cols + col;
      for (let k = g.cellStart[cell], end = g.cellStart[cell + 1]; k < end; k++) {
        const dx = g.xs[k] - x;
        const dy = g.ys[k] - y;
        const d = dx * dx + dy * dy;
        const id = g.order[k];
        if (d > bestD || (d === bestD && id < best)) continue;
        if (skip && skip[id]) continue;
        best = id;
        bestD = d;
      }
    }
  }
  return best;
}

/**
 * Calls visit(id, x, y) for each placed point inside the closed rectangle whose `skip` flag is
 * zero; stops early and returns false as soon as visit returns false.
 */
export function forEachInRect(
  g: SpatialGrid,
  r: Rect,
  visit: (id: number, x: number, y: number) => boolean | void,
  skip?: Uint8Array | null,
): boolean {
  if (g.order.length === 0 || !overlaps(g, r)) return true;
  const c0 = colOf(g, r.minX);
  const c1 = colOf(g, r.maxX);
  const r0 = rowOf(g, r.minY);
  const r1 = rowOf(g, r.maxY);
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) {
      const cell = row * g.cols + col;
      for (let k = g.cellStart[cell], end = g.cellStart[cell + 1]; k < end; k++) {
        const px = g.xs[k];
        const py = g.ys[k];
        if (px < r.minX || px > r.maxX || py < r.minY || py > r.maxY) continue;
        const id = g.order[k];
        if (skip && skip[id]) continue;
        if (visit(id, px, py) === false) return false;
      }
    }
  }
  return true;
}

/**
 * Number of unskipped points inside the rectangle, counting at most `limit + 1` so that a
 * zoomed-out view of a million points costs a few cells, not a million tests.
 */
export function countInRect(g: SpatialGrid, r: Rect, limit: number, skip?: Uint8Array | null): number {
  let count = 0;
  forEachInRect(
    g,
    r,
    () => {
      count++;
      return count <= limit;
    },
    skip,
  );
  return count;
}

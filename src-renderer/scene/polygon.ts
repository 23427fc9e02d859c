// Exact point-in-polygon selection over the spatial grid.
//
// Polygons are flat [x0, y0, x1, y1, ...] arrays, implicitly closed. Inside means the EVEN-ODD
// rule: a point is inside when a ray from it crosses the outline an odd number of times. So
// both loops of a figure-eight lasso select, and where a self-intersecting outline covers an
// area twice that area is outside (a lasso drawn round a cluster twice selects nothing there).
// Points exactly on an edge follow the half-open crossing convention: consistent, unspecified.
//
// Speed: cells that no edge touches are wholly inside or wholly outside, so one test at the
// cell centre settles all their points; only points in cells an edge passes through get the
// exact test, and only against the edges that span their row of cells.
import { colOf, rowOf, type SpatialGrid } from './spatialGrid';

export type PolygonProblem = 'too-few-points' | 'not-finite' | 'zero-area';

export interface PolygonHits {
  /** Selected point ids, in no particular order. */
  ids: Uint32Array;
  /** Why the polygon selected nothing without being tested, when that happened. */
  reason?: PolygonProblem;
}

/** Signed area (shoelace); a self-intersecting outline can sum to zero, so this is advisory. */
export function polygonArea(poly: ArrayLike<number>): number {
  const m = poly.length >> 1;
  let a = 0;
  for (let i = 0, j = m - 1; i < m; j = i++) a += poly[2 * j] * poly[2 * i + 1] - poly[2 * i] * poly[2 * j + 1];
  return a / 2;
}

/** Why the polygon cannot select anything, or null. */
export function polygonProblem(poly: ArrayLike<number>): PolygonProblem | null {
  if (poly.length < 6) return 'too-few-points';
  for (let i = 0; i < poly.length; i++) if (!Number.isFinite(poly[i])) return 'not-finite';
  // Zero area here means every vertex on one line (or one point): the outline encloses nothing.
  const x0 = poly[0];
  const y0 = poly[1];
  let k = 2;
  while (k < poly.length && poly[k] === x0 && poly[k + 1] === y0) k += 2;
  if (k >= poly.length) return 'zero-area';
  const dx = poly[k] - x0;
  const dy = poly[k + 1] - y0;
  for (let i = k + 2; i < poly.length; i += 2) {
    if (dx * (poly[i + 1] - y0) - dy * (poly[i] - x0) !== 0) return null;
  }
  return 'zero-area';
}

/** Even-odd test of one point against the whole polygon. */
export function pointInPolygon(poly: ArrayLike<number>, px: number, py: number): boolean {
  const m = poly.length >> 1;
  let inside = false;
  for (let i = 0, j = m - 1; i < m; j = i++) {
    const ax = poly[2 * j];
    const ay = poly[2 * j + 1];
    const bx = poly[2 * i];
    const by = poly[2 * i + 1];
    if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

/**
 * Ids of the grid's points inside `poly` (even-odd) whose `skip` flag is zero. A polygon with
 * fewer than three vertices, a non-finite coordinate or no area selects nothing and says why.
 */
export function selectInPolygon(g: SpatialGrid, poly: ArrayLike<number>, skip?: Uint8Array | null): PolygonHits {
  const problem = polygonProblem(poly);
  if (problem) return { ids: new Uint32Array(0), reason: problem };
  const m = poly.length >> 1;
  let pMinX = Infinity;
  let pMinY = Infinity;
  let pMaxX = -Infinity;
  let pMaxY = -Infinity;
  for (let i = 0; i < m; i++) {
    pMinX = Math.min(pMinX, poly[2 * i]);
    pMaxX = Math.max(pMaxX, poly[2 * i]);
    pMinY = Math.min(pMinY, poly[2 * i + 1]);
    pMaxY = Math.max(pMaxY, poly[2 * i + 1]);
  }
  const gMaxX = g.minX + g.cols * g.cellW;
  const gMaxY = g.minY + g.rows * g.cellH;
  if (g.order.length === 0 || pMaxX < g.minX || pMinX > gMaxX || pMaxY < g.minY || pMinY > gMaxY) {
    return { ids: new Uint32Array(0) };
  }
  const c0 = colOf(g, pMinX);
  const c1 = colOf(g, pMaxX);
  const r0 = rowOf(g, pMinY);
  const r1 = rowOf(g, pMaxY);
  const bw = c1 - c0 + 1;
  const bh = r1 - r0 + 1;
  // Grid cell assignment and the edge walk below round differently, so edges claim cells and
  // rows a hair wider than they are; a cell wrongly called "touched" only costs exact tests.
  const epsX = g.cellW * 1e-6;
  const epsY = g.cellH * 1e-6;

  // Edges per row of cells (CSR), and the cells each edge passes through.
  const rowEdgeCount = new Uint32Array(bh + 1);
  const edgeRows = new Int32Array(2 * m);
  for (let e = 0; e < m; e++) {
    const ay = poly[2 * e + 1];
    const by = poly[2 * ((e + 1) % m) + 1];
    const lo = rowOf(g, Math.min(ay, by) - epsY) - r0;
    const hi = rowOf(g, Math.max(ay, by) + epsY) - r0;
    edgeRows[2 * e] = Math.max(0, lo);
    edgeRows[2 * e + 1] = Math.min(bh - 1, hi);
    for (let r = edgeRows[2 * e]; r <= edgeRows[2 * e + 1]; r++) rowEdgeCount[r + 1]++;
  }
  for (let r = 0; r < bh; r++) rowEdgeCount[r + 1] += rowEdgeCount[r];
  const rowEdges = new Uint32Array(rowEdgeCount[bh]);
  const fill = rowEdgeCount.slice(0, bh);
  const touched = new Uint8Array(bw * bh);
  for (let e = 0; e < m; e++) {
    const ax = poly[2 * e];
    const ay = poly[2 * e + 1];
    const bx = poly[2 * ((e + 1) % m)];
    const by = poly[2 * ((e + 1) % m) + 1];
    for (let r = edgeRows[2 * e]; r <= edgeRows[2 * e + 1]; r++) {
      rowEdges[fill[r]++] = e;
      // The part of the edge inside this row's band, as an x range.
      const yLo = g.minY + (r + r0) * g.cellH - epsY;
      const yHi = yLo + g.cellH + 2 * epsY;
      let xa: number;
      let xb: number;
      if (ay === by) {
        xa = ax;
        xb = bx;
      } else {
        const ta = Math.min(1, Math.max(0, (yLo - ay) / (by - ay)));
        const tb = Math.min(1, Math.max(0, (yHi - ay) / (by - ay)));
        xa = ax + (bx - ax) * ta;
        xb = ax + (bx - ax) * tb;
      }
      const lo = Math.max(0, colOf(g, Math.min(xa, xb) - epsX) - c0);
      const hi = Math.min(bw - 1, colOf(g, Math.max(xa, xb) + epsX) - c0);
      for (let c = lo; c <= hi; c++) touched[r * bw + c] = 1;
    }
  }

  let out = new Uint32Array(Math.min(g.order.length, 1024));
  let count = 0;
  const push = (id: number): void => {
    if (count === out.length) {
      const grown = new Uint32Array(Math.min(g.order.length, out.length * 2));
      grown.set(out);
      out = grown;
    }
    out[count++] = id;
  };
  const crossings: number[] = [];
  for (let r = 0; r < bh; r++) {
    const eStart = rowEdgeCount[r];
    const eEnd = rowEdgeCount[r + 1];
    if (eStart === eEnd) continue; // no edge spans this row: it lies wholly outside
    // Crossings of the row's centre line, to classify untouched cells by their centres.
    const yc = g.minY + (r + r0 + 0.5) * g.cellH;
    crossings.length = 0;
    for (let k = eStart; k < eEnd; k++) {
      const e = rowEdges[k];
      const ax = poly[2 * e];
      const ay = poly[2 * e + 1];
      const bx = poly[2 * ((e + 1) % m)];
      const by = poly[2 * ((e + 1) % m) + 1];
      if (ay > yc !== by > yc) crossings.push(((bx - ax) * (yc - ay)) / (by - ay) + ax);
    }
    crossings.sort((a, b) => a - b);
    let ci = 0;
    const rowCell = (r + r0) * g.cols;
    for (let c = 0; c < bw; c++) {
      const cell = rowCell + c + c0;
      const start = g.cellStart[cell];
      const end = g.cellStart[cell + 1];
      if (start === end) continue;
      if (!touched[r * bw + c]) {
        const xc = g.minX + (c + c0 + 0.5) * g.cellW;
        while (ci < crossings.length && crossings[ci] < xc) ci++;
        if ((ci & 1) === 0) continue; // an even number of crossings to the left: outside
        for (let k = start; k < end; k++) {
          const id = g.order[k];
          if (!skip || !skip[id]) push(id);
        }
        continue;
      }
      for (let k = start; k < end; k++) {
        const px = g.xs[k];
        const py = g.ys[k];
        let inside = false;
        for (let q = eStart; q < eEnd; q++) {
          const e = rowEdges[q];
          const ay = poly[2 * e + 1];
          const f = (e + 1) % m;
          const by = poly[2 * f + 1];
          if (ay > py === by > py) continue;
          const ax = poly[2 * e];
          if (px < ((poly[2 * f] - ax) * (py - ay)) / (by - ay) + ax) inside = !inside;
        }
        if (!inside) continue;
        const id = g.order[k];
        if (!skip || !skip[id]) push(id);
      }
    }
  }
  return { ids: out.slice(0, count) };
}

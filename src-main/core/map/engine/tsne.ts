// t-SNE steps (van der Maaten & Hinton 2008; Barnes-Hut, van der Maaten 2014) that refine the
// UMAP-style SGD's layout. Why: the SGD's repulsion is a handful of sampled points per edge, so
// where classes overlap (Fashion-MNIST's shirts and T-shirts) the 2-D neighbours mix more than
// the graph's do; t-SNE's repulsion is the whole normalised field, the end of the
// attraction-repulsion spectrum that keeps k nearest neighbours best (Böhm, Berens & Kobak,
// JMLR 2022). Started from the SGD's layout, which already holds the global arrangement,
// a hundred steps without early exaggeration suffice (measured: BENCHMARKS.md, map
// faithfulness). Affinities come from the map's own k-NN graph with perplexity k / 3, the
// usual pairing of neighbours and perplexity (openTSNE, FIt-SNE). Each step runs in fixed chunks
// of rows that the layout's workers share out (tasks.ts runTsne), so any thread count gives the
// same positions.
import type { KnnGraph } from '../../../../src-shared/model/knn';
import { QuadTree } from './barnes-hut';

export interface TsneOptions {
  /**
   * Barnes-Hut opening angle. Default 1.5, coarser than the usual 0.5: from a settled layout
   * only the near field moves the neighbourhoods, and on Fashion-MNIST (70,000 points) 0.5,
   * 1 and 1.5 ended within 0.002 of each other in label agreement, 1.5 at 0.6× the time of 1.
   */
  theta?: number;
}

/** Symmetric affinities P as compressed rows: row i's entries are to[start[i] .. start[i + 1]). */
export interface Affinities {
  start: Int32Array;
  to: Int32Array;
  p: Float64Array;
}

/**
 * p_j|i (n × k, as the graph's rows) ∝ exp(−β_i · (d_ij − d_i1)) with β_i chosen by bisection so
 * that row i's perplexity is `perplexity` (distances as the graph holds them, less the nearest:
 * only their differences matter to the row's normalised weights). Rows sum to 1; empty slots 0.
 */
export function conditionalAffinities(graph: KnnGraph, perplexity: number): Float64Array {
  const { n, k, indices, distances } = graph;
  const H = Math.log(Math.max(1, Math.min(perplexity, k)));
  const cond = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let d0 = Infinity;
    for (let t = 0; t < k; t++) if (indices[row + t] >= 0) d0 = Math.min(d0, Math.max(0, distances[row + t]));
    if (d0 === Infinity) continue;
    let lo = 0, hi = Infinity, beta = 1;
    for (let it = 0; it < 64; it++) {
      let s = 0, sd = 0;
      for (let t = 0; t < k; t++) {
        if (indices[row + t] < 0) continue;
        const d = Math.max(0, distances[row + t]) - d0;
        const w = Math.exp(-beta * d);
        s += w;
        sd += w * d;
      }
      const h = Math.log(s) + (beta * sd) / s; // the row's entropy
      if (Math.abs(h - H) < 1e-5) break;
      if (h > H) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
    let s = 0;
    for (let t = 0; t < k; t++) {
      if (indices[row + t] < 0) continue;
      cond[row + t] = Math.exp(-beta * (Math.max(0, distances[row + t]) - d0));
      s += cond[row + t];
    }
    for (let t = 0; t < k; t++) cond[row + t] /= s;
  }
  return cond;
}

/** P_ij = (p_j|i + p_i|j) / 2n over the graph's edges (conditionalAffinities), as compressed rows. */
export function tsneAffinities(graph: KnnGraph, perplexity: number): Affinities {
  const { n, k, indices } = graph;
  const cond = conditionalAffinities(graph, perplexity);
  const deg = new Int32Array(n);
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) {
    const j = indices[i * k + t];
    if (j >= 0 && j !== i) { deg[i]++; deg[j]++; }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + deg[i];
  const to = new Int32Array(start[n]);
  const p = new Float64Array(start[n]);
  const fill = start.slice(0, n);
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) {
    const j = indices[i * k + t];
    if (j < 0 || j === i) continue;
    const v = cond[i * k + t] / (2 * n);
    to[fill[i]] = j;
    p[fill[i]++] = v;
    to[fill[j]] = i;
    p[fill[j]++] = v;
  }
  return { start, to, p };
}

/** Rows per chunk of a step's work: fixed, so the normaliser's partial sums (and so every position) do not depend on the thread count. */
const CHUNK_ROWS = 2048;

/**
 * What the steps share between threads (SharedArrayBuffers when `shared`). Step s reads the
 * positions y[(s − 1) % 2] and writes y[s % 2], so every thread reads one step's positions
 * while the next are written; a chunk's rows own their repulsion, gains and updates.
 */
export interface TsneState {
  n: number;
  A: Affinities;
  y: [Float64Array, Float64Array];
  rep: Float64Array;
  /** Σ_j w_ij over each chunk's rows: the normaliser Z, summed in chunk order. */
  zPart: Float64Array;
  update: Float64Array;
  gains: Float64Array;
  /** Chunk c is rows [bounds[c], bounds[c + 1]). */
  bounds: Int32Array;
  lr: number;
  theta: number;
  /** Centre and spread of the layout the steps started from, which the result is given back at. */
  input: Spread;
  /**
   * The steps' rows are the points in a spatial order of the starting layout (spatialOrder):
   * row t is point order[t]. Points handled one after another then read the same cells of the
   * quadtree and nearby positions, which the cache keeps (scratch, a step's repulsion on a
   * synthetic mixture: 4–5× faster than in the points' own order at 200,000 points, 2.5× at
   * 70,000; the 100 steps of a real map 1.9× at 70,000 and 2.6× at 200,000, BENCHMARKS.md);
   * layoutOf gives the points back in their own order.
   */
  order: Int32Array;
}

/** The steps' rows (TsneState.order) and their affinities, numbered by row. */
export interface TsneRows { order: Int32Array; A: Affinities }

/**
 * The affinities of the graph (tsneAffinities) with its points in the spatial order of their
 * starting layout (TsneState.order); in shared memory when `shared`. A layout makes them on a
 * worker (tasks.ts), as building them reads every edge.
 */
export function tsneRows(graph: KnnGraph, perplexity: number, positions: Float32Array, shared: boolean): TsneRows {
  const order = spatialOrder(positions);
  return { order, A: reordered(tsneAffinities(graph, perplexity), order, shared) };
}

export function createTsneState({ order, A }: TsneRows, positions: Float32Array, opts: TsneOptions, shared: boolean): TsneState {
  const n = positions.length / 2;
  const f64 = (len: number) => new Float64Array(shared ? new SharedArrayBuffer(8 * len) : new ArrayBuffer(8 * len));
  const input = spread(positions, n);
  // t-SNE's own scale: a layout of n points settles at a spread of about √n / 6 with the
  // Cauchy kernel's unit length (each point needs about a unit of area; scikit-learn's
  // Fashion-MNIST layout, 70,000 points: 48). Started there, no early exaggeration is needed.
  const scale = Math.sqrt(n) / 6 / (input.sd || 1);
  const y0 = f64(2 * n);
  for (let t = 0; t < n; t++) {
    const i = order[t];
    y0[2 * t] = (positions[2 * i] - input.cx) * scale;
    y0[2 * t + 1] = (positions[2 * i + 1] - input.cy) * scale;
  }
  const chunks = Math.max(1, Math.ceil(n / CHUNK_ROWS));
  const bounds = Int32Array.from({ length: chunks + 1 }, (_, c) => Math.min(n, c * CHUNK_ROWS));
  const gains = f64(2 * n);
  gains.fill(1);
  return {
    n,
    A,
    y: [y0, f64(2 * n)],
    rep: f64(2 * n),
    zPart: f64(chunks),
    update: f64(2 * n),
    gains,
    bounds,
    // Learning rate n / 100 with momentum 0.8 and per-coordinate gains (Jacobs 1988, as t-SNE's
    // reference code): n / 48 (scikit-learn's for the exaggerated phase) made the settled layout
    // oscillate after 50 steps (Fashion-MNIST, 70,000 points: agreement 0.819 → 0.703 at 100),
    // and scikit-learn's floor of 50 tore a 1,000-point layout apart (0.732 → 0.576).
    lr: n / 100,
    theta: opts.theta ?? 1.5,
    input,
    order,
  };
}

/** The points in the order of a quadtree's cells over their layout (QuadTree.order). */
function spatialOrder(positions: Float32Array): Int32Array {
  const n = positions.length / 2;
  const tree = new QuadTree(n);
  tree.build(Float64Array.from(positions));
  return tree.order();
}

/** Affinities with row t the point order[t] and every entry's point renumbered alike. */
function reordered(A: Affinities, order: Int32Array, shared: boolean): Affinities {
  const n = order.length;
  const rank = new Int32Array(n);
  for (let t = 0; t < n; t++) rank[order[t]] = t;
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const start = new Int32Array(buffer(4 * (n + 1))), to = new Int32Array(buffer(4 * A.to.length)), p = new Float64Array(buffer(8 * A.p.length));
  for (let t = 0, e = 0; t < n; t++) {
    const i = order[t];
    start[t] = e;
    for (let f = A.start[i]; f < A.start[i + 1]; f++, e++) { to[e] = rank[A.to[f]]; p[e] = A.p[f]; }
  }
  start[n] = A.to.length;
  return { start, to, p };
}

/** The positions step `step` reads (those after step − 1). */
export function stepInput(state: TsneState, step: number): Float64Array {
  return state.y[(step - 1) & 1];
}

/** Chunk c's repulsion in step `step`; `tree` must be built on stepInput(state, step). */
export function repulsionChunk(state: TsneState, tree: QuadTree, step: number, c: number): void {
  const y = stepInput(state, step);
  let z = 0;
  for (let i = state.bounds[c]; i < state.bounds[c + 1]; i++) z += tree.repulsion(y, i, state.theta, state.rep);
  state.zPart[c] = z;
}

/** Chunk c's gradient step in step `step`, after every chunk's repulsion. */
export function descentChunk(state: TsneState, step: number, c: number, invZ: number): void {
  const { A, rep, update, gains, lr } = state;
  const y = stepInput(state, step);
  const out = state.y[step & 1];
  for (let i = state.bounds[c]; i < state.bounds[c + 1]; i++) {
    const xi = y[2 * i], yi = y[2 * i + 1];
    let ax = 0, ay = 0;
    for (let e = A.start[i]; e < A.start[i + 1]; e++) {
      const j = A.to[e];
      const dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
      const w = A.p[e] / (1 + dx * dx + dy * dy);
      ax += w * dx;
      ay += w * dy;
    }
    out[2 * i] = xi + descend(update, gains, 2 * i, 4 * (ax - rep[2 * i] * invZ), lr);
    out[2 * i + 1] = yi + descend(update, gains, 2 * i + 1, 4 * (ay - rep[2 * i + 1] * invZ), lr);
  }
}

/** 1 / Z from the chunks' partial sums, in chunk order. */
export function inverseNormaliser(state: TsneState): number {
  let Z = 0;
  for (let c = 0; c < state.zPart.length; c++) Z += state.zPart[c];
  return Z > 0 ? 1 / Z : 0;
}

/** Coordinate u's move for gradient g (momentum 0.8, per-coordinate gain). */
function descend(update: Float64Array, gains: Float64Array, u: number, g: number, lr: number): number {
  // A gain grows while the gradient keeps pushing the way the coordinate already moves.
  gains[u] = (g > 0) !== (update[u] > 0) ? gains[u] + 0.2 : Math.max(0.01, gains[u] * 0.8);
  update[u] = 0.8 * update[u] - lr * gains[u] * g;
  return update[u];
}

/** Centre and spread (root mean square distance per axis) of a layout. */
export interface Spread { cx: number; cy: number; sd: number }

export function spread(p: ArrayLike<number>, n: number): Spread {
  let cx = 0, cy = 0;
  for (let i = 0; i < n; i++) { cx += p[2 * i]; cy += p[2 * i + 1]; }
  cx /= n;
  cy /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (p[2 * i] - cx) ** 2 + (p[2 * i + 1] - cy) ** 2;
  return { cx, cy, sd: Math.sqrt(s / (2 * n)) };
}

/** The steps' positions y (rows in the state's order) as a layout of the points in their own order, moved and scaled to the centre and spread the steps started from. */
export function layoutOf(state: TsneState, y: ArrayLike<number>): Float32Array {
  const { n, order, input } = state;
  const own = spread(y, n);
  const s = own.sd > 0 ? input.sd / own.sd : 0;
  const out = new Float32Array(2 * n);
  for (let t = 0; t < n; t++) {
    const i = order[t];
    out[2 * i] = input.cx + (y[2 * t] - own.cx) * s;
    out[2 * i + 1] = input.cy + (y[2 * t + 1] - own.cy) * s;
  }
  return out;
}

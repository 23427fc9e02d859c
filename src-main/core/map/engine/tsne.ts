// t-SNE steps (van der Maaten & Hinton 2008; Barnes-Hut, van der Maaten 2014) that refine the
// UMAP-style SGD's layout. Why: the SGD's repulsion is a handful of sampled points per edge, so
// where classes overlap (Fashion-MNIST's shirts and T-shirts) the 2-D neighbours mix more than
// the graph's do; t-SNE's repulsion is the whole normalised field, the end of the
// attraction-repulsion spectrum that keeps k nearest neighbours best (Böhm, Berens & Kobak,
// JMLR 2022). Started from the SGD's layout, which already holds the global arrangement,
// a hundred steps without early exaggeration suffice (measured: BENCHMARKS.md, map
// faithfulness). Affinities come from the map's own k-NN graph with perplexity k / 3, the
// usual pairing of neighbours and perplexity (openTSNE, FIt-SNE).
import type { KnnGraph } from '../../../../src-shared/model/knn';
import { QuadTree } from './barnes-hut';

export interface TsneOptions {
  /** Gradient steps (default 100). */
  steps?: number;
  /**
   * Barnes-Hut opening angle. Default 1.5, coarser than the usual 0.5: from a settled layout
   * only the near field moves the neighbourhoods, and on Fashion-MNIST (70,000 points) 0.5,
   * 1 and 1.5 ended within 0.002 of each other in label agreement, 1.5 at 0.6× the time of 1.
   */
  theta?: number;
  /** Perplexity of the affinities (default graph.k / 3). */
  perplexity?: number;
  /** Called after each step with the step number (1-based) and the current positions (n × 2, at t-SNE's scale: see rescaled). */
  onStep?: (step: number, y: Float64Array) => void;
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

/**
 * Runs t-SNE steps from `positions` (n × 2) on the graph's affinities and returns the result
 * at the input's centre and spread, so whatever reads the layout sees the scale it had.
 */
export function refineTsne(graph: KnnGraph, positions: Float32Array, opts: TsneOptions = {}): Float32Array {
  const n = graph.n;
  const steps = opts.steps ?? 100;
  if (n < 3 || steps <= 0) return positions.slice();
  const theta = opts.theta ?? 1.5;
  const A = tsneAffinities(graph, opts.perplexity ?? graph.k / 3);
  const input = spread(positions, n);
  const { cx, cy, sd } = input;
  // t-SNE's own scale: a layout of n points settles at a spread of about √n / 6 with the
  // Cauchy kernel's unit length (each point needs about a unit of area; scikit-learn's
  // Fashion-MNIST layout, 70,000 points: 48). Started there, no early exaggeration is needed.
  const scale = Math.sqrt(n) / 6 / (sd || 1);
  const y = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    y[2 * i] = (positions[2 * i] - cx) * scale;
    y[2 * i + 1] = (positions[2 * i + 1] - cy) * scale;
  }
  // Learning rate n / 100 with momentum 0.8 and per-coordinate gains (Jacobs 1988, as t-SNE's
  // reference code): n / 48 (scikit-learn's for the exaggerated phase) made the settled layout
  // oscillate after 50 steps (Fashion-MNIST, 70,000 points: agreement 0.819 → 0.703 at 100),
  // and scikit-learn's floor of 50 tore a 1,000-point layout apart (0.732 → 0.576).
  const lr = n / 100;
  const tree = new QuadTree(n);
  const rep = new Float64Array(2 * n);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  for (let step = 1; step <= steps; step++) {
    tree.build(y);
    let Z = 0;
    for (let i = 0; i < n; i++) Z += tree.repulsion(y, i, theta, rep);
    const invZ = Z > 0 ? 1 / Z : 0;
    for (let i = 0; i < n; i++) {
      const xi = y[2 * i], yi = y[2 * i + 1];
      let ax = 0, ay = 0;
      for (let e = A.start[i]; e < A.start[i + 1]; e++) {
        const j = A.to[e];
        const dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
        const w = A.p[e] / (1 + dx * dx + dy * dy);
        ax += w * dx;
        ay += w * dy;
      }
      descend(y, update, gains, 2 * i, 4 * (ax - rep[2 * i] * invZ), lr);
      descend(y, update, gains, 2 * i + 1, 4 * (ay - rep[2 * i + 1] * invZ), lr);
    }
    opts.onStep?.(step, y);
  }
  return rescaled(y, n, input);
}

function descend(y: Float64Array, update: Float64Array, gains: Float64Array, u: number, g: number, lr: number): void {
  // A gain grows while the gradient keeps pushing the way the coordinate already moves.
  gains[u] = (g > 0) !== (update[u] > 0) ? gains[u] + 0.2 : Math.max(0.01, gains[u] * 0.8);
  update[u] = 0.8 * update[u] - lr * gains[u] * g;
  y[u] += update[u];
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

/** y (n × 2) moved and scaled so that its centre and spread are `target`'s. */
export function rescaled(y: ArrayLike<number>, n: number, target: Spread): Float32Array {
  const own = spread(y, n);
  const s = own.sd > 0 ? target.sd / own.sd : 0;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    out[2 * i] = target.cx + (y[2 * i] - own.cx) * s;
    out[2 * i + 1] = target.cy + (y[2 * i + 1] - own.cy) * s;
  }
  return out;
}

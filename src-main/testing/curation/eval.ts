// Evaluation helpers shared by the curate tests and bench.
import { dotRows } from '../../core/curate/engine/linalg';
import type { KnnGraph } from '../../../src-shared/model/knn';

/** Flips `rate` of the labels to a different class, uniformly; returns the new labels and which flipped. */
export function flipLabels(labels: Int32Array, numClasses: number, rate: number, rng: () => number): { labels: Int32Array; flipped: Uint8Array; count: number } {
  const n = labels.length;
  const out = Int32Array.from(labels);
  const flipped = new Uint8Array(n);
  const count = Math.round(rate * n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
    const s = order[i];
    let y = Math.floor(rng() * (numClasses - 1));
    if (y >= labels[s]) y++;
    out[s] = y;
    flipped[s] = 1;
  }
  return { labels: out, flipped, count };
}

/** Sample indices, highest score first (ties by index). */
function byScore(score: Float32Array): number[] {
  return Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
}

/** Fraction of the K highest-scored samples that are truly flipped (K = number flipped). */
export function precisionAtK(score: Float32Array, flipped: Uint8Array, K: number): number {
  const order = byScore(score);
  let hit = 0;
  for (let t = 0; t < K; t++) hit += flipped[order[t]];
  return K > 0 ? hit / K : 1;
}

/**
 * Of the truly flipped samples among the K highest-scored, the share whose suggested label is
 * their true one (`truth`: the labels before flipping): what a reviewer who accepts the
 * suggestion gets right.
 */
export function suggestedAccuracy(res: { score: Float32Array; suggested: Int32Array }, flipped: Uint8Array, truth: Int32Array, K: number): number {
  const order = byScore(res.score);
  let found = 0, right = 0;
  for (let t = 0; t < K; t++) if (flipped[order[t]]) { found++; if (res.suggested[order[t]] === truth[order[t]]) right++; }
  return right / Math.max(1, found);
}

/**
 * The baseline noise score: the share of a sample's first k graph neighbours whose label differs
 * from its own (unweighted; neighbours marked -1 skipped).
 */
export function plainVote(graph: KnnGraph, y: Int32Array, k: number): Float32Array {
  const s = new Float32Array(graph.n);
  for (let i = 0; i < graph.n; i++) {
    let agree = 0, c = 0;
    for (let e = 0; e < Math.min(k, graph.k); e++) {
      const j = graph.indices[i * graph.k + e];
      if (j < 0) continue;
      c++;
      if (y[j] === y[i]) agree++;
    }
    s[i] = c ? 1 - agree / c : 0;
  }
  return s;
}

/** Accuracy of a 1-NN classifier (dot product of L2-normalised rows) trained on `train` rows. */
export function oneNnAccuracy(
  trainVectors: Float32Array,
  train: ArrayLike<number>,
  trainLabels: Int32Array,
  testVectors: Float32Array,
  testLabels: Int32Array,
  dim: number,
): number {
  const m = train.length;
  const T = new Float32Array(m * dim);
  const y = new Int32Array(m);
  for (let t = 0; t < m; t++) {
    T.set(trainVectors.subarray(train[t] * dim, train[t] * dim + dim), t * dim);
    y[t] = trainLabels[train[t]];
  }
  const nt = testLabels.length;
  const B = 256;
  const sims = new Float32Array(B * m);
  let correct = 0;
  for (let i0 = 0; i0 < nt; i0 += B) {
    const rows = Math.min(B, nt - i0);
    dotRows(testVectors.subarray(i0 * dim, (i0 + rows) * dim), rows, T, m, dim, sims);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let t = 1; t < m; t++) if (sims[r * m + t] > sims[r * m + best]) best = t;
      if (y[best] === testLabels[i0 + r]) correct++;
    }
  }
  return correct / nt;
}

/**
 * Accuracy of a softmax (multinomial logistic) classifier trained on `train` rows, with a bias
 * and an L2 penalty `lambda` on the weights: the parametric reader of a subset beside 1-NN
 * (issue 15 item 5: a set whose picks cover each class's look teaches a linear model too).
 * Full-batch Nesterov gradient descent on the mean loss, `steps` steps of size 1 / L, with L a
 * bound on the loss's curvature (half the largest squared row norm, bias included, plus
 * lambda), so the fit is deterministic and needs no tuning per set.
 */
export function softmaxAccuracy(
  trainVectors: Float32Array,
  train: ArrayLike<number>,
  trainLabels: Int32Array,
  testVectors: Float32Array,
  testLabels: Int32Array,
  dim: number,
  numClasses: number,
  opts: { lambda?: number; steps?: number } = {},
): number {
  const m = train.length, C = numClasses, D = dim + 1;
  const lambda = opts.lambda ?? 1e-3, steps = opts.steps ?? 300;
  const X = new Float32Array(m * D);
  const y = new Int32Array(m);
  let maxNorm = 0;
  for (let t = 0; t < m; t++) {
    X.set(trainVectors.subarray(train[t] * dim, train[t] * dim + dim), t * D);
    X[t * D + dim] = 1;
    y[t] = trainLabels[train[t]];
    let s = 0;
    for (let j = 0; j < D; j++) s += X[t * D + j] * X[t * D + j];
    maxNorm = Math.max(maxNorm, s);
  }
  const step = 1 / (0.5 * maxNorm + lambda);
  // The rows transposed too, so both products of a step are dotRows calls (Z = X Vᵀ, G = Eᵀ X).
  const Xt = new Float32Array(D * m);
  for (let t = 0; t < m; t++) for (let j = 0; j < D; j++) Xt[j * m + t] = X[t * D + j];
  // W is C × D; V the look-ahead point of Nesterov's method.
  let W = new Float64Array(C * D), prev = new Float64Array(C * D);
  const V = new Float32Array(C * D), G = new Float64Array(C * D), Z = new Float32Array(m * C), Et = new Float32Array(C * m);
  for (let it = 0; it < steps; it++) {
    const mom = it / (it + 3);
    for (let a = 0; a < C * D; a++) V[a] = W[a] + mom * (W[a] - prev[a]);
    dotRows(X, m, V, C, D, Z);
    for (let t = 0; t < m; t++) {
      let max = -Infinity, sum = 0;
      for (let c = 0; c < C; c++) max = Math.max(max, Z[t * C + c]);
      for (let c = 0; c < C; c++) { Z[t * C + c] = Math.exp(Z[t * C + c] - max); sum += Z[t * C + c]; }
      for (let c = 0; c < C; c++) Et[c * m + t] = (Z[t * C + c] / sum - (c === y[t] ? 1 : 0)) / m;
    }
    dotRows(Et, C, Xt, D, m, G);
    [prev, W] = [W, prev];
    for (let c = 0; c < C; c++) for (let j = 0; j < D; j++) {
      const a = c * D + j;
      W[a] = V[a] - step * (G[a] + (j < dim ? lambda * V[a] : 0));
    }
  }
  let correct = 0;
  const nt = testLabels.length;
  for (let i = 0; i < nt; i++) {
    let best = 0, bestZ = -Infinity;
    for (let c = 0; c < C; c++) {
      let z = W[c * D + dim];
      for (let j = 0; j < dim; j++) z += W[c * D + j] * testVectors[i * dim + j];
      if (z > bestZ) { bestZ = z; best = c; }
    }
    if (best === testLabels[i]) correct++;
  }
  return nt ? correct / nt : 0;
}

/**
 * Error rate on `slice` of a 1-NN classifier trained on everything outside the slice, using
 * the graph's neighbour lists (the nearest neighbour not in the slice). A row whose neighbours
 * are all in the slice counts as an error.
 */
export function sliceErrorRate(graph: KnnGraph, labels: Int32Array, slice: ArrayLike<number>): number {
  const inSlice = new Uint8Array(graph.n);
  for (let t = 0; t < slice.length; t++) inSlice[slice[t]] = 1;
  let wrong = 0;
  for (let t = 0; t < slice.length; t++) {
    const i = slice[t];
    let pred = -1;
    for (let e = 0; e < graph.k; e++) {
      const j = graph.indices[i * graph.k + e];
      if (j >= 0 && !inSlice[j]) { pred = labels[j]; break; }
    }
    if (pred !== labels[i]) wrong++;
  }
  return slice.length > 0 ? wrong / slice.length : 0;
}

/** Keeps only neighbours that pass `keep`, renumbered by `newIndex`, truncated to k. */
export function subgraph(graph: KnnGraph, rows: ArrayLike<number>, newIndex: Int32Array, k: number): KnnGraph {
  const n = rows.length;
  const indices = new Int32Array(n * k).fill(-1);
  const distances = new Float32Array(n * k).fill(2);
  for (let r = 0; r < n; r++) {
    const i = rows[r];
    let t = 0;
    for (let e = 0; e < graph.k && t < k; e++) {
      const j = graph.indices[i * graph.k + e];
      if (j < 0 || newIndex[j] < 0) continue;
      indices[r * k + t] = newIndex[j];
      distances[r * k + t] = graph.distances[i * graph.k + e];
      t++;
    }
  }
  return { n, k, indices, distances };
}

/**
 * Flips labels along look-alike class pairs: each sample of a class in `pairs` moves to its
 * partner with probability `rate` (both directions), the way real annotators confuse similar
 * classes. Samples of classes in no pair keep their label. oneWay: only the first class of each
 * pair moves to the second (an annotator who settles every doubt between the two the same way),
 * so the second keeps its own samples and gains the flipped ones.
 */
export function flipPairs(labels: Int32Array, pairs: ReadonlyArray<readonly [number, number]>, rate: number, rng: () => number, opts: { oneWay?: boolean } = {}): { labels: Int32Array; flipped: Uint8Array; count: number } {
  const partner = new Map<number, number>(), used = new Set<number>();
  for (const [a, b] of pairs) {
    if (used.has(a) || used.has(b) || a === b) throw new Error(`class pairs must be disjoint: ${JSON.stringify(pairs)}`);
    used.add(a).add(b);
    partner.set(a, b);
    if (!opts.oneWay) partner.set(b, a);
  }
  const out = Int32Array.from(labels);
  const flipped = new Uint8Array(labels.length);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const to = partner.get(labels[i]);
    if (to !== undefined && rng() < rate) { out[i] = to; flipped[i] = 1; count++; }
  }
  return { labels: out, flipped, count };
}

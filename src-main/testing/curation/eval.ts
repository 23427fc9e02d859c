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

/** Fraction of the K highest-scored samples that are truly flipped (K = number flipped). */
export function precisionAtK(score: Float32Array, flipped: Uint8Array, K: number): number {
  const order = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  let hit = 0;
  for (let t = 0; t < K; t++) hit += flipped[order[t]];
  return K > 0 ? hit / K : 1;
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
 * classes. Samples of classes in no pair keep their label.
 */
export function flipPairs(labels: Int32Array, pairs: ReadonlyArray<readonly [number, number]>, rate: number, rng: () => number): { labels: Int32Array; flipped: Uint8Array; count: number } {
  const partner = new Map<number, number>();
  for (const [a, b] of pairs) {
    if (partner.has(a) || partner.has(b) || a === b) throw new Error(`class pairs must be disjoint: ${JSON.stringify(pairs)}`);
    partner.set(a, b);
    partner.set(b, a);
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

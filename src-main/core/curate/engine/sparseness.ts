// Sparseness is density-normalised, like a simplified Local Outlier Factor:
//
//   d̄(i)         = mean cosine distance from i to its first m neighbours   (m = min(k, 10))
//   sparseness(i) = d̄(i) / mean_{j ∈ N_m(i)} d̄(j)
//
// 1 means "as dense as its neighbourhood"; 2 means its neighbours are, on average, twice as
// far from it as they are from their own neighbours. Normalising by the neighbours' d̄ keeps a
// naturally spread-out class (e.g. varied backgrounds) from being flagged wholesale, while a
// sample off on its own stands out. An isolated row (no neighbours) gets d̄ = 2, the largest
// cosine distance, and is compared with the dataset's mean d̄ instead.
import type { KnnGraph } from '../../../../src-shared/model/knn';
import type { ClassBoundary } from './types';
import { validateGraph } from './validate';

export interface SparsenessResult {
  knnDistance: Float32Array;
  sparseness: Float32Array;
}

export function computeSparseness(graph: KnnGraph, m = 10): SparsenessResult {
  validateGraph(graph);
  const { n, k, indices, distances } = graph;
  const use = Math.max(1, Math.min(m, k));
  const knnDistance = new Float32Array(n);
  let total = 0, counted = 0;
  for (let i = 0; i < n; i++) {
    let s = 0, c = 0;
    for (let t = 0; t < use; t++) {
      const j = indices[i * k + t];
      if (j < 0) continue;
      s += Math.max(0, distances[i * k + t]);
      c++;
    }
    knnDistance[i] = c > 0 ? s / c : 2;
    if (c > 0) { total += knnDistance[i]; counted++; }
  }
  const globalMean = counted > 0 ? total / counted : 1;
  const EPS = 1e-6;
  const sparseness = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0, c = 0;
    for (let t = 0; t < use; t++) {
      const j = indices[i * k + t];
      if (j < 0) continue;
      s += knnDistance[j];
      c++;
    }
    const ref = c > 0 ? s / c : globalMean;
    sparseness[i] = (knnDistance[i] + EPS) / (ref + EPS);
  }
  return { knnDistance, sparseness };
}

/**
 * Rarity within the sample's own class, the same LOF-like ratio over same-label neighbours only:
 *
 *   d̄_c(i) = mean distance from i to its first m neighbours that share its label
 *   rarity(i) = d̄_c(i) / mean_{j ∈ same-label N_m(i)} d̄_c(j)
 *
 * A sample off on its own in a region of other classes, or far from the rest of its class,
 * is rare for its class even when the embedding is dense around it: that is the sample a
 * model trained on the others gets wrong. Same-label neighbours missing from the k-list
 * count at the list's last distance (a lower bound of the true one). Unlabelled samples get
 * the label-free sparseness.
 */
export function computeClassRarity(graph: KnnGraph, labels: Int32Array, sparseness: Float32Array, m = 5): Float32Array {
  validateGraph(graph, labels.length);
  const { n, k, indices, distances } = graph;
  const use = Math.max(1, Math.min(m, k));
  const dc = new Float32Array(n);
  const firstSame = new Int32Array(n * use).fill(-1);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    let last = 0, s = 0, c = 0;
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j < 0) continue;
      last = Math.max(last, distances[i * k + t]);
      if (y >= 0 && labels[j] === y && c < use) { firstSame[i * use + c] = j; s += Math.max(0, distances[i * k + t]); c++; }
    }
    dc[i] = (s + (use - c) * (last > 0 ? last : 2)) / use;
  }
  const EPS = 1e-6;
  const rarity = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (labels[i] < 0) { rarity[i] = sparseness[i]; continue; }
    let s = 0, c = 0;
    for (let t = 0; t < use; t++) {
      const j = firstSame[i * use + t];
      if (j < 0) break;
      s += dc[j];
      c++;
    }
    // Without a same-label neighbour there is nothing to compare with: rare by the raw distance.
    rarity[i] = c > 0 ? (dc[i] + EPS) / (s / c + EPS) : (dc[i] + EPS) / (EPS + dc[i] / 2);
  }
  return rarity;
}

/**
 * How near a sample sits to another class: the distance to its nearest neighbour with its own
 * label over the distance to its nearest neighbour with another (above 1: its nearest
 * neighbour has another label, so a nearest-neighbour model trained on the rest gets it wrong).
 * A rare sample off on its own beyond the rest of its class, towards nothing else, is an
 * outlier a model still gets right; one that is rare and close to another class is an edge.
 * Its own label missing from the k-list counts at the list's last distance (a lower bound of
 * the true one); no other label in the list gives 0, the ratio's limit as that distance grows
 * (the list's last distance instead would call every isolated sample a boundary case).
 * `labels`: the class of each sample (given, or for an unlabelled sample the suggested one);
 * a sample with none (-1) gets 0.
 */
export function computeClassBoundary(graph: KnnGraph, labels: Int32Array): ClassBoundary {
  validateGraph(graph, labels.length);
  const { n, k, indices, distances } = graph;
  const ratio = new Float32Array(n);
  const nearestOther = new Int32Array(n).fill(-1);
  const EPS = 1e-6;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y < 0) continue;
    let same = Infinity, other = Infinity, last = 0, otherLabel = -1;
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j < 0) continue;
      const d = Math.max(0, distances[i * k + t]);
      last = Math.max(last, d);
      if (labels[j] === y) same = Math.min(same, d);
      else if (labels[j] >= 0 && d < other) { other = d; otherLabel = labels[j]; }
    }
    // No other label in the list: as far as it knows, none near (the limit as `other` grows).
    ratio[i] = other === Infinity ? 0 : ((same === Infinity ? last : same) + EPS) / (other + EPS);
    nearestOther[i] = otherLabel;
  }
  return { ratio, nearestOther };
}

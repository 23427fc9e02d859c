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

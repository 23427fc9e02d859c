// Exact k-NN graph by brute force, for tests on a few thousand rows (O(n²·dim)).
import type { KnnGraph } from '../../../src-shared/model/knn';
import { dotRows } from '../../core/curate/engine/linalg';

export function bruteKnn(vectors: Float32Array, dim: number, k: number): KnnGraph {
  const n = vectors.length / dim;
  const indices = new Int32Array(n * k).fill(-1);
  const distances = new Float32Array(n * k).fill(Infinity);
  const B = 128;
  const block = new Float32Array(B * n);
  for (let i0 = 0; i0 < n; i0 += B) {
    const rows = Math.min(B, n - i0);
    dotRows(vectors.subarray(i0 * dim, (i0 + rows) * dim), rows, vectors, n, dim, block);
    for (let r = 0; r < rows; r++) {
      const i = i0 + r, o = i * k;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const d = 1 - block[r * n + j];
        if (d >= distances[o + k - 1]) continue;
        let t = k - 1;
        while (t > 0 && distances[o + t - 1] > d) {
          distances[o + t] = distances[o + t - 1];
          indices[o + t] = indices[o + t - 1];
          t--;
        }
        distances[o + t] = d;
        indices[o + t] = j;
      }
    }
  }
  return { n, k, indices, distances };
}

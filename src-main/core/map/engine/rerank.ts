// Exact re-ranking of approximate neighbours: candidates found in the PCA-reduced space are
// re-scored with the cosine distance of the original vectors, so the graph's distances are
// exact and its order follows the full-dimensional space.

/**
 * For rows [start, end): scores the kc candidates of row r (candidates[r*kc ...], -1 = none)
 * by 1 - x_r·x_j and writes the k best, nearest first, to outIdx/outDist[r*k ...].
 */
export function rerankRows(
  x: Float32Array,
  dim: number,
  candidates: Int32Array,
  kc: number,
  k: number,
  start: number,
  end: number,
  outIdx: Int32Array,
  outDist: Float32Array,
): void {
  const ids = new Int32Array(kc);
  const ds = new Float64Array(kc);
  for (let r = start; r < end; r++) {
    const xo = r * dim;
    let m = 0;
    for (let c = 0; c < kc; c++) {
      const j = candidates[r * kc + c];
      if (j < 0 || j === r) continue;
      const yo = j * dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let t = 0;
      for (; t + 4 <= dim; t += 4) {
        s0 += x[xo + t] * x[yo + t];
        s1 += x[xo + t + 1] * x[yo + t + 1];
        s2 += x[xo + t + 2] * x[yo + t + 2];
        s3 += x[xo + t + 3] * x[yo + t + 3];
      }
      for (; t < dim; t++) s0 += x[xo + t] * x[yo + t];
      const d = Math.max(0, 1 - (s0 + s1 + s2 + s3));
      // insertion into the sorted prefix (kc is small)
      let p = m++;
      while (p > 0 && (ds[p - 1] > d || (ds[p - 1] === d && ids[p - 1] > j))) {
        ds[p] = ds[p - 1];
        ids[p] = ids[p - 1];
        p--;
      }
      ds[p] = d;
      ids[p] = j;
    }
    const o = r * k;
    for (let c = 0; c < k; c++) {
      outIdx[o + c] = c < m ? ids[c] : -1;
      outDist[o + c] = c < m ? ds[c] : Infinity;
    }
  }
}

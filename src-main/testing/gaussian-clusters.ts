import { Xorshift32 } from '../../src-shared/random';

/**
 * n points in `clusters` Gaussian clusters in `dim` dimensions around random normal centres,
 * each coordinate's noise `spread` times the centres' spread (so > 1 overlaps), rows
 * L2-normalised; label = cluster (row i belongs to cluster i mod clusters). For map tests that
 * need labelled structure whose overlap they control.
 */
export function gaussianClusters(n: number, dim: number, clusters: number, spread: number, seed: number): { x: Float32Array; labels: Uint8Array; dim: number } {
  const rng = new Xorshift32(seed);
  const centres = new Float64Array(clusters * dim).map(() => rng.normal());
  const x = new Float32Array(n * dim);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const b = i % clusters;
    labels[i] = b;
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = centres[b * dim + j] + spread * rng.normal();
      x[i * dim + j] = v;
      s += v * v;
    }
    for (let j = 0; j < dim; j++) x[i * dim + j] /= Math.sqrt(s);
  }
  return { x, labels, dim };
}

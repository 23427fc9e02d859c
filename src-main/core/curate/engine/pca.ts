// Clustering runs in a low-dimensional PCA space: k-means cost is linear in the dimension,
// and 32 principal components keep the cluster structure of typical embeddings. The basis is
// found by randomized SVD (Halko et al. 2011) on a row sample, which costs a few hundred
// milliseconds even at 784-d; projecting every row is the only O(n·dim) step.
import { createRng, gaussian, sampleIndices } from '../../../../src-shared/random';
import { symmetricEigen } from '../../map/engine/eigen';
import { dotRows, orthonormalize } from './linalg';
import type { ClusterSpace } from './types';

export interface PcaOptions {
  seed?: number;
  /** Rows used to find the basis (default 2048). */
  sampleSize?: number;
  /** Power iterations of the range finder (default 1). */
  powerIterations?: number;
  /**
   * Every product over the sample through dotRows (float32, natively where the thread installed
   * the kernel) instead of the float64 loops: for wide samples, where those loops take seconds a
   * pass (the whitening's 5,000 × 6,664: 17 s). Off by default: the bases the curation engines
   * fit stay as they were, to the bit.
   */
  wide?: boolean;
}

export interface PcaBasis {
  dim: number;
  outDim: number;
  mean: Float32Array;
  /** outDim × dim, rows are unit principal directions, largest variance first. */
  components: Float32Array;
  /** Variance along each component (on the sample). */
  variances: Float64Array;
}

/**
 * Rows made on demand instead of held: a million 256-d appearance tiles as floats are 1 GB,
 * as bytes a quarter of it (modes/joint-space.ts). read(i, out) writes row i into out[0..dim).
 */
export interface RowSource {
  rows: number;
  read(i: number, out: Float32Array): void;
}

/** Randomized PCA on a row sample; the map's fitExactPca (map/engine/pca.ts) is the exact, full-covariance one. */
export function fitRandomizedPca(source: Float32Array | RowSource, dim: number, outDim: number, opts: PcaOptions = {}): PcaBasis {
  const n = source instanceof Float32Array ? source.length / dim : source.rows;
  const row = new Float32Array(dim);
  const rowAt = (i: number): [Float32Array, number] => {
    if (source instanceof Float32Array) return [source, i * dim];
    source.read(i, row);
    return [row, 0];
  };
  const rng = createRng(opts.seed ?? 0);
  const rows = sampleIndices(n, Math.min(n, opts.sampleSize ?? 2048), rng);
  rows.sort();
  const m = rows.length;
  const r = Math.min(outDim, dim, m);
  const l = Math.min(r + 10, dim, m);

  const mean = new Float64Array(dim);
  for (const i of rows) {
    const [v, o] = rowAt(i);
    for (let j = 0; j < dim; j++) mean[j] += v[o + j];
  }
  for (let j = 0; j < dim; j++) mean[j] /= m;
  const S = new Float32Array(m * dim);
  for (let t = 0; t < m; t++) {
    const [v, o] = rowAt(rows[t]);
    for (let j = 0; j < dim; j++) S[t * dim + j] = v[o + j] - mean[j];
  }

  // Range finder: Q spans S·Ω, refined by power iterations (S·Sᵀ)^q.
  let basisT = new Float32Array(l * dim); // l × dim, rows = directions in input space
  for (let t = 0; t < basisT.length; t++) basisT[t] = gaussian(rng);
  const Q = new Float64Array(l * m); // l columns of length m, stored as rows
  const project = () => {
    const Y = new Float64Array(m * l);
    dotRows(S, m, basisT, l, dim, Y);
    for (let i = 0; i < m; i++) for (let c = 0; c < l; c++) Q[c * m + i] = Y[i * l + c];
    orthonormalize(Q, l, m);
  };
  // The wide path's Sᵀ (dim × m), so that Qᵀ S is one product of rows with rows.
  const ST = opts.wide ? transpose(S, m, dim) : null;
  const back = (): Float64Array => {
    // B = Qᵀ S  (l × dim)
    const B = new Float64Array(l * dim);
    if (ST) {
      dotRows(Float32Array.from(Q), l, ST, dim, m, B);
      return B;
    }
    for (let i = 0; i < m; i++) {
      const o = i * dim;
      for (let c = 0; c < l; c++) {
        const q = Q[c * m + i];
        if (q === 0) continue;
        const ob = c * dim;
        for (let j = 0; j < dim; j++) B[ob + j] += q * S[o + j];
      }
    }
    return B;
  };
  project();
  for (let it = 0; it < (opts.powerIterations ?? 1); it++) {
    const B = back();
    orthonormalize(B, l, dim);
    basisT = Float32Array.from(B);
    project();
  }
  const B = back();
  // Eigen-decomposition of B·Bᵀ (l × l) gives the left singular vectors of B.
  const G = new Float64Array(l * l);
  if (ST) dotRows(Float32Array.from(B), l, Float32Array.from(B), l, dim, G);
  else for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += B[a * dim + j] * B[b * dim + j];
      G[a * l + b] = s;
      G[b * l + a] = s;
    }
  }
  const { values, vectors: U } = symmetricEigen(G, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const components = new Float32Array(r * dim);
  const variances = new Float64Array(r);
  // Component c is B's rows weighted by eigenvector c of B·Bᵀ over its singular value.
  const weights = new Float64Array(r * l);
  for (let c = 0; c < r; c++) {
    const k = order[c];
    const sv = Math.sqrt(Math.max(values[k], 0));
    variances[c] = (sv * sv) / Math.max(m - 1, 1);
    const inv = sv > 1e-12 ? 1 / sv : 0;
    for (let a = 0; a < l; a++) weights[c * l + a] = U[k * l + a] * inv;
  }
  if (ST) {
    dotRows(Float32Array.from(weights), r, transpose(Float32Array.from(B), l, dim), dim, l, components);
  } else {
    for (let c = 0; c < r; c++) {
      const row = new Float64Array(dim);
      for (let a = 0; a < l; a++) {
        const u = weights[c * l + a];
        if (u === 0) continue;
        for (let j = 0; j < dim; j++) row[j] += u * B[a * dim + j];
      }
      components.set(row, c * dim);
    }
  }
  return { dim, outDim: r, mean: Float32Array.from(mean), components, variances };
}

/** A rows × cols matrix transposed (cols × rows). */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

/** Coordinates of every row in the basis, n × outDim. */
export function applyPca(source: Float32Array | RowSource, basis: PcaBasis): Float32Array {
  const { dim, outDim, components, mean } = basis;
  const vectors = source instanceof Float32Array ? source : null;
  const n = vectors ? vectors.length / dim : (source as RowSource).rows;
  const out = new Float32Array(n * outDim);
  const shift = new Float64Array(outDim);
  dotRows(mean, 1, components, outDim, dim, shift);
  const BLOCK = 256;
  const scratch = vectors ? null : new Float32Array(BLOCK * dim);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const rows = Math.min(BLOCK, n - i0);
    const view = out.subarray(i0 * outDim, (i0 + rows) * outDim);
    if (scratch) for (let t = 0; t < rows; t++) (source as RowSource).read(i0 + t, scratch.subarray(t * dim, (t + 1) * dim));
    dotRows(vectors ? vectors.subarray(i0 * dim, (i0 + rows) * dim) : scratch!.subarray(0, rows * dim), rows, components, outDim, dim, view);
    for (let t = 0; t < rows; t++) for (let c = 0; c < outDim; c++) view[t * outDim + c] -= shift[c];
  }
  return out;
}

/** Default clustering space: PCA to 32 dimensions (or the vectors themselves if already small). */
export function projectForClustering(vectors: Float32Array, dim: number, opts: PcaOptions & { outDim?: number } = {}): ClusterSpace {
  const outDim = opts.outDim ?? 32;
  if (dim <= outDim) return { data: vectors, dim };
  const basis = fitRandomizedPca(vectors, dim, outDim, opts);
  return { data: applyPca(vectors, basis), dim: basis.outDim };
}

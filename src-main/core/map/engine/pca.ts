// PCA kernels for the map pipeline's first step. The covariance and the projection are dense
// products, made by dotRows (curate/engine/linalg.ts), the engines' one product: on threads
// that installed it, onnxruntime's GEMM (core/native/gemm.ts). They work on row ranges so that
// callers can split rows across worker threads and add the partial covariances.
import { topEigen } from './eigen';
import { dotRows } from '../../curate/engine/linalg';

/** Rows per covariance product: large enough that a native product pays for its call. */
const ROW_BLOCK = 1024;
/** Rows per projection product (4,096 × 544 × 50: a few milliseconds natively). */
const PROJECT_BLOCK = 4096;

export interface PcaModel {
  dim: number;
  /** Output dimensions. */
  outDim: number;
  /** Mean of the fitted rows (dim values). */
  mean: Float64Array;
  /** outDim × dim row-major unit principal axes, largest variance first. */
  components: Float64Array;
  /** Variance along each axis. */
  variances: Float64Array;
  /** Total variance of the fitted rows (trace of the covariance). */
  totalVariance: number;
}

/** Sum of the rows listed in `rows` (float64, dim values). */
export function sumRows(x: Float32Array, dim: number, rows: Int32Array, out = new Float64Array(dim)): Float64Array {
  for (let r = 0; r < rows.length; r++) {
    const o = rows[r] * dim;
    for (let j = 0; j < dim; j++) out[j] += x[o + j];
  }
  return out;
}

/**
 * Adds Σ (x_r - mean)(x_r - mean)ᵀ over `rows` into `cov`, a dim² row-major float64 matrix.
 */
export function accumulateCovariance(x: Float32Array, dim: number, rows: Int32Array, mean: Float64Array, cov: Float64Array): void {
  // A block of centred rows stored transposed (column j of the block is row j here), so the
  // block's Σ xxᵀ is one product of that matrix with itself.
  const R = Math.min(ROW_BLOCK, Math.max(1, rows.length));
  const bt = new Float32Array(dim * R);
  const part = new Float64Array(dim * dim);
  for (let r0 = 0; r0 < rows.length; r0 += R) {
    const rb = Math.min(R, rows.length - r0);
    const t = rb === R ? bt : new Float32Array(dim * rb);
    for (let q = 0; q < rb; q++) {
      const o = rows[r0 + q] * dim;
      for (let j = 0; j < dim; j++) t[j * rb + q] = x[o + j] - mean[j];
    }
    dotRows(t, dim, t, dim, rb, part);
    for (let a = 0; a < dim * dim; a++) cov[a] += part[a];
  }
}

/** Eigendecomposition of an accumulated covariance (dim², symmetric). */
export function pcaFromCovariance(cov: Float64Array, dim: number, count: number, mean: Float64Array, outDim: number): PcaModel {
  const c = new Float64Array(dim * dim);
  const scale = 1 / Math.max(1, count - 1);
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      c[i * dim + j] = c[j * dim + i] = cov[i * dim + j] * scale;
    }
  }
  let total = 0;
  for (let i = 0; i < dim; i++) total += c[i * dim + i];
  const p = Math.min(outDim, dim);
  const { values, vectors } = topEigen(c, dim, p);
  return {
    dim,
    outDim: p,
    mean,
    components: vectors.slice(0, p * dim),
    variances: values.slice(0, p),
    totalVariance: total,
  };
}

/** Writes (x_r - mean)·components for rows [start, end) into out[(r - outOffset)*outDim ...]. */
export function projectRows(x: Float32Array, model: PcaModel, start: number, end: number, out: Float32Array, outOffset = 0): void {
  const { dim, outDim: p, components, mean } = model;
  const w = Float32Array.from(components.subarray(0, p * dim));
  // (x - mean)·w = x·w - mean·w: the rows are projected as stored, the mean's part taken after.
  const bias = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += mean[j] * w[c * dim + j];
    bias[c] = s;
  }
  for (let r0 = start; r0 < end; r0 += PROJECT_BLOCK) {
    const rb = Math.min(PROJECT_BLOCK, end - r0);
    const o = (r0 - outOffset) * p;
    const view = out.subarray(o, o + rb * p);
    dotRows(x.subarray(r0 * dim, (r0 + rb) * dim), rb, w, p, dim, view);
    for (let t = 0; t < rb; t++) for (let c = 0; c < p; c++) view[t * p + c] -= bias[c];
  }
}

/** `count` row indices spread evenly over [0, n): the rows a covariance is fitted on. */
export function sampleRows(n: number, count: number): Int32Array {
  const m = Math.min(n, count);
  const rows = new Int32Array(m);
  for (let i = 0; i < m; i++) rows[i] = Math.floor((i * n) / m);
  return rows;
}

/**
 * Exact PCA (full covariance + eigen), single-threaded; the map splits the same kernels over
 * worker threads (tasks.ts). Curation's fitRandomizedPca (curate/engine/pca.ts) trades this
 * exactness for speed: it only needs a clustering basis, found on a row sample.
 */
export function fitExactPca(x: Float32Array, dim: number, outDim: number, maxRows = Infinity): PcaModel {
  const n = x.length / dim;
  const rows = sampleRows(n, Math.min(n, maxRows));
  const mean = sumRows(x, dim, rows);
  for (let j = 0; j < dim; j++) mean[j] /= rows.length;
  const cov = new Float64Array(dim * dim);
  accumulateCovariance(x, dim, rows, mean, cov);
  return pcaFromCovariance(cov, dim, rows.length, mean, outDim);
}

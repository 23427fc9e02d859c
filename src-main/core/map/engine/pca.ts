// PCA kernels. The covariance and projection loops are the hot part of the map pipeline's
// first step, so they are written as 4×4 register-tiled loops over float64 scratch (about
// 3 G multiply-adds/s per core in V8 here). They work on row ranges so that callers can
// split rows across worker threads and add the partial covariances.
import { topEigen } from './eigen';

/** Rows per tile; small enough that a tile of 784 columns stays in L2. */
const ROW_BLOCK = 64;

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

/** Columns rounded up to the tile width. */
export function paddedDim(dim: number): number {
  return (dim + 3) & ~3;
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
 * Adds Σ (x_r - mean)(x_r - mean)ᵀ over `rows` into the upper triangle (by 4×4 tiles) of
 * `cov`, a paddedDim² row-major float64 matrix. Call `symmetrizeUpper` once after all
 * partial sums are added.
 */
export function accumulateCovariance(x: Float32Array, dim: number, rows: Int32Array, mean: Float64Array, cov: Float64Array): void {
  const dp = paddedDim(dim);
  const R = ROW_BLOCK;
  // Column-major tile: column j of the block is contiguous, so a 4×4 output tile streams
  // eight contiguous runs.
  const b = new Float64Array(dp * R);
  for (let r0 = 0; r0 < rows.length; r0 += R) {
    const rb = Math.min(R, rows.length - r0);
    if (rb < R) b.fill(0);
    for (let q = 0; q < rb; q++) {
      const o = rows[r0 + q] * dim;
      for (let j = 0; j < dim; j++) b[j * R + q] = x[o + j] - mean[j];
    }
    for (let i = 0; i < dp; i += 4) {
      const a0 = i * R;
      const a1 = a0 + R;
      const a2 = a1 + R;
      const a3 = a2 + R;
      for (let j = i; j < dp; j += 4) {
        const b0 = j * R;
        const b1 = b0 + R;
        const b2 = b1 + R;
        const b3 = b2 + R;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let q = 0; q < R; q++) {
          const x0 = b[a0 + q], x1 = b[a1 + q], x2 = b[a2 + q], x3 = b[a3 + q];
          const y0 = b[b0 + q], y1 = b[b1 + q], y2 = b[b2 + q], y3 = b[b3 + q];
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        let o = i * dp + j;
        cov[o] += c00; cov[o + 1] += c01; cov[o + 2] += c02; cov[o + 3] += c03;
        o += dp;
        cov[o] += c10; cov[o + 1] += c11; cov[o + 2] += c12; cov[o + 3] += c13;
        o += dp;
        cov[o] += c20; cov[o + 1] += c21; cov[o + 2] += c22; cov[o + 3] += c23;
        o += dp;
        cov[o] += c30; cov[o + 1] += c31; cov[o + 2] += c32; cov[o + 3] += c33;
      }
    }
  }
}

/** Eigendecomposition of an accumulated covariance (upper tiles filled, paddedDim²). */
export function pcaFromCovariance(cov: Float64Array, dim: number, count: number, mean: Float64Array, outDim: number): PcaModel {
  const dp = paddedDim(dim);
  const c = new Float64Array(dim * dim);
  const scale = 1 / Math.max(1, count - 1);
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      // Tiles on the diagonal were filled whole; elsewhere only i's tile ≤ j's tile.
      const v = (j >> 2) >= (i >> 2) ? cov[i * dp + j] : cov[j * dp + i];
      c[i * dim + j] = c[j * dim + i] = v * scale;
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

/**
 * Writes (x_r - mean)·components for rows [start, end) into out[(r - outOffset)*outDim ...].
 * Rows are taken four at a time against four components, so each loaded value feeds four
 * multiply-adds.
 */
export function projectRows(x: Float32Array, model: PcaModel, start: number, end: number, out: Float32Array, outOffset = 0): void {
  const { dim, outDim: p, components: w, mean } = model;
  const bias = new Float64Array(p);
  for (let c = 0; c < p; c++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += mean[j] * w[c * dim + j];
    bias[c] = s;
  }
  let r = start;
  for (; r + 4 <= end; r += 4) {
    const x0 = r * dim, x1 = x0 + dim, x2 = x1 + dim, x3 = x2 + dim;
    let c = 0;
    for (; c + 4 <= p; c += 4) {
      const w0 = c * dim, w1 = w0 + dim, w2 = w1 + dim, w3 = w2 + dim;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let j = 0; j < dim; j++) {
        const a0 = x[x0 + j], a1 = x[x1 + j], a2 = x[x2 + j], a3 = x[x3 + j];
        const b0 = w[w0 + j], b1 = w[w1 + j], b2 = w[w2 + j], b3 = w[w3 + j];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
      }
      const o = (r - outOffset) * p + c;
      out[o] = s00 - bias[c]; out[o + 1] = s01 - bias[c + 1]; out[o + 2] = s02 - bias[c + 2]; out[o + 3] = s03 - bias[c + 3];
      out[o + p] = s10 - bias[c]; out[o + p + 1] = s11 - bias[c + 1]; out[o + p + 2] = s12 - bias[c + 2]; out[o + p + 3] = s13 - bias[c + 3];
      const o2 = o + 2 * p;
      out[o2] = s20 - bias[c]; out[o2 + 1] = s21 - bias[c + 1]; out[o2 + 2] = s22 - bias[c + 2]; out[o2 + 3] = s23 - bias[c + 3];
      const o3 = o + 3 * p;
      out[o3] = s30 - bias[c]; out[o3 + 1] = s31 - bias[c + 1]; out[o3 + 2] = s32 - bias[c + 2]; out[o3 + 3] = s33 - bias[c + 3];
    }
    for (; c < p; c++) for (let q = 0; q < 4; q++) out[(r + q - outOffset) * p + c] = dotRow(x, (r + q) * dim, w, c * dim, dim) - bias[c];
  }
  for (; r < end; r++) for (let c = 0; c < p; c++) out[(r - outOffset) * p + c] = dotRow(x, r * dim, w, c * dim, dim) - bias[c];
}

function dotRow(x: Float32Array, xo: number, w: Float64Array, wo: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += x[xo + j] * w[wo + j];
  return s;
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
  const dp = paddedDim(dim);
  const cov = new Float64Array(dp * dp);
  accumulateCovariance(x, dim, rows, mean, cov);
  return pcaFromCovariance(cov, dim, rows.length, mean, outDim);
}

// The space in which a pool of samples is compared with a reference set (issue 18): unit-length
// embeddings projected onto 32 principal directions fitted on both sets together (so the
// directions in which the reference differs from the pool are kept), and a Gaussian kernel
// whose width is the median distance between the two sets (the usual median heuristic).
// MMD (maximum mean discrepancy, Gretton et al. 2012) is the distance between the sets' kernel
// mean embeddings; the biased (V-statistic) form is reported because it is the quantity the
// greedy selection minimises and is never negative, so ratios of it are meaningful.
import { createRng, sampleIndices } from '../../../../src-shared/random';
import { dotRows, normalizeRows } from './linalg';
import { applyPca, fitRandomizedPca, type PcaBasis } from './pca';

export interface TargetSpace {
  dim: number;
  /** Pool rows projected (n × dim). */
  pool: Float32Array;
  /** Reference rows projected (m × dim). */
  reference: Float32Array;
  /** k(x, y) = exp(−gamma·‖x − y‖²). */
  gamma: number;
  /** The projection, for placing other rows (e.g. a held-out part of the reference) in the same space. */
  basis: PcaBasis;
}

export interface TargetSpaceOptions { outDim?: number; seed?: number }

export const TARGET_SPACE_DIM = 32;

/** Projects both sets into one low-dimensional space and picks the kernel width. */
export function targetSpace(pool: Float32Array, reference: Float32Array, dim: number, opts: TargetSpaceOptions = {}): TargetSpace {
  const seed = opts.seed ?? 0;
  const n = pool.length / dim, m = reference.length / dim;
  const p = normalizeRows(Float32Array.from(pool), dim), r = normalizeRows(Float32Array.from(reference), dim);
  // Fit the basis on an equal share of both sets, so a small reference still shapes it.
  const rng = createRng(seed);
  const pr = sampleIndices(n, Math.min(n, 1500), rng), rr = sampleIndices(m, Math.min(m, 1500), rng);
  const fit = new Float32Array((pr.length + rr.length) * dim);
  pr.forEach((i, t) => fit.set(p.subarray(i * dim, (i + 1) * dim), t * dim));
  rr.forEach((i, t) => fit.set(r.subarray(i * dim, (i + 1) * dim), (pr.length + t) * dim));
  const basis = fitRandomizedPca(fit, dim, Math.min(opts.outDim ?? TARGET_SPACE_DIM, dim), { seed, sampleSize: fit.length / dim });
  const space = { dim: basis.outDim, pool: applyPca(p, basis), reference: applyPca(r, basis), gamma: 1, basis };
  space.gamma = medianGamma(space, seed);
  return space;
}

/** Other rows of the input dimension, placed in the space. */
export function projectRows(space: TargetSpace, vectors: Float32Array): Float32Array {
  return applyPca(normalizeRows(Float32Array.from(vectors), space.basis.dim), space.basis);
}

/** 1 / the median squared distance between pool and reference rows (a sample of pairs). */
function medianGamma(space: TargetSpace, seed: number): number {
  const { dim } = space;
  const n = space.pool.length / dim, m = space.reference.length / dim;
  const rng = createRng(seed + 1);
  const d2: number[] = [];
  for (let t = 0; t < 4000; t++) {
    const i = Math.floor(rng() * n), j = Math.floor(rng() * m);
    let s = 0;
    for (let c = 0; c < dim; c++) { const d = space.pool[i * dim + c] - space.reference[j * dim + c]; s += d * d; }
    d2.push(s);
  }
  d2.sort((a, b) => a - b);
  const med = d2[d2.length >> 1] ?? 1;
  return med > 0 ? 1 / med : 1;
}

export function squaredNorms(v: Float32Array, dim: number): Float64Array {
  const out = new Float64Array(v.length / dim);
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[i * dim + j] * v[i * dim + j];
    out[i] = s;
  }
  return out;
}

/** Rows `rows` of `v` (all rows when omitted) as one contiguous matrix. */
export function gatherRows(v: Float32Array, dim: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let t = 0; t < rows.length; t++) out.set(v.subarray(rows[t] * dim, (rows[t] + 1) * dim), t * dim);
  return out;
}

const BLOCK = 256;

/**
 * For each row a of A: Σ_b k(a, b) over the rows of B; optionally the index of a's nearest row
 * of B, and each row b's sum over A (`colSums`, added to). Blocked through dotRows so each
 * block of B is read once per block of A.
 */
export function kernelSums(A: Float32Array, B: Float32Array, dim: number, gamma: number, nearest?: Int32Array, colSums?: Float64Array): Float64Array {
  const na = A.length / dim, nb = B.length / dim;
  const an = squaredNorms(A, dim), bn = squaredNorms(B, dim);
  const sums = new Float64Array(na);
  const best = nearest ? new Float64Array(na).fill(Infinity) : null;
  const dots = new Float64Array(BLOCK * BLOCK);
  for (let a0 = 0; a0 < na; a0 += BLOCK) {
    const ra = Math.min(BLOCK, na - a0);
    const Ab = A.subarray(a0 * dim, (a0 + ra) * dim);
    for (let b0 = 0; b0 < nb; b0 += BLOCK) {
      const rb = Math.min(BLOCK, nb - b0);
      dotRows(Ab, ra, B.subarray(b0 * dim, (b0 + rb) * dim), rb, dim, dots);
      for (let i = 0; i < ra; i++) {
        let s = 0;
        const ai = an[a0 + i];
        for (let j = 0; j < rb; j++) {
          const d2 = Math.max(0, ai + bn[b0 + j] - 2 * dots[i * rb + j]);
          const k = Math.exp(-gamma * d2);
          s += k;
          if (colSums) colSums[b0 + j] += k;
          if (best && d2 < best[a0 + i]) { best[a0 + i] = d2; nearest![a0 + i] = b0 + j; }
        }
        sums[a0 + i] += s;
      }
    }
  }
  return sums;
}

/** Biased MMD between the rows of X and Y in a space with kernel width gamma (≥ 0). */
export function mmd(X: Float32Array, Y: Float32Array, dim: number, gamma: number): number {
  const nx = X.length / dim, ny = Y.length / dim;
  if (nx === 0 || ny === 0) return NaN;
  const sum = (s: Float64Array) => s.reduce((a, b) => a + b, 0);
  const kxx = sum(kernelSums(X, X, dim, gamma)) / (nx * nx);
  const kyy = sum(kernelSums(Y, Y, dim, gamma)) / (ny * ny);
  const kxy = sum(kernelSums(X, Y, dim, gamma)) / (nx * ny);
  return Math.sqrt(Math.max(0, kxx + kyy - 2 * kxy));
}

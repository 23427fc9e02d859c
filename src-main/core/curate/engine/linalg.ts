// Small dense kernels. The 2×4 register blocking reads each input value once per four
// outputs, which roughly doubles throughput over a plain dot-product loop in V8.
//
// dotRows is every engine's one dense product. An engine is pure, so it cannot load a native
// library itself: the wiring of each thread that runs engines may hand it a faster kernel
// (core/native/gemm.ts: onnxruntime's GEMM, 13–65× this loop on one core), which dotRows uses
// for products wide enough to pay for the call and the JavaScript loop below for the rest.

/** A faster product with dotRows' meaning; returns false when it did not compute this one. */
export type RowProductKernel = (A: Float32Array, aRows: number, B: Float32Array, bRows: number, dim: number, out: Float32Array | Float64Array) => boolean;

let kernel: RowProductKernel | null = null;

/**
 * Multiply-adds per row of A from which a product goes to the installed kernel. Decided by the
 * product's width, never by how many rows a caller passes: each row then comes out the same
 * however the rows are split (over threads, in blocks), which the map's determinism needs.
 */
export const KERNEL_FROM = 256;

/** Installs (or, with null, removes) the faster kernel for this thread's engines. */
export function useRowProductKernel(k: RowProductKernel | null): void {
  kernel = k;
}

export function dotRows(
  A: Float32Array,
  aRows: number,
  B: Float32Array,
  bRows: number,
  dim: number,
  out: Float32Array | Float64Array,
): void {
  if (kernel && aRows > 0 && bRows * dim >= KERNEL_FROM && kernel(A, aRows, B, bRows, dim, out)) return;
  let i = 0;
  for (; i + 1 < aRows; i += 2) {
    const o0 = i * dim;
    const o1 = o0 + dim;
    let c = 0;
    for (; c + 3 < bRows; c += 4) {
      const w0 = c * dim, w1 = w0 + dim, w2 = w1 + dim, w3 = w2 + dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, u0 = 0, u1 = 0, u2 = 0, u3 = 0;
      for (let j = 0; j < dim; j++) {
        const x = A[o0 + j], y = A[o1 + j];
        const a = B[w0 + j], b = B[w1 + j], d = B[w2 + j], e = B[w3 + j];
        s0 += x * a; s1 += x * b; s2 += x * d; s3 += x * e;
        u0 += y * a; u1 += y * b; u2 += y * d; u3 += y * e;
      }
      const r0 = i * bRows + c, r1 = r0 + bRows;
      out[r0] = s0; out[r0 + 1] = s1; out[r0 + 2] = s2; out[r0 + 3] = s3;
      out[r1] = u0; out[r1 + 1] = u1; out[r1 + 2] = u2; out[r1 + 3] = u3;
    }
    for (; c < bRows; c++) {
      const w = c * dim;
      let s = 0, u = 0;
      for (let j = 0; j < dim; j++) { s += A[o0 + j] * B[w + j]; u += A[o1 + j] * B[w + j]; }
      out[i * bRows + c] = s;
      out[(i + 1) * bRows + c] = u;
    }
  }
  for (; i < aRows; i++) {
    const o = i * dim;
    for (let c = 0; c < bRows; c++) {
      const w = c * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += A[o + j] * B[w + j];
      out[i * bRows + c] = s;
    }
  }
}

/** Modified Gram–Schmidt on `cols` vectors of length `len` stored one after another. */
export function orthonormalize(Y: Float64Array, cols: number, len: number): void {
  for (let c = 0; c < cols; c++) {
    const oc = c * len;
    for (let p = 0; p < c; p++) {
      const op = p * len;
      let d = 0;
      for (let i = 0; i < len; i++) d += Y[oc + i] * Y[op + i];
      for (let i = 0; i < len; i++) Y[oc + i] -= d * Y[op + i];
    }
    let nrm = 0;
    for (let i = 0; i < len; i++) nrm += Y[oc + i] * Y[oc + i];
    nrm = Math.sqrt(nrm);
    const inv = nrm > 1e-300 ? 1 / nrm : 0;
    for (let i = 0; i < len; i++) Y[oc + i] *= inv;
  }
}

/** Scales each row of `v` (rows of `dim`) to unit length in place; a zero row stays zero. Returns v. */
export function normalizeRows(v: Float32Array, dim: number): Float32Array {
  for (let o = 0; o < v.length; o += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[o + j] * v[o + j];
    if (s <= 0) continue;
    const k = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) v[o + j] *= k;
  }
  return v;
}

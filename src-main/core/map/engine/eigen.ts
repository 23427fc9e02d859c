// Symmetric eigendecomposition for PCA: Householder reduction to tridiagonal form, then the
// implicit QL algorithm. `symmetricEigen` returns every eigenvector (QL rotations applied to
// the Householder basis, O(n³) twice); `topEigen` computes eigenvalues only with QL, gets
// the p wanted eigenvectors of the tridiagonal by inverse iteration and maps them back
// through the stored reflectors, which is about 4× faster for a 784×784 covariance.

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** Row i (n values) is the unit eigenvector of values[i]. */
  vectors: Float64Array;
}

/** `a` is a symmetric n×n row-major matrix; it is used as scratch space and destroyed. */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const q = accumulate(tridiagonalize(a, n, d, e), n);
  // q (row-major) has the Householder basis in its columns; the QL rotations act on
  // columns too, so work on its transpose where every column is a contiguous row.
  const z = transpose(q, n);
  implicitQl(d, e, z, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j] - d[i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = d[src];
    vectors.set(z.subarray(src * n, src * n + n), dst * n);
  });
  return { values, vectors };
}

function transpose(m: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j];
  return t;
}

/**
 * Reduces `a` to T = Qᵀ A Q with diagonal `d` and off-diagonal `e` (e[i] couples i and i+1,
 * e[n-1] = 0); returns the reflectors v_k (Q = H_0 H_1 …, H_k = I - 2 v_k v_kᵀ). Each step
 * zeroes column k below the subdiagonal with the rank-2 update A ← A - v wᵀ - w vᵀ, done
 * on the lower triangle only.
 */
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array): Float64Array[] {
  const vs: Float64Array[] = [];
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) norm2 += a[i * n + k] * a[i * n + k];
    const x0 = a[(k + 1) * n + k];
    const alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    const v = new Float64Array(n);
    let vnorm2 = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = a[i * n + k];
      if (i === k + 1) v[i] -= alpha;
      vnorm2 += v[i] * v[i];
    }
    vs.push(v);
    if (vnorm2 < 1e-300) {
      v.fill(0); // column already zero below the subdiagonal: H = I
      continue;
    }
    const inv = 1 / Math.sqrt(vnorm2);
    for (let i = k + 1; i < n; i++) v[i] *= inv;
    // p = A v over the trailing block, reading its lower triangle once.
    p.fill(0, k + 1);
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = v[i];
      let s = 0;
      for (let j = k + 1; j < i; j++) {
        const aij = a[row + j];
        s += aij * v[j];
        p[j] += aij * vi;
      }
      p[i] += s + a[row + i] * vi;
    }
    let kk = 0;
    for (let i = k + 1; i < n; i++) kk += v[i] * p[i];
    for (let i = k + 1; i < n; i++) p[i] = 2 * p[i] - 2 * kk * v[i];
    for (let i = k + 1; i < n; i++) {
      const row = i * n;
      const vi = v[i];
      const wi = p[i];
      for (let j = k + 1; j <= i; j++) a[row + j] -= vi * p[j] + wi * v[j];
    }
    a[(k + 1) * n + k] = alpha;
    for (let i = k + 2; i < n; i++) a[i * n + k] = 0;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  for (let i = 0; i < n - 1; i++) e[i] = a[(i + 1) * n + i];
  e[n - 1] = 0;
  return vs;
}

/** Q = H_0 H_1 … H_{n-3}, accumulated backwards so each reflector touches only its block. */
function accumulate(vs: Float64Array[], n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const t = new Float64Array(n);
  for (let k = vs.length - 1; k >= 0; k--) {
    const v = vs[k];
    t.fill(0);
    for (let i = k + 1; i < n; i++) {
      const vi = v[i];
      if (vi === 0) continue;
      const row = i * n;
      for (let j = k + 1; j < n; j++) t[j] += vi * q[row + j];
    }
    for (let i = k + 1; i < n; i++) {
      const vi2 = 2 * v[i];
      if (vi2 === 0) continue;
      const row = i * n;
      for (let j = k + 1; j < n; j++) q[row + j] -= vi2 * t[j];
    }
  }
  return q;
}

/**
 * Diagonalises the tridiagonal (d, e) in place; rotations are applied to the rows of z
 * (z row i ends as the eigenvector of d[i]).
 */
function implicitQl(d: Float64Array, e: Float64Array, z: Float64Array | null, n: number): void {
  const eps = 2.220446049250313e-16;
  // Absolute floor from the whole matrix: covariance of image pixels has many exactly-zero
  // directions, where a purely relative test never fires.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]));
  const floor = eps * norm;
  for (let l = 0; l < n; l++) {
    for (let iter = 0; ; iter++) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= eps * dd || Math.abs(e[m]) <= floor) break;
      }
      if (m === l) break;
      if (iter > 60) throw new Error('symmetricEigen: QL did not converge');
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (!z) continue;
        const ri = i * n;
        const rj = ri + n;
        for (let k = 0; k < n; k++) {
          const zf = z[rj + k];
          const zi = z[ri + k];
          z[rj + k] = s * zi + c * zf;
          z[ri + k] = c * zi - s * zf;
        }
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/**
 * The p largest eigenpairs of the symmetric n×n row-major `a` (destroyed). Eigenvectors of
 * the tridiagonal form come from inverse iteration (with re-orthogonalisation inside groups
 * of close eigenvalues), then are mapped back through the Householder reflectors.
 */
export function topEigen(a: Float64Array, n: number, p: number): SymmetricEigen {
  p = Math.min(p, n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const vs = tridiagonalize(a, n, d, e);
  const dAll = d.slice();
  const eAll = e.slice();
  implicitQl(d, e, null, n);
  const values = Float64Array.from(d).sort().reverse().slice(0, p);
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(dAll[i]) + Math.abs(eAll[i]) + (i > 0 ? Math.abs(eAll[i - 1]) : 0));
  const vectors = new Float64Array(p * n);
  const solver = new TridiagonalSolver(dAll, eAll, n);
  const x = new Float64Array(n);
  const gap = 1e-3 * norm;
  let seed = 0x2545f491;
  for (let c = 0; c < p; c++) {
    // perturb the shift so T - σI is not exactly singular
    const sigma = values[c] + 10 * 2.220446049250313e-16 * norm * (c % 2 ? 1 : -1);
    solver.factor(sigma);
    for (let i = 0; i < n; i++) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      x[i] = (seed >>> 0) / 4294967296 - 0.5;
    }
    for (let it = 0; it < 4; it++) {
      solver.solve(x, it > 0);
      // against earlier vectors of the same cluster (tridiagonal-space copies kept in rows)
      for (let o = c - 1; o >= 0 && values[o] - values[c] < gap; o--) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += x[i] * vectors[o * n + i];
        for (let i = 0; i < n; i++) x[i] -= dot * vectors[o * n + i];
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i] * x[i];
      const inv = 1 / Math.sqrt(s || 1);
      for (let i = 0; i < n; i++) x[i] *= inv;
    }
    vectors.set(x, c * n);
  }
  // back to the original basis: Q z = H_0 (H_1 (… H_{n-3} z))
  for (let c = 0; c < p; c++) {
    const z = vectors.subarray(c * n, c * n + n);
    for (let k = vs.length - 1; k >= 0; k--) {
      const v = vs[k];
      let dot = 0;
      for (let i = k + 1; i < n; i++) dot += v[i] * z[i];
      if (dot === 0) continue;
      dot *= 2;
      for (let i = k + 1; i < n; i++) z[i] -= dot * v[i];
    }
  }
  return { values, vectors };
}

/** LU with partial pivoting of T - σI for a symmetric tridiagonal T, reused across solves. */
class TridiagonalSolver {
  private readonly diag: Float64Array;
  private readonly up1: Float64Array;
  private readonly up2: Float64Array;
  private readonly mult: Float64Array;
  private readonly swap: Uint8Array;
  private tiny = 0;

  constructor(private readonly d: Float64Array, private readonly e: Float64Array, private readonly n: number) {
    this.diag = new Float64Array(n);
    this.up1 = new Float64Array(n);
    this.up2 = new Float64Array(n);
    this.mult = new Float64Array(n);
    this.swap = new Uint8Array(n);
    let norm = 0;
    for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]));
    this.tiny = 2.220446049250313e-16 * Math.max(norm, 1e-300);
  }

  factor(sigma: number): void {
    const { d, e, n, diag, up1, up2, mult, swap } = this;
    diag[0] = d[0] - sigma;
    up1[0] = n > 1 ? e[0] : 0;
    for (let i = 0; i < n - 1; i++) {
      const below = e[i];
      const nextDiag = d[i + 1] - sigma;
      const nextUp = i + 1 < n - 1 ? e[i + 1] : 0;
      if (Math.abs(below) > Math.abs(diag[i])) {
        // pivot on row i+1
        const m = diag[i] / below;
        const oldUp1 = up1[i];
        diag[i] = below;
        up1[i] = nextDiag;
        up2[i] = nextUp;
        diag[i + 1] = oldUp1 - m * nextDiag;
        up1[i + 1] = -m * nextUp;
        mult[i] = m;
        swap[i] = 1;
      } else {
        const m = diag[i] === 0 ? 0 : below / diag[i];
        up2[i] = 0;
        diag[i + 1] = nextDiag - m * up1[i];
        up1[i + 1] = nextUp;
        mult[i] = m;
        swap[i] = 0;
      }
    }
    for (let i = 0; i < n; i++) if (Math.abs(diag[i]) < this.tiny) diag[i] = diag[i] < 0 ? -this.tiny : this.tiny;
  }

  /** Solves in place; `applyL` false skips the L step (the usual first inverse-iteration step). */
  solve(b: Float64Array, applyL: boolean): void {
    const { n, diag, up1, up2, mult, swap } = this;
    if (applyL) {
      for (let i = 0; i < n - 1; i++) {
        if (swap[i]) {
          const t = b[i];
          b[i] = b[i + 1];
          b[i + 1] = t - mult[i] * b[i];
        } else {
          b[i + 1] -= mult[i] * b[i];
        }
      }
    }
    // rescale so repeated solves near an eigenvalue cannot overflow
    let big = 0;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(b[i]));
    if (big > 0) for (let i = 0; i < n; i++) b[i] /= big;
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i];
      if (i + 1 < n) s -= up1[i] * b[i + 1];
      if (i + 2 < n) s -= up2[i] * b[i + 2];
      b[i] = s / diag[i];
      if (!Number.isFinite(b[i])) b[i] = 0;
    }
  }
}

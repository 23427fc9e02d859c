import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigen, topEigen } from './eigen';
import { fitExactPca, projectRows } from './pca';
import { Xorshift32 } from '../../../../src-shared/random';

function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = new Xorshift32(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  return a;
}

function residual(a: Float64Array, n: number, value: number, v: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
    worst = Math.max(worst, Math.abs(s - value * v[i]));
  }
  return worst;
}

test('symmetricEigen and topEigen give the same top eigenpairs', () => {
  const n = 120;
  const a = randomSymmetric(n, 1);
  const full = symmetricEigen(a.slice(), n);
  const top = topEigen(a.slice(), n, 20);
  for (let c = 0; c < 20; c++) {
    assert.ok(Math.abs(full.values[c] - top.values[c]) < 1e-9);
    assert.ok(residual(a, n, top.values[c], top.vectors.subarray(c * n, c * n + n)) < 1e-9);
    assert.ok(residual(a, n, full.values[c], full.vectors.subarray(c * n, c * n + n)) < 1e-9);
    if (c > 0) assert.ok(full.values[c - 1] >= full.values[c]);
  }
});

test('topEigen keeps eigenvectors of repeated eigenvalues orthogonal', () => {
  // diag(3,3,3,1,1,0,…) rotated by a random orthogonal basis
  const n = 40;
  const q = symmetricEigen(randomSymmetric(n, 2), n).vectors;
  const lam = Array.from({ length: n }, (_, i) => (i < 3 ? 3 : i < 5 ? 1 : 0));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < n; c++) a[i * n + j] += q[c * n + i] * lam[c] * q[c * n + j];
  const top = topEigen(a.slice(), n, 5);
  for (let c = 0; c < 5; c++) {
    assert.ok(Math.abs(top.values[c] - lam[c]) < 1e-9);
    assert.ok(residual(a, n, top.values[c], top.vectors.subarray(c * n, c * n + n)) < 1e-8);
    for (let o = 0; o < c; o++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += top.vectors[c * n + i] * top.vectors[o * n + i];
      assert.ok(Math.abs(dot) < 1e-8, `vectors ${o} and ${c}: ${dot}`);
    }
  }
});

test('fitExactPca recovers a planted subspace and projectRows matches a direct product', () => {
  // 1,000 points on a 3-d subspace of 37-d (odd, to exercise the tile padding) plus noise
  const rng = new Xorshift32(3);
  const n = 1000, dim = 37, p = 3;
  const basis = new Float64Array(p * dim).map(() => rng.normal());
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const z = [3 * rng.normal(), 2 * rng.normal(), rng.normal()];
    for (let j = 0; j < dim; j++) x[i * dim + j] = 1 + z[0] * basis[j] + z[1] * basis[dim + j] + z[2] * basis[2 * dim + j] + 0.01 * rng.normal();
  }
  const model = fitExactPca(x, dim, 4);
  const explained = (model.variances[0] + model.variances[1] + model.variances[2]) / model.totalVariance;
  assert.ok(explained > 0.999, `explained ${explained}`);
  assert.ok(model.variances[3] / model.variances[2] < 1e-3);
  const out = new Float32Array(n * 4);
  projectRows(x, model, 0, n, out);
  for (const i of [0, 1, 2, 3, 500, 997, 998, 999]) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (x[i * dim + j] - model.mean[j]) * model.components[c * dim + j];
      assert.ok(Math.abs(s - out[i * 4 + c]) < 1e-3 * (1 + Math.abs(s)), `row ${i} comp ${c}: ${s} vs ${out[i * 4 + c]}`);
    }
  }
  // the principal axes span the planted basis: each basis vector is almost fully explained
  for (let b = 0; b < p; b++) {
    const v = basis.subarray(b * dim, b * dim + dim);
    const norm2 = v.reduce((s, t) => s + t * t, 0);
    let inSpan = 0;
    for (let c = 0; c < p; c++) {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += v[j] * model.components[c * dim + j];
      inSpan += dot * dot;
    }
    assert.ok(inSpan / norm2 > 0.999);
  }
});

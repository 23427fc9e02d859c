import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmeans, partition } from './kmeans';
import { applyPca, fitRandomizedPca } from './pca';
import { apportion, groupBalance } from './balance';
import { createRng, gaussian } from '../../../../src-shared/random';
import { mnistFixture } from '../../../testing/curation/fixture';
import { useRowProductKernel } from './linalg';
import { useNativeRowProducts } from '../../native/gemm';

function blobs(perBlob: number, centres: number[][], spread: number, seed: number): { data: Float32Array; truth: Int32Array } {
  const rng = createRng(seed);
  const dim = centres[0].length;
  const data = new Float32Array(perBlob * centres.length * dim);
  const truth = new Int32Array(perBlob * centres.length);
  let r = 0;
  for (let c = 0; c < centres.length; c++) {
    for (let t = 0; t < perBlob; t++, r++) {
      truth[r] = c;
      for (let j = 0; j < dim; j++) data[r * dim + j] = centres[c][j] + spread * gaussian(rng);
    }
  }
  return { data, truth };
}

test('k-means recovers well-separated blobs, deterministically', () => {
  const centres = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10], [10, 10, 10]];
  const { data, truth } = blobs(200, centres, 0.5, 1);
  const a = kmeans(data, 3, 5, undefined, { seed: 3 });
  const b = kmeans(data, 3, 5, undefined, { seed: 3 });
  assert.deepEqual(a.assign, b.assign);
  // Each true blob maps to exactly one cluster.
  const map = new Map<number, number>();
  for (let i = 0; i < truth.length; i++) {
    if (!map.has(truth[i])) map.set(truth[i], a.assign[i]);
    assert.equal(a.assign[i], map.get(truth[i]));
  }
  assert.equal(new Set(map.values()).size, 5);
  assert.deepEqual(Array.from(a.sizes), [200, 200, 200, 200, 200]);
});

test('k-means handles k larger than the rows, duplicates and subsets of rows', () => {
  const data = new Float32Array([1, 1, 1, 1, 1, 1, 5, 5]);
  const km = kmeans(data, 2, 10);
  assert.equal(km.k, 4);
  const sub = kmeans(data, 2, 2, Int32Array.from([0, 3]));
  assert.equal(sub.assign.length, 2);
  assert.notEqual(sub.assign[0], sub.assign[1]);
  assert.ok(sub.inertia < 1e-9);
});

test('partition returns exactly q non-empty parts, also through the two-level split', () => {
  const f = mnistFixture();
  const rows = Int32Array.from({ length: f.n }, (_, i) => i);
  for (const q of [7, 150]) {
    const p = partition(f.vectors, f.dim, rows, q, { seed: 1 });
    assert.equal(p.k, q);
    assert.equal(p.sizes.length, q);
    assert.ok(Array.from(p.sizes).every((s) => s > 0));
    assert.equal(Array.from(p.sizes).reduce((a, b) => a + b, 0), f.n);
    const seen = new Int32Array(q);
    for (const a of p.assign) seen[a]++;
    assert.deepEqual(seen, p.sizes);
  }
});

test('PCA finds orthonormal directions ordered by variance', () => {
  const f = mnistFixture();
  const basis = fitRandomizedPca(f.poolPixels, 784, 8, { seed: 2 });
  for (let a = 0; a < 8; a++) {
    for (let b = 0; b < 8; b++) {
      let d = 0;
      for (let j = 0; j < 784; j++) d += basis.components[a * 784 + j] * basis.components[b * 784 + j];
      assert.ok(Math.abs(d - (a === b ? 1 : 0)) < 1e-3, `components ${a},${b}: ${d}`);
    }
  }
  for (let c = 1; c < 8; c++) assert.ok(basis.variances[c - 1] >= basis.variances[c] * 0.999);
  const proj = applyPca(f.poolPixels, basis);
  // The projection's variance on the first axis matches the basis' estimate.
  let m = 0, v = 0;
  for (let i = 0; i < f.n; i++) m += proj[i * 8] / f.n;
  for (let i = 0; i < f.n; i++) v += (proj[i * 8] - m) ** 2 / (f.n - 1);
  assert.ok(Math.abs(v - basis.variances[0]) / basis.variances[0] < 0.15, `variance ${v} vs ${basis.variances[0]}`);
});

test('apportion follows weights, respects availability and sums to the total', () => {
  assert.deepEqual(apportion(10, [1, 1, 1], [100, 100, 100]), [4, 3, 3]);
  assert.deepEqual(apportion(10, [1, 1, 1], [1, 100, 100]), [1, 5, 4]);
  assert.deepEqual(apportion(10, [3, 1], [100, 100]), [8, 2]);
  assert.deepEqual(apportion(10, [1, 1], [2, 3]), [2, 3]);
  assert.deepEqual(apportion(5, [0, 1], [10, 10]), [0, 5]);
  const q = apportion(1000, [5, 1, 1, 1, 1, 1, 1, 1, 1, 1], Array(10).fill(300));
  assert.equal(q.reduce((a, b) => a + b, 0), 1000);
  assert.equal(q[0], 300);
});

test('group balance statistics', () => {
  const b = groupBalance(Int32Array.from([0, 0, 0, 1, -1, 2, 2]), ['a', 'b', 'c', 'd']);
  assert.deepEqual(b.counts, [3, 1, 2, 0]);
  assert.equal(b.missing, 1);
  assert.equal(b.imbalanceRatio, 3);
  assert.deepEqual(b.empty, ['d']);
  assert.ok(b.normalizedEntropy > 0 && b.normalizedEntropy < 1);
});

test('k-means fitted on a row sample assigns every row, and finds the same blobs', () => {
  const centres = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10], [10, 10, 10]];
  const { data, truth } = blobs(400, centres, 0.5, 2);
  const rows = Int32Array.from({ length: 1500 }, (_, i) => i + 250);
  const full = kmeans(data, 3, 5, rows, { seed: 4 });
  const sampled = kmeans(data, 3, 5, rows, { seed: 4, fitSample: 100 });
  assert.equal(sampled.assign.length, rows.length);
  assert.equal(sampled.sizes.reduce((a, b) => a + b, 0), rows.length);
  // Same partition as the full fit (cluster numbers may differ), and it follows the blobs.
  const pairs = new Set<string>();
  for (let t = 0; t < rows.length; t++) pairs.add(`${full.assign[t]}:${sampled.assign[t]}:${truth[rows[t]]}`);
  assert.equal(pairs.size, 5);
  for (let t = 0; t < rows.length; t++) {
    const o = rows[t] * 3, c = sampled.assign[t] * 3;
    assert.ok(Math.abs(sampled.distance[t] - Math.hypot(data[o] - sampled.centroids[c], data[o + 1] - sampled.centroids[c + 1], data[o + 2] - sampled.centroids[c + 2])) < 1e-4);
  }
  assert.deepEqual(kmeans(data, 3, 5, rows, { seed: 4, fitSample: 100 }).assign, sampled.assign, 'deterministic');
  // partition passes the sample size down to both levels.
  const parts = partition(data, 3, rows, 60, { seed: 1, fitSample: 200 });
  assert.equal(parts.k, 60);
  assert.equal(parts.assign.length, rows.length);
});

test('fitPerCluster caps the fit sample per centroid: a small k over many rows fits on a sample and finds the same blobs', () => {
  const centres = [[0, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 10], [10, 10, 10]];
  const { data, truth } = blobs(400, centres, 0.5, 3);
  const rows = Int32Array.from({ length: 2000 }, (_, i) => i);
  const full = kmeans(data, 3, 5, rows, { seed: 2, fitSample: 16384 });
  // 5 clusters × 40 rows: fitted on 200 of the 2,000 rows (fewer Lloyd iterations' work), every row assigned.
  const capped = kmeans(data, 3, 5, rows, { seed: 2, fitSample: 16384, fitPerCluster: 40 });
  assert.equal(capped.sizes.reduce((a, b) => a + b, 0), rows.length);
  const pairs = new Set<string>();
  for (let t = 0; t < rows.length; t++) pairs.add(`${full.assign[t]}:${capped.assign[t]}:${truth[rows[t]]}`);
  assert.equal(pairs.size, 5, 'same five blobs');
  assert.notDeepEqual(Array.from(capped.centroids), Array.from(full.centroids), 'fitted on a sample, not on every row');
  // Below the cap nothing changes: 5 × 400 ≥ 2,000 rows is the full fit, bit for bit.
  assert.deepEqual(kmeans(data, 3, 5, rows, { seed: 2, fitSample: 16384, fitPerCluster: 400 }).assign, full.assign);
});

test('with the native dense products, k-means makes the partition of the distance loop: each row nearest its centroid', () => {
  // 40 overlapping blobs in 32 dimensions, so the nearest centroid is often a close call.
  const rng = createRng(9);
  const centres = Array.from({ length: 40 }, () => Array.from({ length: 32 }, () => 2 * gaussian(rng)));
  const { data } = blobs(150, centres, 1, 10);
  const rows = Int32Array.from({ length: 6000 }, (_, i) => i);
  useNativeRowProducts();
  try {
    for (const opts of [{ seed: 1 }, { seed: 2, fitSample: 800 }]) {
      const km = kmeans(data, 32, 40, rows, opts);
      // Every row is at its own centroid's distance, and no centroid is nearer (to rounding).
      for (let t = 0; t < rows.length; t++) {
        const d = (c: number) => { let s = 0; for (let j = 0; j < 32; j++) s += (data[t * 32 + j] - km.centroids[c * 32 + j]) ** 2; return Math.sqrt(s); };
        const own = d(km.assign[t]);
        assert.ok(Math.abs(km.distance[t] - own) < 1e-4, `row ${t}: distance ${km.distance[t]} vs ${own}`);
        for (let c = 0; c < km.k; c++) assert.ok(d(c) >= own - 1e-4, `row ${t}: centroid ${c} at ${d(c)} is nearer than its own (${own})`);
      }
      assert.deepEqual(kmeans(data, 32, 40, rows, opts).assign, km.assign, 'deterministic');
    }
  } finally {
    useRowProductKernel(null);
  }
});

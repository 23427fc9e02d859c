import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKnnGraph, runPca, toShared } from './knn';
import { MapPool } from './pool';
import { gaussianClusters } from '../../testing/gaussian-clusters';
import { loadIndex, saveIndex } from './knn-index';
import { Xorshift32 } from '../../../src-shared/random';

function normalizeRows(x: Float32Array, dim: number): Float32Array {
  for (let i = 0; i < x.length / dim; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[i * dim + j] ** 2;
    for (let j = 0; j < dim; j++) x[i * dim + j] /= Math.sqrt(s);
  }
  return x;
}

/** Gaussian blobs around random centres, L2-normalised. */
function blobs(n: number, dim: number, centres: number, spread: number, seed: number, latent = dim): Float32Array {
  const rng = new Xorshift32(seed);
  const c = new Float64Array(centres * latent).map(() => rng.normal());
  const mix = new Float64Array(latent * dim).map(() => rng.normal());
  const x = new Float32Array(n * dim);
  const z = new Float64Array(latent);
  for (let i = 0; i < n; i++) {
    const b = i % centres;
    for (let l = 0; l < latent; l++) z[l] = c[b * latent + l] + spread * rng.normal();
    for (let j = 0; j < dim; j++) {
      let s = 0;
      if (latent === dim) s = z[j];
      else for (let l = 0; l < latent; l++) s += z[l] * mix[l * dim + j];
      x[i * dim + j] = s;
    }
  }
  return normalizeRows(x, dim);
}

function bruteForce(x: Float32Array, dim: number, k: number): Int32Array {
  const n = x.length / dim;
  const out = new Int32Array(n * k);
  const sims = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += x[i * dim + c] * x[j * dim + c];
      sims[j] = j === i ? -Infinity : s;
    }
    const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => sims[b] - sims[a]);
    out.set(order.slice(0, k), i * k);
  }
  return out;
}

function recall(got: Int32Array, exact: Int32Array, n: number, k: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const truth = new Set(exact.subarray(i * k, i * k + k));
    for (let c = 0; c < k; c++) if (truth.has(got[i * k + c])) hits++;
  }
  return hits / (n * k);
}

test('k-NN graph on two shards has high recall and cosine distances', async () => {
  const n = 2000, dim = 24, k = 10;
  const x = blobs(n, dim, 20, 0.6, 1);
  const g = await buildKnnGraph(x, dim, k, { threads: 2 });
  assert.equal(g.n, n);
  assert.equal(g.k, k);
  const r = recall(g.indices, bruteForce(x, dim, k), n, k);
  assert.ok(r >= 0.97, `recall ${r}`);
  for (let i = 0; i < n; i += 97) {
    for (let c = 0; c < k; c++) {
      const j = g.indices[i * k + c];
      assert.notEqual(j, i);
      let dot = 0;
      for (let t = 0; t < dim; t++) dot += x[i * dim + t] * x[j * dim + t];
      assert.ok(Math.abs(1 - dot - g.distances[i * k + c]) < 1e-4);
      if (c > 0) assert.ok(g.distances[i * k + c] >= g.distances[i * k + c - 1]);
    }
  }
});

test('the graph reports its share done as the shards insert and query, rising to 1', async () => {
  // Two shards of 10,000: each reports every 8,192 rows inserted and queried (ROWS_PER_REPORT),
  // and once when its rows are in.
  const n = 20_000, dim = 8;
  const shares: number[] = [];
  await buildKnnGraph(blobs(n, dim, 10, 0.5, 3), dim, 5, { threads: 2, onGraphProgress: (s) => shares.push(s) });
  assert.ok(shares.length >= 2 * (1 + 1 + 2), `${shares.length} reports`);
  assert.ok(shares.every((s, i) => s > 0 && s <= 1 && (i === 0 || s >= shares[i - 1]!)), shares.join(' '));
  // The last report (row 16,384 of each shard's 20,000 queries) is most of the way, not all of it.
  assert.ok(shares.at(-1)! > 0.8 && shares.at(-1)! < 1, String(shares.at(-1)));
});

test('with PCA, re-ranked distances are exact and recall stays high', async () => {
  const n = 1500, dim = 96, k = 10;
  const x = blobs(n, dim, 15, 0.5, 2, 12); // 12-d latent structure in 96-d
  const timings: Record<string, number> = {};
  const g = await buildKnnGraph(x, dim, k, { threads: 2, pcaDim: 20, rerank: 30, timings });
  assert.ok(timings.pca > 0 && timings.knn > 0 && timings.rerank > 0);
  const r = recall(g.indices, bruteForce(x, dim, k), n, k);
  assert.ok(r >= 0.95, `recall ${r}`);
  const i = 123;
  for (let c = 0; c < k; c++) {
    const j = g.indices[i * k + c];
    let dot = 0;
    for (let t = 0; t < dim; t++) dot += x[i * dim + t] * x[j * dim + t];
    assert.ok(Math.abs(1 - dot - g.distances[i * k + c]) < 1e-5);
  }
});

test('the index is saved, loaded, extended and searched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-knn-test-'));
  try {
    const n = 1200, dim = 80, k = 5;
    const all = blobs(n + 40, dim, 12, 0.5, 3, 10);
    const x = all.slice(0, n * dim);
    const path = join(dir, 'map.knn');
    await buildKnnGraph(x, dim, k, { threads: 2, pcaDim: 16, indexPath: path });
    const index = loadIndex(path);
    assert.equal(index.size, n);
    const self = index.search(x.subarray(0, 10 * dim), k);
    for (let i = 0; i < 10; i++) {
      assert.equal(self.indices[i * k], i);
      assert.ok(self.distances[i * k] < 1e-6);
    }
    const fresh = all.slice(n * dim);
    const ids = index.add(fresh);
    assert.deepEqual(Array.from(ids), Array.from({ length: 40 }, (_, i) => n + i));
    const found = index.search(fresh, 3);
    for (let i = 0; i < 40; i++) assert.equal(found.indices[i * 3], n + i);
    saveIndex(index, path);
    const again = loadIndex(path);
    assert.equal(again.size, n + 40);
    assert.deepEqual(again.search(fresh, 3).indices, found.indices);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the PCA preview, the first picture of a map, is the first two coordinates of the projection, given once', async () => {
  // Over 64 dimensions the PCA reduces (to 50) and the preview comes from the two leading axes
  // alone; at or under 64 it is the 2-D projection itself. Either way the layout starts from it.
  for (const dim of [96, 32]) {
    const { x } = gaussianClusters(3000, dim, 6, 1, 5);
    const pool = new MapPool(2);
    try {
      const previews: Float32Array[] = [];
      const pca = await runPca(pool, toShared(x), dim, { onPreview: (p) => previews.push(p.slice()) }, {});
      assert.equal(previews.length, 1, `dim ${dim}: one preview`);
      assert.equal(previews[0]!.length, 3000 * 2);
      let worst = 0;
      for (let i = 0; i < previews[0]!.length; i++) worst = Math.max(worst, Math.abs(previews[0]![i]! - pca.pca2[i]!));
      assert.ok(worst <= 1e-6, `dim ${dim}: preview differs from the projection's first axes by ${worst}`);
      assert.equal(pca.yDim, dim > 64 ? 50 : dim);
    } finally {
      await pool.close();
    }
  }
});

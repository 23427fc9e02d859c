import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMap } from './compute-map';
import { TSNE_STEPS, type LayoutPhase } from './layout';
import { labelAgreement, trustworthiness } from './engine/quality';
import { gaussianClusters } from '../../testing/gaussian-clusters';
import { WorkerAbortedError } from '../../workers/spawn';

/**
 * 2,000 points in 10 overlapping Gaussian clusters in 32-d, L2-normalised; label = cluster.
 * Measured: layout 10-NN label agreement 0.964, trustworthiness 0.942; PCA-2 agreement 0.51.
 */
function clusters(): { x: Float32Array; labels: Uint8Array; dim: number } {
  return gaussianClusters(2000, 32, 10, 1.2, 11);
}

const data = clusters();

test('layout of clustered data keeps clusters together (2 threads)', async () => {
  const { x, labels, dim } = data;
  let initial: Float32Array | null = null;
  const r = await computeMap(x, dim, { threads: 2, seed: 1, onProgress: (p, e) => { if (e === 0) initial = p; } });
  assert.equal(r.positions.length, 2 * 2000);
  assert.ok(r.positions.every(Number.isFinite));
  assert.equal(r.graph.n, 2000);
  assert.equal(r.graph.k, 15);
  const agreement = labelAgreement(r.positions, labels, 10);
  const pca2 = labelAgreement(initial!, labels, 10);
  const trust = trustworthiness(x, dim, r.positions, { k: 10 });
  // measured 0.96–0.97 agreement and 0.94 trustworthiness (0.944 / 0.950 with the t-SNE steps,
  // kept here); floors leave a margin for Hogwild noise
  assert.ok(agreement >= 0.93, `agreement ${agreement}`);
  assert.ok(trust >= 0.91, `trustworthiness ${trust}`);
  assert.ok(agreement > pca2 + 0.3, `PCA-2 ${pca2}`);
  for (const step of ['pca', 'knn', 'fuzzy', 'layout', 'total']) assert.ok(r.timings[step] > 0, step);
});

test('a fixed seed gives bit-identical maps with any thread count; another seed differs', async () => {
  const { x, dim } = data;
  const a = await computeMap(x, dim, { threads: 1, seed: 5, epochs: 60 });
  const b = await computeMap(x, dim, { threads: 1, seed: 5, epochs: 60 });
  const c = await computeMap(x, dim, { threads: 3, seed: 5, epochs: 60, knnShards: 1 });
  const d = await computeMap(x, dim, { threads: 1, seed: 6, epochs: 60 });
  assert.deepEqual(Buffer.from(a.positions.buffer), Buffer.from(b.positions.buffer));
  assert.deepEqual(a.graph.indices, c.graph.indices);
  assert.deepEqual(Buffer.from(a.positions.buffer), Buffer.from(c.positions.buffer), '1 vs 3 threads');
  assert.notDeepEqual(Buffer.from(a.positions.buffer), Buffer.from(d.positions.buffer));
});

test('progress delivers the initial layout first, then refinements, then the final layout', async () => {
  const { x, dim } = data;
  const calls: { epoch: number; total: number; len: number; at: number; phase?: LayoutPhase }[] = [];
  let done = 0;
  const r = await computeMap(x, dim, {
    threads: 2,
    epochs: 400,
    progressMs: 0,
    onProgress: (p, epoch, total, phase) => calls.push({ epoch, total, len: p.length, at: performance.now(), phase }),
  }).finally(() => (done = performance.now()));
  assert.ok(calls.length >= 3, `${calls.length} calls`);
  assert.equal(calls[0].epoch, 0);
  // 400 SGD epochs, then the t-SNE steps, reported as one count
  const total = 400 + TSNE_STEPS;
  assert.ok(calls.every((c) => c.total === total && c.len === 4000));
  for (let i = 1; i < calls.length; i++) assert.ok(calls[i].epoch >= calls[i - 1].epoch);
  assert.ok(calls.some((c) => c.epoch > 0 && c.epoch < 400), 'an intermediate layout');
  assert.ok(calls.some((c) => c.epoch > 400 && c.epoch < total), 'a layout during the t-SNE steps');
  assert.equal(calls[calls.length - 1].epoch, total);
  // Each call after the first names its part with that part's own count.
  for (const c of calls.slice(1)) {
    const expected = c.epoch <= 400 ? { name: 'epochs', done: c.epoch, of: 400 } : { name: 't-SNE steps', done: c.epoch - 400, of: TSNE_STEPS };
    assert.deepEqual(c.phase, expected, `call at ${c.epoch}`);
  }
  assert.ok(calls[0].at < done);
  assert.equal(r.positions.length, 4000);
});

test('abort cancels a running map', async () => {
  const { x, dim } = data;
  const ac = new AbortController();
  let afterAbort = 0;
  await assert.rejects(
    computeMap(x, dim, {
      threads: 2,
      epochs: 100000, // would run for minutes: the rejection itself shows the abort took effect
      progressMs: 0,
      signal: ac.signal,
      onProgress: (_p, epoch) => {
        if (ac.signal.aborted) afterAbort++;
        if (epoch >= 5) ac.abort();
      },
    }),
    (err: unknown) => err instanceof WorkerAbortedError,
  );
  assert.ok(afterAbort <= 2);
  // an already aborted signal rejects without work
  await assert.rejects(computeMap(x, dim, { signal: AbortSignal.abort() }), (err: unknown) => err instanceof WorkerAbortedError);
});

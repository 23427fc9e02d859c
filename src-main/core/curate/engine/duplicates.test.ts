import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findExactDuplicates, findNearDuplicates, mergeDuplicateGroups, mergeGroups } from './duplicates';
import { computeScores } from './scores';
import { curate } from './curate';
import { mnistFixture } from '../../../testing/curation/fixture';
import { bruteKnn } from '../../../testing/curation/brute-knn';
import { l2NormalizeRows, normalizedPixels, shiftedCopy } from '../../../testing/curation/mnist';
import { applyPca, fitRandomizedPca } from './pca';
import { createRng, sampleIndices } from '../../../../src-shared/random';

test('near duplicates: injected noisy copies are grouped with their source', () => {
  const f = mnistFixture();
  const COPIES = 60;
  const rng = createRng(11);
  const src = sampleIndices(f.n, COPIES, rng);
  const pixels = new Uint8Array((f.n + COPIES) * 784);
  pixels.set(f.pixels);
  for (let t = 0; t < COPIES; t++) pixels.set(shiftedCopy(f.pixels, src[t], 0, 0, 8, rng), (f.n + t) * 784);
  const pix = normalizedPixels(pixels);
  const vectors = l2NormalizeRows(applyPca(pix, fitRandomizedPca(pix, 784, 64, { seed: 1 })), 64);
  const graph = bruteKnn(vectors, 64, 10);
  const truth = new Set<number>([...src, ...Array.from({ length: COPIES }, (_, t) => f.n + t)]);
  // A tight threshold alone (measured: 60/60 found, 120 of 124 grouped are true), and a loose
  // one with the density guard (60/60, 120 of 128; 778 grouped without the guard).
  for (const [threshold, maxRatio, minPrecision] of [[0.01, Infinity, 0.95], [0.1, 0.2, 0.9]]) {
    const nd = findNearDuplicates(graph, threshold, maxRatio);
    let found = 0;
    for (let t = 0; t < COPIES; t++) if (nd.groupOf[f.n + t] >= 0 && nd.groupOf[f.n + t] === nd.groupOf[src[t]]) found++;
    let grouped = 0, good = 0;
    for (let i = 0; i < graph.n; i++) if (nd.groupOf[i] >= 0) { grouped++; if (truth.has(i)) good++; }
    assert.ok(found / COPIES >= 0.95, `threshold ${threshold}: recall ${found}/${COPIES}`);
    assert.ok(good / grouped >= minPrecision, `threshold ${threshold}: precision ${good}/${grouped}`);
    for (const g of nd.groups) {
      assert.ok(g.length >= 2);
      for (const i of g) assert.equal(nd.groups[nd.groupOf[i]], g);
    }
  }
  // Without the guard the loose threshold groups many ordinary neighbours.
  const loose = findNearDuplicates(graph, 0.1);
  assert.ok(loose.groups.reduce((a, g) => a + g.length, 0) > 4 * COPIES);
});

test('near duplicates chain through union-find; the threshold is inclusive and checked', () => {
  // 0–1 and 1–2 are close, 0–2 is not in the graph; 3 is far from everyone.
  const graph = {
    n: 4,
    k: 2,
    indices: Int32Array.from([1, 3, 0, 2, 1, 3, 2, -1]),
    distances: Float32Array.from([0.01, 0.5, 0.01, 0.02, 0.02, 0.4, 0.4, 2]),
  };
  const nd = findNearDuplicates(graph, 0.02);
  assert.equal(nd.groups.length, 1);
  assert.deepEqual(Array.from(nd.groups[0]), [0, 1, 2]);
  assert.equal(nd.groupOf[3], -1);
  assert.equal(findNearDuplicates(graph, 0.015).groups[0].length, 2);
  assert.throws(() => findNearDuplicates(graph, -1), { code: 'INVALID_REQUEST' });
  assert.throws(() => findNearDuplicates(graph, NaN), { code: 'INVALID_REQUEST' });
  assert.throws(() => findNearDuplicates(graph, 0.1, 0), { code: 'INVALID_REQUEST' });
});

test('exact duplicates by content hash, merged with near duplicates for curation', () => {
  const ex = findExactDuplicates(['a', 'b', 'a', 'c', 'b', 'a']);
  assert.equal(ex.groups.length, 2);
  assert.deepEqual(Array.from(ex.groups[0]), [0, 2, 5]);
  assert.deepEqual(Array.from(ex.groups[1]), [1, 4]);
  assert.equal(ex.groupOf[3], -1);
  const near = { groupOf: Int32Array.from([-1, -1, -1, 0, -1, 0]), groups: [Int32Array.from([3, 5])] };
  const merged = mergeDuplicateGroups(6, near, ex);
  // 3–5 (near) and 0–2–5 (exact) become one group.
  assert.equal(merged[0], merged[3]);
  assert.equal(merged[0], merged[2]);
  assert.notEqual(merged[0], merged[1]);
});

test('curation picks at most one sample per exact-duplicate group', () => {
  const f = mnistFixture();
  // Every sample shares its hash with its first neighbour's hash group: many duplicate pairs.
  const hashes = Array.from({ length: f.n }, (_, i) => `h${Math.floor(i / 2)}`);
  const input = { vectors: f.vectors, dim: f.dim, graph: f.graph, labels: f.labels, classNames: f.classNames, hashes };
  const scores = computeScores(input);
  assert.equal(scores.exactDuplicates!.groups.length, f.n / 2);
  for (const mode of ['edge-cases', 'custom'] as const) {
    const res = curate(input, scores, mode === 'custom' ? { mode, n: 200, weights: { sparseness: 1 } } : { mode, n: 200 });
    const groups = res.picks.map((p) => Math.floor(p.index / 2));
    assert.equal(new Set(groups).size, groups.length, `${mode} picked two samples of one duplicate group`);
  }
});

test('merging two rules never chains: a sample keeps the first rule\'s group', () => {
  const n = 6;
  const first = { groupOf: Int32Array.from([0, 0, 0, -1, -1, -1]), groups: [Int32Array.from([0, 1, 2])] };
  // The second rule links 2–3 and 3–4 (a chain through 3) and repeats 0–1.
  const second = { groupOf: Int32Array.from([0, 0, 1, 1, 1, -1]), groups: [Int32Array.from([0, 1]), Int32Array.from([2, 3, 4])] };
  const merged = mergeGroups(n, first, second);
  assert.deepEqual(Array.from(merged.groupOf), [0, 0, 0, 1, 1, -1]);
  assert.deepEqual(merged.groups.map((g) => Array.from(g)), [[0, 1, 2], [3, 4]]);
});

test('near duplicates in the embedding are stars: a chain of close neighbours is not one group', () => {
  // Points on a line, each 0.01 from the next: every neighbour within the threshold.
  const n = 10, k = 2;
  const indices = new Int32Array(n * k), distances = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const nb = [i - 1, i + 1].filter((j) => j >= 0 && j < n);
    while (nb.length < k) nb.push(i < 5 ? i + 2 : i - 2);
    nb.forEach((j, t) => { indices[i * k + t] = j; distances[i * k + t] = Math.abs(i - j) * 0.01; });
  }
  const g = findNearDuplicates({ n, k, indices, distances }, 0.0101);
  assert.ok(Math.max(...g.groups.map((m) => m.length)) <= 3, `${g.groups.map((m) => Array.from(m))}`);
  for (const m of g.groups) assert.ok(Array.from(m).some((r) => Array.from(m).every((x) => Math.abs(x - r) <= 1)));
});

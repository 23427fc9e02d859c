import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flipPairs, plainVote, softmaxAccuracy, suggestedAccuracy } from './eval';
import { createRng } from '../../../src-shared/random';

/** n rows of 3 classes in 6-d: class c centred at 2 along axis c, unit noise everywhere. */
function blobs(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = createRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const x = new Float32Array(n * 6), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 6; j++) x[i * 6 + j] = gauss() * 0.6 + (j === y[i] ? 2 : 0);
  }
  return { x, y };
}

test('softmax accuracy: a linear model fitted on a few rows separates classes that differ along one axis each', () => {
  const train = blobs(60, 1), testSet = blobs(600, 2);
  const rows = Array.from({ length: 60 }, (_, i) => i);
  const acc = softmaxAccuracy(train.x, rows, train.y, testSet.x, testSet.y, 6, 3);
  assert.ok(acc > 0.95, `accuracy ${acc}`);
  // Only the rows given train it: the first three rows (one per class) still point the right way.
  const few = softmaxAccuracy(train.x, [0, 1, 2], train.y, testSet.x, testSet.y, 6, 3);
  assert.ok(few > 0.6, `three rows: ${few}`);
});

test('softmax accuracy: labels that carry nothing give chance', () => {
  const train = blobs(90, 3), testSet = blobs(900, 4);
  const rng = createRng(5);
  const noise = Int32Array.from(train.y, () => Math.floor(rng() * 3));
  const acc = softmaxAccuracy(train.x, Array.from({ length: 90 }, (_, i) => i), noise, testSet.x, testSet.y, 6, 3);
  assert.ok(acc < 0.6, `accuracy ${acc}`);
});

test('flipPairs one way: only the first class of each pair moves, to its partner; both ways moves either', () => {
  const labels = Int32Array.from({ length: 4000 }, (_, i) => i % 4);
  const one = flipPairs(labels, [[0, 1]], 0.3, createRng(7), { oneWay: true });
  const both = flipPairs(labels, [[0, 1]], 0.3, createRng(7));
  const moved = (r: typeof one, from: number) => labels.filter((y, i) => y === from && r.flipped[i]).length;
  assert.equal(moved(one, 1), 0);
  assert.ok(moved(one, 0) > 250 && moved(one, 0) < 350, `moved ${moved(one, 0)} of 1000`);
  assert.ok(moved(both, 1) > 250, `both ways: ${moved(both, 1)} of class 1 moved`);
  for (let i = 0; i < labels.length; i++) {
    if (one.flipped[i]) assert.equal(one.labels[i], 1);
    else assert.equal(one.labels[i], labels[i]);
  }
  assert.equal(one.count, one.flipped.reduce((a, b) => a + b, 0));
  assert.throws(() => flipPairs(labels, [[0, 1], [1, 2]], 0.1, createRng(1), { oneWay: true }), /disjoint/);
});

test('suggestedAccuracy counts only the flipped samples among the K highest scores, and whether each suggestion is the true label', () => {
  const truth = Int32Array.from([0, 1, 2, 3, 4]);
  const flipped = Uint8Array.from([1, 1, 0, 1, 0]);
  // Top 3 by score: 3, 0, 2 (2 is not flipped, 1 is beyond K).
  const res = { score: Float32Array.from([0.8, 0.1, 0.7, 0.9, 0]), suggested: Int32Array.from([0, 9, 2, 9, 4]) };
  assert.equal(suggestedAccuracy(res, flipped, truth, 3), 0.5);
  assert.equal(suggestedAccuracy(res, flipped, truth, 1), 0);
});

test('plainVote: the share of the first k neighbours with another label, missing neighbours skipped', () => {
  const graph = { n: 3, k: 3, indices: Int32Array.from([1, 2, -1, 0, 2, -1, 0, 1, -1]), distances: new Float32Array(9) };
  const s = plainVote(graph, Int32Array.from([0, 0, 1]), 3);
  assert.deepEqual([...s], [0.5, 0.5, 1]);
  assert.deepEqual([...plainVote(graph, Int32Array.from([0, 0, 1]), 1)], [0, 0, 1]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { softmaxAccuracy } from './eval';
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

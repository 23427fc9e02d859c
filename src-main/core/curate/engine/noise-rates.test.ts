import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confidentJoint } from './noise-rates';
import type { Posteriors } from './posteriors';

/** Two classes; each row: [label, p(class 0)], p(class 1) = 1 − p(class 0). */
function posteriors(rows: Array<[number, number]>): { post: Posteriors; labels: Int32Array } {
  const n = rows.length, S = 2;
  const cls = new Int32Array(n * S), p = new Float32Array(n * S);
  rows.forEach(([, p0], i) => {
    const first = p0 >= 0.5 ? 0 : 1;
    cls[i * S] = first; cls[i * S + 1] = 1 - first;
    p[i * S] = first === 0 ? p0 : 1 - p0; p[i * S + 1] = first === 0 ? 1 - p0 : p0;
  });
  return { post: { S, cls, p, floor: new Float32Array(n) }, labels: Int32Array.from(rows, ([y]) => y) };
}

// Class 0's own members are called 0 with 0.80…0.99; class 1's are called 1 surely.
const own: Array<[number, number]> = [...Array.from({ length: 20 }, (_, t) => [0, 0.8 + t * 0.01] as [number, number]), ...Array.from({ length: 20 }, () => [1, 0.02] as [number, number])];
const thresholds = Float32Array.of(0.6, 0.6);

test('confident joint: a label-1 sample called 0 as surely as class 0 calls its own weighs like them; one called 0 barely above the threshold weighs almost nothing', () => {
  const flips = posteriors([...own, ...Array.from({ length: 10 }, () => [1, 0.95] as [number, number])]);
  const confusions = posteriors([...own, ...Array.from({ length: 10 }, () => [1, 0.62] as [number, number])]);
  const cell = (x: ReturnType<typeof posteriors>, counts: 'one' | 'typical') => confidentJoint(x.post, x.labels, thresholds, 2, counts);
  // Row = given label, column = confident class; one pseudo-count per cell.
  assert.equal(cell(flips, 'one')[1 * 2 + 0], 11);
  assert.equal(cell(confusions, 'one')[1 * 2 + 0], 11);
  const flipCell = cell(flips, 'typical')[1 * 2 + 0] - 1, confusionCell = cell(confusions, 'typical')[1 * 2 + 0] - 1;
  // 0.95 is above 16 of class 0's 20 confidences: 10 × 0.8.
  assert.ok(Math.abs(flipCell - 8) < 1e-9, `flips weigh ${flipCell}`);
  assert.equal(confusionCell, 0);
  // Class 0's own members weigh their rank among themselves: about half each on the diagonal.
  const diag = cell(flips, 'typical')[0] - 1;
  assert.ok(Math.abs(diag - 10.5) < 1e-9, `diagonal ${diag}`);
});

test('confident joint: samples called no class above its threshold are not counted', () => {
  const x = posteriors([...own, [1, 0.55], [0, 0.45]]);
  const one = confidentJoint(x.post, x.labels, Float32Array.of(0.6, 0.6), 2, 'one');
  const base = confidentJoint(posteriors(own).post, posteriors(own).labels, Float32Array.of(0.6, 0.6), 2, 'one');
  assert.deepEqual([...one], [...base]);
});

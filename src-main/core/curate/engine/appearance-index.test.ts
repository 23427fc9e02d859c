import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeTree } from './appearance-index';
import { createRng, gaussian } from '../../../../src-shared/random';

test('range tree: within(i, r) visits exactly the indexed rows within r, clustered or not', () => {
  const rng = createRng(5);
  const n = 3000, dim = 6;
  // Tight clusters (like copies of one image) over a spread background, and a few exact copies.
  const points = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const centre = i % 50;
    for (let a = 0; a < dim; a++) points[i * dim + a] = i < 2000 ? ((centre * 7919 + a * 104729) % 97) / 97 + 0.02 * gaussian(rng) : rng();
  }
  points.set(points.subarray(0, dim), 2999 * dim);
  // Every third row is left out of the index: it can be a query but is never visited.
  const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1);
  const tree = new RangeTree(points, dim, rows);
  for (const radius of [0, 0.03, 0.1, 0.4]) {
    for (let i = 0; i < n; i += 37) {
      const seen: number[] = [];
      tree.within(i, radius, (j) => seen.push(j));
      const expected = Array.from(rows).filter((j) => {
        let d = 0;
        for (let a = 0; a < dim; a++) d += (points[i * dim + a]! - points[j * dim + a]!) ** 2;
        return d <= radius * radius;
      });
      assert.deepEqual(seen.sort((x, y) => x - y), expected, `row ${i}, radius ${radius}`);
    }
  }
});

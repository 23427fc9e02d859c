import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RangeTree } from './appearance-index';
import { createRng, gaussian } from '../../../../src-shared/random';

test('range tree: pairsFrom finds each pair once, from its higher-ranked end (between equals, the first in the tree)', () => {
  const rng = createRng(9);
  const n = 2000, dim = 5;
  const points = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const centre = i % 40;
    for (let a = 0; a < dim; a++) points[i * dim + a] = ((centre * 7919 + a * 104729) % 89) / 89 + 0.03 * gaussian(rng);
  }
  // Exact copies: at distance 0, of equal and of unequal rank.
  points.set(points.subarray(0, dim), 1999 * dim);
  points.set(points.subarray(3 * dim, 4 * dim), 1998 * dim);
  // Few ranks, so most pairs are between equals; every fifth row is left out of the index.
  const rank = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 3);
  const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 2);
  const tree = RangeTree.build(points, dim, rows, rank);
  const radiusOf = (i: number) => 0.02 + 0.03 * rank[i]!;
  const found = new Map<string, number>();
  for (const i of rows) tree.pairsFrom(i, radiusOf(i), (j) => {
    if (j === i) return;
    const key = i < j ? `${i}:${j}` : `${j}:${i}`;
    found.set(key, (found.get(key) ?? 0) + 1);
    assert.ok(rank[j]! <= rank[i]!, `${i} (rank ${rank[i]}) searched ${j} (rank ${rank[j]})`);
  });
  // Every indexed pair within the radius of its higher-ranked end, found exactly once.
  let expected = 0;
  for (let x = 0; x < rows.length; x++) for (let y = x + 1; y < rows.length; y++) {
    const i = rows[x]!, j = rows[y]!;
    let d = 0;
    for (let a = 0; a < dim; a++) d += (points[i * dim + a]! - points[j * dim + a]!) ** 2;
    const r = radiusOf(rank[i]! >= rank[j]! ? i : j);
    if (d > r * r) continue;
    expected++;
    assert.equal(found.get(`${i}:${j}`), 1, `pair ${i}:${j}`);
  }
  assert.ok(expected > 500, `a clustered set has many pairs (${expected})`);
  assert.equal(found.size, expected);
});

test('range tree: near finds every indexed row within the radius of any point, indexed or not', () => {
  const rng = createRng(10);
  const n = 1500, dim = 4;
  const points = new Float32Array(n * dim);
  for (let i = 0; i < n * dim; i++) points[i] = ((i % 7) / 7) + 0.05 * gaussian(rng);
  const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
  const tree = RangeTree.build(points, dim, rows, new Float64Array(n));
  const radius = 0.08;
  let total = 0;
  // Queries: rows left out of the index (every third) and indexed rows alike.
  for (let q = 0; q < 200; q++) {
    const point = points.subarray(q * dim, (q + 1) * dim);
    const found: number[] = [];
    tree.near(point, radius, (j) => found.push(j));
    const expected = Array.from(rows).filter((j) => {
      let d = 0;
      for (let a = 0; a < dim; a++) d += (point[a]! - points[j * dim + a]!) ** 2;
      return d <= radius * radius;
    });
    assert.deepEqual(found.sort((a, b) => a - b), expected, `query ${q}`);
    total += expected.length;
  }
  assert.ok(total > 1000, `queries have neighbours within the radius (${total})`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGrid, countInRect, forEachInRect, nearest } from './spatialGrid';
import { createRng as rng } from '../../src-shared/random';


/** Clustered points like a 2-D embedding, plus a few unplaced (NaN) ones. */
function layout(n: number, seed = 1): { x: Float32Array; y: Float32Array } {
  const r = rng(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 5;
    const a = r() * 2 * Math.PI;
    const d = Math.sqrt(r()) * (1 + c);
    x[i] = c * 7 + Math.cos(a) * d;
    y[i] = (c % 2) * 5 + Math.sin(a) * d;
    if (i % 97 === 0) x[i] = NaN;
  }
  return { x, y };
}

test('every placed point is in the grid exactly once, in the cell that contains it', () => {
  const { x, y } = layout(20_000);
  const g = buildGrid(x, y);
  const seen = new Uint8Array(x.length);
  for (let c = 0; c < g.cols * g.rows; c++) {
    for (let k = g.cellStart[c]; k < g.cellStart[c + 1]; k++) {
      const id = g.order[k];
      assert.equal(seen[id], 0);
      seen[id] = 1;
      assert.equal(g.xs[k], x[id]);
      assert.equal(g.ys[k], y[id]);
    }
  }
  for (let i = 0; i < x.length; i++) assert.equal(seen[i], Number.isFinite(x[i]) ? 1 : 0);
  assert.ok(g.cols * g.rows >= 20_000 / 16, 'cells hold a handful of points on average');
});

test('nearest matches brute force and honours the radius and the skip mask', () => {
  const { x, y } = layout(10_000, 2);
  const g = buildGrid(x, y);
  const skip = new Uint8Array(x.length);
  for (let i = 0; i < skip.length; i += 3) skip[i] = 1;
  const r = rng(9);
  for (let q = 0; q < 300; q++) {
    const qx = -3 + r() * 40;
    const qy = -6 + r() * 20;
    const radius = r() * 0.5;
    let best = -1;
    let bestD = radius * radius;
    for (let i = 0; i < x.length; i++) {
      if (skip[i] || !Number.isFinite(x[i])) continue;
      const d = (x[i] - qx) ** 2 + (y[i] - qy) ** 2;
      if (d < bestD || (d === bestD && i > best)) {
        best = i;
        bestD = d;
      }
    }
    assert.equal(nearest(g, qx, qy, radius, skip), best);
  }
});

test('rectangle queries match brute force; counting stops past the limit', () => {
  const { x, y } = layout(10_000, 3);
  const g = buildGrid(x, y);
  const rect = { minX: 5, minY: -1, maxX: 16, maxY: 4 };
  const expected: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] >= rect.minX && x[i] <= rect.maxX && y[i] >= rect.minY && y[i] <= rect.maxY) expected.push(i);
  }
  const got: number[] = [];
  forEachInRect(g, rect, (id) => {
    got.push(id);
  });
  assert.deepEqual(got.sort((a, b) => a - b), expected);
  assert.equal(countInRect(g, rect, 1e9), expected.length);
  assert.equal(countInRect(g, rect, 10), 11);
  assert.equal(countInRect(g, { minX: 1000, minY: 1000, maxX: 1001, maxY: 1001 }, 10), 0);
});

test('degenerate layouts: empty, all unplaced, all on one spot', () => {
  const empty = buildGrid(new Float32Array(0), new Float32Array(0));
  assert.equal(nearest(empty, 0, 0, 1), -1);
  const unplaced = buildGrid(new Float32Array([NaN, NaN]), new Float32Array([1, 2]));
  assert.equal(unplaced.order.length, 0);
  assert.equal(nearest(unplaced, 0, 0, 10), -1);
  const spot = buildGrid(new Float32Array([2, 2, 2]), new Float32Array([3, 3, 3]));
  assert.equal(spot.order.length, 3);
  assert.equal(nearest(spot, 2, 3, 0.1), 2, 'ties go to the point drawn on top');
});

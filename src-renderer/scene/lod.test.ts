import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spriteBudget, spritesInView } from './lod';
import { buildGrid } from './spatialGrid';

// A 200 x 200 lattice of points one unit apart: 40,000 points.
const side = 200;
const x = new Float32Array(side * side);
const y = new Float32Array(side * side);
for (let i = 0; i < x.length; i++) {
  x[i] = i % side;
  y[i] = Math.floor(i / side);
}
const g = buildGrid(x, y);
const rule = { max: 100, overflowFactor: 4 };
const view = (cx: number, cy: number, half: number) => ({ minX: cx - half, minY: cy - half, maxX: cx + half, maxY: cy + half });

test('all points in view get a sprite when at most max are in view', () => {
  const ids = spritesInView(g, view(100, 100, 4.5), rule); // 9 x 9 = 81 points
  assert.equal(ids.length, 81);
  assert.equal(x[ids[0]], 100, 'nearest the centre first');
  assert.equal(y[ids[0]], 100);
});

test('between max and max x overflow in view, only the max nearest the centre', () => {
  const ids = spritesInView(g, view(100, 100, 9.5), rule); // 19 x 19 = 361 points
  assert.equal(ids.length, 100);
  let worst = 0;
  for (const id of ids) worst = Math.max(worst, Math.hypot(x[id] - 100, y[id] - 100));
  // Every point left out is at least as far from the centre as every point kept.
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i] - 100) > 9.5 || Math.abs(y[i] - 100) > 9.5 || ids.includes(i)) continue;
    assert.ok(Math.hypot(x[i] - 100, y[i] - 100) >= worst);
  }
});

test('zoomed out past max x overflow: no sprites at all', () => {
  assert.equal(spritesInView(g, view(100, 100, 50), rule).length, 0);
  assert.equal(spritesInView(g, view(100, 100, 1000), rule).length, 0);
});

test('the count never exceeds max, whatever the view, and skipped points never appear', () => {
  const skip = new Uint8Array(x.length);
  for (let i = 0; i < skip.length; i += 2) skip[i] = 1;
  for (const half of [0.4, 3, 7, 10, 14, 20, 30]) {
    const ids = spritesInView(g, view(57.3, 120.8, half), rule, skip);
    assert.ok(ids.length <= rule.max);
    for (const id of ids) assert.equal(skip[id], 0);
  }
  // With half the points filtered out, a view of 361 holds about 180: still the nearest 100.
  assert.equal(spritesInView(g, view(100, 100, 9.5), rule, skip).length, 100);
});

test('the choice is stable: same view, same ids', () => {
  const a = spritesInView(g, view(33.5, 66.5, 8), rule);
  const b = spritesInView(g, view(33.5, 66.5, 8), rule);
  assert.deepEqual(a, b);
});

test('the sprite budget follows the canvas: at most max, at most `coverage` canvases of sprites', () => {
  assert.equal(spriteBudget(800, 600, 56, 2000, 3), 459);
  assert.equal(spriteBudget(3840, 2160, 56, 2000, 3), 2000);
  assert.equal(spriteBudget(0, 0, 56, 2000, 3), 0);
});

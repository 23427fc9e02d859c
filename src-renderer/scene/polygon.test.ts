import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pointInPolygon, polygonArea, polygonProblem, selectInPolygon } from './polygon';
import { buildGrid } from './spatialGrid';
import { createRng as rng } from '../../src-shared/random';


function uniform(n: number, seed: number, size = 100): { x: Float32Array; y: Float32Array } {
  const r = rng(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = r() * size;
    y[i] = r() * size;
  }
  return { x, y };
}

function brute(x: Float32Array, y: Float32Array, poly: number[], skip?: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (!skip?.[i] && pointInPolygon(poly, x[i], y[i])) out.push(i);
  return out;
}

const sorted = (a: Uint32Array) => Array.from(a).sort((p, q) => p - q);

test('pointInPolygon: convex, concave, and the even-odd rule on self-intersecting outlines', () => {
  const square = [0, 0, 10, 0, 10, 10, 0, 10];
  assert.equal(pointInPolygon(square, 5, 5), true);
  assert.equal(pointInPolygon(square, 15, 5), false);
  const u = [0, 0, 9, 0, 9, 9, 6, 9, 6, 3, 3, 3, 3, 9, 0, 9]; // a U shape
  assert.equal(pointInPolygon(u, 1.5, 6), true);
  assert.equal(pointInPolygon(u, 4.5, 6), false, 'the notch of the U is outside');
  // Figure eight: both lobes are inside.
  const eight = [0, 0, 10, 10, 10, 0, 0, 10];
  assert.equal(pointInPolygon(eight, 1, 5), true);
  assert.equal(pointInPolygon(eight, 9, 5), true);
  assert.equal(pointInPolygon(eight, 5, 1), false);
  // A pentagram: the five points are inside, the centre pentagon (covered twice) is outside.
  const star: number[] = [];
  for (let k = 0; k < 5; k++) {
    const a = Math.PI / 2 + (k * 4 * Math.PI) / 5;
    star.push(Math.cos(a) * 10, Math.sin(a) * 10);
  }
  assert.equal(pointInPolygon(star, 0, 0), false);
  assert.equal(pointInPolygon(star, 0, 8), true);
});

test('selectInPolygon equals the brute-force test on convex, concave and self-intersecting polygons', () => {
  const { x, y } = uniform(30_000, 4);
  const g = buildGrid(x, y);
  const r = rng(5);
  const polygons: number[][] = [
    [10, 10, 90, 10, 90, 90, 10, 90],
    [5, 5, 95, 5, 95, 95, 60, 95, 60, 30, 40, 30, 40, 95, 5, 95],
    [0, 0, 100, 100, 100, 0, 0, 100],
    [-50, -50, 200, 40, -50, 60], // sticks out of the data on every side
  ];
  // A wobbly lasso that crosses itself, like a hand-drawn one, with many short edges.
  const lasso: number[] = [];
  for (let k = 0; k < 400; k++) {
    const a = (k / 400) * 4 * Math.PI;
    const rad = 30 + 15 * Math.sin(3 * a) + r() * 2;
    lasso.push(50 + Math.cos(a) * rad + (k < 200 ? 0 : 8), 50 + Math.sin(a) * rad);
  }
  polygons.push(lasso);
  for (const poly of polygons) {
    const got = selectInPolygon(g, poly);
    assert.equal(got.reason, undefined);
    assert.deepEqual(sorted(got.ids), brute(x, y, poly));
  }
});

test('a lasso drawn twice round the same area selects nothing there (even-odd)', () => {
  const { x, y } = uniform(5_000, 6);
  const g = buildGrid(x, y);
  const twice = [20, 20, 80, 20, 80, 80, 20, 80, 20, 20, 80, 20, 80, 80, 20, 80];
  assert.equal(polygonProblem(twice), null);
  const got = selectInPolygon(g, twice);
  assert.deepEqual(sorted(got.ids), brute(x, y, twice));
});

test('skip mask removes points; polygons outside the data select nothing', () => {
  const { x, y } = uniform(5_000, 7);
  const g = buildGrid(x, y);
  const skip = new Uint8Array(x.length);
  for (let i = 0; i < skip.length; i += 2) skip[i] = 1;
  const poly = [0, 0, 100, 0, 50, 100];
  assert.deepEqual(sorted(selectInPolygon(g, poly, skip).ids), brute(x, y, poly, skip));
  assert.equal(selectInPolygon(g, [200, 200, 300, 200, 250, 300]).ids.length, 0);
});

test('bad polygons select nothing and say why', () => {
  const { x, y } = uniform(100, 8);
  const g = buildGrid(x, y);
  assert.deepEqual(selectInPolygon(g, []).reason, 'too-few-points');
  assert.deepEqual(selectInPolygon(g, [1, 1, 50, 50]).reason, 'too-few-points');
  assert.deepEqual(selectInPolygon(g, [1, 1, 50, 50, 7]).reason, 'too-few-points');
  assert.deepEqual(selectInPolygon(g, [1, 1, 50, 50, 90, 90]).reason, 'zero-area');
  assert.deepEqual(selectInPolygon(g, [3, 3, 3, 3, 3, 3, 3, 3]).reason, 'zero-area');
  assert.deepEqual(selectInPolygon(g, [1, 1, NaN, 50, 90, 10]).reason, 'not-finite');
  for (const p of [[], [1, 1, 50, 50, 90, 90], [1, 1, NaN, 50, 90, 10]]) assert.equal(selectInPolygon(g, p).ids.length, 0);
  // A figure eight has zero signed area but encloses points: it is not refused.
  const eight = [0, 0, 100, 100, 100, 0, 0, 100];
  assert.equal(polygonArea(eight), 0);
  assert.equal(polygonProblem(eight), null);
  assert.ok(selectInPolygon(g, eight).ids.length > 0);
});

test('points on cell boundaries and polygon edges are classified like the brute-force test', () => {
  // A lattice puts many points exactly on grid lines and on axis-aligned polygon edges.
  const n = 101 * 101;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i % 101;
    y[i] = Math.floor(i / 101);
  }
  const g = buildGrid(x, y);
  for (const poly of [
    [10, 10, 60, 10, 60, 60, 10, 60],
    [0, 0, 100, 0, 100, 100],
    [25, 0, 50, 50, 25, 100, 0, 50],
  ]) {
    assert.deepEqual(sorted(selectInPolygon(g, poly).ids), brute(x, y, poly));
  }
});

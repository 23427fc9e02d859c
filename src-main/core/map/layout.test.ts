import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeByNeighbours, scaleInit } from './layout';

test('new points are placed among their laid-out neighbours', () => {
  const positions = new Float32Array([0, 0, 2, 0, 10, 10, 12, 10]);
  const neighbours = {
    n: 3,
    k: 2,
    indices: new Int32Array([0, 1, 3, 2, -1, -1]),
    distances: new Float32Array([0.1, 0.1, 0.05, 0.5, Infinity, Infinity]),
  };
  const p = placeByNeighbours(neighbours, positions);
  assert.deepEqual(Array.from(p.subarray(0, 2)), [1, 0]); // equal weights: midpoint of 0 and 1
  assert.ok(p[2] > 11.5 && p[2] <= 12 && p[3] === 10, `closer to point 3: ${p[2]}`);
  assert.deepEqual(Array.from(p.subarray(4, 6)), [6, 5]); // no neighbours: centroid
});

test('scaleInit maps each axis into [0, 10] and is seeded', () => {
  const init = new Float32Array([-5, 1, 5, 3, 0, 2]);
  const a = scaleInit(init, 1);
  const b = scaleInit(init, 1);
  assert.deepEqual(a, b);
  assert.ok(Math.abs(a[0]) < 1e-3 && Math.abs(a[2] - 10) < 1e-3 && Math.abs(a[5] - 5) < 1e-3);
  assert.notDeepEqual(scaleInit(init, 2), a);
});

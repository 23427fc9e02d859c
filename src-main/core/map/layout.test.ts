import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutShare, placeByNeighbours, scaleInit } from './layout';

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

test('a layout\'s share of its progress follows time: a t-SNE step weighs more than an epoch, and the share rises from 0 to 1', () => {
  const total = 200 + 100;
  const at = (epoch: number) => layoutShare(epoch, total, epoch <= 200 ? { name: 'epochs', done: epoch, of: 200 } : { name: 't-SNE steps', done: epoch - 200, of: 100 });
  assert.equal(at(0), 0);
  assert.equal(at(total), 1);
  // The SGD's 200 epochs end well before the two thirds that their count alone would give them.
  assert.ok(at(200) < 200 / total - 0.1, `the SGD ends at ${at(200)}`);
  // Each step moves the bar more than an epoch does, and the bar never goes back.
  assert.ok(at(250) - at(249) > at(100) - at(99));
  for (let e = 1; e <= total; e++) assert.ok(at(e) > at(e - 1), `at ${e}`);
  // Without a phase, or with no steps, the count itself.
  assert.equal(layoutShare(150, total), 0.5);
  assert.equal(layoutShare(50, 200, { name: 'epochs', done: 50, of: 200 }), 0.25);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactLabelAgreement, graphLabelAgreement, graphNeighbourRecall, graphRecall, knn2d, labelAgreement, trustworthiness } from './quality';
import { Xorshift32 } from '../../../../src-shared/random';

test('knn2d matches brute force on random points', () => {
  const rng = new Xorshift32(3);
  const n = 500;
  const p = new Float32Array(n * 2).map(() => rng.normal() * (rng.float() < 0.5 ? 1 : 10));
  const k = 7;
  const nn = knn2d(p, k);
  for (let i = 0; i < n; i++) {
    const d = (j: number) => (p[2 * i] - p[2 * j]) ** 2 + (p[2 * i + 1] - p[2 * j + 1]) ** 2;
    const expected = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).sort((a, b) => d(a) - d(b) || a - b).slice(0, k);
    assert.deepEqual(Array.from(nn.subarray(i * k, i * k + k)).map(d), expected.map(d), `point ${i}`);
  }
});

test('label agreement on a hand-made layout', () => {
  // two tight groups far apart; point 5 (label 0) sits inside the label-1 group
  const p = new Float32Array([0, 0, 0, 1, 1, 0, 100, 100, 100, 101, 101, 100.5]);
  const labels = [0, 0, 0, 1, 1, 0];
  // k = 2: points 0-2 see each other (1); 3 sees 4 and 5 (1/2); 4 sees 3 and 5 (1/2); 5 sees 3, 4 (0)
  assert.equal(labelAgreement(p, labels, 2), (1 + 1 + 1 + 0.5 + 0.5 + 0) / 6);
});

test('trustworthiness is 1 for a faithful layout and drops for a shuffled one', () => {
  // unit vectors on a circle arc in 3-D (third coordinate constant): their 2-D angle layout
  // preserves every neighbourhood
  const n = 60;
  const v = new Float32Array(n * 3);
  const p = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const t = (i / n) * 1.5 + 0.002 * i * i; // uneven spacing: no distance ties
    const x = Math.cos(t), y = Math.sin(t), z = 1;
    const s = Math.hypot(x, y, z);
    v.set([x / s, y / s, z / s], i * 3);
    p.set([x, y], i * 2);
  }
  assert.equal(trustworthiness(v, 3, p, { k: 5 }), 1);
  const rng = new Xorshift32(9);
  const shuffled = new Float32Array(n * 2).map(() => rng.float());
  const t = trustworthiness(v, 3, shuffled, { k: 5 });
  assert.ok(t < 0.75, `random layout trustworthiness ${t}`);
});

test('trustworthiness matches the definition on a tiny case', () => {
  // 1-D data on a line (as unit vectors at small angles), layout swaps the two end points
  const n = 12;
  const angles = Array.from({ length: n }, (_, i) => i * 0.05 + 0.001 * i * i);
  const v = new Float32Array(n * 2);
  angles.forEach((a, i) => v.set([Math.cos(a), Math.sin(a)], i * 2));
  const order = Array.from({ length: n }, (_, i) => i);
  [order[0], order[n - 1]] = [order[n - 1], order[0]];
  const p = new Float32Array(n * 2);
  order.forEach((src, pos) => p.set([pos, 0], src * 2));
  const k = 2;
  // reference: direct formula with ranks from sorted distances
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    const high = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).sort((a, b) => Math.abs(angles[a] - angles[i]) - Math.abs(angles[b] - angles[i]));
    const low = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).sort((a, b) => Math.abs(p[2 * a] - p[2 * i]) - Math.abs(p[2 * b] - p[2 * i]) || a - b).slice(0, k);
    for (const j of low) {
      const rank = high.indexOf(j) + 1;
      if (rank > k) penalty += rank - k;
    }
  }
  const expected = 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
  assert.ok(penalty > 0);
  assert.ok(Math.abs(trustworthiness(v, 2, p, { k }) - expected) < 1e-12);
});

test('sampled trustworthiness estimates the exact value', () => {
  const rng = new Xorshift32(4);
  const n = 400, dim = 8;
  const v = new Float32Array(n * dim).map(() => rng.normal());
  for (let i = 0; i < n; i++) {
    const s = Math.hypot(...v.subarray(i * dim, i * dim + dim));
    for (let j = 0; j < dim; j++) v[i * dim + j] /= s;
  }
  const p = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) p.set([v[i * dim] + 0.3 * rng.normal(), v[i * dim + 1] + 0.3 * rng.normal()], i * 2);
  const exact = trustworthiness(v, dim, p, { k: 10 });
  const est = trustworthiness(v, dim, p, { k: 10, sample: 200, seed: 5 });
  assert.ok(Math.abs(exact - est) < 0.02, `exact ${exact} vs sampled ${est}`);
});

test('graphRecall is 1 for the exact graph and 0 for a wrong one', () => {
  const v = new Float32Array([1, 0, 0.99, 0.141, 0, 1, 0.141, 0.99, -1, 0]);
  const exact = { n: 5, k: 1, indices: new Int32Array([1, 0, 3, 2, 1]), distances: new Float32Array(5) };
  // point 4 (-1, 0): its nearest by cosine is point 3 (0.141, 0.99)? dot = -0.141; point 2 (0,1): dot 0 → nearest is 2
  exact.indices[4] = 2;
  assert.equal(graphRecall(v, 2, exact), 1);
  const wrong = { ...exact, indices: new Int32Array([4, 4, 4, 4, 0]) };
  assert.equal(graphRecall(v, 2, wrong), 0);
});

test('graph and exact label agreement: by hand, and the exact one matches its graph when the graph is exact', () => {
  // 1-D points on a line (as unit vectors on an arc), labels in runs of 5 with one stray
  const n = 40;
  const v = new Float32Array(n * 2);
  const labels = Array.from({ length: n }, (_, i) => (i === 17 ? 0 : Math.floor(i / 5)));
  for (let i = 0; i < n; i++) v.set([Math.cos(i * 0.01 + 0.0001 * i * i), Math.sin(i * 0.01 + 0.0001 * i * i)], i * 2);
  const k = 3;
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const near = Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== i)
      .sort((a, b) => Math.abs(a * 0.01 + 0.0001 * a * a - (i * 0.01 + 0.0001 * i * i)) - Math.abs(b * 0.01 + 0.0001 * b * b - (i * 0.01 + 0.0001 * i * i)))
      .slice(0, k);
    indices.set(near, i * k);
  }
  const graph = { n, k, indices, distances };
  let expected = 0;
  for (let i = 0; i < n; i++) expected += Array.from(indices.subarray(i * k, i * k + k)).filter((j) => labels[j] === labels[i]).length / k;
  expected /= n;
  assert.ok(expected < 1 && expected > 0.5);
  assert.equal(graphLabelAgreement(graph, labels, k), expected);
  assert.ok(Math.abs(exactLabelAgreement(v, 2, labels, { k }) - expected) < 1e-12);
  // a graph whose neighbours are all of another label agrees nowhere; -1 padding is skipped
  const wrong = { n: 2, k: 2, indices: Int32Array.from([1, -1, 0, -1]), distances: new Float32Array(4) };
  assert.equal(graphLabelAgreement(wrong, [0, 1], 10), 0);
});

test('graph neighbour recall: the share of graph neighbours among the nearest on the map', () => {
  // points 0..3 on a line; the graph (k = 2) says 0's neighbours are 1 and 3, 3's are 2 and 0
  const p = new Float32Array([0, 0, 1, 0, 2.5, 0, 4.5, 0]);
  const graph = { n: 4, k: 2, indices: new Int32Array([1, 3, 0, 2, 1, 3, 2, 0]), distances: new Float32Array(8) };
  // map 2-NN: 0 → {1, 2}, 1 → {0, 2}, 2 → {1, 3}, 3 → {2, 1}: rows keep 1/2, 2/2, 2/2, 1/2
  assert.equal(graphNeighbourRecall(graph, p, 2), (0.5 + 1 + 1 + 0.5) / 4);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzySimplicialSet, smoothKnnDistances } from './fuzzy';
import { buildSchedule, fitCurve, partitionSchedule } from './sgd';
import type { KnnGraph } from '../../../../src-shared/model/knn';

// 5 points on a line with their 3 nearest neighbours (no ties at the nearest distance)
function lineGraph(): KnnGraph {
  const xs = [0, 1, 2.5, 4.5, 8];
  const k = 3;
  const indices = new Int32Array(xs.length * k);
  const distances = new Float32Array(xs.length * k);
  xs.forEach((x, i) => {
    const order = xs.map((_, j) => j).filter((j) => j !== i).sort((a, b) => Math.abs(xs[a] - x) - Math.abs(xs[b] - x) || a - b).slice(0, k);
    order.forEach((j, c) => {
      indices[i * k + c] = j;
      distances[i * k + c] = Math.abs(xs[j] - x);
    });
  });
  return { n: xs.length, k, indices, distances };
}

test('bandwidths make each point\'s memberships sum to log2(k)', () => {
  const g = lineGraph();
  const { rho, sigma } = smoothKnnDistances(g);
  for (let i = 0; i < g.n; i++) {
    let sum = 0;
    for (let c = 0; c < g.k; c++) sum += Math.exp(-Math.max(0, g.distances[i * g.k + c] - rho[i]) / sigma[i]);
    assert.ok(Math.abs(sum - Math.log2(g.k)) < 1e-4, `point ${i}: ${sum}`);
    assert.equal(rho[i], g.distances[i * g.k]);
  }
});

test('the fuzzy graph is symmetric with weights in (0, 1]', () => {
  const g = fuzzySimplicialSet(lineGraph());
  const w = new Map<string, number>();
  for (let i = 0; i < g.n; i++) {
    for (let e = g.rowPtr[i]; e < g.rowPtr[i + 1]; e++) {
      assert.ok(g.weights[e] > 0 && g.weights[e] <= 1);
      assert.ok(!w.has(`${i},${g.cols[e]}`), 'duplicate entry');
      w.set(`${i},${g.cols[e]}`, g.weights[e]);
    }
  }
  for (const [key, v] of w) {
    const [i, j] = key.split(',');
    assert.equal(w.get(`${j},${i}`), v);
  }
  // the nearest neighbour of every point has membership 1
  assert.equal(w.get('0,1'), 1);
  assert.equal(w.get('4,3'), 1);
});

test('fitCurve reproduces umap-learn\'s a, b for min_dist 0.1', () => {
  const { a, b } = fitCurve(1, 0.1);
  // umap-learn: a = 1.577, b = 0.8951
  assert.ok(Math.abs(a - 1.577) < 0.01, `a = ${a}`);
  assert.ok(Math.abs(b - 0.8951) < 0.005, `b = ${b}`);
  assert.equal(fitCurve(1, 0.1, 1).b, 1);
});

test('the edge schedule drops rarely sampled edges and partitions at head boundaries', () => {
  const g = fuzzySimplicialSet(lineGraph());
  const s = buildSchedule(g, 200);
  assert.ok(s.head.length > 0 && s.head.length <= g.cols.length);
  for (const eps of s.epochsPerSample) assert.ok(eps >= 1 && eps <= 200);
  const bounds = partitionSchedule(s, 2);
  assert.equal(bounds[0], 0);
  assert.equal(bounds[2], s.head.length);
  const cut = bounds[1];
  if (cut > 0 && cut < s.head.length) assert.notEqual(s.head[cut - 1], s.head[cut]);
});

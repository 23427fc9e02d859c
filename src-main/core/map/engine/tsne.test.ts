import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionalAffinities, createTsneState, spread, tsneAffinities } from './tsne';
import { graphNeighbourRecall, knn2d } from './quality';
import { Xorshift32 } from '../../../../src-shared/random';
import type { KnnGraph } from '../../../../src-shared/model/knn';
import { CONTROL_SIZE, runMapTask, type TsneResult } from '../tasks';

/** 600 points on a spiral (a 1-D manifold in 2-D) and their exact 15-NN graph. */
function spiral(): { truth: Float32Array; graph: KnnGraph } {
  const n = 600, k = 15;
  const truth = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = 1 + (i / n) * 12;
    truth[2 * i] = t * Math.cos(t);
    truth[2 * i + 1] = t * Math.sin(t);
  }
  const indices = knn2d(truth, k);
  const distances = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) {
    const j = indices[i * k + c];
    distances[i * k + c] = (truth[2 * i] - truth[2 * j]) ** 2 + (truth[2 * i + 1] - truth[2 * j + 1]) ** 2;
  }
  return { truth, graph: { n, k, indices, distances } };
}

test('each row\'s affinities sum to 1 with the asked perplexity, and P is symmetric and sums to 1', () => {
  const { graph } = spiral();
  const { n, k } = graph;
  const cond = conditionalAffinities(graph, 5);
  for (let i = 0; i < n; i += 13) {
    let sum = 0, h = 0;
    for (let t = 0; t < k; t++) {
      const p = cond[i * k + t];
      sum += p;
      if (p > 0) h -= p * Math.log(p);
    }
    assert.ok(Math.abs(sum - 1) < 1e-9, `row ${i} sums to ${sum}`);
    assert.ok(Math.abs(Math.exp(h) - 5) < 1e-3, `row ${i}: perplexity ${Math.exp(h)}`);
  }
  const A = tsneAffinities(graph, 5);
  let total = 0;
  const pairs = new Map<string, number>();
  for (let i = 0; i < n; i++) for (let e = A.start[i]; e < A.start[i + 1]; e++) {
    total += A.p[e];
    const key = `${i},${A.to[e]}`;
    pairs.set(key, (pairs.get(key) ?? 0) + A.p[e]);
  }
  assert.ok(Math.abs(total - 1) < 1e-9, `sum ${total}`);
  for (const [key, v] of pairs) {
    const [i, j] = key.split(',');
    assert.ok(Math.abs((pairs.get(`${j},${i}`) ?? 0) - v) < 1e-15, `P(${key}) is not symmetric`);
  }
});

/** `steps` t-SNE steps on one party, as the layout's workers take them (tasks.ts). */
function runSteps(graph: KnnGraph, positions: Float32Array, steps: number): TsneResult {
  const state = createTsneState(tsneAffinities(graph, graph.k / 3), positions, {}, false);
  const control = new Int32Array(CONTROL_SIZE);
  return runMapTask({ kind: 'tsne', graph, positions, state, steps, control, parties: 1, reporter: true, progressMs: null }, () => {}).result as TsneResult;
}

test('t-SNE steps bring back the neighbourhoods of a scrambled layout, at its centre and spread, and are kept', () => {
  const { truth, graph } = spiral();
  const n = graph.n;
  const rng = new Xorshift32(4);
  // the true layout with every point pushed about a spiral turn's width at random
  const start = Float32Array.from(truth, (v) => v + 2.5 * rng.normal());
  const before = graphNeighbourRecall(graph, start);
  const out = runSteps(graph, start, 200);
  assert.equal(out.kept, true);
  const after = graphNeighbourRecall(graph, out.positions);
  assert.ok(after > before + 0.15, `graph neighbours kept: ${before.toFixed(3)} → ${after.toFixed(3)}`);
  const a = spread(start, n), b = spread(out.positions, n);
  assert.ok(Math.abs(a.cx - b.cx) < 1e-3 && Math.abs(a.cy - b.cy) < 1e-3 && Math.abs(a.sd - b.sd) < 1e-3 * a.sd, 'centre and spread kept');
  assert.deepEqual(runSteps(graph, start, 200).positions, out.positions, 'deterministic');
});

test('the steps are not kept where the layout already keeps the graph better', () => {
  const { truth, graph } = spiral();
  // The true layout already has every graph neighbour among its nearest: nothing to gain.
  const exact = runSteps(graph, truth, 100);
  assert.equal(exact.kept, false);
  assert.deepEqual(exact.positions, truth);
});

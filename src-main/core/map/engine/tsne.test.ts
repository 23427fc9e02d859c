import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionalAffinities, createTsneState, layoutOf, spread, tsneAffinities, tsneRows } from './tsne';
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

test('the steps\' rows follow the layout in space, and hold every point and affinity once; layoutOf gives the points back in their own order', () => {
  const { truth, graph } = spiral();
  const n = graph.n;
  // The spiral's points shuffled: their own order says nothing about where they lie.
  const rng = new Xorshift32(9);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rng.float() * (i + 1)); [perm[i], perm[j]] = [perm[j], perm[i]]; }
  // Each point pushed about a spiral turn's width at random, as in the test below.
  const positions = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) { positions[2 * i] = truth[2 * perm[i]] + 2.5 * rng.normal(); positions[2 * i + 1] = truth[2 * perm[i] + 1] + 2.5 * rng.normal(); }
  const shuffled: KnnGraph = { ...graph, indices: new Int32Array(n * graph.k) };
  const back = new Int32Array(n);
  perm.forEach((t, i) => (back[t] = i));
  for (let i = 0; i < n; i++) for (let c = 0; c < graph.k; c++) shuffled.indices[i * graph.k + c] = back[graph.indices[perm[i] * graph.k + c]];
  shuffled.distances = new Float32Array(n * graph.k);
  for (let i = 0; i < n; i++) shuffled.distances.set(graph.distances.subarray(perm[i] * graph.k, (perm[i] + 1) * graph.k), i * graph.k);

  const A = tsneAffinities(shuffled, 5);
  const state = createTsneState(tsneRows(shuffled, 5, positions, false), positions, {}, false);
  assert.deepEqual([...state.order].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i), 'a permutation of the points');
  // Consecutive rows lie near each other: the mean step between them is a small share of the
  // mean step between the points in their own (shuffled) order.
  const gap = (at: (t: number) => number) => {
    let s = 0;
    for (let t = 1; t < n; t++) s += Math.hypot(positions[2 * at(t)] - positions[2 * at(t - 1)], positions[2 * at(t) + 1] - positions[2 * at(t - 1) + 1]);
    return s / (n - 1);
  };
  assert.ok(gap((t) => state.order[t]) < 0.2 * gap((t) => t), `rows ${gap((t) => state.order[t]).toFixed(3)} apart, points ${gap((t) => t).toFixed(3)}`);
  // Every affinity once, between the same two points.
  const pairs = (start: Int32Array, to: Int32Array, p: Float64Array, point: (r: number) => number) => {
    const out: string[] = [];
    for (let r = 0; r < n; r++) for (let e = start[r]; e < start[r + 1]; e++) out.push(`${point(r)} ${point(to[e])} ${p[e]}`);
    return out.sort();
  };
  assert.deepEqual(pairs(state.A.start, state.A.to, state.A.p, (r) => state.order[r]), pairs(A.start, A.to, A.p, (r) => r));
  // Before any step, the layout given back is the one given, point for point.
  const again = layoutOf(state, state.y[0]);
  for (let i = 0; i < 2 * n; i++) assert.ok(Math.abs(again[i] - positions[i]) < 1e-4, `coordinate ${i}: ${again[i]} vs ${positions[i]}`);
  // The steps' layout, given back in the points' own order, brings their graph neighbours back.
  const before = graphNeighbourRecall(shuffled, positions);
  const out = runSteps(shuffled, positions, 200);
  assert.equal(out.kept, true);
  const after = graphNeighbourRecall(shuffled, out.positions);
  assert.ok(after > before + 0.15, `graph neighbours kept: ${before.toFixed(3)} → ${after.toFixed(3)}`);
});

/** `steps` t-SNE steps on one party, as the layout's workers take them (tasks.ts). */
function runSteps(graph: KnnGraph, positions: Float32Array, steps: number): TsneResult {
  const state = createTsneState(tsneRows(graph, graph.k / 3, positions, false), positions, {}, false);
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

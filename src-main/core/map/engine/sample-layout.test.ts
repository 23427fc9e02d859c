import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KnnGraph } from '../../../../src-shared/model/knn';
import { Xorshift32 } from '../../../../src-shared/random';
import { pickLayoutSample, placeFromSample, sampleGraph, sampleGraphRows } from './sample-layout';

test('pickLayoutSample: the asked count of distinct rows, ascending, the same for a seed', () => {
  const a = pickLayoutSample(10_000, 2_500, 3);
  assert.equal(a.length, 2_500);
  for (let i = 1; i < a.length; i++) assert.ok(a[i]! > a[i - 1]!, 'ascending and distinct');
  assert.ok(a[0]! >= 0 && a[a.length - 1]! < 10_000);
  assert.deepEqual(pickLayoutSample(10_000, 2_500, 3), a);
  assert.notDeepEqual(pickLayoutSample(10_000, 2_500, 4), a);
  // uniform: each tenth of the rows holds about a tenth of the sample
  for (let t = 0; t < 10; t++) {
    const inTenth = a.filter((i) => i >= t * 1000 && i < (t + 1) * 1000).length;
    assert.ok(inTenth > 180 && inTenth < 320, `tenth ${t}: ${inTenth}`);
  }
  assert.equal(pickLayoutSample(5, 9, 1).length, 5);
});

/** n points on a line at x = i; exact k-NN graph by |i - j|, distances |i - j| / n. */
function lineGraph(n: number, k: number): { graph: KnnGraph; y: Float32Array } {
  const indices = new Int32Array(n * k);
  const distances = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const nb = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).sort((a, b) => Math.abs(a - i) - Math.abs(b - i) || a - b).slice(0, k);
    nb.forEach((j, c) => { indices[i * k + c] = j; distances[i * k + c] = (Math.abs(i - j) / n) ** 2 * 0.5; });
  }
  const y = Float32Array.from({ length: n }, (_, i) => i / n);
  return { graph: { n, k, indices, distances }, y };
}

test('sampleGraph: neighbours among the sample only, nearest first, from one- and two-hop candidates', () => {
  const { graph, y } = lineGraph(200, 6);
  const sample = Int32Array.from({ length: 50 }, (_, r) => r * 4); // every fourth point
  const g = sampleGraph(graph, sample, y, 1, 'l2', 4);
  assert.equal(g.n, 50);
  assert.equal(g.k, 4);
  for (let r = 0; r < 50; r++) {
    const row = Array.from(g.indices.subarray(r * 4, r * 4 + 4)).filter((j) => j >= 0);
    assert.ok(row.length >= (r === 0 || r === 49 ? 1 : 2), `row ${r} has ${row.length} neighbours`);
    assert.ok(!row.includes(r), 'not itself');
    const d = Array.from(g.distances.subarray(r * 4, r * 4 + row.length));
    for (let c = 1; c < d.length; c++) assert.ok(d[c]! >= d[c - 1]!, 'sorted');
    // the nearest sampled point on the line (4 rows away) is always found through two hops
    assert.ok(row[0] === r - 1 || row[0] === r + 1, `row ${r}: nearest ${row[0]}`);
    assert.ok(Math.abs(d[0]! - 0.5 * (4 / 200) ** 2) < 1e-7, 'distance recomputed on the graph\'s scale');
  }
});

test('sampleGraphRows: ranges of rows, as the map workers make them, join into the whole graph', () => {
  const { graph, y } = lineGraph(200, 6);
  const sample = Int32Array.from({ length: 50 }, (_, r) => r * 4);
  const whole = sampleGraph(graph, sample, y, 1, 'l2', 4);
  const parts = [[0, 17], [17, 18], [18, 50]].map(([a, b]) => sampleGraphRows(graph, sample, y, 1, 'l2', 4, a!, b!));
  assert.deepEqual(Int32Array.from(parts.flatMap((p) => [...p.indices])), whole.indices);
  assert.deepEqual(Float32Array.from(parts.flatMap((p) => [...p.distances])), whole.distances);
});

test('placeFromSample: between its laid-out neighbours, outwards in rounds, everyone finite', () => {
  // 0 and 1 laid out at (0,0) and (2,0); 2 sees both at equal distance; 3 sees only 2; 4 nobody
  const k = 2;
  const indices = Int32Array.from([1, -1, 0, -1, 0, 1, 2, -1, -1, -1]);
  const distances = Float32Array.from([0.1, Infinity, 0.1, Infinity, 0.2, 0.2, 0.05, Infinity, Infinity, Infinity]);
  const positions = new Float32Array(10);
  positions.set([0, 0, 2, 0]);
  const laidOut = Uint8Array.from([1, 1, 0, 0, 0]);
  const r = placeFromSample({ n: 5, k, indices, distances }, laidOut, positions, { seed: 1 });
  assert.deepEqual(r.perRound.slice(0, 2), [1, 1]);
  assert.equal(r.unreachable, 1);
  assert.ok(positions.every(Number.isFinite));
  assert.deepEqual(Array.from(positions.subarray(0, 4)), [0, 0, 2, 0], 'laid-out points stay');
  // jitter is a quarter of the neighbours' spread (1): within 1 of the midpoint
  assert.ok(Math.hypot(positions[4]! - 1, positions[5]!) < 1, `point 2 at ${positions[4]}, ${positions[5]}`);
  assert.ok(Math.hypot(positions[6]! - positions[4]!, positions[7]! - positions[5]!) < 1, 'point 3 beside point 2');
});

test('placeFromSample: the same seed gives the same picture', () => {
  const n = 3000, k = 8;
  const rng = new Xorshift32(5);
  const indices = Int32Array.from({ length: n * k }, () => rng.below(n));
  const distances = Float32Array.from({ length: n * k }, (_, e) => 0.1 + (e % k) * 0.01);
  const laidOut = Uint8Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const base = Float32Array.from({ length: 2 * n }, (_, e) => (laidOut[e >> 1] ? rng.float() * 10 : 0));
  const a = base.slice();
  const b = base.slice();
  placeFromSample({ n, k, indices, distances }, laidOut, a, { seed: 9 });
  placeFromSample({ n, k, indices, distances }, laidOut, b, { seed: 9 });
  assert.deepEqual(a, b);
  assert.ok(a.every(Number.isFinite));
});

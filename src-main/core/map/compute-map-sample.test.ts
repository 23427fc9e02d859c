// The map of a sample (layoutSample): every point gets a position, the placed ones land among
// their neighbours, and the picture's quality stays close to laying out every point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMap, layoutSampleSize, DEFAULT_LAYOUT_SAMPLE, LAYOUT_SAMPLE_ABOVE } from './compute-map';
import { labelAgreement } from './engine/quality';
import { Xorshift32 } from '../../../src-shared/random';
import { mapParams } from '../../../src-shared/contract/map';

/** n points in 12 overlapping Gaussian clusters in 24-d, L2-normalised; label = cluster. */
function clusters(n: number): { x: Float32Array; labels: Uint8Array; dim: number } {
  const dim = 24, c = 12;
  const rng = new Xorshift32(21);
  const centres = new Float64Array(c * dim).map(() => rng.normal());
  const x = new Float32Array(n * dim);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const b = rng.below(c);
    labels[i] = b;
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = centres[b * dim + j]! + 1.2 * rng.normal();
      x[i * dim + j] = v;
      s += v * v;
    }
    for (let j = 0; j < dim; j++) x[i * dim + j]! /= Math.sqrt(s);
  }
  return { x, labels, dim };
}

test('layoutSampleSize: all by default up to the threshold, the default sample above it, 0 = all', () => {
  assert.equal(layoutSampleSize(LAYOUT_SAMPLE_ABOVE, undefined), LAYOUT_SAMPLE_ABOVE);
  assert.equal(layoutSampleSize(LAYOUT_SAMPLE_ABOVE + 1, undefined), DEFAULT_LAYOUT_SAMPLE);
  assert.equal(layoutSampleSize(1_000_000, 0), 1_000_000);
  assert.equal(layoutSampleSize(50_000, 10_000), 10_000);
  assert.equal(layoutSampleSize(5_000, 10_000), 5_000);
  // the contract (and so `winnow map --layout-sample`) takes 0 or at least 1,000
  for (const ok of [0, 1000, 200_000]) assert.ok(mapParams.safeParse({ layoutSample: ok }).success, String(ok));
  for (const bad of [500, 1.5, -1, NaN]) assert.match(mapParams.safeParse({ layoutSample: bad }).error?.issues[0]?.message ?? '', /layout sample must be 0/, String(bad));
});

test('a map of a 2,000-point sample shows all 8,000 points, placed among their neighbours, clustered about as well as the full layout', async () => {
  const n = 8000, m = 2000;
  const { x, labels, dim } = clusters(n);
  const full = await computeMap(x, dim, { threads: 2, seed: 3 });
  const progress: number[] = [];
  const part = await computeMap(x, dim, { threads: 2, seed: 3, layoutSample: m, progressMs: 0, onProgress: (p) => progress.push(p.length) });
  assert.equal(full.laidOut, n);
  assert.equal(part.laidOut, m);
  assert.equal(part.positions.length, 2 * n);
  assert.ok(part.positions.every(Number.isFinite), 'every point has a position');
  assert.ok(progress.length >= 2 && progress.every((len) => len === 2 * n), 'every progress picture holds every point');
  // scores and curation still see the full graph
  assert.deepEqual(part.graph.indices, full.graph.indices);
  assert.ok(part.timings.sampleGraph! >= 0 && part.timings.place! >= 0);

  // Which rows were laid out: a placed row never sits exactly where computeMap's SGD put it,
  // so find them again through the graph instead: placed = rows not in the sample. The sample
  // is pickLayoutSample(n, m, seed), re-derived here to measure distances.
  const { pickLayoutSample, placeAll } = await import('./engine/sample-layout');
  const sample = pickLayoutSample(n, m, 3);
  // The placing worker's result is placeAll's, bit for bit, from the laid-out rows' positions.
  const laidPart = new Float32Array(2 * m);
  sample.forEach((i, r) => { laidPart[2 * r] = part.positions[2 * i]!; laidPart[2 * r + 1] = part.positions[2 * i + 1]!; });
  assert.deepEqual(placeAll(part.graph, sample, laidPart, { seed: 3 }), part.positions);
  const laid = new Uint8Array(n);
  for (const i of sample) laid[i] = 1;
  const nearestNeighbourDistance = (i: number): number => {
    let best = Infinity;
    for (let c = 0; c < part.graph.k; c++) {
      const j = part.graph.indices[i * part.graph.k + c]!;
      if (j >= 0 && laid[j]) best = Math.min(best, Math.hypot(part.positions[2 * i]! - part.positions[2 * j]!, part.positions[2 * i + 1]! - part.positions[2 * j + 1]!));
    }
    return best;
  };
  const median = (a: number[]) => a.filter(Number.isFinite).sort((p, q) => p - q)[Math.floor(a.filter(Number.isFinite).length / 2)]!;
  const placedD = median(Array.from({ length: n }, (_, i) => i).filter((i) => !laid[i]).map(nearestNeighbourDistance));
  const laidD = median(Array.from(sample).map(nearestNeighbourDistance));
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) { lo = Math.min(lo, part.positions[2 * i]!); hi = Math.max(hi, part.positions[2 * i]!); }
  // a placed point is about as close to its nearest laid-out graph neighbour as laid-out points are to theirs
  assert.ok(placedD <= 2 * laidD, `placed ${placedD} vs laid out ${laidD}`);
  assert.ok(placedD < 0.02 * (hi - lo), `placed ${placedD} of extent ${hi - lo}`);

  const aFull = labelAgreement(full.positions, labels, 10);
  const aPart = labelAgreement(part.positions, labels, 10);
  console.log(`10-NN label agreement: full layout ${aFull.toFixed(4)}, ${m} of ${n} laid out ${aPart.toFixed(4)}`);
  assert.ok(aPart >= aFull - 0.07, `sampled ${aPart} vs full ${aFull}`);
});

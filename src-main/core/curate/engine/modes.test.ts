import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeScores } from './scores';
import { curate } from './curate';
import type { CurateInput } from './types';
import { fixtureInput, mnistFixture } from '../../../testing/curation/fixture';
import { sliceErrorRate } from '../../../testing/curation/eval';
import { createRng, sampleIndices } from '../../../../src-shared/random';
import { featureBalance, metadataGrouping } from './balance';
import { computeFeatureBalance } from './feature';

test('edge cases are much harder for a neighbour classifier than a random slice', () => {
  const f = mnistFixture();
  const input = fixtureInput();
  const scores = computeScores(input);
  const res = curate(input, scores, { mode: 'edge-cases', n: 100 });
  const err = sliceErrorRate(f.graph, f.labels, res.picks.map((p) => p.index));
  let rand = 0;
  for (let s = 0; s < 5; s++) rand += sliceErrorRate(f.graph, f.labels, sampleIndices(f.n, 100, createRng(s))) / 5;
  assert.ok(err >= 5 * Math.max(rand, 0.01), `edge ${err.toFixed(3)} vs random ${rand.toFixed(3)}`);
  const perClass = new Array<number>(10).fill(0);
  for (const p of res.picks) perClass[f.labels[p.index]]++;
  assert.deepEqual(perClass, new Array(10).fill(10), 'uniform class quotas');
  assert.ok(res.picks.every((p) => p.reason === 'rare' || p.reason === 'ambiguous'));
  assert.ok(res.picks.some((p) => p.reason === 'rare') && res.picks.some((p) => p.reason === 'ambiguous'));
  const clean = curate(input, scores, { mode: 'edge-cases', n: 100, excludeMislabeled: true });
  assert.ok(clean.picks.every((p) => scores.noise!.likelyMislabeled[p.index] === 0));
});

test('mislabeled mode returns the highest noise scores with suggested labels', () => {
  const input = fixtureInput();
  const scores = computeScores(input);
  const res = curate(input, scores, { mode: 'mislabeled', n: 20 });
  const sorted = Array.from(scores.noise!.score).sort((a, b) => b - a);
  res.picks.forEach((p, t) => {
    assert.equal(p.reason, 'mislabeled');
    assert.equal(p.score, sorted[t]);
    assert.ok(p.suggestedLabel! >= 0 && p.suggestedLabel !== input.labels![p.index]);
    assert.ok(p.confidence! > 0 && p.confidence! <= 1);
  });
});

test('mislabeled mode skips samples a person has reviewed', () => {
  const input = fixtureInput();
  const scores = computeScores(input);
  const top = curate(input, scores, { mode: 'mislabeled', n: 10 }).picks.map((p) => p.index);
  const reviewed = new Uint8Array(input.labels!.length);
  for (const i of top.slice(0, 5)) reviewed[i] = 1;
  const next = curate({ ...input, reviewed }, scores, { mode: 'mislabeled', n: 10 }).picks.map((p) => p.index);
  assert.deepEqual(next.slice(0, 5), top.slice(5), 'the unreviewed picks move up');
  assert.ok(next.every((i) => !reviewed[i]));
});

function withMetadata(): CurateInput {
  const f = mnistFixture();
  // "source": 90 % of samples from A, 10 % from B; "brightness": mean pixel value.
  const codes = Int32Array.from({ length: f.n }, (_, i) => (i % 10 === 0 ? 1 : 0));
  const brightness = Float64Array.from({ length: f.n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < 784; j++) s += f.pixels[i * 784 + j];
    return s / 784;
  });
  return {
    ...fixtureInput(),
    metadata: {
      source: { kind: 'categorical', codes, categories: ['A', 'B'] },
      brightness: { kind: 'numeric', values: brightness, bins: 4 },
    },
  };
}

test('custom mode balances by class and by a metadata field', () => {
  const input = withMetadata();
  const scores = computeScores(input);
  const res = curate(input, scores, {
    mode: 'custom',
    n: 100,
    weights: { sparseness: 1, noise: 0.5 },
    feature: { field: 'source' },
    balance: { byClass: 'uniform', byFeature: 'uniform' },
  });
  assert.equal(res.picks.length, 100);
  const byClass = new Array<number>(10).fill(0);
  const bySource = [0, 0];
  for (const p of res.picks) {
    byClass[input.labels![p.index]]++;
    bySource[(input.metadata!.source as { codes: Int32Array }).codes[p.index]]++;
    assert.ok(p.reason === 'sparseness' || p.reason === 'noise');
  }
  assert.deepEqual(bySource, [50, 50]);
  assert.ok(Math.max(...byClass) - Math.min(...byClass) <= 2, `class counts ${byClass}`);
  // Picks come in descending score order.
  for (let t = 1; t < res.picks.length; t++) assert.ok(res.picks[t - 1].score >= res.picks[t].score);
});

test('custom feature weight favours the rare metadata value; numeric fields are binned', () => {
  const input = withMetadata();
  const scores = computeScores(input);
  const res = curate(input, scores, { mode: 'custom', n: 50, weights: { feature: 1 }, feature: { field: 'source' } });
  const codes = (input.metadata!.source as { codes: Int32Array }).codes;
  assert.ok(res.picks.every((p) => codes[p.index] === 1 && p.reason === 'feature'));
  const bins = metadataGrouping(input, 'brightness');
  assert.equal(bins.names.length, 4);
  const fb = featureBalance(bins, input.labels, 10);
  assert.ok(fb.counts.every((c) => Math.abs(c - 750) <= 10), `quartile bins ${fb.counts}`);
  assert.equal(fb.byClass!.length, 10);
  const byBrightness = curate(input, scores, { mode: 'custom', n: 40, weights: { sparseness: 1 }, feature: { field: 'brightness' }, balance: { byFeature: 'uniform' } });
  const per = new Array<number>(4).fill(0);
  for (const p of byBrightness.picks) per[bins.codes[p.index]]++;
  assert.deepEqual(per, [10, 10, 10, 10]);
});

test('balance targets: capped groups are redistributed; unreachable targets are relaxed with a warning', () => {
  const input = withMetadata();
  const scores = computeScores(input);
  const codes = (input.metadata!.source as { codes: Int32Array }).codes;
  // B has only 300 samples: a 1:2 target for 600 picks is met by redistributing, no warning.
  const capped = curate(input, scores, { mode: 'custom', n: 600, weights: { sparseness: 1 }, feature: { field: 'source' }, balance: { byFeature: { A: 1, B: 2 } } });
  assert.equal(capped.picks.length, 600);
  assert.deepEqual(capped.warnings, []);
  assert.equal(capped.picks.filter((p) => codes[p.index] === 1).length, 300);
  // Only-B cannot give 600 picks: the feature quota is relaxed.
  const onlyB = curate(input, scores, { mode: 'custom', n: 600, weights: { sparseness: 1 }, feature: { field: 'source' }, balance: { byFeature: { B: 1 } } });
  assert.equal(onlyB.picks.length, 600);
  assert.deepEqual(onlyB.warnings.map((w) => w.code), ['QUOTA_RELAXED']);
  assert.equal(onlyB.picks.filter((p) => codes[p.index] === 1).length, 300);
});

test('scores: class balance statistics and sparseness are sensible', () => {
  const input = fixtureInput();
  const scores = computeScores(input);
  const cb = scores.classBalance!;
  assert.equal(cb.counts.reduce((a, b) => a + b, 0), 3000);
  assert.ok(cb.imbalanceRatio >= 1 && cb.imbalanceRatio < 1.5);
  assert.ok(cb.normalizedEntropy > 0.99);
  assert.deepEqual(cb.empty, []);
  let mean = 0;
  for (const s of scores.sparseness) { assert.ok(Number.isFinite(s) && s > 0); mean += s / 3000; }
  assert.ok(mean > 0.8 && mean < 1.3, `mean sparseness ${mean}`);
});

test('feature balance over embedding clusters and over a metadata field', () => {
  const input = withMetadata();
  const byClusters = computeFeatureBalance(input, { clusters: 10 }, 1);
  assert.equal(byClusters.names.length, 10);
  assert.equal(byClusters.counts.reduce((a, b) => a + b, 0), 3000);
  // Clusters of digit images line up with digit classes: each cluster is dominated by a few.
  let purity = 0;
  for (let g = 0; g < 10; g++) purity += Math.max(...byClusters.byClass!.map((row) => row[g]));
  assert.ok(purity / 3000 > 0.5, `cluster purity ${purity / 3000}`);
  const bySource = computeFeatureBalance(input, { field: 'source' });
  assert.deepEqual(bySource.counts, [2700, 300]);
  assert.equal(bySource.imbalanceRatio, 9);
  assert.throws(() => computeFeatureBalance(input, { field: 'nope' }), { code: 'UNKNOWN_FIELD' });
});

test('edge cases by one criterion: rare picks are rare for their class and never likely mislabelled; ambiguous picks are only ambiguous', () => {
  const f = mnistFixture();
  const input = fixtureInput();
  const scores = computeScores(input);
  const rare = curate(input, scores, { mode: 'edge-cases', n: 100, criteria: 'rare' });
  assert.equal(rare.picks.length, 100);
  assert.ok(rare.picks.every((p) => p.reason === 'rare'));
  assert.ok(rare.picks.every((p) => !scores.noise!.likelyMislabeled[p.index]), 'a likely mislabelled sample is noise, not a rare edge');
  const amb = curate(input, scores, { mode: 'edge-cases', n: 100, criteria: 'ambiguous' });
  assert.ok(amb.picks.every((p) => p.reason === 'ambiguous'));
  // Rare-for-its-class picks are harder for the neighbour classifier than a random slice.
  let rand = 0;
  for (let s = 0; s < 5; s++) rand += sliceErrorRate(f.graph, f.labels, sampleIndices(f.n, 100, createRng(s))) / 5;
  const err = sliceErrorRate(f.graph, f.labels, rare.picks.map((p) => p.index));
  assert.ok(err >= 3 * Math.max(rand, 0.01), `rare ${err.toFixed(3)} vs random ${rand.toFixed(3)}`);
});

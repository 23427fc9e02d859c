import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeScores } from './scores';
import { curate } from './curate';
import { CurateError } from './errors';
import type { CurateInput, CurateRequest } from './types';
import { fixtureInput } from '../../../testing/curation/fixture';

const labelled = fixtureInput();
const labelledScores = computeScores(labelled);
const unlabelled = fixtureInput(false);
const unlabelledScores = computeScores(unlabelled);

function expectCode(fn: () => unknown, code: string, pattern?: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CurateError, `expected CurateError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

test('N larger than the dataset is clamped with a warning', () => {
  const res = curate(labelled, labelledScores, { mode: 'edge-cases', n: 10_000 });
  // Near-duplicate groups count once, so a little under 3,000 come back.
  assert.ok(res.n <= 3000 && res.n > 2900, `n = ${res.n}`);
  assert.equal(res.picks.length, res.n);
  assert.equal(res.warnings[0].code, 'N_CLAMPED');
  assert.match(res.warnings[0].message, /10000/);
  const mis = curate(labelled, labelledScores, { mode: 'mislabeled', n: 5000 });
  assert.equal(mis.n, 3000);
  assert.ok(mis.warnings.some((w) => w.code === 'N_CLAMPED'));
  assert.ok(mis.warnings.some((w) => w.code === 'FEW_ISSUES'));
});

test('N = 0, negative, fractional, NaN or infinite is INVALID_N', () => {
  for (const n of [0, -5, 2.5, NaN, Infinity]) {
    expectCode(() => curate(labelled, labelledScores, { mode: 'representative', n }), 'INVALID_N');
  }
  expectCode(() => curate(labelled, labelledScores, { mode: 'representative' } as unknown as CurateRequest), 'INVALID_N');
});

test('negative, NaN, unknown or all-zero weights are INVALID_WEIGHTS', () => {
  const bad: Record<string, number>[] = [{ sparseness: -1 }, { noise: NaN }, { class: Infinity }, { sparseness: 0, noise: 0 }, {}, { bogus: 1 }];
  for (const weights of bad) {
    expectCode(() => curate(labelled, labelledScores, { mode: 'custom', n: 10, weights }), 'INVALID_WEIGHTS');
  }
  expectCode(
    () => curate(labelled, labelledScores, { mode: 'custom', n: 10, weights: { sparseness: 1 }, balance: { byClass: { '3': -2 } } }),
    'INVALID_WEIGHTS',
  );
});

test('mislabeled mode on an unlabelled dataset is NO_LABELS with a pointer to label-free modes', () => {
  expectCode(() => curate(unlabelled, unlabelledScores, { mode: 'mislabeled', n: 10 }), 'NO_LABELS', /edge-cases/);
  const allMissing = { ...labelled, labels: new Int32Array(3000).fill(-1) };
  expectCode(() => curate(allMissing, computeScores(allMissing), { mode: 'mislabeled', n: 10 }), 'NO_LABELS');
});

test('label-based criteria on an unlabelled dataset fall back to label-free ones, with a warning', () => {
  const custom = curate(unlabelled, unlabelledScores, { mode: 'custom', n: 20, weights: { noise: 1, class: 1 } });
  assert.equal(custom.picks.length, 20);
  assert.equal(custom.warnings[0].code, 'NO_LABELS');
  assert.ok(custom.picks.every((p) => p.reason === 'sparseness'));
  const rep = curate(unlabelled, unlabelledScores, { mode: 'representative', n: 20, classBalance: 'uniform' });
  assert.equal(rep.picks.length, 20);
  assert.equal(rep.warnings[0].code, 'NO_LABELS');
  const edge = curate(unlabelled, unlabelledScores, { mode: 'edge-cases', n: 20, classBalance: 'uniform' });
  assert.equal(edge.picks.length, 20);
  assert.ok(edge.picks.every((p) => p.reason === 'rare'));
});

test('a metadata field that does not exist is UNKNOWN_FIELD', () => {
  const input: CurateInput = {
    ...labelled,
    metadata: { camera: { kind: 'categorical', codes: new Int32Array(3000), categories: ['a'] } },
  };
  const scores = computeScores(input);
  expectCode(() => curate(input, scores, { mode: 'custom', n: 10, weights: { feature: 1 }, feature: { field: 'lens' } }), 'UNKNOWN_FIELD', /camera/);
  expectCode(() => curate(labelled, labelledScores, { mode: 'custom', n: 10, weights: { feature: 1 }, feature: { field: 'x' } }), 'UNKNOWN_FIELD');
  expectCode(() => curate(input, scores, { mode: 'custom', n: 10, weights: { feature: 1 } }), 'INVALID_REQUEST');
});

test('malformed inputs and requests are typed errors, not crashes', () => {
  expectCode(() => curate(labelled, labelledScores, { mode: 'best' } as unknown as CurateRequest), 'INVALID_REQUEST');
  expectCode(() => curate(labelled, labelledScores, { mode: 'representative', n: 5, seed: 0.5 }), 'INVALID_REQUEST');
  expectCode(() => curate(labelled, labelledScores, { mode: 'representative', n: 5, excludeExtremes: 1 }), 'INVALID_REQUEST');
  expectCode(() => curate(labelled, labelledScores, { mode: 'custom', n: 5, weights: { feature: 1 }, feature: { clusters: 0 } }), 'INVALID_REQUEST');
  expectCode(() => computeScores({ ...labelled, labels: new Int32Array(10) }), 'INVALID_INPUT');
  expectCode(() => computeScores({ ...labelled, labels: new Int32Array(3000).fill(12) }), 'INVALID_INPUT');
  expectCode(() => computeScores({ ...labelled, dim: 7 }), 'INVALID_INPUT');
  const g = labelled.graph;
  expectCode(() => computeScores({ ...labelled, graph: { ...g, indices: g.indices.subarray(1) } }), 'INVALID_INPUT');
  expectCode(() => computeScores({ ...labelled, graph: { ...g, indices: Int32Array.from(g.indices, (j, t) => (t === 5 ? 99_999 : j)) } }), 'INVALID_INPUT');
  expectCode(() => computeScores({ ...labelled, hashes: ['a'] }), 'INVALID_INPUT');
  expectCode(() => curate(labelled, unlabelledScores.n === 3000 ? { ...labelledScores, n: 5 } : labelledScores, { mode: 'representative', n: 5 }), 'INVALID_INPUT');
});

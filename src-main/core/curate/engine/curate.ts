// The one entry point that runs a curate mode: checks the request, clamps N, and hands over
// to the mode. Policy on N: 0, negative, fractional or non-finite N is an error (INVALID_N);
// N larger than what the mode can pick from (the dataset, the labelled samples for
// 'mislabeled', one sample per duplicate group) is clamped, with an N_CLAMPED warning and
// `n` = the number actually returned, because "give me 1,000" on a 700-sample dataset has an
// obvious useful answer.
import { CurateError, type CurateWarning } from './errors';
import { validateInput } from './validate';
import type { CurateInput, CurateRequest, CurateResult, CuratePick, CustomWeights, ScoreSet } from './types';
import { makeContext } from './modes/context';
import { representative } from './modes/representative';
import { edgeCases } from './modes/edge-cases';
import { mislabeled } from './modes/mislabeled';
import { custom } from './modes/custom';
import { validateAppearanceWeight } from './modes/joint-space';

const MODES = ['representative', 'edge-cases', 'mislabeled', 'custom'] as const;

function checkN(n: unknown): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || !Number.isInteger(n)) {
    throw new CurateError('INVALID_N', `N must be a whole number of samples, got ${String(n)}.`);
  }
  if (n <= 0) throw new CurateError('INVALID_N', `N must be at least 1, got ${n}.`);
  return n;
}

function checkWeights(weights: CustomWeights | undefined): void {
  if (!weights || typeof weights !== 'object') throw new CurateError('INVALID_WEIGHTS', 'Custom mode needs `weights`.');
  let any = false;
  for (const [name, v] of Object.entries(weights)) {
    if (!['sparseness', 'noise', 'class', 'feature'].includes(name)) {
      throw new CurateError('INVALID_WEIGHTS', `Unknown criterion "${name}"; use sparseness, noise, class or feature.`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new CurateError('INVALID_WEIGHTS', `Weight "${name}" must be a finite number ≥ 0, got ${String(v)}.`);
    }
    if (v > 0) any = true;
  }
  if (!any) throw new CurateError('INVALID_WEIGHTS', 'At least one weight must be greater than 0.');
}

export function curate(input: CurateInput, scores: ScoreSet, request: CurateRequest): CurateResult {
  const size = validateInput(input);
  if (scores.n !== size) throw new CurateError('INVALID_INPUT', `Scores are for ${scores.n} samples but the dataset has ${size}.`);
  if (!MODES.includes(request?.mode)) {
    throw new CurateError('INVALID_REQUEST', `Unknown mode "${String(request?.mode)}"; use ${MODES.join(', ')}.`);
  }
  let n = checkN(request.n);
  const seed = request.seed ?? 0;
  if (!Number.isInteger(seed)) throw new CurateError('INVALID_REQUEST', `seed must be an integer, got ${seed}.`);
  if (request.mode === 'custom') checkWeights(request.weights);
  if (request.mode === 'representative' && request.excludeExtremes !== undefined) {
    const q = request.excludeExtremes;
    if (!Number.isFinite(q) || q < 0 || q >= 1) throw new CurateError('INVALID_REQUEST', `excludeExtremes must be in [0, 1), got ${q}.`);
  }
  if (request.mode === 'representative') validateAppearanceWeight(request.appearanceWeight);

  const ctx = makeContext(input, scores, size, seed);
  const warnings: CurateWarning[] = ctx.warnings;
  if (request.mode === 'mislabeled' && !ctx.labelled) {
    throw new CurateError(
      'NO_LABELS',
      "The dataset has no labels, so no sample can be mislabelled. Use 'edge-cases' (rare samples) or 'representative', which work without labels.",
    );
  }
  if ((request.mode === 'representative' || request.mode === 'edge-cases') && !ctx.labelled && request.classBalance !== undefined && request.classBalance !== 'none') {
    warnings.push({ code: 'NO_LABELS', message: 'The dataset has no labels: class balance was skipped.' });
  }

  let available = size;
  if (request.mode === 'mislabeled') {
    available = 0;
    for (const y of input.labels!) if (y >= 0) available++;
  }
  const asked = n;
  n = Math.min(n, available);

  let picks: CuratePick[];
  switch (request.mode) {
    case 'representative': picks = representative(ctx, request, n); break;
    case 'edge-cases': picks = edgeCases(ctx, request, n); break;
    case 'mislabeled': picks = mislabeled(ctx, n); break;
    case 'custom': picks = custom(ctx, request, n); break;
  }
  // Duplicate groups count once and some modes skip samples, so fewer picks than N can remain.
  if (picks.length < asked) {
    warnings.unshift({
      code: 'N_CLAMPED',
      message: `Asked for ${asked} samples but only ${picks.length} could be picked (the dataset has ${size}; duplicates count once).`,
    });
  }
  return { mode: request.mode, n: picks.length, picks, warnings };
}

// Custom mode: a weighted sum of per-criterion percentile ranks, picked greedily under
// optional balance quotas by class and by a feature (metadata field or embedding clusters).
//
//   sparseness  rank of the sparseness score
//   noise       rank of the label-noise score among labelled samples
//   class       1 - (size of the sample's class / size of the largest class)
//   feature     1 - (size of its feature group / size of the largest group)
//
// A pick's reason is the criterion with the largest weighted contribution. When quotas cannot
// all be met (too few samples in some group), the feature quota is relaxed first, then the
// class quota, and a QUOTA_RELAXED warning says so.
import { CurateError } from '../errors';
import { apportion, targetWeights, type Grouping } from '../balance';
import { featureGrouping } from '../feature';
import type { BalanceTarget, CuratePick, CustomRequest, CustomWeights, PickReason } from '../types';
import { classGrouping, DuplicateGuard, percentileRank, type ModeContext } from './context';

const CRITERIA = ['sparseness', 'noise', 'class', 'feature'] as const;
type Criterion = (typeof CRITERIA)[number];

function rarity(g: Grouping, size: number): Float32Array {
  const counts = new Array<number>(g.names.length).fill(0);
  for (const c of g.codes) if (c >= 0) counts[c]++;
  const max = Math.max(1, ...counts);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = g.codes[i] >= 0 ? 1 - counts[g.codes[i]] / max : 0;
  return out;
}

export function custom(ctx: ModeContext, req: CustomRequest, n: number): CuratePick[] {
  const { scores, size } = ctx;
  const w: Required<CustomWeights> = { sparseness: 0, noise: 0, class: 0, feature: 0, ...req.weights };
  let byClass = req.balance?.byClass;
  if (!ctx.labelled && (w.noise > 0 || w.class > 0 || byClass !== undefined)) {
    ctx.warnings.push({
      code: 'NO_LABELS',
      message: 'The dataset has no labels: the noise and class criteria and the class balance were skipped.',
    });
    w.noise = 0;
    w.class = 0;
    byClass = undefined;
    if (w.sparseness === 0 && w.feature === 0) w.sparseness = 1;
  }
  const needFeature = w.feature > 0 || req.balance?.byFeature !== undefined;
  if (needFeature && !req.feature) {
    throw new CurateError('INVALID_REQUEST', 'A feature weight or feature balance needs `feature`: a metadata field or a number of clusters.');
  }
  const feature = needFeature ? featureGrouping(ctx.input, req.feature!, ctx.seed) : undefined;
  const classes = classGrouping(ctx);

  const crit: Record<Criterion, Float32Array | undefined> = {
    sparseness: w.sparseness > 0 ? percentileRank(scores.sparseness) : undefined,
    noise: undefined,
    class: w.class > 0 && classes ? rarity(classes, size) : undefined,
    feature: w.feature > 0 && feature ? rarity(feature, size) : undefined,
  };
  if (w.noise > 0 && scores.noise) {
    const labelled = new Uint8Array(size);
    for (let i = 0; i < size; i++) labelled[i] = ctx.input.labels![i] >= 0 ? 1 : 0;
    const r = percentileRank(scores.noise.score, labelled);
    for (let i = 0; i < size; i++) if (!labelled[i]) r[i] = 0;
    crit.noise = r;
  }
  const wsum = CRITERIA.reduce((a, c) => a + w[c], 0);
  const total = new Float32Array(size);
  const reason: PickReason[] = new Array(size);
  for (let i = 0; i < size; i++) {
    let s = 0, best = -1;
    let why: PickReason = 'sparseness';
    for (const c of CRITERIA) {
      const v = crit[c] ? w[c] * crit[c]![i] : 0;
      s += v;
      if (v > best) { best = v; why = c; }
    }
    total[i] = s / wsum;
    reason[i] = why;
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => total[b] - total[a] || a - b);

  const quotaFor = (g: Grouping | undefined, target: BalanceTarget | undefined, what: string) => {
    if (!g || target === undefined) return undefined;
    const available = new Array<number>(g.names.length).fill(0);
    for (const c of g.codes) if (c >= 0) available[c]++;
    return apportion(n, targetWeights(target, g.names, available, what), available);
  };
  const classQuota = quotaFor(classes, byClass, 'class');
  const featureQuota = quotaFor(feature, req.balance?.byFeature, 'feature');

  const guard = new DuplicateGuard(ctx.dupGroup);
  const taken = new Uint8Array(size);
  const picks: CuratePick[] = [];
  const fits = (q: number[] | undefined, g: Grouping | undefined, i: number) => !q || (g!.codes[i] >= 0 && q[g!.codes[i]] > 0);
  const pass = (useClass: boolean, useFeature: boolean) => {
    for (const i of order) {
      if (picks.length >= n) return;
      if (taken[i]) continue;
      if (useClass && !fits(classQuota, classes, i)) continue;
      if (useFeature && !fits(featureQuota, feature, i)) continue;
      if (!guard.take(i)) continue;
      taken[i] = 1;
      if (classQuota && classes!.codes[i] >= 0) classQuota[classes!.codes[i]]--;
      if (featureQuota && feature!.codes[i] >= 0) featureQuota[feature!.codes[i]]--;
      picks.push({ index: i, reason: reason[i], score: total[i] });
    }
  };
  pass(true, true);
  if (picks.length < n && (classQuota || featureQuota)) {
    ctx.warnings.push({ code: 'QUOTA_RELAXED', message: 'The balance targets could not all be met with the samples available; some were relaxed.' });
    pass(true, false);
    pass(false, false);
  }
  picks.sort((a, b) => b.score - a.score || a.index - b.index);
  return picks;
}

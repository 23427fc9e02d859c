// Edge cases: samples that are rare (far out of their class, towards another) or ambiguous
// (their neighbours vote against their label), taken per class under quotas so every class
// contributes its own hard cases. Both criteria are turned into percentile ranks and the
// larger one is the sample's edge score, and also its reason.
import { apportion, targetWeights } from '../balance';
import type { CuratePick, EdgeCasesRequest } from '../types';
import { classGrouping, DuplicateGuard, percentileRank, type ModeContext } from './context';

export function edgeScores(ctx: ModeContext): { score: Float32Array; rare: Float32Array; ambiguous?: Float32Array } {
  const { scores, size } = ctx;
  const noise = scores.noise;
  if (!noise) return { score: percentileRank(scores.sparseness), rare: percentileRank(scores.sparseness) };
  // Rare for its class, not merely far from everything: a sample a model trained on the rest
  // gets wrong. A sample confident learning calls mislabelled is far from its class because
  // of its label, not because it is an edge: it is not rare (it may still be ambiguous).
  const rarity = percentileRank(scores.classRarity ?? scores.sparseness);
  // And near another class: far from its own class towards nothing else, a sample is an outlier
  // a model still gets right. Rarity and closeness to another class are ranked, and the
  // product ranks the rare (Fashion-MNIST: rare picks 4.2–4.6× a random slice's error before,
  // about twice that after; BENCHMARKS.md, curate: label noise and edge cases).
  const boundary = scores.classBoundary ? percentileRank(scores.classBoundary.ratio) : undefined;
  for (let i = 0; i < size; i++) rarity[i] = noise.likelyMislabeled[i] ? 0 : rarity[i] * (boundary ? boundary[i] : 1);
  const rare = percentileRank(rarity);
  const amb = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    // Unlabelled samples: ambiguity of the predicted class instead of the given one.
    amb[i] = Number.isNaN(noise.selfConfidence[i]) ? 1 - noise.confidence[i] : 1 - noise.selfConfidence[i];
  }
  const ambiguous = percentileRank(amb);
  const score = new Float32Array(size);
  for (let i = 0; i < size; i++) score[i] = Math.max(rare[i], ambiguous[i]);
  return { score, rare, ambiguous };
}

export function edgeCases(ctx: ModeContext, req: EdgeCasesRequest, n: number): CuratePick[] {
  const { scores, size } = ctx;
  const edge = edgeScores(ctx);
  const { rare, ambiguous } = edge;
  const only = ambiguous ? req.criteria ?? 'both' : 'rare';
  const score = only === 'rare' ? rare : only === 'ambiguous' ? ambiguous! : edge.score;
  const excludeMis = req.excludeMislabeled === true && scores.noise !== undefined;
  const grouping = req.classBalance !== 'none' ? classGrouping(ctx) : undefined;

  const order = Array.from({ length: size }, (_, i) => i)
    .filter((i) => !(excludeMis && scores.noise!.likelyMislabeled[i]))
    .sort((a, b) => score[b] - score[a] || a - b);
  const G = grouping ? grouping.names.length : 1;
  const groupOf = (i: number) => (grouping ? grouping.codes[i] : 0);
  const available = new Array<number>(G).fill(0);
  for (const i of order) if (groupOf(i) >= 0) available[groupOf(i)]++;
  const target = req.classBalance === undefined || req.classBalance === 'none' ? 'uniform' : req.classBalance;
  const quota = grouping ? apportion(n, targetWeights(target, grouping.names, available, 'class'), available) : [n];

  const guard = new DuplicateGuard(ctx.dupGroup);
  const picks: CuratePick[] = [];
  const nearClass = scores.classBoundary?.nearestOther;
  const pick = (i: number) => {
    const reason = only === 'ambiguous' || (only === 'both' && ambiguous && ambiguous[i] > rare[i]) ? 'ambiguous' : 'rare';
    const near = reason === 'rare' && nearClass ? nearClass[i] : -1;
    picks.push({ index: i, reason, score: score[i], ...(near >= 0 ? { nearClass: near } : {}) });
  };
  const taken = new Uint8Array(size);
  for (const i of order) {
    if (picks.length >= n) break;
    const g = groupOf(i);
    if (g < 0 || quota[g] <= 0 || !guard.take(i)) continue;
    quota[g]--;
    taken[i] = 1;
    pick(i);
  }
  // Quotas can leave picks unfilled when duplicates are skipped: fill from the global order.
  for (const i of order) {
    if (picks.length >= n) break;
    if (!taken[i] && guard.take(i)) { taken[i] = 1; pick(i); }
  }
  picks.sort((a, b) => b.score - a.score || a.index - b.index);
  return picks;
}

// Likely mislabelled samples: labelled samples by descending label-noise score, each with the
// suggested label. Duplicates are not collapsed here: every copy with a wrong label needs fixing.
// Samples a person has already reviewed are skipped: their label was decided, not guessed.
import type { CuratePick } from '../types';
import type { ModeContext } from './context';

export function mislabeled(ctx: ModeContext, n: number): CuratePick[] {
  const noise = ctx.scores.noise!;
  const labels = ctx.input.labels!;
  const reviewed = ctx.input.reviewed;
  const order: number[] = [];
  for (let i = 0; i < ctx.size; i++) if (labels[i] >= 0 && !reviewed?.[i]) order.push(i);
  order.sort((a, b) => noise.score[b] - noise.score[a] || a - b);
  if (n > noise.issueCount) {
    ctx.warnings.push({
      code: 'FEW_ISSUES',
      message: `Only ${noise.issueCount} samples are likely mislabelled; the other ${n - Math.min(n, noise.issueCount)} picks are lower-confidence candidates.`,
    });
  }
  return order.slice(0, n).map((i) => ({
    index: i,
    reason: 'mislabeled' as const,
    score: noise.score[i],
    suggestedLabel: noise.suggested[i],
    confidence: noise.confidence[i],
  }));
}

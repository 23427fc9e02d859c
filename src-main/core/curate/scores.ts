// All per-sample scores in one pass over the graph: O(n·k), no access to the vectors.
import { computeLabelNoise, type LabelNoiseOptions } from './labelNoise';
import { computeSparseness } from './sparseness';
import { DEFAULT_NEAR_DUPLICATE_THRESHOLD, findExactDuplicates, findNearDuplicates } from './duplicates';
import { groupBalance } from './balance';
import { classCount, hasLabels, validateInput } from './validate';
import type { CurateInput, ScoreSet } from './types';

export interface ScoreOptions {
  /** Neighbours used for sparseness (default 10). */
  sparsenessK?: number;
  /** Cosine distance at or below which two neighbours are near duplicates. */
  nearDuplicateThreshold?: number;
  /** Density guard for near duplicates (see findNearDuplicates); off by default. */
  nearDuplicateMaxRatio?: number;
  labelNoise?: LabelNoiseOptions;
}

export function computeScores(input: CurateInput, opts: ScoreOptions = {}): ScoreSet {
  const n = validateInput(input);
  const { knnDistance, sparseness } = computeSparseness(input.graph, opts.sparsenessK ?? 10);
  const scores: ScoreSet = {
    n,
    knnDistance,
    sparseness,
    nearDuplicates: findNearDuplicates(input.graph, opts.nearDuplicateThreshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD, opts.nearDuplicateMaxRatio),
  };
  if (input.hashes) scores.exactDuplicates = findExactDuplicates(input.hashes);
  if (hasLabels(input.labels)) {
    const C = classCount(input);
    scores.noise = computeLabelNoise(input.graph, input.labels, C, opts.labelNoise);
    const names = input.classNames ?? Array.from({ length: C }, (_, c) => String(c));
    scores.classBalance = groupBalance(input.labels, names);
  }
  return scores;
}

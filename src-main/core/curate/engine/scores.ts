// All per-sample scores in one pass over the graph: O(n·k), no access to the vectors; near
// duplicates by appearance also search the signatures when the input has them.
import { computeLabelNoise, type LabelNoiseOptions } from './label-noise';
import { computeSparseness } from './sparseness';
import { DEFAULT_NEAR_DUPLICATE_THRESHOLD, findExactDuplicates, findNearDuplicates, mergeGroups } from './duplicates';
import { DEFAULT_APPEARANCE_THRESHOLD, findAppearanceDuplicates } from './appearance-duplicates';
import { CurateError } from './errors';
import { groupBalance } from './balance';
import { classCount, hasLabels, validateInput } from './validate';
import type { CurateInput, DuplicateGroups, ScoreSet } from './types';

export interface ScoreOptions {
  /** Neighbours used for sparseness (default 10). */
  sparsenessK?: number;
  /** Cosine distance at or below which two neighbours are near duplicates. */
  nearDuplicateThreshold?: number;
  /** Density guard for near duplicates (see findNearDuplicates); off by default. */
  nearDuplicateMaxRatio?: number;
  /** Signature correlation distance at or below which two samples are near duplicates by appearance. */
  appearanceThreshold?: number;
  /**
   * The appearance groups of these signatures at this threshold, found earlier: the search is
   * most of the scoring time and its answer only changes with the signatures (the app caches it).
   */
  appearanceDuplicates?: DuplicateGroups;
  labelNoise?: LabelNoiseOptions;
}

export function computeScores(input: CurateInput, opts: ScoreOptions = {}): ScoreSet {
  const n = validateInput(input);
  const { knnDistance, sparseness } = computeSparseness(input.graph, opts.sparsenessK ?? 10);
  const embeddingDuplicates = findNearDuplicates(input.graph, opts.nearDuplicateThreshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD, opts.nearDuplicateMaxRatio);
  const scores: ScoreSet = { n, knnDistance, sparseness, nearDuplicates: embeddingDuplicates, embeddingDuplicates };
  if (input.signatures) {
    // A pair is a near duplicate when either rule says so: the rules catch different edits.
    // Appearance first: it is the rule made for copies, and a sample keeps the first rule's
    // group (mergeGroups), so the embedding's groups only add samples appearance left alone.
    const known = opts.appearanceDuplicates;
    if (known && known.groupOf.length !== n) throw new CurateError('INVALID_INPUT', `appearanceDuplicates covers ${known.groupOf.length} samples, not ${n}.`);
    scores.appearanceDuplicates = known ?? findAppearanceDuplicates(input.signatures, opts.appearanceThreshold ?? DEFAULT_APPEARANCE_THRESHOLD);
    scores.nearDuplicates = mergeGroups(n, scores.appearanceDuplicates, embeddingDuplicates);
  }
  if (input.hashes) scores.exactDuplicates = findExactDuplicates(input.hashes);
  if (hasLabels(input.labels)) {
    const C = classCount(input);
    scores.noise = computeLabelNoise(input.graph, input.labels, C, opts.labelNoise);
    const names = input.classNames ?? Array.from({ length: C }, (_, c) => String(c));
    scores.classBalance = groupBalance(input.labels, names);
  }
  return scores;
}

// All per-sample scores in one pass over the graph: O(n·k), no access to the vectors; near
// duplicates by appearance also search the signatures when the input has them.
import { computeLabelNoise, type LabelNoiseOptions } from './label-noise';
import { linearProbe, MAX_PROBE_CLASSES, type ProbeOptions } from './probe';
import { computeClassBoundary, computeClassRarity, computeSparseness } from './sparseness';
import { DEFAULT_NEAR_DUPLICATE_THRESHOLD, findExactDuplicates, findNearDuplicates, mergeGroups } from './duplicates';
import { DEFAULT_APPEARANCE_THRESHOLD, findAppearanceDuplicates } from './appearance-duplicates';
import { CurateError } from './errors';
import { groupBalance } from './balance';
import { classCount, hasLabels, validateInput } from './validate';
import type { DuplicateGroups, ModelOpinion, ScoreInput, ScoreSet } from './types';
import { allVectors } from './vector-rows';

/** Weight of the linear probe in the label-noise mix (see BENCHMARKS.md, curate: label noise). */
export const PROBE_WEIGHT = 0.35;
/**
 * Weight of imported predictions: a model trained for the task sees more than a linear probe
 * on a generic embedding, so it leads; the vote still breaks its ties and catches what it misses.
 */
export const PREDICTIONS_WEIGHT = 0.8;

/**
 * How the label-noise score ranks (label-noise.ts, noise-rates.ts): the probability that the
 * label is wrong given the class-to-class noise rates the confident joint estimates, with the
 * rates' factor taken to the power ½, half-way between Bayes' rule (1, best for flips between
 * look-alike classes) and plain self-confidence (0, best under uniform noise), because natural
 * confusions between look-alike classes still pose as noise between them. Since stop 47 each
 * sample counts in the joint by how typical its confidence is of the class it is called, which
 * cuts those confusions: better under both kinds of noise on MNIST, Fashion-MNIST and
 * overlapping synthetic classes. Undamped, that count reaches more of the look-alike flips but
 * loses under uniform noise where classes overlap (BENCHMARKS.md, curate: label noise and edge
 * cases).
 */
export const NOISE_SCORE = { score: 'noise-rates', noiseRatePower: 0.5 } as const;

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
   * Given, the input needs no signatures (the app then never reads them).
   */
  appearanceDuplicates?: DuplicateGroups;
  labelNoise?: LabelNoiseOptions;
  /**
   * The out-of-fold linear probe whose probabilities join the k-NN vote (probe.ts); false = the
   * vote alone. Rows with imported predictions use those instead.
   */
  probe?: ProbeOptions | false;
  /**
   * The probabilities mixed into the vote (modelProbabilities), computed earlier (null: none, the
   * vote alone): the probe does not run here, and the input's vectors may be let go (ScoreInput).
   */
  model?: Float32Array | null;
}

export function computeScores(input: ScoreInput, opts: ScoreOptions = {}): ScoreSet {
  const n = validateInput(input);
  const { knnDistance, sparseness } = computeSparseness(input.graph, opts.sparsenessK ?? 10);
  const embeddingDuplicates = findNearDuplicates(input.graph, opts.nearDuplicateThreshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD, opts.nearDuplicateMaxRatio);
  const scores: ScoreSet = { n, knnDistance, sparseness, nearDuplicates: embeddingDuplicates, embeddingDuplicates };
  const known = opts.appearanceDuplicates;
  if (input.signatures || known) withAppearanceDuplicates(scores, known ?? findAppearanceDuplicates(input.signatures!, opts.appearanceThreshold ?? DEFAULT_APPEARANCE_THRESHOLD));
  if (input.hashes) scores.exactDuplicates = findExactDuplicates(input.hashes);
  if (hasLabels(input.labels)) {
    const C = classCount(input);
    const model = opts.model !== undefined ? opts.model ?? undefined : modelProbabilities(input, C, opts.probe);
    let modelWeight: Float32Array | undefined;
    if (input.predictions) {
      scores.model = modelOpinion(input.predictions, input.labels, C);
      // The user's own model outweighs the vote where it has a prediction; the probe only joins it.
      modelWeight = new Float32Array(n).fill(PROBE_WEIGHT);
      for (let i = 0; i < n; i++) if (!Number.isNaN(input.predictions[i * C])) modelWeight[i] = PREDICTIONS_WEIGHT;
    }
    scores.classRarity = computeClassRarity(input.graph, input.labels, sparseness);
    scores.noise = computeLabelNoise(input.graph, input.labels, C, { ...NOISE_SCORE, ...(model ? { model, modelWeight: modelWeight ?? PROBE_WEIGHT } : {}), ...opts.labelNoise });
    const noise = scores.noise;
    scores.classBoundary = computeClassBoundary(input.graph, Int32Array.from(input.labels, (y, i) => (y >= 0 ? y : noise.suggested[i])));
    const names = input.classNames ?? Array.from({ length: C }, (_, c) => String(c));
    scores.classBalance = groupBalance(input.labels, names);
  }
  return scores;
}

/**
 * The appearance rule's groups joined to scores computed without them (the app searches while it
 * scores the rest, score-store.ts). A pair is a near duplicate when either rule says so: the
 * rules catch different edits. Appearance first: it is the rule made for copies, and a sample
 * keeps the first rule's group (mergeGroups), so the embedding's groups only add samples
 * appearance left alone.
 */
export function withAppearanceDuplicates(scores: ScoreSet, groups: DuplicateGroups): ScoreSet {
  if (groups.groupOf.length !== scores.n) throw new CurateError('INVALID_INPUT', `appearanceDuplicates covers ${groups.groupOf.length} samples, not ${scores.n}.`);
  scores.appearanceDuplicates = groups;
  // The embedding's own groups, not a merge of an earlier call's.
  scores.nearDuplicates = mergeGroups(scores.n, groups, scores.embeddingDuplicates ?? scores.nearDuplicates);
  return scores;
}

/** The probabilities mixed into the vote: imported predictions where given, else the probe's (which needs the vectors). */
export function modelProbabilities(input: ScoreInput, C: number, probe: ProbeOptions | false | undefined): Float32Array | undefined {
  const given = input.predictions;
  if (given && given.length !== input.graph.n * C) throw new CurateError('INVALID_INPUT', `predictions hold ${given.length} values, not ${input.graph.n} × ${C}.`);
  let complete = given !== undefined;
  for (let i = 0; given && i < input.graph.n && complete; i++) if (Number.isNaN(given[i * C])) complete = false;
  if (complete || probe === false || C < 2 || C > MAX_PROBE_CLASSES) return given;
  if (!input.vectors) throw new CurateError('INVALID_INPUT', 'The linear probe needs the vectors: pass the model probabilities computed before they were let go, or probe: false.');
  const probs = linearProbe(allVectors(input.vectors), input.dim, input.labels!, C, probe ?? {}).probs;
  if (given) for (let i = 0; i < input.graph.n; i++) if (!Number.isNaN(given[i * C])) probs.set(given.subarray(i * C, i * C + C), i * C);
  return probs;
}

function modelOpinion(p: Float32Array, labels: Int32Array, C: number): ModelOpinion {
  const n = labels.length;
  const disagrees = new Float32Array(n).fill(NaN);
  const predicted = new Int32Array(n).fill(-1);
  const confidence = new Float32Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(p[i * C])) continue;
    let best = 0;
    for (let c = 1; c < C; c++) if (p[i * C + c] > p[i * C + best]) best = c;
    predicted[i] = best;
    confidence[i] = p[i * C + best];
    if (labels[i] >= 0) disagrees[i] = 1 - p[i * C + labels[i]];
  }
  return { disagrees, predicted, confidence };
}

// Curation engine (issue 6): pure functions over typed arrays; the catalog wiring lives elsewhere.
//
//   const scores = computeScores(input)            // O(n·k) over the k-NN graph
//   const result = curate(input, scores, request)  // representative | edge-cases | mislabeled | custom
//
// Policies: N ≤ 0 / fractional / NaN → CurateError INVALID_N; N above what can be picked →
// clamped, warning N_CLAMPED. Negative / NaN / all-zero weights → INVALID_WEIGHTS. 'mislabeled'
// on an unlabelled dataset → NO_LABELS; other modes drop their label-based parts with a
// NO_LABELS warning. An unknown metadata field → UNKNOWN_FIELD. Every run is deterministic
// for its seed. Pass `input.space` (the app stores one with each map) to skip the projection
// that clustering otherwise computes on each run.
export { computeScores, modelProbabilities, withAppearanceDuplicates, type ScoreOptions } from './scores';
export { curate } from './curate';
export { CurateError, type CurateErrorCode, type CurateWarning, type CurateWarningCode } from './errors';
export { computeSparseness } from './sparseness';
export { classCount, hasLabels } from './validate';
export { computeLabelNoise, type LabelNoiseOptions } from './label-noise';
export { findNearDuplicates, findExactDuplicates, mergeGroups, groupsFromGroupOf, starGroups, DEFAULT_NEAR_DUPLICATE_THRESHOLD } from './duplicates';
export { findAppearanceDuplicates, appearancePairs, signatureDistance, DEFAULT_APPEARANCE_THRESHOLD, APPEARANCE_PATTERNS, checkAppearanceThreshold, uniqueSignatures, patternPairs, preparePattern, groupsOfPairs, type UniqueSignatures, type PreparedPattern } from './appearance-duplicates';
export { appearanceSignature, isFlatSignature, SIGNATURE_LENGTH, SIGNATURE_VERSION } from './signature';
export { alignedDuplicatePairs, comparePlan, joinAlignedPairs, mergeFound, ALIGNED_THRESHOLD, type OrderedPairs } from './aligned-duplicates';
export { alignedCandidates, alignedPlan, alignedUnits, assemblePlan, joinPatterns, planLists, planPatterns, PLAN_INDEXES, type AlignedInput, type AlignedOptions, type AlignedPlan, type GraphNeighbours, type PlanIndex, type PlanLists, type PlanPatterns } from './aligned-plan';
export type { GreyImage } from './aligned-pixels';
export { appearanceTile, TILE_LENGTH, TILE_VERSION } from './appearance-tile';
export { lookOfPixels, type Look } from './look';
export { DEFAULT_APPEARANCE_WEIGHT } from '../../../../src-shared/model/slice';
export { groupBalance, featureBalance, metadataGrouping, apportion } from './balance';
export { computeFeatureBalance, featureGrouping } from './feature';
export { kmeans, partition, type KMeansOptions, type KMeansResult, type Partition } from './kmeans';
export { fitRandomizedPca, applyPca, projectForClustering, type PcaBasis, type PcaOptions } from './pca';
export type * from './types';
export { allVectors, gatherRows, vectorRowCount } from './vector-rows';

// The review loop's shared types: the evidence shown beside a flagged sample, the orders a
// queue can follow, the one-key decisions and the session summary. The main process computes
// them (src-main/core/review/), the renderer shows them (ReviewQueue, DetailPanel).

/** One neighbour that voted on a sample's label (from the newest map's k-NN graph). */
export interface NeighbourVote {
  id: number;
  label: string | null;
  /** Cosine similarity in the embedding, 1 = identical. */
  similarity: number;
}

export interface SliceMembership {
  /** "name@version", as slices.members takes it. */
  ref: string;
  name: string;
  version: number;
  rank: number;
  /** The pick reason stored with the slice member. */
  reason: string;
}

export interface SampleEvidence {
  id: number;
  label: string | null;
  originalLabel: string | null;
  /** The label the scores suggest; null without scores or when there is no suggestion. */
  suggestedLabel: string | null;
  /** The suggestion's confidence in [0, 1]; null without one. */
  confidence: number | null;
  /** Label-noise score in [0, 1] (higher = more likely mislabelled); null without scores. */
  noise: number | null;
  sparseness: number | null;
  /** Near-duplicate group, null when the sample is in none. */
  dupGroup: number | null;
  /** Imported model predictions (winnow import-predictions), null without them. */
  modelLabel: string | null;
  modelDisagrees: number | null;
  /** One plain-language sentence, e.g. "8 of its 10 nearest neighbours are labelled 9". */
  reason: string;
  /** The neighbours that voted, nearest first. */
  neighbours: NeighbourVote[];
  slices: SliceMembership[];
  /** Marked reviewed by a decision (any kind); reviewed samples stop being flagged. */
  reviewed: boolean;
  /** The map the scores come from; null before the first map. */
  mapId: number | null;
}

export type ReviewOrder = 'noise' | 'sparseness' | 'pick' | 'label' | 'id';
export const REVIEW_ORDERS: readonly ReviewOrder[] = ['noise', 'sparseness', 'pick', 'label', 'id'];

export type ReviewDecision =
  | { kind: 'accept' }
  | { kind: 'label'; label: string }
  | { kind: 'keep' }
  | { kind: 'exclude' };

export interface ReviewSummary {
  /** Samples in the queue (the slice or the given ids). */
  total: number;
  reviewed: number;
  /** Reviewed samples whose label now differs from the one they had before the review. */
  changed: number;
  accepted: number;
  kept: number;
  excluded: number;
}

// Inputs and outputs of the curation engine. Everything per-sample is a typed array indexed by
// sample position (0..n-1); the catalog maps positions to sample ids.
import type { KnnGraph } from '../../../../src-shared/model/knn';
import type { CurateWarning } from './errors';

/** A categorical column: codes[i] indexes `categories`, -1 = missing. */
export interface CategoricalColumn {
  kind: 'categorical';
  codes: Int32Array;
  categories: string[];
}

/** A numeric column; balancing uses quantile bins of it. NaN = missing. */
export interface NumericColumn {
  kind: 'numeric';
  values: Float64Array | Float32Array;
  /** Number of quantile bins used when balancing over this field (default 5). */
  bins?: number;
}

/**
 * A metadata field as the engine balances over it: indexed by sample position, codes -1 = missing.
 * Not src-shared's MetadataColumn (the contract's column, aligned with sample ids, 0xffff = missing).
 */
export type BalanceColumn = CategoricalColumn | NumericColumn;

/**
 * Vectors read when asked: `read(rows)` gives the listed rows (ascending indices into the
 * samples) as rows.length × dim. At a million 544-d samples all vectors are 2.2 GB and 5 s to
 * read, and most curate runs need none of them (their scores are cached) or some of them (a
 * representative run clusters a sample of a big class).
 */
export interface VectorRows {
  rows: number;
  read(rows: Int32Array): Float32Array;
  /**
   * Told which rows a later read asks for (the same array), as soon as an engine knows them, so
   * that a reader may read them elsewhere meanwhile (the app: on a thread of its own, while the
   * engine clusters). Optional; the read gives the same vectors either way.
   */
  prefetch?(rows: Int32Array): void;
}

export interface CurateInput {
  /** L2-normalised embedding vectors, row-major n × dim, held or read on demand. */
  vectors: Float32Array | VectorRows;
  dim: number;
  /** k-NN graph over the same rows (cosine distances). */
  graph: KnnGraph;
  /** Class id per sample, -1 = unlabelled. Omit for an unlabelled dataset. */
  labels?: Int32Array;
  /** Names of the class ids; its length is the number of classes. */
  classNames?: string[];
  metadata?: Record<string, BalanceColumn>;
  /** Content hash per sample, for exact duplicates. */
  hashes?: ArrayLike<string>;
  /**
   * Appearance signature per sample (appearanceSignature, signature.ts), for near duplicates
   * by appearance; null / undefined where a sample has none.
   */
  signatures?: ArrayLike<Uint8Array | null | undefined>;
  /**
   * Appearance tile per sample (appearanceTile, appearance-tile.ts): representative subsets
   * cluster on it beside the embedding. null / undefined where a sample has none.
   */
  tiles?: ArrayLike<Uint8Array | null | undefined>;
  /**
   * Low-dimensional coordinates of the embedding used for clustering (e.g. the PCA the map
   * step already computed). Computed on demand with `projectForClustering` when absent; pass
   * it in to avoid paying for the projection on every curate run.
   */
  space?: ClusterSpace;
  /**
   * A model's out-of-sample class probabilities, n × classNames.length (the user's imported
   * predictions); NaN rows where a sample has none. They join the label-noise vote in place of
   * the built-in linear probe, and give the "model disagrees" score.
   */
  predictions?: Float32Array;
  /**
   * 1 where a person has reviewed the sample's label (review decisions): the mislabelled mode
   * no longer picks it, whatever its score.
   */
  reviewed?: Uint8Array;
}

/**
 * What computeScores reads: a curate input whose vectors may already be let go (null) once the
 * probe's probabilities are computed (ScoreOptions.model). The scores other than the probe read
 * only the graph, labels and hashes, and at a million 544-d samples the vectors are 2.2 GB that
 * the near-duplicate search need not share memory with (core/curate/score-store.ts).
 */
export type ScoreInput = Omit<CurateInput, 'vectors'> & { vectors: Float32Array | VectorRows | null };

export interface ClusterSpace {
  data: Float32Array;
  dim: number;
}

export interface LabelNoise {
  /** 0..1; higher = more likely mislabelled. 0 for unlabelled samples. */
  score: Float32Array;
  /** Most likely other class for labelled samples; most likely class for unlabelled ones. -1 = none. */
  suggested: Int32Array;
  /** Estimated probability of `suggested`. */
  confidence: Float32Array;
  /** Estimated probability of the given label (self-confidence); NaN for unlabelled samples. */
  selfConfidence: Float32Array;
  /** 1 where confident learning puts the sample off the diagonal of the confident joint. */
  likelyMislabeled: Uint8Array;
  /** Per-class confident-learning thresholds (mean self-confidence of the class). */
  thresholds: Float32Array;
  /** Number of samples flagged likely mislabelled. */
  issueCount: number;
}

/** What an imported model says about each sample (ScoreSet.model). */
export interface ModelOpinion {
  /** 1 − the model's probability of the given label; NaN without a prediction or a label. */
  disagrees: Float32Array;
  /** The model's most likely class, -1 without a prediction. */
  predicted: Int32Array;
  /** Its probability. */
  confidence: Float32Array;
}

export interface DuplicateGroups {
  /** Group id per sample, -1 = not in any group. */
  groupOf: Int32Array;
  /** Members of each group, ascending sample index; groups ordered by their first member. */
  groups: Int32Array[];
}

export interface GroupBalance {
  names: string[];
  counts: number[];
  fractions: number[];
  /** Samples without a value (unlabelled / missing). */
  missing: number;
  /** Largest count / smallest non-zero count; 1 = perfectly balanced. */
  imbalanceRatio: number;
  /** Shannon entropy of the distribution / log(number of groups); 1 = perfectly balanced. */
  normalizedEntropy: number;
  /** Groups with no samples at all. */
  empty: string[];
}

export interface FeatureBalance extends GroupBalance {
  /** Where present: counts[class][group] cross-tabulated with the labels. */
  byClass?: number[][];
}

/** How near each sample sits to another class (sparseness.ts computeClassBoundary). */
export interface ClassBoundary {
  /** Nearest same-label distance over nearest other-label distance (0 = no other label near). */
  ratio: Float32Array;
  /** The label of that nearest neighbour of another label; -1 = none in the list. */
  nearestOther: Int32Array;
}

export interface ScoreSet {
  n: number;
  /** Mean cosine distance to the first `sparsenessK` neighbours. */
  knnDistance: Float32Array;
  /** knnDistance relative to the neighbours' own knnDistance (1 = as dense as its neighbourhood). */
  sparseness: Float32Array;
  /** Rarity within the sample's own class (computeClassRarity); present when the dataset has labels. */
  classRarity?: Float32Array;
  /** How near each sample sits to another class (computeClassBoundary); present when the dataset has labels. */
  classBoundary?: ClassBoundary;
  /** Present when the dataset has labels. */
  noise?: LabelNoise;
  /** Present when the input has a model's predictions. */
  model?: ModelOpinion;
  /** Near duplicates by either rule: the embedding's, and appearance when signatures were given. */
  nearDuplicates: DuplicateGroups;
  /** The embedding rule alone (k-NN graph edges within the cosine threshold). */
  embeddingDuplicates?: DuplicateGroups;
  /** The appearance rule alone; present when signatures were given. */
  appearanceDuplicates?: DuplicateGroups;
  /** Present when hashes were given. */
  exactDuplicates?: DuplicateGroups;
  /** Present when the dataset has labels. */
  classBalance?: GroupBalance;
}

export type BalanceTarget = 'uniform' | 'proportional' | Record<string, number>;

interface BaseRequest {
  /** Number of samples to pick. */
  n: number;
  seed?: number;
}

export interface RepresentativeRequest extends BaseRequest {
  mode: 'representative';
  /** How picks are spread over classes; default 'uniform' when labelled, ignored otherwise. */
  classBalance?: BalanceTarget | 'none';
  /** Skip samples flagged likely mislabelled (default true). */
  excludeMislabeled?: boolean;
  /** Fraction of sparsest samples never picked as a cluster's representative (default 0.02). */
  excludeExtremes?: number;
  /**
   * Weight of the appearance tiles beside the unit-length embedding when clustering (default
   * DEFAULT_APPEARANCE_WEIGHT; 0 = the embedding alone). Ignored when the input has no tiles.
   */
  appearanceWeight?: number;
  /**
   * Let each pick give way to another typical member of its cluster that labels more of the
   * data by nearest pick (modes/prototype-swaps.ts; default true; labelled data only).
   */
  prototypeSwaps?: boolean;
}

export interface EdgeCasesRequest extends BaseRequest {
  mode: 'edge-cases';
  /** Quotas per class; default 'uniform' when labelled. */
  classBalance?: BalanceTarget | 'none';
  /** Skip samples flagged likely mislabelled (default false: on clean data they are the hardest cases). */
  excludeMislabeled?: boolean;
  /** Which edges: 'rare' for its class, 'ambiguous' between classes, or either (default). */
  criteria?: 'both' | 'rare' | 'ambiguous';
}

export interface MislabeledRequest extends BaseRequest {
  mode: 'mislabeled';
}

export interface CustomWeights {
  sparseness?: number;
  noise?: number;
  /** Favour samples of under-represented classes. */
  class?: number;
  /** Favour samples with under-represented values of `feature`. */
  feature?: number;
}

/** A metadata field, or k-means clusters of the embedding. */
export type FeatureSource = { field: string } | { clusters: number };

export interface CustomRequest extends BaseRequest {
  mode: 'custom';
  weights: CustomWeights;
  /** What the `feature` weight and the feature balance refer to. */
  feature?: FeatureSource;
  balance?: {
    byClass?: BalanceTarget;
    byFeature?: BalanceTarget;
  };
}

export type CurateRequest = RepresentativeRequest | EdgeCasesRequest | MislabeledRequest | CustomRequest;
export type CurateMode = CurateRequest['mode'];

export type PickReason =
  | 'typical' // representative: the most typical sample of its cluster
  | 'rare' // edge cases: far out of its class, towards another; without labels, sparse
  | 'ambiguous' // its neighbours disagree with its label
  | 'mislabeled' // high label-noise score
  | 'noise' // custom: the noise criterion dominated
  | 'sparseness' // custom: the sparseness criterion dominated
  | 'class' // custom: its class is under-represented
  | 'feature'; // custom: its feature value is under-represented

export interface CuratePick {
  index: number;
  reason: PickReason;
  /** The mode's ranking score for this pick (higher = picked earlier). */
  score: number;
  /** representative: the cluster this sample stands for, and its size. */
  cluster?: number;
  clusterSize?: number;
  /** mislabeled: the suggested label and its estimated probability. */
  suggestedLabel?: number;
  confidence?: number;
  /** edge cases, a rare pick: the class of its nearest neighbour of another class (the class it is near). */
  nearClass?: number;
}

export interface CurateResult {
  mode: CurateMode;
  /** Requested N after clamping. */
  n: number;
  picks: CuratePick[];
  warnings: CurateWarning[];
}

// How well a slice represents the pool it came from and, given one, a reference set (issue 18):
// its class mix beside the pool's and the reference's, the share of the pool's k-means
// clusters it reaches, and its MMD to the reference and to the pool, each beside the same
// figure for random slices of its size (so "0.04" reads as "half of what chance gives").
import { createRng, sampleIndices } from '../../../../src-shared/random';
import { CurateError } from './errors';
import { referenceClassCounts, type PoolClusters } from './target-match';
import { gatherRows, kernelSums, mmd, type TargetSpace } from './target-space';

export interface ClassShare { class: number; slice: number; pool: number; reference: number | null }

export interface ClusterCoverage {
  k: number;
  /** Clusters with at least one slice member, and that count over k. */
  hit: number;
  share: number;
  /** Share of the pool's rows that sit in a cluster the slice reaches. */
  poolCovered: number;
  /** Clusters holding reference rows, how many of those the slice reaches, and the reference rows they hold. */
  referenceClusters: number | null;
  referenceHit: number | null;
  referenceCovered: number | null;
}

export interface Representativeness {
  size: number;
  /** Per class (then -1 for unlabelled), shares of the slice, the pool and the reference; null without labels. */
  classMix: ClassShare[] | null;
  coverage: ClusterCoverage;
  mmdToReference: number | null;
  randomMmdToReference: number | null;
  mmdToPool: number;
  randomMmdToPool: number;
}

export interface RepresentativenessInput {
  space: TargetSpace;
  clusters: PoolClusters;
  /** Whether space.reference is a real reference (false: it is a sample of the pool, used only for the MMD to the pool). */
  hasReference: boolean;
  labels?: Int32Array;
  numClasses?: number;
  /** Reference class counts (classes, then no label), e.g. from estimateReferenceClasses. */
  referenceClassCounts?: number[];
  seed?: number;
}

const POOL_SAMPLE = 2000;
const RANDOM_DRAWS = 3;

export function representativeness(input: RepresentativenessInput, rows: ArrayLike<number>): Representativeness {
  const { space, clusters } = input;
  const { dim, gamma } = space;
  const n = space.pool.length / dim;
  if (rows.length === 0) throw new CurateError('INVALID_INPUT', 'the slice is empty');
  for (let t = 0; t < rows.length; t++) if (!(rows[t] >= 0 && rows[t] < n)) throw new CurateError('INVALID_INPUT', `slice row ${rows[t]} is not in the pool`);
  const rng = createRng((input.seed ?? 0) + 11);
  const poolSample = gatherRows(space.pool, dim, sampleIndices(n, Math.min(n, POOL_SAMPLE), rng));
  const X = gatherRows(space.pool, dim, rows);
  let randomRef = 0, randomPool = 0;
  for (let d = 0; d < RANDOM_DRAWS; d++) {
    const R = gatherRows(space.pool, dim, sampleIndices(n, rows.length, rng));
    if (input.hasReference) randomRef += mmd(R, space.reference, dim, gamma) / RANDOM_DRAWS;
    randomPool += mmd(R, poolSample, dim, gamma) / RANDOM_DRAWS;
  }
  return {
    size: rows.length,
    classMix: classMix(input, rows),
    coverage: coverage(clusters, rows, input.hasReference),
    mmdToReference: input.hasReference ? mmd(X, space.reference, dim, gamma) : null,
    randomMmdToReference: input.hasReference ? randomRef : null,
    mmdToPool: mmd(X, poolSample, dim, gamma),
    randomMmdToPool: randomPool,
  };
}

/** Each reference row's nearest pool row, and the reference's class counts (see referenceClassCounts). */
export function estimateReferenceClasses(space: TargetSpace, labels: Int32Array | undefined, numClasses: number, referenceLabels?: Int32Array): { counts: number[] | null; nearest: Int32Array } {
  const nearest = new Int32Array(space.reference.length / space.dim);
  kernelSums(space.reference, space.pool, space.dim, space.gamma, nearest);
  return { counts: labels && numClasses > 0 ? referenceClassCounts(labels, numClasses, nearest, referenceLabels) : null, nearest };
}

function classMix(input: RepresentativenessInput, rows: ArrayLike<number>): ClassShare[] | null {
  const { labels } = input;
  const C = input.numClasses ?? 0;
  if (!labels || C === 0) return null;
  const slice = new Array<number>(C + 1).fill(0), pool = new Array<number>(C + 1).fill(0);
  for (let t = 0; t < rows.length; t++) { const l = labels[rows[t]]; slice[l >= 0 ? l : C]++; }
  for (const l of labels) pool[l >= 0 ? l : C]++;
  const ref = input.referenceClassCounts;
  const refTotal = ref ? ref.reduce((a, b) => a + b, 0) : 0;
  const out: ClassShare[] = [];
  for (let c = 0; c <= C; c++) {
    if (slice[c] === 0 && pool[c] === 0 && !(ref?.[c])) continue;
    out.push({ class: c === C ? -1 : c, slice: slice[c] / rows.length, pool: pool[c] / labels.length, reference: ref && refTotal ? ref[c] / refTotal : null });
  }
  return out;
}

function coverage(clusters: PoolClusters, rows: ArrayLike<number>, hasReference: boolean): ClusterCoverage {
  const hit = new Uint8Array(clusters.k);
  for (let t = 0; t < rows.length; t++) hit[clusters.poolAssign[rows[t]]] = 1;
  let count = 0, poolRows = 0, refClusters = 0, refHit = 0, refRows = 0, refTotal = 0;
  for (let c = 0; c < clusters.k; c++) {
    const r = clusters.referenceSizes[c];
    refTotal += r;
    if (r > 0) refClusters++;
    if (!hit[c]) continue;
    count++;
    poolRows += clusters.poolSizes[c];
    if (r > 0) { refHit++; refRows += r; }
  }
  const n = clusters.poolAssign.length;
  return {
    k: clusters.k, hit: count, share: count / clusters.k, poolCovered: poolRows / n,
    referenceClusters: hasReference ? refClusters : null,
    referenceHit: hasReference ? refHit : null,
    referenceCovered: hasReference && refTotal ? refRows / refTotal : null,
  };
}

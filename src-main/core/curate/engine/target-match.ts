// Picks N pool samples whose embedding distribution matches a reference set (issue 18): a
// validation set that looks like the images a model will meet in deployment.
//
// 'herding' is greedy MMD minimisation (kernel herding, Chen, Welling & Smola 2010, in its
// greedy "MMD-critic" form): with μ(x) = mean_r k(x, r) over the reference and g(x) = Σ_{s∈S} k(x, s)
// over the picks so far, adding x to the t picks lowers the biased MMD² the most when
// μ(x) − g(x)/(t+1) is largest. Each step updates g with one kernel row, O(n·dim).
// 'quotas' clusters the pool (k-means) and takes from each cluster a share of N equal to the
// reference's share of that cluster, at random inside it. 'random' is the baseline.
// With labels, each class gets a quota equal to the reference's class share (reference rows
// without a label take the label of their nearest labelled pool row), so the set's class mix
// follows the reference's even where a class is rare in the pool.
import { createRng, sampleIndices, shuffleInPlace } from '../../../../src-shared/random';
import { apportion } from './balance';
import { CurateError } from './errors';
import { kmeans } from './kmeans';
import { gatherRows, kernelSums, mmd, squaredNorms, type TargetSpace } from './target-space';

export type TargetMethod = 'herding' | 'quotas' | 'random';

export interface TargetRequest {
  n: number;
  seed?: number;
  method?: TargetMethod;
  /** Pool rows that may be picked (default: every row). */
  candidates?: Int32Array;
  /** Class of each pool row, -1 = unlabelled. */
  labels?: Int32Array;
  numClasses?: number;
  /** Class of each reference row where known (e.g. from its folder), -1 = unknown. */
  referenceLabels?: Int32Array;
  /** 'reference' (default with labels): class quotas from the reference's class mix. */
  classBalance?: 'reference' | 'none';
  /** k-means clusters of the pool, for the quotas method and the picks' reasons (default 32). */
  clusters?: number;
}

export interface TargetPick { index: number; cluster: number }

export interface PoolClusters {
  k: number;
  /** Cluster of each pool row. */
  poolAssign: Int32Array;
  /** Cluster of each reference row (its nearest centroid). */
  referenceAssign: Int32Array;
  poolSizes: Int32Array;
  referenceSizes: Int32Array;
}

export interface TargetMatch {
  picks: TargetPick[];
  clusters: PoolClusters;
  /** Nearest pool row of each reference row (places reference points on the map). */
  referenceNearest: Int32Array;
  /** Reference class mix as estimated (classes, then one share for "no label"); null without labels. */
  referenceClassShare: number[] | null;
  /** Picks per class (classes, then unlabelled); null when classes were not balanced. */
  classQuota: number[] | null;
  /** Biased MMD of the picks to the reference, and the mean over random draws of N candidates. */
  mmd: number;
  randomMmd: number;
  warnings: string[];
}

const RANDOM_DRAWS = 3;

export function matchTarget(space: TargetSpace, req: TargetRequest): TargetMatch {
  const { dim, gamma } = space;
  const n = space.pool.length / dim, m = space.reference.length / dim;
  const seed = req.seed ?? 0;
  const candidates = req.candidates ?? Int32Array.from({ length: n }, (_, i) => i);
  if (m === 0) throw new CurateError('INVALID_INPUT', 'the reference set is empty');
  if (!Number.isInteger(req.n) || req.n < 1) throw new CurateError('INVALID_N', `N must be a whole number ≥ 1, not ${req.n}`);
  if (req.n > candidates.length) throw new CurateError('INVALID_N', `N = ${req.n} is larger than the pool: ${candidates.length} samples can be picked`);
  if (req.labels && req.labels.length !== n) throw new CurateError('INVALID_INPUT', 'labels must have one entry per pool row');
  const warnings: string[] = [];

  // μ(x) for every pool row, and each reference row's nearest pool row, in one pass.
  const nearest = new Int32Array(m);
  const mu = columnKernelMeans(space, nearest);
  const clusters = poolClusters(space, req.clusters ?? 32, seed);

  const C = req.numClasses ?? 0;
  const hasLabels = !!req.labels && C > 0 && req.labels.some((l) => l >= 0);
  let bucket: Int32Array | null = null;
  let referenceClassShare: number[] | null = null;
  let classQuota: number[] | null = null;
  if (hasLabels) {
    const labels = req.labels!;
    const counts = referenceClassCounts(labels, C, nearest, req.referenceLabels);
    referenceClassShare = counts.map((c) => c / m);
    if ((req.classBalance ?? 'reference') === 'reference') {
      bucket = Int32Array.from(labels, (l) => (l >= 0 ? l : C));
      const available = new Array<number>(C + 1).fill(0);
      for (const i of candidates) available[bucket[i]]++;
      classQuota = apportion(req.n, counts, available);
      const short = req.n - classQuota.reduce((a, b) => a + b, 0);
      if (short > 0) {
        // The reference's classes cannot fill N from the pool: the rest goes to the closest matches of any class.
        warnings.push(`the pool has too few samples of the reference's classes for N = ${req.n}; ${short} picks come from other classes`);
        classQuota = apportion(req.n, counts.map((c, k) => c + (available[k] > 0 ? 1e-6 : 0)), available);
      }
    }
  }

  const method = req.method ?? 'herding';
  let rows: number[];
  if (method === 'herding') rows = herd(space, mu, candidates, req.n, bucket, classQuota);
  else if (method === 'quotas') rows = clusterQuotas(clusters, candidates, req.n, seed);
  else rows = Array.from(sampleIndices(candidates.length, req.n, createRng(seed)), (t) => candidates[t]);

  const picks = rows.map((index) => ({ index, cluster: clusters.poolAssign[index] }));
  const value = mmd(gatherRows(space.pool, dim, rows), space.reference, dim, gamma);
  let randomMmd = 0;
  const rng = createRng(seed + 7);
  for (let d = 0; d < RANDOM_DRAWS; d++) {
    const draw = sampleIndices(candidates.length, req.n, rng);
    randomMmd += mmd(gatherRows(space.pool, dim, Array.from(draw, (t) => candidates[t])), space.reference, dim, gamma) / RANDOM_DRAWS;
  }
  return { picks, clusters, referenceNearest: nearest, referenceClassShare, classQuota, mmd: value, randomMmd, warnings };
}

/**
 * Reference rows per class (classes, then "no label"): a row's own label where given, else the
 * label of its nearest pool row.
 */
export function referenceClassCounts(labels: Int32Array, numClasses: number, nearest: Int32Array, referenceLabels?: Int32Array): number[] {
  const counts = new Array<number>(numClasses + 1).fill(0);
  for (let r = 0; r < nearest.length; r++) {
    const given = referenceLabels?.[r] ?? -1;
    const c = given >= 0 ? given : labels[nearest[r]];
    counts[c >= 0 ? c : numClasses]++;
  }
  return counts;
}

/** mean_r k(x, r) for each pool row x; fills each reference row's nearest pool row. */
function columnKernelMeans(space: TargetSpace, nearest: Int32Array): Float64Array {
  const { dim, gamma } = space;
  const m = space.reference.length / dim;
  // Rows of the kernel matrix are reference rows; a pool row's mean is its column sum / m.
  const col = new Float64Array(space.pool.length / dim);
  kernelSums(space.reference, space.pool, dim, gamma, nearest, col);
  for (let i = 0; i < col.length; i++) col[i] /= m;
  return col;
}

/** k-means of the pool in the target space; each reference row joins its nearest centroid. */
export function poolClusters(space: TargetSpace, k: number, seed: number): PoolClusters {
  const { dim } = space;
  const km = kmeans(space.pool, dim, k, undefined, { seed });
  const m = space.reference.length / dim;
  const referenceAssign = new Int32Array(m);
  const referenceSizes = new Int32Array(km.k);
  for (let r = 0; r < m; r++) {
    let best = Infinity, arg = 0;
    for (let c = 0; c < km.k; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) { const d = space.reference[r * dim + j] - km.centroids[c * dim + j]; s += d * d; }
      if (s < best) { best = s; arg = c; }
    }
    referenceAssign[r] = arg;
    referenceSizes[arg]++;
  }
  return { k: km.k, poolAssign: km.assign, referenceAssign, poolSizes: km.sizes, referenceSizes };
}

/** Greedy MMD minimisation over the candidates, within the class quotas when given. */
function herd(space: TargetSpace, mu: Float64Array, candidates: Int32Array, N: number, bucket: Int32Array | null, quota: number[] | null): number[] {
  const { dim, gamma, pool } = space;
  const norms = squaredNorms(pool, dim);
  const open = Int32Array.from(candidates);
  let live = open.length;
  const g = new Float64Array(pool.length / dim);
  const left = quota ? quota.slice() : null;
  const picks: number[] = [];
  for (let t = 0; t < N; t++) {
    let best = -Infinity, at = -1;
    for (let u = 0; u < live; u++) {
      const i = open[u];
      if (left && left[bucket![i]] <= 0) continue;
      const s = mu[i] - g[i] / (t + 1);
      if (s > best || (s === best && i < open[at])) { best = s; at = u; }
    }
    if (at < 0) break;
    const y = open[at];
    picks.push(y);
    if (left) left[bucket![y]]--;
    open[at] = open[--live];
    // One kernel row: the new pick against every row still open.
    const oy = y * dim, ny = norms[y];
    for (let u = 0; u < live; u++) {
      const i = open[u], oi = i * dim;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += pool[oi + j] * pool[oy + j];
      g[i] += Math.exp(-gamma * Math.max(0, norms[i] + ny - 2 * dot));
    }
  }
  return picks;
}

/** From each cluster, its reference share of N, drawn at random inside the cluster. */
function clusterQuotas(clusters: PoolClusters, candidates: Int32Array, N: number, seed: number): number[] {
  const members: number[][] = Array.from({ length: clusters.k }, () => []);
  for (const i of candidates) members[clusters.poolAssign[i]].push(i);
  const quota = apportion(N, Array.from(clusters.referenceSizes), members.map((g) => g.length));
  // A reference that lies wholly in small clusters cannot fill N there: the rest is spread by pool size.
  const short = N - quota.reduce((a, b) => a + b, 0);
  const extra = short > 0 ? apportion(short, members.map((g) => g.length), members.map((g, c) => g.length - quota[c])) : null;
  const rng = createRng(seed);
  const out: number[] = [];
  members.forEach((g, c) => {
    shuffleInPlace(g, rng);
    out.push(...g.slice(0, quota[c] + (extra?.[c] ?? 0)));
  });
  return out;
}

export interface ShareMatch {
  /** Pool rows picked, group by group. */
  rows: number[];
  /** Picks per group, and how many the target shares asked for. */
  got: number[];
  wanted: number[];
  warnings: string[];
}

/**
 * A metadata distribution as the target (e.g. camera A 70 %, B 30 %): N rows split over the
 * groups in proportion to `shares` (largest remainder), drawn at random inside each group.
 * A group with too few rows gives what it has; the shortfall is spread over the other target
 * groups (and reported), so the set still has N rows.
 */
export function matchShares(groups: Int32Array, shares: number[], n: number, seed: number, candidates?: Int32Array): ShareMatch {
  const rowsOf: number[][] = shares.map(() => []);
  const all = candidates ?? Int32Array.from({ length: groups.length }, (_, i) => i);
  for (const i of all) { const g = groups[i]; if (g >= 0 && g < shares.length) rowsOf[g].push(i); }
  const available = rowsOf.map((r) => r.length);
  const total = available.reduce((a, b, g) => a + (shares[g] > 0 ? b : 0), 0);
  if (!Number.isInteger(n) || n < 1) throw new CurateError('INVALID_N', `N must be a whole number ≥ 1, not ${n}`);
  if (n > total) throw new CurateError('INVALID_N', `N = ${n} is larger than the pool: ${total} samples have one of the target's values`);
  if (!shares.some((s) => s > 0) || shares.some((s) => !(s >= 0) || !Number.isFinite(s))) throw new CurateError('INVALID_WEIGHTS', 'the target shares must be numbers ≥ 0, not all 0');
  const wanted = apportion(n, shares, shares.map(() => n));
  const got = apportion(n, shares, available);
  const warnings: string[] = [];
  wanted.forEach((w, g) => { if (got[g] < w) warnings.push(`group ${g} has ${available[g]} samples, fewer than its share of N (${w})`); });
  const rng = createRng(seed);
  const rows: number[] = [];
  rowsOf.forEach((r, g) => { shuffleInPlace(r, rng); rows.push(...r.slice(0, got[g])); });
  return { rows, got, wanted, warnings };
}

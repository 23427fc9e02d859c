// Representative subset, TypiClust-style (Hacohen et al. 2022): split the space into as many
// k-means clusters as picks and take each cluster's most typical sample. With labels, the
// split is done per class with quotas (uniform by default), so every class is covered even
// when one dominates the data. Samples flagged likely mislabelled and the sparsest few percent
// are neither clustered nor picked: a representative set should not teach noise or outliers.
// With labels, each pick may then give way to another of its cluster's most typical members
// that labels more of the data right by nearest pick, in the embedding and the look counted
// together (prototype-swaps.ts): N = 100 from the 60k training images, 1-NN on the test split,
// mean of seeds 0–4 (BENCHMARKS "curate: representative, three readings"), pixels / embedding,
// at the default look weight (0.5):
//   MNIST           88.4 / 94.7 % → 89.3 / 96.0 %
//   Fashion-MNIST   72.9 / 80.1 % → 76.8 / 83.2 %
//
// The clusters come from the low-dimensional clustering space (cheap k-means; large N is
// clustered two levels deep, see `partition`; a very big class, on a sample of its rows:
// DEFAULT_SAMPLING): the embedding's PCA, beside the appearance tiles' PCA when the input has
// tiles (joint-space.ts says why and how much). The most typical member is the one nearest its
// cluster's mean in the full vectors: the PCA keeps the directions of largest variance over the
// whole dataset and drops much of what tells one member of a cluster from another. On MNIST
// (60k training digits curated, 1-NN on raw pixels of the test split, mean of seeds 0–4,
// embedding alone) this beat the earlier rule, a rank sum of distance to the centroid in the
// clustering space and k-NN density:
//   built-in embedding  N=100: 84.4 → 85.1 %   N=1,000: 92.2 → 92.3 %
//   raw pixels          N=100: 88.8 → 89.4 %   N=1,000: 94.2 → 94.5 %
// Density is left out on purpose: TypiClust's density-only rule scored 82.0 % / 91.6 % with the
// built-in embedding, where density favours thin strokes (k-NN distance vs ink: r = 0.37) while
// raw-pixel 1-NN rewards heavy ones. No other variant tried beat this rule by more than 0.3
// point at either N: density at half weight, a class-centroid term, in-degree in the graph,
// 16 or 64 PCA dimensions, whitening, per-class PCA, k-means in the full 544-d, restarts, more
// iterations, over-clustering, other exclusion fractions.
import { apportion, targetWeights } from '../balance';
import { partition } from '../kmeans';
import type { CuratePick, RepresentativeRequest } from '../types';
import { classGrouping, quantile, type ModeContext } from './context';
import { DEFAULT_APPEARANCE_WEIGHT } from '../../../../../src-shared/model/slice';
import { jointSpace, type Block } from './joint-space';
import { createRng, mixSeed, sampleIndices } from '../../../../../src-shared/random';
import { swapPicks, SWAP_CANDIDATES, type SwapCluster } from './prototype-swaps';
import { insertNearest } from '../aligned-pixels';

/**
 * Rows a k-means of the partition is fitted on before every row is assigned (kmeans.ts): far
 * above a class of the 70k benchmarks (MNIST's largest training class has 6,742), so they are
 * clustered exactly as before; a class of 100,000 fits on a sample and costs one scan more.
 */
const FIT_SAMPLE = 16_384;
/**
 * And at most this many rows per cluster: at a million samples the partition's lower level
 * ran a full k-means of 10 clusters over each 10,000-row group, 20 of the 56 s of a
 * representative run (bench/scale-curate.ts, CPU profile).
 */
const FIT_PER_CLUSTER = 256;

/**
 * How big groups are sampled: a group of more than `above` rows is clustered on a seeded uniform
 * sample of `rowsPerPick` of its rows per pick. The centroids are fitted on at most
 * FIT_PER_CLUSTER members each anyway; beyond that, more rows only offer each cluster more
 * candidates for its typical member. At a million samples every row cost its projection into
 * the joint space, its assignment and its distance to the mean: 24 of the 37 s of a
 * representative run (bench/scale-curate.ts, CPU profile); a class of 100,000 at N = 1,000 now
 * clusters half its rows. Smaller groups are clustered whole: they cost a second or two, and any
 * change of the rows clustered, this sample or an exclusion share moved by half a point, moves
 * the 1-NN accuracy of the picks by up to a point either way at 70,000 samples (BENCHMARKS
 * "curate: representative from a sample"): the sample is for scale, not for sets that size.
 */
export interface Sampling { rowsPerPick: number; above: number }
export const DEFAULT_SAMPLING: Sampling = { rowsPerPick: 512, above: 65_536 };

export function representative(ctx: ModeContext, req: RepresentativeRequest, n: number, sampling = DEFAULT_SAMPLING): CuratePick[] {
  const { input, scores, size } = ctx;
  const noise = scores.noise;
  const excludeMis = (req.excludeMislabeled ?? true) && noise !== undefined;
  const extremeFrac = req.excludeExtremes ?? 0.02;
  const cut = extremeFrac > 0 ? quantile(scores.sparseness, 1 - extremeFrac) : Infinity;
  const eligible = new Uint8Array(size);
  let eligibleCount = 0;
  for (let i = 0; i < size; i++) {
    if (excludeMis && noise!.likelyMislabeled[i]) continue;
    if (scores.sparseness[i] > cut) continue;
    eligible[i] = 1;
    eligibleCount++;
  }
  // Never let the exclusions starve the request.
  if (eligibleCount < n) {
    eligible.fill(1);
    eligibleCount = size;
  }

  const useClasses = req.classBalance !== 'none';
  const grouping = useClasses ? classGrouping(ctx) : undefined;

  const groups: Group[] = [];
  if (grouping) {
    const G = grouping.names.length;
    const members: number[][] = Array.from({ length: G }, () => []);
    for (let i = 0; i < size; i++) if (eligible[i] && grouping.codes[i] >= 0) members[grouping.codes[i]].push(i);
    const available = members.map((m) => m.length);
    const target = req.classBalance === undefined || req.classBalance === 'none' ? 'uniform' : req.classBalance;
    const quotas = apportion(n, targetWeights(target, grouping.names, available, 'class'), available);
    for (let g = 0; g < G; g++) if (quotas[g] > 0) groups.push(sampled(Int32Array.from(members[g]), quotas[g], g, sampling, ctx.seed));
  } else {
    const rows: number[] = [];
    for (let i = 0; i < size; i++) if (eligible[i]) rows.push(i);
    groups.push(sampled(Int32Array.from(rows), n, -1, sampling, ctx.seed));
  }

  // The joint space is made for the rows some group clusters; for every row when none is
  // sampled, so that a dataset below the cap is clustered exactly as before the cap.
  const spaceRows = groups.some((g) => g.scale > 1) ? sortedUnion(groups.map((g) => g.rows)) : undefined;
  const { space, blocks } = jointSpace(input, size, req.appearanceWeight ?? DEFAULT_APPEARANCE_WEIGHT, ctx.seed, spaceRows);
  const local = spaceRows ? localIndex(size, spaceRows) : undefined;

  // Every group clustered before any typical member is sought: the members need the full
  // vectors, which a reader told of the rows (joint-space.ts) reads meanwhile.
  const clusterings = groups.map(({ rows, quota, group }) => {
    const at = local ? Int32Array.from(rows, (i) => local[i]) : rows;
    return partition(space.data, space.dim, at, quota, { seed: ctx.seed * 1009 + group + 1, fitSample: FIT_SAMPLE, fitPerCluster: FIT_PER_CLUSTER });
  });
  const picks: CuratePick[] = [];
  const swaps: SwapCluster[] = [];
  const similarity: Float64Array[] = [];
  let clusterBase = 0;
  for (const [g, { rows, scale }] of groups.entries()) {
    const km = clusterings[g]!;
    for (const t of typicalMembers(blocks, rows, km.assign, km.k)) {
      if (t.member < 0) continue;
      picks.push({
        index: rows[t.member],
        reason: 'typical',
        score: t.similarity,
        cluster: clusterBase + t.cluster,
        // Of a sampled group, the cluster's share of the whole group.
        clusterSize: Math.round(km.sizes[t.cluster] * scale),
      });
      swaps.push({ pick: rows[t.member], candidates: Int32Array.from(t.candidates, (m) => rows[m]) });
      similarity.push(t.candidateSimilarity);
    }
    clusterBase += km.k;
  }
  // With classes, each pick may give way to another typical member of its cluster that labels
  // more of the data by nearest pick, in the embedding and the look together (prototype-swaps.ts).
  if (grouping && (req.prototypeSwaps ?? true)) {
    const swapped = swapPicks(blocks, grouping.codes, spaceRows ?? sortedUnion(groups.map((g) => g.rows)), swaps, { seed: ctx.seed });
    swapped.forEach((i, t) => {
      picks[t].score = similarity[t][swaps[t].candidates.indexOf(i)];
      picks[t].index = i;
    });
  }
  // Biggest clusters first, so a prefix of the list is itself a sensible smaller subset.
  picks.sort((a, b) => b.clusterSize! - a.clusterSize! || a.index - b.index);
  return picks;
}

interface Group {
  /** The rows clustered, ascending. */
  rows: Int32Array;
  quota: number;
  /** Class code, or -1 without classes. */
  group: number;
  /** The group's rows per row clustered (1 when not sampled). */
  scale: number;
}

/** The group, or past `sampling.above` rows a uniform sample of rowsPerPick rows per pick of it (seeded, ascending). */
function sampled(rows: Int32Array, quota: number, group: number, sampling: Sampling, seed: number): Group {
  const cap = quota * sampling.rowsPerPick;
  if (rows.length <= sampling.above || rows.length <= cap) return { rows, quota, group, scale: 1 };
  const pick = sampleIndices(rows.length, cap, createRng(mixSeed(seed, group + 2)));
  const out = Int32Array.from(pick, (t) => rows[t]).sort();
  return { rows: out, quota, group, scale: rows.length / cap };
}

function sortedUnion(parts: Int32Array[]): Int32Array {
  const all = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { all.set(p, o); o += p.length; }
  // Groups are disjoint (one class each), so sorting is the union.
  return all.sort();
}

/** Position of each row in `rows` (-1 elsewhere). */
function localIndex(size: number, rows: Int32Array): Int32Array {
  const at = new Int32Array(size).fill(-1);
  for (let t = 0; t < rows.length; t++) at[rows[t]] = t;
  return at;
}

/**
 * For each cluster, the member nearest the cluster's mean in the full vectors (all blocks side
 * by side; -1 for an empty cluster) and its cosine similarity to that mean. Ties go to the
 * earlier member. Beside it, the cluster's SWAP_CANDIDATES members nearest the mean, nearest
 * first (the member among them), with their similarities: what the prototype swaps choose from.
 */
function typicalMembers(blocks: Block[], rows: Int32Array, assign: Int32Array, k: number): { cluster: number; member: number; similarity: number; candidates: Int32Array; candidateSimilarity: Float64Array }[] {
  const dot = new Float64Array(rows.length), xx = new Float64Array(rows.length);
  const meanNorm2 = new Float64Array(k);
  for (const b of blocks) accumulate(b, rows, assign, k, dot, xx, meanNorm2);
  const C = SWAP_CANDIDATES;
  const near = new Int32Array(k * C).fill(-1), nearD = new Float64Array(k * C).fill(Infinity);
  const held = new Int32Array(k);
  for (let t = 0; t < rows.length; t++) {
    const c = assign[t];
    // Squared distance to the mean, |x|² − 2x·m + |m|².
    const d = xx[t] - 2 * dot[t] + meanNorm2[c];
    if (d < nearD[c * C + C - 1]) {
      insertNearest(near.subarray(c * C, c * C + C), nearD.subarray(c * C, c * C + C), Math.min(held[c], C - 1), t, d);
      held[c] = Math.min(C, held[c] + 1);
    }
  }
  const cosine = (t: number, c: number) => {
    const denom = Math.sqrt(xx[t] * meanNorm2[c]);
    return denom > 0 ? dot[t] / denom : 0;
  };
  return Array.from({ length: k }, (_, c) => {
    const candidates = near.slice(c * C, c * C + held[c]);
    const candidateSimilarity = Float64Array.from(candidates, (t) => cosine(t, c));
    return { cluster: c, member: near[c * C], similarity: candidateSimilarity[0] ?? 0, candidates, candidateSimilarity };
  });
}

/** Adds one block's share of x·mean, |x|² and |mean|² for every row and cluster. */
function accumulate(block: Block, rows: Int32Array, assign: Int32Array, k: number, dotOut: Float64Array, xxOut: Float64Array, meanNorm2: Float64Array): void {
  const { dim } = block;
  const scratch = new Float32Array(dim);
  // Row t's vector and its offset: in the block's array, or made into the scratch row.
  let data: Float32Array = scratch, o = 0;
  // Taken once: a block read on first use (joint-space.ts rowsBlock) reads here.
  const held = block.data;
  const at = (t: number) => {
    if (held) { data = held; o = (block.index ? block.index[rows[t]] : rows[t]) * dim; } else { block.read!(rows[t], scratch); o = 0; }
  };
  const means = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  for (let t = 0; t < rows.length; t++) {
    at(t);
    const oc = assign[t] * dim;
    counts[assign[t]]++;
    for (let j = 0; j < dim; j++) means[oc + j] += data[o + j];
  }
  for (let c = 0; c < k; c++) {
    const inv = 1 / Math.max(1, counts[c]);
    let s = 0;
    for (let j = c * dim; j < (c + 1) * dim; j++) { means[j] *= inv; s += means[j] * means[j]; }
    meanNorm2[c] += s;
  }
  for (let t = 0; t < rows.length; t++) {
    at(t);
    const oc = assign[t] * dim;
    let dot = 0, xx = 0;
    for (let j = 0; j < dim; j++) {
      const x = data[o + j];
      dot += x * means[oc + j];
      xx += x * x;
    }
    dotOut[t] += dot;
    xxOut[t] += xx;
  }
}

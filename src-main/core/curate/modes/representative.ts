// Representative subset, TypiClust-style (Hacohen et al. 2022): split the space into as many
// k-means clusters as picks and take each cluster's most typical sample. With labels, the
// split is done per class with quotas (uniform by default), so every class is covered even
// when one dominates the data. Samples flagged likely mislabelled and the sparsest few percent
// are neither clustered nor picked: a representative set should not teach noise or outliers.
//
// The most typical member is both central (near the k-means centroid, in the clustering
// space) and dense (short mean distance to its graph neighbours, in the full embedding);
// TypiClust uses density alone, which picked dense clumps at cluster edges here. Large N is
// clustered two levels deep (see `partition`) to keep the cost at O(n·√N).
import { apportion, targetWeights } from '../balance';
import { partition } from '../kmeans';
import { projectForClustering } from '../pca';
import type { CuratePick, RepresentativeRequest } from '../types';
import { classGrouping, quantile, type ModeContext } from './context';

export function representative(ctx: ModeContext, req: RepresentativeRequest, n: number): CuratePick[] {
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

  const space = input.space ?? projectForClustering(input.vectors, input.dim, { seed: ctx.seed });
  const useClasses = req.classBalance !== 'none';
  const grouping = useClasses ? classGrouping(ctx) : undefined;

  const groups: { rows: Int32Array; quota: number; group: number }[] = [];
  if (grouping) {
    const G = grouping.names.length;
    const members: number[][] = Array.from({ length: G }, () => []);
    for (let i = 0; i < size; i++) if (eligible[i] && grouping.codes[i] >= 0) members[grouping.codes[i]].push(i);
    const available = members.map((m) => m.length);
    const target = req.classBalance === undefined || req.classBalance === 'none' ? 'uniform' : req.classBalance;
    const quotas = apportion(n, targetWeights(target, grouping.names, available, 'class'), available);
    for (let g = 0; g < G; g++) if (quotas[g] > 0) groups.push({ rows: Int32Array.from(members[g]), quota: quotas[g], group: g });
  } else {
    const rows: number[] = [];
    for (let i = 0; i < size; i++) if (eligible[i]) rows.push(i);
    groups.push({ rows: Int32Array.from(rows), quota: n, group: -1 });
  }

  const picks: CuratePick[] = [];
  let clusterBase = 0;
  for (const { rows, quota, group } of groups) {
    const km = partition(space.data, space.dim, rows, quota, { seed: ctx.seed * 1009 + group + 1 });
    const byCluster: number[][] = Array.from({ length: km.k }, () => []);
    for (let t = 0; t < rows.length; t++) byCluster[km.assign[t]].push(t);
    for (let c = 0; c < km.k; c++) {
      const members = byCluster[c];
      if (members.length === 0) continue;
      // Most typical = best sum of two ranks within the cluster: distance to the centroid
      // (central) and mean distance to graph neighbours (dense). On MNIST, N = 1,000, this
      // beat either rank alone (94.5 % 1-NN accuracy vs 94.3 % central-only, 93.2 % dense-only).
      const byCentre = members.slice().sort((a, b) => km.distance[a] - km.distance[b] || a - b);
      const byDensity = members.slice().sort((a, b) => scores.knnDistance[rows[a]] - scores.knnDistance[rows[b]] || a - b);
      const rank = new Map<number, number>();
      byCentre.forEach((t, r) => rank.set(t, r));
      let best = byCentre[0], bestScore = Infinity;
      byDensity.forEach((t, r) => {
        const s = r + rank.get(t)!;
        if (s < bestScore || (s === bestScore && t < best)) { bestScore = s; best = t; }
      });
      const index = rows[best];
      picks.push({
        index,
        reason: 'typical',
        score: 1 / (scores.knnDistance[index] + 1e-6),
        cluster: clusterBase + c,
        clusterSize: members.length,
      });
    }
    clusterBase += km.k;
  }
  // Biggest clusters first, so a prefix of the list is itself a sensible smaller subset.
  picks.sort((a, b) => b.clusterSize! - a.clusterSize! || a.index - b.index);
  return picks;
}

// Duplicates. Near duplicates in the embedding: the k-NN graph's edges whose cosine distance is
// at most `threshold`, grouped as stars (starGroups): every member is within the threshold of
// its group's representative. Connected components (union-find, as before issue #19) chain: a
// path of near pairs merged 510 unrelated clip-art images into one group, and one click in the
// detail panel would have excluded them all. Exact duplicates: identical content hashes.
// Near duplicates by appearance (shifted, noisy, recompressed copies): appearance-duplicates.ts;
// computeScores merges both near-duplicate rules without chaining (mergeGroups).
//
// Optional density guard `maxRatio`: an edge also needs d_ij ≤ maxRatio · min(d̄_i, d̄_j),
// d̄ = mean distance to the row's neighbours. In a dense region (MNIST's many near-identical
// 1s) ordinary neighbours are close in absolute terms but not relative to the neighbourhood,
// so the guard keeps precision high at loose thresholds (bench: 0.97 at threshold 0.1 with
// maxRatio 0.3, vs 0.03 without). It is off by default because it splits bursts of more than
// k near-identical items (whose every neighbour is a copy, so d̄ is tiny too).
import type { KnnGraph } from '../../../../src-shared/model/knn';
import { CurateError } from './errors';
import type { DuplicateGroups } from './types';
import { validateGraph } from './validate';

/**
 * Default cosine-distance threshold for near duplicates; tune per embedding. Set for the
 * built-in embedding (bench/curate.ts, section "curate (built-in embedding)"): on MNIST its
 * nearest-neighbour distances have a median of ≈ 0.02, so 0.02 put 45 % of the digits in
 * groups (one chain of 16,000); at 0.003, 44 digits (distinct 1s) were grouped, at 0.002, 2.
 * Edited copies (noise, JPEG, shifts) are the appearance detector's job
 * (appearance-duplicates.ts), which finds every edit of the bench's probe; this rule only
 * adds pairs that are near-identical in meaning, so it stays tight (σ = 1 noise: all within
 * it, σ = 2: 72 %).
 */
export const DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.002;

export class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    // The smaller index becomes the root, which keeps the result independent of edge order.
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }
}

/** Groups of two or more samples sharing a root; shared with appearance-duplicates.ts. */
export function groupsFromRoots(n: number, rootOf: (i: number) => number): DuplicateGroups {
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[rootOf(i)]++;
  const groupOf = new Int32Array(n).fill(-1);
  const idOfRoot = new Int32Array(n).fill(-1);
  const groups: Int32Array[] = [];
  const fill: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = rootOf(i);
    if (size[r] < 2) continue;
    if (idOfRoot[r] < 0) {
      idOfRoot[r] = groups.length;
      groups.push(new Int32Array(size[r]));
      fill.push(0);
    }
    const g = idOfRoot[r];
    groupOf[i] = g;
    groups[g][fill[g]++] = i;
  }
  return { groupOf, groups };
}

/** Groups back from a groupOf array whose ids follow the order of each group's first member (as groupsFromRoots numbers them). */
export function groupsFromGroupOf(groupOf: Int32Array): DuplicateGroups {
  const members: number[][] = [];
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i];
    if (g < 0) continue;
    (members[g] ??= []).push(i);
  }
  return { groupOf, groups: members.map((m) => Int32Array.from(m)) };
}

/**
 * Groups from links without chaining: each group is a representative and linked nodes of it, so
 * every member is within the rule of the representative (and, for a metric, within twice of
 * each other), however dense the links. Representatives are taken most-linked first (ties: lower
 * index), so a burst of copies goes to its most central member. weight[u]: how many samples
 * node u stands for (identical ones merged before the search); a node standing for two or more
 * is a group even with no links. Returns each node's representative, or -1 for a node alone.
 */
export function starGroups(nodes: number, a: ArrayLike<number>, b: ArrayLike<number>, weight?: ArrayLike<number>): Int32Array {
  const w = (u: number) => (weight ? weight[u] : 1);
  const start = new Int32Array(nodes + 1);
  for (let t = 0; t < a.length; t++) { start[a[t] + 1]++; start[b[t] + 1]++; }
  for (let u = 0; u < nodes; u++) start[u + 1] += start[u];
  const fill = start.slice(0, nodes);
  const adj = new Int32Array(start[nodes]);
  for (let t = 0; t < a.length; t++) { adj[fill[a[t]]++] = b[t]; adj[fill[b[t]]++] = a[t]; }
  // A link found from both ends counts once.
  const score = new Float64Array(nodes);
  for (let u = 0; u < nodes; u++) {
    const row = adj.subarray(start[u], start[u + 1]).sort();
    let s = w(u) - 1;
    for (let t = 0; t < row.length; t++) if (t === 0 || row[t] !== row[t - 1]) s += w(row[t]);
    score[u] = s;
  }
  const order = Int32Array.from({ length: nodes }, (_, u) => u).sort((x, y) => score[y] - score[x] || x - y);
  const rep = new Int32Array(nodes).fill(-1);
  for (const u of order) {
    if (rep[u] >= 0 || score[u] === 0) continue;
    let claimed = w(u) > 1;
    for (let t = start[u]; t < start[u + 1]; t++) {
      const v = adj[t];
      if (rep[v] < 0 && v !== u) { rep[v] = u; claimed = true; }
    }
    if (claimed) rep[u] = u;
  }
  return rep;
}

export function findNearDuplicates(graph: KnnGraph, threshold = DEFAULT_NEAR_DUPLICATE_THRESHOLD, maxRatio = Infinity): DuplicateGroups {
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 2) {
    throw new CurateError('INVALID_REQUEST', `Near-duplicate threshold must be a cosine distance in [0, 2], got ${threshold}.`);
  }
  if (Number.isNaN(maxRatio) || maxRatio <= 0) {
    throw new CurateError('INVALID_REQUEST', `Near-duplicate maxRatio must be > 0, got ${maxRatio}.`);
  }
  validateGraph(graph);
  const { n, k, indices, distances } = graph;
  const ref = new Float64Array(n);
  if (maxRatio !== Infinity) {
    for (let i = 0; i < n; i++) {
      let s = 0, c = 0;
      for (let t = 0; t < k; t++) if (indices[i * k + t] >= 0) { s += distances[i * k + t]; c++; }
      ref[i] = c ? s / c : 2;
    }
  }
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j < 0 || j === i) continue;
      // Neighbours are sorted nearest first, so the rest of the row is farther still.
      const d = distances[i * k + t];
      if (d > threshold) break;
      if (d > maxRatio * Math.min(ref[i], ref[j])) continue;
      a.push(i); b.push(j);
    }
  }
  const rep = starGroups(n, a, b);
  return groupsFromRoots(n, (i) => (rep[i] >= 0 ? rep[i] : i));
}

export function findExactDuplicates(hashes: ArrayLike<string>): DuplicateGroups {
  const n = hashes.length;
  const first = new Map<string, number>();
  const root = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const h = hashes[i];
    const r = first.get(h);
    if (r === undefined) {
      first.set(h, i);
      root[i] = i;
    } else root[i] = r;
  }
  return groupsFromRoots(n, (i) => root[i]);
}

/**
 * Groups of several rules without chaining: a sample keeps the group of the first set that
 * groups it; a later set's group keeps only its members not grouped yet, and only if two or
 * more are left. So every merged group is (part of) one rule's group, with that rule's bound on
 * its spread. Uniting groups that share a sample instead chains across the rules.
 */
export function mergeGroups(n: number, ...sets: (DuplicateGroups | undefined)[]): DuplicateGroups {
  const root = Int32Array.from({ length: n }, (_, i) => i);
  const taken = new Uint8Array(n);
  for (const s of sets) {
    if (!s) continue;
    for (const g of s.groups) {
      const free = Array.from(g).filter((i) => !taken[i]);
      if (free.length < 2) continue;
      for (const i of free) { root[i] = free[0]; taken[i] = 1; }
    }
  }
  return groupsFromRoots(n, (i) => root[i]);
}

/**
 * One group id per sample that merges near duplicates with exact ones (-1 = unique). Exact
 * copies are united with whatever group holds one of them: identical images have the same
 * signature and embedding, so this adds members at distance 0 and cannot chain.
 */
export function mergeDuplicateGroups(n: number, near: DuplicateGroups | undefined, exact?: DuplicateGroups): Int32Array {
  const uf = new UnionFind(n);
  for (const s of [near, exact]) {
    if (!s) continue;
    for (const g of s.groups) for (let t = 1; t < g.length; t++) uf.union(g[0], g[t]);
  }
  return groupsFromRoots(n, (i) => uf.find(i)).groupOf;
}

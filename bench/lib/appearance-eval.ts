// Evaluation helpers for the appearance near-duplicate rule in bench/curate.ts: one exact pair
// search at the largest threshold, then union-find over the pairs for every smaller threshold,
// so a whole precision/recall curve costs one search. Also the digits' appearance tiles, which
// the representative part of the bench clusters on.
import { appearancePairs, appearanceSignature, appearanceTile } from '../../src-main/core/curate/engine';
import { UnionFind } from '../../src-main/core/curate/engine/duplicates';

export function digitSignatures(pixels: Uint8Array): Uint8Array[] {
  const n = pixels.length / 784;
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(appearanceSignature(pixels.subarray(i * 784, i * 784 + 784), 28, 28, 1));
  return out;
}

/** Appearance tiles of 28×28 digits, as the app computes them from stored MNIST pixels. */
export function digitTiles(pixels: Uint8Array, count = pixels.length / 784): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) out.push(appearanceTile(pixels.subarray(i * 784, i * 784 + 784), 28, 28, 1));
  return out;
}

export interface PairList { a: Int32Array; b: Int32Array; distance: Float32Array; max: number }

export function pairsWithin(signatures: Uint8Array[], max: number): PairList {
  return { ...appearancePairs(signatures, max), max };
}

/** The pairs whose rows are both below `rows`. */
export function pairsAmongFirst(pairs: PairList, rows: number): PairList {
  const keep: number[] = [];
  for (let t = 0; t < pairs.a.length; t++) if (pairs.a[t] < rows && pairs.b[t] < rows) keep.push(t);
  return { a: Int32Array.from(keep, (t) => pairs.a[t]), b: Int32Array.from(keep, (t) => pairs.b[t]), distance: Float32Array.from(keep, (t) => pairs.distance[t]), max: pairs.max };
}

/** Group id per row (-1 = alone) from the pairs at distance ≤ threshold (≤ the list's max). */
export function groupsAt(n: number, pairs: PairList, threshold: number): Int32Array {
  if (threshold > pairs.max) throw new Error(`threshold ${threshold} above the pair list's ${pairs.max}`);
  const uf = new UnionFind(n);
  for (let t = 0; t < pairs.a.length; t++) if (pairs.distance[t] <= threshold) uf.union(pairs.a[t], pairs.b[t]);
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[uf.find(i)]++;
  return Int32Array.from({ length: n }, (_, i) => (size[uf.find(i)] > 1 ? uf.find(i) : -1));
}

export interface GroupScore { recall: number; precision: number; grouped: number; groups: number; largest: number }

/**
 * Recall = copies in the same group as their source; precision = grouped rows that are a copy
 * or a source (`good`). groupOf: any ids, -1 = not grouped.
 */
export function scoreGroups(groupOf: Int32Array, copies: ArrayLike<number>, sources: ArrayLike<number>, good: Uint8Array): GroupScore {
  let found = 0, grouped = 0, ok = 0;
  for (let t = 0; t < copies.length; t++) if (groupOf[copies[t]] >= 0 && groupOf[copies[t]] === groupOf[sources[t]]) found++;
  const sizes = new Map<number, number>();
  for (let i = 0; i < groupOf.length; i++) {
    if (groupOf[i] < 0) continue;
    grouped++;
    ok += good[i];
    sizes.set(groupOf[i], (sizes.get(groupOf[i]) ?? 0) + 1);
  }
  return { recall: found / copies.length, precision: grouped ? ok / grouped : NaN, grouped, groups: sizes.size, largest: Math.max(0, ...sizes.values()) };
}

/** Nearest-neighbour distance of each of the first `rows` rows among themselves, from the pairs (Infinity beyond the list's max). */
export function nearestFromPairs(rows: number, pairs: PairList): Float64Array {
  const nn = new Float64Array(rows).fill(Infinity);
  for (let t = 0; t < pairs.a.length; t++) {
    const a = pairs.a[t], b = pairs.b[t], d = pairs.distance[t];
    if (a >= rows || b >= rows) continue;
    if (d < nn[a]) nn[a] = d;
    if (d < nn[b]) nn[b] = d;
  }
  return nn;
}

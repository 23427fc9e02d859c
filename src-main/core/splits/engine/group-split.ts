// Leak-free splits: every group (near-duplicate group, and metadata group such as one camera)
// goes to one side whole, and each class is split in the requested ratios. Groups are placed
// first, largest first, where they overflow the per-class targets least; samples alone then fill
// what each split still needs of their class. So when the groups fit (they nearly always do:
// duplicate groups are small next to a class), every class lands on its targets exactly, which
// are within ±1 of ratio × class size. Deterministic for a seed: ties and the order of samples
// within a class follow a seeded hash of the sample id, not the input order.

export interface SplitShare { name: string; ratio: number }

export interface GroupSplitInput {
  /** Sample ids (any order; they only seed the hash, so the same sample is treated alike in any order). */
  ids: ArrayLike<number>;
  /** Class code per sample; -1 = no label (its own class, stratified like the others). */
  labels: Int32Array;
  /** Group per sample, in one or more independent groupings; -1 = in no group of that grouping. Samples sharing a group in any of them stay together. */
  groupings: Int32Array[];
  shares: SplitShare[];
  seed: number;
}

export interface GroupSplitResult {
  /** Index into `shares` per sample. */
  assign: Int32Array;
  /** Groups of two or more samples kept on one side. */
  groups: number;
  /** Largest |count − ratio × class size| over classes and splits (≤ 1 when the groups fit). */
  maxClassDeviation: number;
}

export class SplitError extends Error {}

/** Checks shares: 2 to 16 named splits, ratios > 0 that sum to 1. */
export function checkShares(shares: SplitShare[]): void {
  if (shares.length < 2) throw new SplitError(`a split needs at least two parts, got ${shares.length}`);
  if (shares.length > 16) throw new SplitError(`at most 16 parts, got ${shares.length}`);
  const names = new Set<string>();
  for (const s of shares) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(s.name)) throw new SplitError(`split name "${s.name}" must be 1–64 letters, digits, "_", "." or "-"`);
    if (names.has(s.name)) throw new SplitError(`split "${s.name}" is named twice`);
    names.add(s.name);
    if (!(Number.isFinite(s.ratio) && s.ratio > 0 && s.ratio < 1)) throw new SplitError(`ratio of "${s.name}" must be between 0 and 1 (exclusive), got ${s.ratio}`);
  }
  const sum = shares.reduce((a, s) => a + s.ratio, 0);
  if (Math.abs(sum - 1) > 1e-6) throw new SplitError(`ratios must sum to 1, got ${+sum.toFixed(6)} (${shares.map((s) => `${s.name}=${s.ratio}`).join(', ')})`);
}

/** A seeded 32-bit hash of an integer (murmur3's finaliser over seed and id): the same on every machine. */
export function seededHash(seed: number, id: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ (id | 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function groupAwareSplit(input: GroupSplitInput): GroupSplitResult {
  const { ids, labels, groupings, shares, seed } = input;
  checkShares(shares);
  if (!Number.isSafeInteger(seed)) throw new SplitError(`seed must be an integer, got ${seed}`);
  const n = labels.length;
  if (ids.length !== n) throw new SplitError(`ids and labels differ in length (${ids.length} vs ${n})`);
  for (const g of groupings) if (g.length !== n) throw new SplitError(`a grouping has ${g.length} entries for ${n} samples`);
  const S = shares.length;

  // Classes: label codes, plus one class for the unlabelled.
  let maxLabel = -1;
  for (let i = 0; i < n; i++) if (labels[i]! > maxLabel) maxLabel = labels[i]!;
  const C = maxLabel + 2;
  const cls = (i: number) => (labels[i]! < 0 ? C - 1 : labels[i]!);
  const size = new Float64Array(C);
  for (let i = 0; i < n; i++) size[cls(i)]++;
  const target = targets(size, shares);
  const need = target.map((row) => Float64Array.from(row));
  const hash = Uint32Array.from({ length: n }, (_, i) => seededHash(seed, ids[i]!));

  // Units: samples joined by any grouping (union-find; a chain through two groupings must stay together too).
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number) => { while (parent[x] !== x) { parent[x] = parent[parent[x]!]!; x = parent[x]!; } return x; };
  for (const g of groupings) {
    const first = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = g[i]!;
      if (v < 0) continue;
      const f = first.get(v);
      if (f === undefined) { first.set(v, i); continue; }
      const a = find(f), b = find(i);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let m = members.get(r);
    if (!m) members.set(r, (m = []));
    m.push(i);
  }
  const units = [...members.values()].filter((m) => m.length > 1);
  const unitKey = (m: number[]) => m.reduce((k, i) => Math.min(k, hash[i]!), 0xffffffff);
  units.sort((a, b) => b.length - a.length || unitKey(a) - unitKey(b));

  const assign = new Int32Array(n).fill(-1);
  const hist = new Float64Array(C);
  for (const m of units) {
    const touched: number[] = [];
    for (const i of m) { const c = cls(i); if (hist[c] === 0) touched.push(c); hist[c]++; }
    let best = -1, bestOver = Infinity, bestRoom = -Infinity;
    const rot = unitKey(m) % S;
    for (let t = 0; t < S; t++) {
      const s = (t + rot) % S;
      let over = 0, room = 0;
      for (const c of touched) {
        over += Math.max(0, hist[c]! - Math.max(0, need[s]![c]!));
        room += need[s]![c]! / Math.max(1, target[s]![c]!);
      }
      if (over < bestOver || (over === bestOver && room > bestRoom)) { best = s; bestOver = over; bestRoom = room; }
    }
    for (const c of touched) { need[best]![c]! -= hist[c]!; hist[c] = 0; }
    for (const i of m) assign[i] = best;
  }

  // Samples alone, per class in seeded order, go where their class still needs the most.
  const alone: number[][] = Array.from({ length: C }, () => []);
  for (let i = 0; i < n; i++) if (assign[i] < 0) alone[cls(i)]!.push(i);
  for (let c = 0; c < C; c++) {
    const list = alone[c]!.sort((a, b) => hash[a]! - hash[b]! || Number(ids[a]!) - Number(ids[b]!));
    for (const i of list) {
      let best = 0;
      for (let s = 1; s < S; s++) if (need[s]![c]! > need[best]![c]!) best = s;
      need[best]![c]!--;
      assign[i] = best;
    }
  }

  let maxClassDeviation = 0;
  for (let s = 0; s < S; s++) {
    for (let c = 0; c < C; c++) {
      const got = target[s]![c]! - need[s]![c]!;
      maxClassDeviation = Math.max(maxClassDeviation, Math.abs(got - shares[s]!.ratio * size[c]!));
    }
  }
  return { assign, groups: units.length, maxClassDeviation };
}

/**
 * Whole-sample targets per split and class: floor(ratio × size) each, the rest by largest
 * remainder; a tie goes to the earlier split, so a two-way split gives round(ratio × size) to
 * the first part (as export's split always did).
 */
function targets(size: Float64Array, shares: SplitShare[]): Float64Array[] {
  const S = shares.length, C = size.length;
  const out = Array.from({ length: S }, () => new Float64Array(C));
  for (let c = 0; c < C; c++) {
    let left = size[c]!;
    const rem: Array<{ s: number; r: number }> = [];
    for (let s = 0; s < S; s++) {
      const exact = shares[s]!.ratio * size[c]!;
      out[s]![c] = Math.floor(exact + 1e-9);
      left -= out[s]![c]!;
      rem.push({ s, r: exact - out[s]![c]! });
    }
    rem.sort((a, b) => b.r - a.r || a.s - b.s);
    for (let t = 0; t < left; t++) out[rem[t]!.s]![c]!++;
  }
  return out;
}

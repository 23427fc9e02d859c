// Balance statistics over classes or a feature, and the apportionment of N picks into
// per-group quotas that both follow a target distribution and respect how many samples each
// group can actually supply.
import { CurateError } from './errors';
import type { BalanceTarget, CurateInput, FeatureBalance, GroupBalance, BalanceColumn } from './types';

export interface Grouping {
  /** Group per sample, -1 = none. */
  codes: Int32Array;
  names: string[];
}

export function groupBalance(codes: Int32Array, names: string[]): GroupBalance {
  const counts = new Array<number>(names.length).fill(0);
  let missing = 0;
  for (const c of codes) {
    if (c >= 0 && c < names.length) counts[c]++;
    else missing++;
  }
  const total = codes.length - missing;
  const fractions = counts.map((c) => (total > 0 ? c / total : 0));
  let max = 0, min = Infinity, h = 0;
  for (const c of counts) {
    if (c > max) max = c;
    if (c > 0 && c < min) min = c;
  }
  for (const f of fractions) if (f > 0) h -= f * Math.log(f);
  const normalizedEntropy = names.length > 1 ? h / Math.log(names.length) : 1;
  return {
    names,
    counts,
    fractions,
    missing,
    imbalanceRatio: min === Infinity ? 1 : max / min,
    normalizedEntropy,
    empty: names.filter((_, c) => counts[c] === 0),
  };
}

export function featureBalance(feature: Grouping, labels?: Int32Array, numClasses = 0): FeatureBalance {
  const base: FeatureBalance = groupBalance(feature.codes, feature.names);
  if (labels && numClasses > 0) {
    const byClass = Array.from({ length: numClasses }, () => new Array<number>(feature.names.length).fill(0));
    for (let i = 0; i < labels.length; i++) {
      const y = labels[i], g = feature.codes[i];
      if (y >= 0 && g >= 0) byClass[y][g]++;
    }
    base.byClass = byClass;
  }
  return base;
}

/** Categorical codes for a metadata field; numeric fields are cut into quantile bins. */
export function metadataGrouping(input: Pick<CurateInput, 'metadata'>, field: string): Grouping {
  const col: BalanceColumn | undefined = input.metadata?.[field];
  if (!col) {
    const known = Object.keys(input.metadata ?? {});
    throw new CurateError(
      'UNKNOWN_FIELD',
      `The dataset has no metadata field "${field}"` + (known.length ? ` (fields: ${known.join(', ')}).` : ' (it has no metadata).'),
    );
  }
  if (col.kind === 'categorical') return { codes: col.codes, names: col.categories };
  const bins = Math.max(1, Math.floor(col.bins ?? 5));
  const finite = Array.from(col.values).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const e = finite[Math.floor((b * finite.length) / bins)];
    if (e !== undefined && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  const names: string[] = [];
  const lo = finite[0], hi = finite[finite.length - 1];
  const bounds = [lo, ...edges, hi];
  for (let b = 0; b + 1 < bounds.length; b++) names.push(`[${fmt(bounds[b])}, ${fmt(bounds[b + 1])}${b + 2 === bounds.length ? ']' : ')'}`);
  if (names.length === 0) names.push('all');
  const codes = new Int32Array(col.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = col.values[i];
    if (!Number.isFinite(v)) { codes[i] = -1; continue; }
    let b = 0;
    while (b < edges.length && v >= edges[b]) b++;
    codes[i] = Math.min(b, names.length - 1);
  }
  return { codes, names };
}

function fmt(v: number | undefined): string {
  return v === undefined ? '?' : Number(v.toPrecision(4)).toString();
}

/** Target weight of each group; throws on negative or non-finite explicit weights. */
export function targetWeights(target: BalanceTarget, names: string[], available: number[], what: string): number[] {
  if (target === 'uniform') return names.map(() => 1);
  if (target === 'proportional') return available.slice();
  const w = names.map(() => 0);
  for (const [name, v] of Object.entries(target)) {
    const g = names.indexOf(name);
    if (g < 0) throw new CurateError('INVALID_REQUEST', `Balance target names ${what} "${name}", which does not exist.`);
    if (!Number.isFinite(v) || v < 0) throw new CurateError('INVALID_WEIGHTS', `Balance target for ${what} "${name}" must be a finite number ≥ 0, got ${v}.`);
    w[g] = v;
  }
  if (w.every((v) => v === 0)) throw new CurateError('INVALID_WEIGHTS', `Balance target for ${what} gives every group weight 0.`);
  return w;
}

/**
 * Splits `total` into integer quotas proportional to `weights`, never above `available`;
 * what a capped group cannot take is redistributed over the others (water-filling), with
 * largest-remainder rounding. Ties go to the lower group index, so the result is deterministic.
 */
export function apportion(total: number, weights: number[], available: number[]): number[] {
  const g = weights.length;
  const quota = new Array<number>(g).fill(0);
  let remaining = Math.min(total, available.reduce((a, b) => a + b, 0));
  let open = weights.map((w, i) => w > 0 && available[i] > 0);
  while (remaining > 0 && open.some(Boolean)) {
    const wsum = weights.reduce((a, w, i) => a + (open[i] ? w : 0), 0);
    const share = weights.map((w, i) => (open[i] ? (remaining * w) / wsum : 0));
    let capped = false;
    for (let i = 0; i < g; i++) {
      if (open[i] && quota[i] + share[i] >= available[i]) {
        remaining -= available[i] - quota[i];
        quota[i] = available[i];
        open[i] = false;
        capped = true;
      }
    }
    if (capped) continue;
    const floors = share.map(Math.floor);
    for (let i = 0; i < g; i++) quota[i] += floors[i];
    let left = remaining - floors.reduce((a, b) => a + b, 0);
    const order = share.map((s, i) => [s - Math.floor(s), i] as const).filter(([, i]) => open[i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (const [, i] of order) {
      if (left <= 0) break;
      if (quota[i] < available[i]) { quota[i]++; left--; }
    }
    remaining = left;
    open = open.map((o, i) => o && quota[i] < available[i]);
  }
  return quota;
}

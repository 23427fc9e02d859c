// What every curate mode needs besides its own request: the input, the scores, and a few
// derived facts computed once (class grouping, duplicate groups).
import type { CurateWarning } from '../errors';
import type { Grouping } from '../balance';
import { mergeDuplicateGroups } from '../duplicates';
import { classCount, hasLabels } from '../validate';
import type { CurateInput, ScoreSet } from '../types';

export interface ModeContext {
  input: CurateInput;
  scores: ScoreSet;
  /** Dataset size. */
  size: number;
  seed: number;
  warnings: CurateWarning[];
  /** Labels present (at least one labelled sample) and label-noise scores computed. */
  labelled: boolean;
  classNames: string[];
  /** Near and exact duplicates merged: one id per group, -1 = unique. */
  dupGroup: Int32Array;
}

export function makeContext(input: CurateInput, scores: ScoreSet, size: number, seed: number): ModeContext {
  const labelled = hasLabels(input.labels) && scores.noise !== undefined;
  const C = classCount(input);
  return {
    input,
    scores,
    size,
    seed,
    warnings: [],
    labelled,
    classNames: input.classNames ?? Array.from({ length: C }, (_, c) => String(c)),
    dupGroup: mergeDuplicateGroups(size, scores.nearDuplicates, scores.exactDuplicates),
  };
}

/**
 * Class of each sample for balancing: its label, or for an unlabelled sample in a partly
 * labelled dataset the class its neighbours suggest. Undefined when there are no labels.
 */
export function classGrouping(ctx: ModeContext): Grouping | undefined {
  const { labels } = ctx.input;
  const noise = ctx.scores.noise;
  if (!ctx.labelled || !labels || !noise) return undefined;
  const codes = new Int32Array(ctx.size);
  for (let i = 0; i < ctx.size; i++) codes[i] = labels[i] >= 0 ? labels[i] : noise.suggested[i];
  return { codes, names: ctx.classNames };
}

/** Allows at most one pick per duplicate group. */
export class DuplicateGuard {
  private readonly used = new Set<number>();
  constructor(private readonly dupGroup: Int32Array) {}
  /** True (and remembers the group) if i may be picked. */
  take(i: number): boolean {
    const g = this.dupGroup[i];
    if (g < 0) return true;
    if (this.used.has(g)) return false;
    this.used.add(g);
    return true;
  }
}

/** Rank of each value among the masked values, scaled to 0..1 (ties share their mean rank). */
export function percentileRank(values: ArrayLike<number>, mask?: Uint8Array): Float32Array {
  const n = values.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (!mask || mask[i]) idx.push(i);
  idx.sort((a, b) => values[a] - values[b]);
  const out = new Float32Array(n);
  const m = idx.length;
  let t = 0;
  while (t < m) {
    let u = t;
    while (u + 1 < m && values[idx[u + 1]] === values[idx[t]]) u++;
    const r = m > 1 ? (t + u) / 2 / (m - 1) : 1;
    for (let v = t; v <= u; v++) out[idx[v]] = r;
    t = u + 1;
  }
  return out;
}

/** Value below which a fraction q of `values` lies. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))];
}

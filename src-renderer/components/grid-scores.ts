// The grid's per-sample score fields: the text a tile shows for one, and the row order when the
// grid is sorted by one. Pure functions over the columns, so they are tested without a page.
import type { ScoreColumns } from '../../src-shared/contract/curate';
import type { SampleEvidence } from '../../src-shared/model/review';
import { FLAG_REVIEWED, type SampleColumns } from '../../src-shared/model/sample';
import type { GridField, GridSort } from '../state/app-store';
import { indexOfId } from '../../src-shared/model/ids';

/** Noise at or above this is drawn as a warning on the tile. */
export const HOT_NOISE = 0.5;

/** The shown slice's members (ids ascending) and each one's pick rank, for the "pick" field. */
export interface SlicePicks { ids: Int32Array; ranks: Int32Array }

/** A sample's pick rank in the shown slice, or -1 when it is not a member. */
export function pickRank(slice: SlicePicks | null, id: number): number {
  const i = slice ? indexOfId(slice.ids, id) : -1;
  return i < 0 ? -1 : slice!.ranks[i]!;
}

/**
 * `rows` (rows of `columns`) in the order `sort` asks: scores high to low (samples without one
 * last), duplicate groups together (none last), not-yet-reviewed first, the shown slice's pick
 * order (non-members last); ties keep id order.
 */
export function sortRows(rows: Int32Array, sort: GridSort, columns: SampleColumns, scores: ScoreColumns | null, scoreRow: Int32Array | null, slice: SlicePicks | null = null): Int32Array {
  if (sort === 'id') return rows;
  const key = new Float64Array(columns.ids.length);
  for (const r of rows) {
    const s = scoreRow ? scoreRow[r]! : -1;
    let k: number;
    if (sort === 'reviewed') k = (columns.flags[r]! & FLAG_REVIEWED) ? 1 : 0;
    else if (sort === 'pick') { const p = pickRank(slice, columns.ids[r]!); k = p < 0 ? Infinity : p; }
    else if (!scores || s < 0) k = Infinity;
    else if (sort === 'noise') k = -scores.noise[s]!;
    else if (sort === 'sparseness') k = -scores.sparseness[s]!;
    else { const g = scores.dupGroup[s]!; k = g < 0 ? Infinity : g; }
    key[r] = Number.isNaN(k) ? Infinity : k;
  }
  return Int32Array.from(rows).sort((a, b) => key[a]! - key[b]! || a - b);
}

/** What a tile shows for `field`, and whether to draw it as a warning; null for nothing. */
export function tileScore(field: GridField, row: number, id: number, label: string | null, columns: SampleColumns, scores: ScoreColumns | null, scoreRow: Int32Array | null, evidence: SampleEvidence | undefined, slice: SlicePicks | null = null): { value: string; hot: boolean } | null {
  if (field === 'none') return null;
  if (field === 'pick') { const p = pickRank(slice, id); return p < 0 ? null : { value: `pick #${p + 1}`, hot: false }; }
  if (field === 'reviewed') return (columns.flags[row]! & FLAG_REVIEWED) ? { value: '✓ reviewed', hot: false } : null;
  if (field === 'suggested') {
    if (!evidence || evidence.id !== id || evidence.suggestedLabel === null) return null;
    // A suggestion is stored only where the scores favour it over the label; the warning is kept for where the noise is high too.
    return { value: `→ ${evidence.suggestedLabel}`, hot: evidence.suggestedLabel !== label && (evidence.noise ?? 0) >= HOT_NOISE };
  }
  const s = scoreRow ? scoreRow[row]! : -1;
  if (!scores || s < 0) return null;
  if (field === 'noise') { const v = scores.noise[s]!; return Number.isNaN(v) ? null : { value: v.toFixed(2), hot: v >= HOT_NOISE }; }
  if (field === 'sparseness') { const v = scores.sparseness[s]!; return Number.isNaN(v) ? null : { value: v.toFixed(2), hot: false }; }
  const g = scores.dupGroup[s]!;
  return g < 0 ? null : { value: `dup ${g}`, hot: false };
}

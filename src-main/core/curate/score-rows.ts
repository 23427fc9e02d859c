// The stored scores of a map, one row per sample with its path and label: what `winnow scores`
// prints (the app reads the binary columns of score-columns.ts instead).
import type { Catalog } from '../catalog/catalog';

export interface ScoreRow {
  id: number;
  path: string;
  label: string | null;
  sparseness: number | null;
  noise: number | null;
  suggested: string | null;
  confidence: number | null;
  duplicateGroup: number | null;
  exactDuplicateGroup: number | null;
  /** From imported model predictions (winnow import-predictions); null without them. */
  modelDisagrees: number | null;
  modelLabel: string | null;
}

export const SCORE_ROW_COLUMNS = ['id', 'path', 'label', 'sparseness', 'noise', 'suggested', 'confidence', 'duplicateGroup', 'exactDuplicateGroup', 'modelDisagrees', 'modelLabel'] as const satisfies ReadonlyArray<keyof ScoreRow>;

// Ordered by the scores' own key (map, sample), which the rows already follow: ORDER BY s.id made
// SQLite sort them again in a temporary B-tree (a million rows: `winnow scores` at 1M).
export function readScoreRows(catalog: Catalog, mapId: number): ScoreRow[] {
  return catalog.db.prepare(`SELECT s.id, s.rel_path AS path, s.label, sc.sparseness, sc.noise, sc.suggested_label AS suggested, sc.suggested_confidence AS confidence, sc.dup_group AS duplicateGroup, sc.exact_dup_group AS exactDuplicateGroup, sc.model_disagree AS modelDisagrees, sc.model_label AS modelLabel
    FROM scores sc JOIN samples s ON s.id = sc.sample_id WHERE sc.map_id = ? ORDER BY sc.sample_id`).all(mapId) as ScoreRow[];
}

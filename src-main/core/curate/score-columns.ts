import type { ScoreColumns } from '../../../src-shared/contract/curate';
import type { Catalog } from '../catalog/catalog';

/** The stored scores of a map as binary columns (NaN / -1 where a score is missing). */
export function readScoreColumns(catalog: Catalog, mapId: number | null): ScoreColumns | null {
  if (mapId === null) return null;
  const rows = catalog.db.prepare('SELECT sample_id, sparseness, noise, dup_group, model_disagree FROM scores WHERE map_id = ? ORDER BY sample_id').raw().all(mapId) as Array<[number, number | null, number | null, number | null, number | null]>;
  if (!rows.length) return null;
  const ids = new Int32Array(rows.length);
  const sparseness = new Float32Array(rows.length);
  const noise = new Float32Array(rows.length);
  const dupGroup = new Int32Array(rows.length);
  const modelDisagrees = new Float32Array(rows.length);
  rows.forEach(([id, s, n, d, m], i) => {
    modelDisagrees[i] = m ?? NaN;
    ids[i] = id;
    sparseness[i] = s ?? NaN;
    noise[i] = n ?? NaN;
    dupGroup[i] = d ?? -1;
  });
  return { mapId, ids, sparseness, noise, dupGroup, modelDisagrees };
}

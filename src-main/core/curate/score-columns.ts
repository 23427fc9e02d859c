// The stored scores of a map as the renderer's binary columns. The rows (table scores) stay what
// queries, review and export read; the columns are also kept as one blob per map (migration 13),
// written with the rows by score-store.ts, the one writer of score rows, so reopening a project of
// a million samples reads one blob instead of a million rows. A map scored by an older Winnow has
// no blob: its rows are read once and the blob kept.
import type { ScoreColumns } from '../../../src-shared/contract/curate';
import type { Catalog } from '../catalog/catalog';
import { decodeTypedTree, encodeTypedTree } from '../catalog/typed-blob';
import type { ScoreSet } from './engine';

const MAGIC = 'WSCC';
/** Bump when the columns are derived from the scores differently. */
const COLUMNS_VERSION = 1;

/** The stored scores of a map as binary columns (NaN / -1 where a score is missing). */
export function readScoreColumns(catalog: Catalog, mapId: number | null): ScoreColumns | null {
  if (mapId === null) return null;
  const db = catalog.db;
  const blob = db.prepare('SELECT data FROM score_columns WHERE map_id = ?').pluck().get(mapId) as Buffer | undefined;
  if (blob) {
    try {
      const kept = decodeTypedTree<{ version: number; columns: ScoreColumns }>(MAGIC, blob);
      if (kept.version === COLUMNS_VERSION && kept.columns.mapId === mapId) return kept.columns;
    } catch { /* unreadable: read the rows again and replace it */ }
  }
  const columns = scoreColumnsFromRows(catalog, mapId);
  if (columns && !db.readonly) {
    try {
      putScoreColumns(catalog, columns);
    } catch { /* a cache: the answer stands without it */ }
  }
  return columns;
}

/** Call inside the transaction that writes the map's score rows (ids ascending, as the map's). */
export function putScoreColumns(catalog: Catalog, columns: ScoreColumns): void {
  catalog.db.prepare('INSERT OR REPLACE INTO score_columns (map_id, data) VALUES (?, ?)').run(columns.mapId, encodeTypedTree(MAGIC, { version: COLUMNS_VERSION, columns }));
}

/** The columns of the rows score-store.ts writes for `s`, without reading them back. */
export function scoreColumnsOf(mapId: number, ids: Int32Array, s: ScoreSet): ScoreColumns {
  const n = ids.length;
  const sparseness = new Float32Array(n);
  const noise = new Float32Array(n);
  const dupGroup = new Int32Array(n);
  const modelDisagrees = new Float32Array(n);
  // as the rows hold them: a non-finite score is NULL there, NaN here; no group is -1
  const finite = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? NaN : v);
  for (let i = 0; i < n; i++) {
    sparseness[i] = finite(s.sparseness[i]);
    noise[i] = finite(s.noise?.score[i]);
    const g = s.nearDuplicates.groupOf?.[i];
    dupGroup[i] = g !== undefined && g >= 0 ? g : -1;
    modelDisagrees[i] = finite(s.model?.disagrees[i]);
  }
  return { mapId, ids: ids.slice(), sparseness, noise, dupGroup, modelDisagrees };
}

function scoreColumnsFromRows(catalog: Catalog, mapId: number): ScoreColumns | null {
  const count = catalog.db.prepare('SELECT COUNT(*) FROM scores WHERE map_id = ?').pluck().get(mapId) as number;
  if (!count) return null;
  const ids = new Int32Array(count);
  const sparseness = new Float32Array(count);
  const noise = new Float32Array(count);
  const dupGroup = new Int32Array(count);
  const modelDisagrees = new Float32Array(count);
  let i = 0;
  // iterated, not .all(): a million row arrays held at once cost twice the CPU (garbage collection)
  for (const [id, s, n, d, m] of catalog.db.prepare('SELECT sample_id, sparseness, noise, dup_group, model_disagree FROM scores WHERE map_id = ? ORDER BY sample_id').raw().iterate(mapId) as IterableIterator<[number, number | null, number | null, number | null, number | null]>) {
    if (i === count) break; // one statement runs at a time on this connection: cannot grow, but never overrun
    ids[i] = id;
    sparseness[i] = s ?? NaN;
    noise[i] = n ?? NaN;
    dupGroup[i] = d ?? -1;
    modelDisagrees[i] = m ?? NaN;
    i++;
  }
  return { mapId, ids, sparseness, noise, dupGroup, modelDisagrees };
}

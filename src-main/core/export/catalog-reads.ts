// Every SQL read an export needs: the samples with their dataset, slices and their members,
// the newest scores and the embedding model. Nothing here writes to the project.
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';

export interface ExportSampleRow {
  id: number;
  datasetId: number;
  datasetName: string;
  /** Absolute folder of a folder dataset; null for built-in data kept inside the project. */
  root: string | null;
  relPath: string;
  source: 'file' | 'blob';
  /** Format of the stored pixels of a blob sample. */
  blobFormat: string | null;
  contentHash: string;
  label: string | null;
  originalLabel: string | null;
  datasetSplit: string | null;
}

const CHUNK = 500;

export function loadSampleRows(catalog: Catalog, ids: number[]): ExportSampleRow[] {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const rows: ExportSampleRow[] = [];
  const select = (n: number) => catalog.db.prepare(`SELECT s.id, s.dataset_id AS datasetId, d.name AS datasetName, d.root, s.rel_path AS relPath, s.source,
      i.format AS blobFormat, s.content_hash AS contentHash, s.label, s.original_label AS originalLabel, s.split AS datasetSplit
    FROM samples s JOIN datasets d ON d.id = s.dataset_id LEFT JOIN images i ON i.sample_id = s.id AND s.source = 'blob'
    WHERE s.id IN (${new Array(n).fill('?').join(',')}) ORDER BY s.id`);
  const full = select(CHUNK);
  for (let i = 0; i < unique.length; i += CHUNK) {
    const part = unique.slice(i, i + CHUNK);
    rows.push(...((part.length === CHUNK ? full : select(part.length)).all(...part) as ExportSampleRow[]));
  }
  if (rows.length !== unique.length) {
    const found = new Set(rows.map((r) => r.id));
    const missing = unique.filter((id) => !found.has(id));
    throw new RpcError('not_found', `${missing.length} sample id(s) are not in the project (first: ${missing.slice(0, 5).join(', ')})`);
  }
  return rows;
}

/** Every sample not marked excluded, in id order. */
export function allSampleIds(catalog: Catalog): number[] {
  return catalog.db.prepare('SELECT id FROM samples WHERE excluded = 0 ORDER BY id').pluck().all() as number[];
}

export interface ScoreRow {
  sparseness: number | null;
  noise: number | null;
  suggestedLabel: string | null;
  suggestedConfidence: number | null;
  dupGroup: number | null;
  exactDupGroup: number | null;
  cluster: number | null;
}

/** The newest map that has scores; a slice's own map wins when it has them. */
export function scoresMap(catalog: Catalog, preferred: number | null): number | null {
  const scored = catalog.db.prepare('SELECT 1 FROM scores WHERE map_id = ? LIMIT 1');
  if (preferred !== null && scored.get(preferred)) return preferred;
  // Newest first by id (maps are numbered as they are made): ordering by created_at read every
  // map's row past its arrays, 0.45 s of the core's thread with a few maps of a million samples.
  const row = catalog.db.prepare('SELECT m.id FROM maps m WHERE EXISTS (SELECT 1 FROM scores s WHERE s.map_id = m.id) ORDER BY m.id DESC LIMIT 1').pluck().get() as number | undefined;
  return row ?? null;
}

export function loadScores(catalog: Catalog, mapId: number, ids: Set<number>): Map<number, ScoreRow> {
  // One lookup by the primary key per exported sample: the whole map's rows were read before and
  // filtered, 3 s on the core's thread to export 10,000 of a million samples (bench/scale-1m.ts).
  const get = catalog.db.prepare(`SELECT sparseness, noise, suggested_label AS suggestedLabel, suggested_confidence AS suggestedConfidence,
    dup_group AS dupGroup, exact_dup_group AS exactDupGroup, cluster FROM scores WHERE map_id = ? AND sample_id = ?`);
  const out = new Map<number, ScoreRow>();
  for (const id of [...ids].sort((a, b) => a - b)) {
    const score = get.get(mapId, id) as ScoreRow | undefined;
    if (score) out.set(id, score);
  }
  return out;
}

export interface EmbeddingInfo { setId: number; modelKey: string; modelName: string; modelSha256: string; dim: number; spec: unknown; mapId: number | null }

/** The embedding set behind the scores' map, else the newest set, else null. */
export function embeddingInfo(catalog: Catalog, mapId: number | null): EmbeddingInfo | null {
  const row = (mapId !== null
    ? catalog.db.prepare('SELECT e.* FROM embedding_sets e JOIN maps m ON m.set_id = e.id WHERE m.id = ?').get(mapId)
    : catalog.db.prepare('SELECT * FROM embedding_sets ORDER BY created_at DESC, id DESC LIMIT 1').get()) as
    | { id: number; model_key: string; model_name: string; model_sha256: string; dim: number; spec: string }
    | undefined;
  if (!row) return null;
  let spec: unknown = row.spec;
  try { spec = JSON.parse(row.spec); } catch { /* kept as text */ }
  return { setId: row.id, modelKey: row.model_key, modelName: row.model_name, modelSha256: row.model_sha256, dim: row.dim, spec, mapId };
}

/** Roots of every folder dataset: an export must never land inside (or around) one. */
export function datasetRoots(catalog: Catalog): string[] {
  return catalog.db.prepare('SELECT root FROM datasets WHERE root IS NOT NULL').pluck().all() as string[];
}

export function storedPixels(catalog: Catalog): (id: number) => { format: string; width: number; height: number; data: Buffer } | undefined {
  const stmt = catalog.db.prepare('SELECT format, width, height, data FROM images WHERE sample_id = ?');
  return (id) => stmt.get(id) as { format: string; width: number; height: number; data: Buffer } | undefined;
}

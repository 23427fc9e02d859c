// The newest scores of a map, kept whole (the engine's ScoreSet, not only the stored columns)
// with the key of everything they were computed from. The map job scores its map; the next
// `winnow scores` or curate run, with nothing changed, reads them back instead of scoring again
// (the linear probe alone is several seconds at 70,000 samples). The key covers, in map row order,
// each sample's label, exclusion and content hash (so any edit, undo included, misses), the
// imported predictions, the score options, the map and the versions of the scoring code and of
// the appearance signatures. The signatures, graph and vectors themselves are fixed by the map
// and the samples' content, so they need no hashing. One row per map; it goes with its map.
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog';
import { decodeTypedTree, encodeTypedTree } from '../catalog/typed-blob';
import { DEFAULT_APPEARANCE_THRESHOLD, DEFAULT_NEAR_DUPLICATE_THRESHOLD, SIGNATURE_VERSION, type ScoreOptions, type ScoreSet } from './engine';

/** Bump when computeScores gives other answers for the same inputs, or the score rows are derived from them differently (score-store.ts). */
// 3: the probe's ridge is chosen on a held-out fold; 4: the near-duplicate groups of images reduced
// from larger ones (appearance-groups-cache.ts grouping 6), which the stored scores hold; 5: each
// sample's closeness to another class (classBoundary), which edge cases rank by; 6: the label-noise
// ranking counts each sample in the confident joint by how typical it is (noise-rates.ts); 7: the
// near-duplicate groups' new candidates (appearance-groups-cache.ts grouping 7), which the stored scores hold; 8: the
// groups' looks at one scale on both axes (grouping 8); 9: the graph's neighbours re-ranked as crops (grouping 9); 10: the profiles' gate waived for each other's nearest (grouping 10); 11: several copies measured within the threshold (grouping 11).
export const SCORES_VERSION = 11;

export type ScoreKeyOptions = Omit<ScoreOptions, 'appearanceDuplicates'>;

/** The key of the inputs the scores of map `mapId` (rows `ids`) would be computed from now. */
export function scoreKey(catalog: Catalog, mapId: number, ids: Int32Array, opts: ScoreKeyOptions): string {
  const options = {
    ...opts,
    nearDuplicateThreshold: opts.nearDuplicateThreshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD,
    appearanceThreshold: opts.appearanceThreshold ?? DEFAULT_APPEARANCE_THRESHOLD,
  };
  const h = createHash('sha256').update(JSON.stringify({ scores: SCORES_VERSION, signatures: SIGNATURE_VERSION, mapId, n: ids.length, options: sortedKeys(options) }));
  const rows = catalog.db.prepare('SELECT id, label, excluded, content_hash FROM samples ORDER BY id').raw().all() as Array<[number, string | null, number, string]>;
  // Labels hold no control characters (checkLabel), so tab-separated text is unambiguous; lines
  // go to the hash in chunks, not one update per row.
  let j = 0;
  let text = '';
  for (let i = 0; i < ids.length; i++) {
    while (j < rows.length && rows[j]![0] < ids[i]!) j++;
    const r = rows[j];
    text += r && r[0] === ids[i] ? `\n${r[0]}\t${r[1] === null ? '-' : `=${r[1]}`}\t${r[2]}\t${r[3]}` : `\n${ids[i]}\tgone`;
    if (text.length > 1 << 16) { h.update(text); text = ''; }
  }
  h.update(text);
  const set = catalog.db.prepare('SELECT classes, imported_at FROM prediction_set WHERE id = 1').raw().get() as [string, string] | undefined;
  if (set) {
    h.update(`\npredictions ${JSON.stringify(set)}`);
    for (const [id, probs] of catalog.db.prepare('SELECT sample_id, probs FROM predictions ORDER BY sample_id').raw().iterate() as IterableIterator<[number, Buffer]>) {
      h.update(`\n${id}:`).update(probs);
    }
  }
  return h.digest('hex');
}

/** The scores stored for this map under this key, or null (none, another key, or unreadable). */
export function cachedScores(catalog: Catalog, mapId: number, key: string): ScoreSet | null {
  const row = catalog.db.prepare('SELECT data FROM score_cache WHERE map_id = ? AND key = ?').pluck().get(mapId, key) as Buffer | undefined;
  if (!row) return null;
  try {
    return decodeScoreSet(row);
  } catch {
    return null;
  }
}

export function hasCachedScores(catalog: Catalog, mapId: number, key: string): boolean {
  return catalog.db.prepare('SELECT 1 FROM score_cache WHERE map_id = ? AND key = ?').pluck().get(mapId, key) !== undefined;
}

/** Call inside the transaction that writes the map's score rows, so rows and cache agree. */
export function putCachedScores(catalog: Catalog, mapId: number, key: string, scores: ScoreSet): void {
  catalog.db.prepare('INSERT OR REPLACE INTO score_cache (map_id, key, data) VALUES (?, ?, ?)').run(mapId, key, encodeScoreSet(scores));
}

const MAGIC = 'WSC1';

export function encodeScoreSet(s: ScoreSet): Buffer {
  return encodeTypedTree(MAGIC, s);
}

export function decodeScoreSet(b: Buffer): ScoreSet {
  return decodeTypedTree<ScoreSet>(MAGIC, b);
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
  return v;
}

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
import { DEFAULT_APPEARANCE_THRESHOLD, DEFAULT_NEAR_DUPLICATE_THRESHOLD, SIGNATURE_VERSION, type ScoreOptions, type ScoreSet } from './engine';

/** Bump when computeScores gives other answers for the same inputs, or the score rows are derived from them differently (score-store.ts). */
export const SCORES_VERSION = 3; // 3: the probe's ridge is chosen on a held-out fold

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
const TYPED = { Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array } as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

/**
 * A ScoreSet as bytes: magic, the lengths of two JSON texts, a tree whose typed arrays (and
 * non-finite numbers, which JSON cannot hold) are placeholders, a table of [type, offset,
 * length] per array, then each array's bytes, 8-byte aligned.
 */
export function encodeScoreSet(s: ScoreSet): Buffer {
  const arrays: Typed[] = [];
  const tree = Buffer.from(JSON.stringify(s, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      const t = v.constructor.name;
      if (!(t in TYPED)) throw new Error(`cannot store a ${t} in the score cache`);
      return { $a: arrays.push(v as Typed) - 1 };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $n: String(v) };
    return v;
  }));
  let offset = 0;
  const table = arrays.map((a) => {
    const entry = [a.constructor.name, offset, a.length] as const;
    offset = align(offset + a.byteLength);
    return entry;
  });
  const tableText = Buffer.from(JSON.stringify(table));
  const dataStart = align(12 + tree.length + tableText.length);
  const out = Buffer.alloc(dataStart + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(tree.length, 4);
  out.writeUInt32LE(tableText.length, 8);
  tree.copy(out, 12);
  tableText.copy(out, 12 + tree.length);
  arrays.forEach((a, i) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, dataStart + table[i]![1]));
  return out;
}

export function decodeScoreSet(b: Buffer): ScoreSet {
  if (b.length < 12 || b.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a score cache entry');
  const treeLen = b.readUInt32LE(4);
  const tableLen = b.readUInt32LE(8);
  const table = JSON.parse(b.toString('utf8', 12 + treeLen, 12 + treeLen + tableLen)) as Array<[TypedName, number, number]>;
  const dataStart = align(12 + treeLen + tableLen);
  const arrays = table.map(([t, at, length]) => {
    const Ctor = TYPED[t] as new (buffer: ArrayBuffer) => Typed;
    if (!Object.hasOwn(TYPED, t)) throw new Error(`unknown array type ${t}`);
    const start = b.byteOffset + dataStart + at;
    const bytes = length * TYPED[t].BYTES_PER_ELEMENT;
    if (dataStart + at + bytes > b.length) throw new Error('score cache entry is cut short');
    // A copy: the blob's buffer is not aligned for every type, and must not be kept alive whole.
    return new Ctor(b.buffer.slice(start, start + bytes) as ArrayBuffer);
  });
  return JSON.parse(b.toString('utf8', 12, 12 + treeLen), (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if ('$a' in v) return arrays[(v as { $a: number }).$a];
      if ('$n' in v) return Number((v as { $n: string }).$n);
    }
    return v;
  }) as ScoreSet;
}

function align(n: number): number {
  return (n + 7) & ~7;
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]));
  return v;
}

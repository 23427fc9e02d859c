// A review queue in the order the reviewer chose, and where they stopped in it last time.
import type { ReviewQueueResult } from '../../../src-shared/contract/review';
import type { ReviewOrder } from '../../../src-shared/model/review';
import type { Catalog } from '../catalog/catalog';
import { resolveSource, type QueueSource, type ResolvedSource, type ReviewProject } from './review-source';

/** Queues up to this size read their scores one row at a time (a slice), larger ones the whole column. */
const SMALL_QUEUE = 5000;

/** Highest noise first for a mislabelled slice; a slice's own pick order otherwise; ids ascending for a selection. */
export function defaultOrder(src: ResolvedSource): ReviewOrder {
  if (!src.slice) return 'id';
  return src.slice.mode === 'mislabeled' ? 'noise' : 'pick';
}

export function reviewQueue(p: ReviewProject, source: QueueSource & { order?: ReviewOrder }): ReviewQueueResult {
  const src = resolveSource(p, source);
  const order = source.order ?? defaultOrder(src);
  const ids = orderIds(p.catalog, p.maps.latestId(), src.ids, order);
  return { ids, order, key: src.key, position: Math.min(readPosition(p.catalog, src.key), ids.length) };
}

/**
 * `ids` (in pick order) sorted by `order`: noise and sparseness descending with unscored
 * samples last, labels ascending with unlabelled last; ties by id. 'pick' keeps the given order.
 */
export function orderIds(catalog: Catalog, mapId: number | null, ids: Int32Array, order: ReviewOrder): Int32Array {
  const out = Int32Array.from(ids);
  if (order === 'pick') return out;
  if (order === 'id') return out.sort();
  const db = catalog.db;
  if (order === 'label') {
    const labels = new Map(db.prepare('SELECT id, label FROM samples').raw().all() as Array<[number, string | null]>);
    const collator = new Intl.Collator(undefined, { numeric: true });
    return out.sort((a, b) => {
      const la = labels.get(a) ?? null, lb = labels.get(b) ?? null;
      if (la !== lb) {
        if (la === null) return 1;
        if (lb === null) return -1;
        const c = collator.compare(la, lb);
        if (c !== 0) return c;
      }
      return a - b;
    });
  }
  const column = order === 'noise' ? 'noise' : 'sparseness';
  const key = new Float64Array(out.length).fill(-Infinity);
  if (mapId !== null) {
    // A slice-sized queue reads its own rows by key; a large selection reads the map's column once.
    if (out.length <= SMALL_QUEUE) {
      const get = db.prepare(`SELECT ${column} FROM scores WHERE map_id = ? AND sample_id = ?`).pluck();
      out.forEach((id, i) => { key[i] = (get.get(mapId, id) as number | null | undefined) ?? -Infinity; });
    } else {
      const at = new Map<number, number>();
      out.forEach((id, i) => at.set(id, i));
      for (const [id, v] of db.prepare(`SELECT sample_id, ${column} FROM scores WHERE map_id = ?`).raw().all(mapId) as Array<[number, number | null]>) {
        const i = at.get(id);
        if (i !== undefined && v !== null) key[i] = v;
      }
    }
  }
  const rows = Uint32Array.from({ length: out.length }, (_, i) => i).sort((a, b) => key[b]! - key[a]! || out[a]! - out[b]!);
  return Int32Array.from(rows, (i) => out[i]!);
}

export function readPosition(catalog: Catalog, key: string): number {
  return (catalog.db.prepare('SELECT position FROM review_positions WHERE key = ?').pluck().get(key) as number | undefined) ?? 0;
}

export function savePosition(catalog: Catalog, key: string, position: number): void {
  catalog.db.prepare(`INSERT INTO review_positions (key, position) VALUES (?, ?)
    ON CONFLICT(key) DO UPDATE SET position = excluded.position, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`).run(key, position);
}

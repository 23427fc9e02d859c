// The pool a validation set is picked from and a slice is measured against: every sample with a
// vector in the active embedding set that is not excluded, with its current label.
import type { Catalog } from '../catalog/catalog';
import type { ActiveSetInfo, EmbeddingStore } from '../embed/embedding-store';

export interface Pool {
  set: ActiveSetInfo;
  /** Sample id of each row, ascending. */
  ids: Int32Array;
  dim: number;
  vectors: Float32Array;
  /** Class of each row, -1 = unlabelled; classNames[c] names class c. */
  labels: Int32Array;
  classNames: string[];
}

export function loadPool(catalog: Catalog, embeddings: EmbeddingStore): Pool {
  const set = embeddings.requireActive();
  const table = embeddings.load(set.id);
  const rows = catalog.db.prepare('SELECT id, label, excluded FROM samples ORDER BY id').raw().all() as Array<[number, string | null, number]>;
  const keep: number[] = [];
  const labels: number[] = [];
  const classNames: string[] = [];
  const codeOf = new Map<string, number>();
  let j = 0;
  for (let i = 0; i < table.ids.length; i++) {
    while (j < rows.length && rows[j]![0] < table.ids[i]!) j++;
    const r = rows[j];
    if (!r || r[0] !== table.ids[i] || r[2] === 1) continue;
    keep.push(i);
    if (r[1] === null) { labels.push(-1); continue; }
    let c = codeOf.get(r[1]);
    if (c === undefined) { c = classNames.push(r[1]) - 1; codeOf.set(r[1], c); }
    labels.push(c);
  }
  const dim = table.dim;
  const same = keep.length === table.ids.length;
  const vectors = same ? table.vectors : new Float32Array(keep.length * dim);
  if (!same) keep.forEach((i, t) => vectors.set(table.vectors.subarray(i * dim, (i + 1) * dim), t * dim));
  return { set, ids: Int32Array.from(keep, (i) => table.ids[i]!), dim, vectors, labels: Int32Array.from(labels), classNames };
}

/** Class codes of reference rows whose folder names a pool class; -1 otherwise. */
export function referenceClassCodes(pool: Pool, labels: Array<string | null>): Int32Array {
  const index = new Map(pool.classNames.map((n, c) => [n, c]));
  return Int32Array.from(labels, (l) => (l === null ? -1 : index.get(l) ?? -1));
}

// Assembles the curation engine's input from the project: the newest map's graph and row
// order, the vectors of its embedding set in that order, current (corrected) labels, content
// hashes, and a metadata column when one is asked for.
import { RpcError } from '../../../src-shared/rpc/errors';
import { sqlJsonPath, type Catalog } from '../catalog/catalog';
import { gatherRows, type BalanceColumn, type CurateInput, type VectorRows } from './engine';
import type { EmbeddingStore, VectorTable } from '../embed/embedding-store';
import { readRowsOnThread, type RowsReading } from '../embed/rows-thread';
import { sameIds } from '../../../src-shared/model/ids';
import type { MapStore, StoredMap } from '../map/map-store';

export interface ProjectCurateInput { input: CurateInput; map: StoredMap; ids: Int32Array }

export interface CurateInputOptions {
  field?: string;
  /** The active set's vectors already in memory (a map job's), used instead of reading them again; another set's are ignored. */
  vectors?: VectorTable;
  /** Rows from which a prefetched read (VectorRows.prefetch) runs on a thread of its own (default PREFETCH_FROM). */
  prefetchFrom?: number;
}

/**
 * Rows asked for in advance from which they are read on a thread of their own: a representative
 * run at a million samples asks for about 500,000 (4–5 s of reading); the thread's start costs
 * more than reading a few thousand here.
 */
export const PREFETCH_FROM = 50_000;

export function buildCurateInput(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, opts: CurateInputOptions = {}): ProjectCurateInput {
  const active = embeddings.requireActive();
  const map = maps.require();
  if (map.data.setId !== active.id) {
    throw new RpcError('precondition', `the map was computed from another embedding set than the active one (${active.modelName}); compute the map again (winnow map)`);
  }
  const ids = map.data.ids;
  const handed = opts.vectors?.setId === active.id ? opts.vectors : undefined;
  // Another connection can read the file (not an in-memory database); a read-only session stays on its own.
  const thread = !catalog.db.memory && !catalog.db.readonly ? { path: catalog.path, from: opts.prefetchFrom ?? PREFETCH_FROM } : undefined;
  const vectors = handed ? inMapOrder(handed, ids) : onDemand(embeddings, active.id, active.dim, ids, thread);
  const rows = readRows(catalog, ids, opts.field);
  const input: CurateInput = { vectors, dim: active.dim, graph: map.graph, hashes: rows.hashes, reviewed: rows.reviewed };
  const space = maps.clusterSpace(map.data.mapId);
  if (space && space.data.length === ids.length * space.dim) input.space = space;
  if (rows.classNames.length) { input.labels = rows.labels; input.classNames = rows.classNames; }
  if (opts.field !== undefined) input.metadata = { [opts.field]: metadataColumn(catalog, opts.field, rows.meta!) };
  return { input, map, ids };
}

const LOST = 'it lost its embedding since the map was computed; compute the map again';

/**
 * The set's vectors in the map's row order, read when a step asks: all of them in one pass
 * (kept, so a second step does not read them again), or only the rows asked for. Scores reused
 * from the cache need none, and at a million samples a representative run reads about half,
 * asked for in advance (prefetch): from `thread.from` rows they are read on a thread of its own
 * meanwhile (rows-thread.ts).
 */
function onDemand(embeddings: EmbeddingStore, setId: number, dim: number, ids: Int32Array, thread?: { path: string; from: number }): VectorRows {
  let all: Float32Array | undefined;
  let ahead: { rows: Int32Array; reading: RowsReading } | undefined;
  const sampleIds = (rows: Int32Array) => Int32Array.from(rows, (r) => ids[r]!);
  return {
    rows: ids.length,
    read(rows) {
      if (all) return rows.length === ids.length ? all : gatherRows(all, all.length / ids.length, rows);
      if (ahead?.rows === rows) {
        const read = ahead.reading.take();
        ahead = undefined;
        if (read) return read;
      }
      if (rows.length < ids.length) return embeddings.rowsOf(setId, sampleIds(rows), LOST, ids.length);
      all = inMapOrder(embeddings.load(setId), ids);
      return all;
    },
    prefetch(rows) {
      if (all || !thread || rows.length < thread.from || rows.length >= ids.length) return;
      ahead = { rows, reading: readRowsOnThread(thread.path, setId, sampleIds(rows), dim, LOST, ids.length) };
    },
  };
}

/** The table's vectors in the map's row order; the table's own array when the rows are the same (the usual case). */
function inMapOrder(table: VectorTable, ids: Int32Array): Float32Array {
  if (sameIds(table.ids, ids)) return table.vectors;
  const vectors = new Float32Array(ids.length * table.dim);
  let j = 0;
  for (let i = 0; i < ids.length; i++) {
    while (j < table.ids.length && table.ids[j]! < ids[i]!) j++;
    if (table.ids[j] !== ids[i]) throw new RpcError('precondition', `sample ${ids[i]} has no vector: ${LOST}`);
    vectors.set(table.vectors.subarray(j * table.dim, (j + 1) * table.dim), i * table.dim);
  }
  return vectors;
}

/** The samples' columns in map row order; labels coded in order of first appearance, -1 = none or excluded. */
interface Rows { labels: Int32Array; classNames: string[]; reviewed: Uint8Array; hashes: string[]; meta?: unknown[] }

/**
 * One streamed pass over the samples table, merged with the (ascending) map ids, straight into
 * columns: a row array per sample held at once costs a million-sample project gigabytes of
 * garbage to collect.
 */
function readRows(catalog: Catalog, ids: Int32Array, field?: string): Rows {
  const meta = field === undefined ? 'NULL' : `json_extract(metadata, ${sqlJsonPath(field)})`;
  const rows = catalog.db.prepare(`SELECT id, label, excluded, content_hash, ${meta}, reviewed FROM samples ORDER BY id`).raw().iterate() as IterableIterator<[number, string | null, number, string, unknown, number]>;
  const n = ids.length;
  const out: Rows = { labels: new Int32Array(n).fill(-1), classNames: [], reviewed: new Uint8Array(n), hashes: new Array<string>(n), meta: field === undefined ? undefined : new Array<unknown>(n) };
  const codeOf = new Map<string, number>();
  let i = 0;
  for (const r of rows) {
    if (i < n && r[0] > ids[i]!) break; // ids[i] was passed: it no longer exists
    if (i >= n || r[0] < ids[i]!) continue;
    const label = r[1];
    if (label !== null && r[2] !== 1) {
      let c = codeOf.get(label);
      if (c === undefined) { c = out.classNames.push(label) - 1; codeOf.set(label, c); }
      out.labels[i] = c;
    }
    out.reviewed[i] = r[5] === 1 ? 1 : 0;
    out.hashes[i] = r[3];
    if (out.meta) out.meta[i] = r[4];
    i++;
  }
  if (i < n) throw new RpcError('precondition', `sample ${ids[i]} no longer exists; compute the map again`);
  return out;
}

function metadataColumn(catalog: Catalog, field: string, values: unknown[]): BalanceColumn {
  if (!catalog.metadataFields().includes(field)) {
    throw new RpcError('bad_request', `no metadata field "${field}"; fields: ${catalog.metadataFields().join(', ') || 'none'}`);
  }
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length && present.every((v) => typeof v === 'number')) {
    return { kind: 'numeric', values: Float64Array.from(values, (v) => (typeof v === 'number' ? v : NaN)) };
  }
  const categories: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (v === null || v === undefined) return -1;
    const key = String(v);
    let c = index.get(key);
    if (c === undefined) { c = categories.push(key) - 1; index.set(key, c); }
    return c;
  });
  return { kind: 'categorical', codes, categories };
}

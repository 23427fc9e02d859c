// Embedding sets and their vectors in the project file. Vectors are written one batch per
// transaction, so a crash loses at most the batch in flight and a resume skips the rest.
import type { ModelSpec } from './model';

/** What a set of imported vectors records in place of a spec: Winnow cannot run that model. */
export interface ExternalModel { external: true; name: string; embeddingDim: number }
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import { nextTurn } from '../jobs/next-turn';
import { decodeWhitening, encodeWhitening, type Whitening } from './whitening';

/**
 * spec is null for vectors made elsewhere (winnow vectors import of a .npy): Winnow cannot run that
 * model. revision: one more each time the set's vectors are written (a batch, an import), for
 * caches of them.
 */
export interface EmbeddingSetInfo { id: number; modelKey: string; modelName: string; modelSha256: string; modelPath: string; spec: ModelSpec | null; dim: number; provider: string | null; revision: number; count: number; failed: number; createdAt: string }

export interface VectorTable { setId: number; dim: number; ids: Int32Array; vectors: Float32Array }

/**
 * A set's vectors passed from one owner to the next (the map job to its scoring, the core to
 * the scoring thread): the taker empties the box, so the giver keeps no reference that would
 * hold them in memory (a million 544-d vectors: 2.2 GB) after it has let them go.
 */
export interface VectorHandOver { table?: VectorTable }

export function takeVectors(box: VectorHandOver | undefined): VectorTable | undefined {
  const table = box?.table;
  if (box) box.table = undefined;
  return table;
}

/**
 * What a read of a set's vectors makes of them: `start` is told the rows and dimensions once and
 * gives the function that takes row i's vector as bytes (a blob: not necessarily 4-byte aligned,
 * and valid only during the call) with its sample id; `finish` gets the ids of the rows read, in order.
 */
export interface RowSink<T> {
  start(rows: number, dim: number): (row: number, bytes: Uint8Array, sampleId: number) => void;
  finish(setId: number, dim: number, ids: Int32Array): T;
}

/** The rows of these samples (ascending ids) only, as one matrix (into `into` when given); a sample missing is `lost`. */
function someRowsSink(sampleIds: Int32Array, lost: string, into?: Float32Array): RowSink<Float32Array> {
  let out: Float32Array = new Float32Array(0), bytes: Uint8Array = new Uint8Array(0), next = 0, width = 0;
  return {
    start(_rows, dim) {
      width = dim * 4;
      out = into ?? new Float32Array(sampleIds.length * dim);
      bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      return (_row, vector, id) => {
        if (next < sampleIds.length && sampleIds[next]! < id) throw missing(sampleIds[next]!, lost);
        if (next < sampleIds.length && sampleIds[next] === id) bytes.set(vector, width * next++);
      };
    },
    finish() {
      if (next < sampleIds.length) throw missing(sampleIds[next]!, lost);
      return out;
    },
  };
}

function missing(sampleId: number, lost: string): RpcError {
  return new RpcError('precondition', `sample ${sampleId} has no vector: ${lost}`);
}

/** The vectors as one float matrix, in shared memory when asked. */
function matrixSink(opts: { shared?: boolean }): RowSink<VectorTable> {
  let vectors: Float32Array = new Float32Array(0);
  return {
    start(rows, dim) {
      vectors = new Float32Array(opts.shared ? new SharedArrayBuffer(rows * dim * 4) : new ArrayBuffer(rows * dim * 4));
      const bytes = new Uint8Array(vectors.buffer);
      return (row, vector) => bytes.set(vector, row * dim * 4);
    },
    finish: (setId, dim, ids) => ({ setId, dim, ids, vectors: vectors.subarray(0, ids.length * dim) }),
  };
}

interface SetRow { id: number; model_key: string; model_name: string; model_sha256: string; model_path: string; spec: string; dim: number; provider: string | null; revision: number; created_at: string }

/**
 * Rows read between two turns of the event loop (loadInTurns): about a tenth of a second for
 * 50,000 rows of 64-d, and at most that many vector bytes: 50,000 of the built-in model's 544-d
 * rows held the core's thread about 0.25 s each (bench/scale-1m.ts --dim 544).
 */
const LOAD_CHUNK = 50_000;
const LOAD_CHUNK_BYTES = LOAD_CHUNK * 64 * 4;
/**
 * A lookup by sample id costs about this many rows of a pass in id order: at a million 544-d
 * rows, 512,000 lookups took 7.7 s, the whole pass 5.5 s (bench/scale-1m.ts project).
 */
const POINT_READ_COST = 3;
/** Lookups between two onChunk calls of rowsOf. */
const LOOKUPS_PER_CHUNK = 4096;

export interface RowsOfOptions {
  /** Written into (sampleIds × dim floats, shared memory for a reader thread) instead of a new array. */
  into?: Float32Array;
  /** Called after each chunk read: how a reader thread shows it is alive (rows-thread.ts). */
  onChunk?: () => void;
}

export class EmbeddingStore {
  constructor(private readonly catalog: Catalog) {}
  private get db() { return this.catalog.db; }

  findOrCreateSet(m: { key: string; name: string; sha256: string; onnxPath: string; spec: ModelSpec | ExternalModel }): number {
    const row = this.db.prepare('SELECT id, dim FROM embedding_sets WHERE model_key = ?').get(m.key) as { id: number; dim: number } | undefined;
    if (row) {
      if (row.dim !== m.spec.embeddingDim) throw new RpcError('conflict', `the project's embedding set "${m.name}" has ${row.dim} dimensions, these vectors ${m.spec.embeddingDim}: give them another model name`);
      if (m.onnxPath) this.db.prepare('UPDATE embedding_sets SET model_path = ? WHERE id = ?').run(m.onnxPath, row.id);
      return row.id;
    }
    return Number(this.db.prepare('INSERT INTO embedding_sets (model_key, model_name, model_sha256, model_path, spec, dim) VALUES (?, ?, ?, ?, ?, ?)').run(m.key, m.name, m.sha256, m.onnxPath, JSON.stringify(m.spec), m.spec.embeddingDim).lastInsertRowid);
  }

  /** Every sample's file path (absolute; null for stored pixels) and path inside its dataset. */
  samplePaths(): Array<{ id: number; absPath: string | null; relPath: string }> {
    return (this.db.prepare('SELECT s.id, s.source, s.rel_path, d.root FROM samples s JOIN datasets d ON d.id = s.dataset_id ORDER BY s.id').raw().all() as Array<[number, string, string, string | null]>)
      .map(([id, source, rel, root]) => ({ id, absPath: source === 'file' && root ? `${root}/${rel}` : null, relPath: rel }));
  }

  /** Writes a whole set of vectors made elsewhere in one transaction: all of it lands, or none. */
  importVectors(setId: number, dim: number, rows: Array<{ sampleId: number; offset: number }>, vectors: Float32Array, failed: Array<{ sampleId: number; reason: string }>): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO embeddings (set_id, sample_id, vector, error) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const r of rows) put.run(setId, r.sampleId, Buffer.from(vectors.buffer, vectors.byteOffset + r.offset * dim * 4, dim * 4), null);
      for (const f of failed) put.run(setId, f.sampleId, null, f.reason);
      this.revise(setId);
    })();
  }

  /** Marks the set's vectors changed, inside the transaction that changes them. */
  private revise(setId: number): void {
    this.db.prepare('UPDATE embedding_sets SET revision = revision + 1 WHERE id = ?').run(setId);
  }

  setProvider(setId: number, provider: string): void {
    this.db.prepare('UPDATE embedding_sets SET provider = ? WHERE id = ?').run(provider, setId);
  }

  /** The whitening the set's model fitted on this project (spec.whiten); null before it is fitted. */
  whitening(setId: number): Whitening | null {
    const blob = this.db.prepare('SELECT data FROM embedding_whitening WHERE set_id = ?').pluck().get(setId) as Buffer | undefined;
    return blob ? decodeWhitening(blob) : null;
  }

  /**
   * The set's whitening (once: the set's vectors are all made with the same one), or, where the set
   * asks for one and has none, a precondition error telling what to do: `using` the set for what.
   */
  requireWhitening(set: { id: number; modelName: string; spec: ModelSpec | null }, using: string): Whitening | null {
    if (!set.spec?.whiten) return null;
    const w = this.whitening(set.id);
    if (!w) throw new RpcError('precondition', `${using}: the embedding set "${set.modelName}" has no whitening fitted yet; run the embedding job to the end first`);
    return w;
  }

  saveWhitening(setId: number, t: Whitening): void {
    this.db.prepare('INSERT INTO embedding_whitening (set_id, data) VALUES (?, ?)').run(setId, encodeWhitening(t));
  }

  /** Whether the set holds any vector (a recorded failure is none). */
  hasVectors(setId: number): boolean {
    return this.db.prepare('SELECT 1 FROM embeddings WHERE set_id = ? AND vector IS NOT NULL LIMIT 1').pluck().get(setId) !== undefined;
  }

  /** Sample ids with neither a vector nor a recorded failure in this set, ascending. */
  pending(setId: number): number[] {
    return this.db.prepare('SELECT s.id FROM samples s WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.set_id = ? AND e.sample_id = s.id) ORDER BY s.id').pluck().all(setId) as number[];
  }

  writeBatch(setId: number, ids: number[], vectors: Float32Array, dim: number, failed: Array<{ sampleId: number; reason: string }>): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO embeddings (set_id, sample_id, vector, error) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      ids.forEach((id, i) => put.run(setId, id, Buffer.from(vectors.buffer, vectors.byteOffset + i * dim * 4, dim * 4), null));
      for (const f of failed) put.run(setId, f.sampleId, null, f.reason);
      this.revise(setId);
    })();
  }

  sets(): EmbeddingSetInfo[] {
    const rows = this.db.prepare('SELECT * FROM embedding_sets ORDER BY id').all() as SetRow[];
    const counts = this.db.prepare('SELECT COUNT(vector), COUNT(error) FROM embeddings WHERE set_id = ?').raw();
    return rows.map((r) => {
      const [count, failed] = counts.get(r.id) as [number, number];
      return { ...setInfo(r), count, failed };
    });
  }

  /**
   * The set the map and curation use: the newest one holding vectors. Its rows are not counted:
   * counting a set's vectors reads all its rows (0.15–0.2 s at a million), and this is asked by
   * every map, scores, curate and similar-images request.
   */
  activeSet(): ActiveSetInfo | null {
    const rows = this.db.prepare('SELECT * FROM embedding_sets ORDER BY id DESC').all() as SetRow[];
    const active = rows.find((r) => this.hasVectors(r.id));
    return active ? setInfo(active) : null;
  }

  requireActive(): ActiveSetInfo {
    const set = this.activeSet();
    if (!set) throw new RpcError('precondition', 'no embeddings yet: compute embeddings first (winnow embed, or "Compute embeddings" in the app)');
    return set;
  }

  /**
   * Every vector of a set in sample-id order, as one contiguous matrix; `shared` puts it in a
   * SharedArrayBuffer so worker threads read it without a copy (the map: 256 MB at 1M × 64).
   */
  load(setId: number, opts: { shared?: boolean } = {}): VectorTable {
    const reading = this.reader(setId, matrixSink(opts));
    let step = reading.next();
    while (!step.done) step = reading.next();
    return step.value;
  }

  /**
   * The same, letting the event loop turn between chunks of rows: at a million rows the read is
   * about 2 s that held the core's thread at the start of a map job (bench/scale-1m.ts).
   */
  loadInTurns(setId: number, opts: { shared?: boolean } = {}): Promise<VectorTable> {
    return this.readInTurns(setId, matrixSink(opts));
  }

  /** Every vector of a set, in sample-id order, into what `sink` makes of them (similar-codes.ts keeps a smaller copy). */
  async readInTurns<T>(setId: number, sink: RowSink<T>): Promise<T> {
    const reading = this.reader(setId, sink);
    let step = reading.next();
    while (!step.done) {
      await nextTurn();
      step = reading.next();
    }
    return step.value;
  }

  /**
   * The vectors of these samples (ascending ids) as one matrix, a row each in their order; a
   * sample without a vector in the set is a precondition error (`lost`: what to do about it).
   * A few of the set's `setRows`: one lookup each; more: one pass over the set that keeps only
   * theirs (half the memory of reading it all, and no slower).
   */
  rowsOf(setId: number, sampleIds: Int32Array, lost: string, setRows: number, opts: RowsOfOptions = {}): Float32Array {
    const { into, onChunk } = opts;
    if (sampleIds.length * POINT_READ_COST >= setRows) {
      // Most rows: one pass over the set, keeping those asked for.
      const reading = this.reader(setId, someRowsSink(sampleIds, lost, into));
      let step = reading.next();
      while (!step.done) { onChunk?.(); step = reading.next(); }
      return step.value;
    }
    const dim = this.db.prepare('SELECT dim FROM embedding_sets WHERE id = ?').pluck().get(setId) as number | undefined;
    if (dim === undefined) throw new RpcError('not_found', `no embedding set ${setId}`);
    const out = into ?? new Float32Array(sampleIds.length * dim);
    const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    const get = this.vectorLookup();
    for (let t = 0; t < sampleIds.length; t++) {
      const buf = get.get(setId, sampleIds[t]) as Buffer | undefined;
      if (!buf) throw missing(sampleIds[t]!, lost);
      bytes.set(buf.subarray(0, dim * 4), t * dim * 4);
      if (t % LOOKUPS_PER_CHUNK === LOOKUPS_PER_CHUNK - 1) onChunk?.();
    }
    return out;
  }

  /** The vectors of these samples in set `setId` (one lookup each; absent where a sample has none). */
  vectorsOf(setId: number, sampleIds: ArrayLike<number>): Array<Float32Array | undefined> {
    const get = this.vectorLookup();
    return Array.from(sampleIds, (id) => {
      const buf = get.get(setId, id) as Buffer | undefined;
      return buf && new Float32Array(new Uint8Array(buf).buffer);
    });
  }

  /** One sample's vector in a set, by (set id, sample id); undefined where it has none. */
  private vectorLookup() {
    return this.db.prepare('SELECT vector FROM embeddings WHERE set_id = ? AND sample_id = ? AND vector IS NOT NULL').pluck();
  }

  /**
   * Reads the rows in chunks by sample id, one byte copy per row straight into place (a blob
   * need not be 4-byte aligned), and pauses after each chunk. Chunks, not one iterator: the
   * connection cannot run anything else while an iterator is open, so none may stay open across
   * a pause. The rows are counted first (to size the matrix), in chunks too: one COUNT reads
   * every row's record, 0.8–0.9 s at a million 544-d vectors, which held the core's thread at the
   * start of a map job. Rows written since the count are left out, and the table is the rows read.
   */
  private *reader<T>(setId: number, sink: RowSink<T>): Generator<void, T> {
    const dim = this.db.prepare('SELECT dim FROM embedding_sets WHERE id = ?').pluck().get(setId) as number | undefined;
    if (dim === undefined) throw new RpcError('not_found', `no embedding set ${setId}`);
    const rowsPerChunk = Math.min(LOAD_CHUNK, Math.max(1024, Math.floor(LOAD_CHUNK_BYTES / (dim * 4))));
    const where = 'FROM embeddings WHERE set_id = ? AND vector IS NOT NULL AND sample_id > ? ORDER BY sample_id';
    const countChunk = this.db.prepare(`SELECT COUNT(*), MAX(sample_id) FROM (SELECT sample_id ${where} LIMIT ${rowsPerChunk * 4})`).raw();
    let count = 0, after = -1;
    for (;;) {
      const [n, last] = countChunk.get(setId, after) as [number, number | null];
      count += n;
      if (n < rowsPerChunk * 4 || last === null) break;
      after = last;
      yield;
    }
    const ids = new Int32Array(count);
    const put = sink.start(count, dim);
    const chunk = this.db.prepare(`SELECT sample_id, vector ${where} LIMIT ${rowsPerChunk}`).raw();
    let i = 0, got = rowsPerChunk;
    after = -1;
    while (i < count && got === rowsPerChunk) {
      got = 0;
      for (const [id, buf] of chunk.iterate(setId, after) as IterableIterator<[number, Buffer]>) {
        got++;
        after = id;
        if (i === count) continue;
        ids[i] = id;
        put(i, buf.subarray(0, dim * 4), id);
        i++;
      }
      yield;
    }
    return sink.finish(setId, dim, ids.subarray(0, i));
  }

  errors(setId: number): Array<{ sampleId: number; reason: string }> {
    return this.db.prepare('SELECT sample_id AS sampleId, error AS reason FROM embeddings WHERE set_id = ? AND error IS NOT NULL ORDER BY sample_id').all(setId) as Array<{ sampleId: number; reason: string }>;
  }
}

/** An embedding set as sets() lists it, without its counts. */
export type ActiveSetInfo = Omit<EmbeddingSetInfo, 'count' | 'failed'>;

function setInfo(r: SetRow): ActiveSetInfo {
  return { id: r.id, modelKey: r.model_key, modelName: r.model_name, modelSha256: r.model_sha256, modelPath: r.model_path, spec: runnableSpec(r.spec), dim: r.dim, provider: r.provider, revision: r.revision, createdAt: r.created_at };
}

function runnableSpec(json: string): ModelSpec | null {
  const spec = JSON.parse(json) as ModelSpec | ExternalModel;
  return 'external' in spec ? null : spec;
}

// Similarity search over the active embedding set, by sample or by an image file (embedded
// with the set's own model). The vector table is cached until the set or its vectors change.
import { existsSync } from 'node:fs';
import type { SimilarHit } from '../../../src-shared/model/similar';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { EmbeddingStore } from './embedding-store';
import { embedInput, loadModel } from './model';
import { prepareBatch } from './prepare-batch';
import { applyWhitening } from './whitening';
import { nearestTo, vectorOf } from './similar';
import { codesSink, type VectorCodes } from './similar-codes';
import { readCodesFile, writeCodesFile, type CodesTag } from './similar-codes-file';

/**
 * Where a set's codes are kept between sessions (similar-codes-file.ts), whether this session may
 * write there (not a read-only one), and from how many rows a set's codes are worth keeping: below
 * that, reading the vectors again takes well under a second.
 */
export interface CodesFiles { path: (setId: number) => string; write: boolean; from?: number }

/** Rows from which the codes are kept in a file (100,000 of 544-d: 55 MB, about 0.7 s to read from SQLite). */
const KEEP_CODES_FROM = 100_000;

export class SimilarSearch {
  private cache: { setId: number; revision: number; table: VectorCodes } | null = null;
  /** A read of the vectors in progress: requests that come meanwhile wait for it, not a second read. */
  private loading: { setId: number; revision: number; table: Promise<VectorCodes> } | null = null;

  /** The codes file being written, if any: closing the project waits for it (a CLI process would end it half-written). */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly store: EmbeddingStore, private readonly files?: CodesFiles) {}

  /**
   * Lets go of the codes held for the next search (a read in progress still answers the requests
   * waiting on it): a map job needs the memory more (a million 544-d vectors: 0.74 GB of codes,
   * which took its peak RSS over 4 GB, bench/scale-1m.ts --dim 544), and the next search reads
   * them back from the file kept beside the project in about a second (similar-codes-file.ts).
   */
  release(): void {
    this.cache = null;
  }

  /** Resolves once no codes file is being written. */
  settled(): Promise<void> {
    return this.writing;
  }

  /**
   * The active set's vectors as int8 codes (similar-codes.ts), read again when the active set
   * changes or its vectors are written (an embed job still running, an import, here or from the
   * CLI): the set's revision says so without reading its rows. The read lets the event loop turn
   * (7 s at a million 544-d vectors; a later session reads the codes kept in a file instead).
   */
  async table(): Promise<VectorCodes> {
    const set = this.store.requireActive();
    const current = (c: { setId: number; revision: number } | null) => c?.setId === set.id && c.revision === set.revision;
    if (current(this.cache)) return this.cache!.table;
    if (current(this.loading)) return this.loading!.table;
    const loading = { setId: set.id, revision: set.revision, table: this.read({ setId: set.id, createdAt: Date.parse(set.createdAt), revision: set.revision }) };
    this.loading = loading;
    try {
      const table = await loading.table;
      if (this.loading === loading) this.cache = { setId: set.id, revision: set.revision, table };
      return table;
    } finally {
      if (this.loading === loading) this.loading = null;
    }
  }

  /** The codes kept in the file for this revision, or read from the vectors (and kept, for a big set). */
  private async read(tag: CodesTag): Promise<VectorCodes> {
    const path = this.files?.path(tag.setId);
    const kept = path ? await readCodesFile(path, tag).catch(() => null) : null;
    if (kept) return kept;
    const table = await this.store.readInTurns(tag.setId, codesSink());
    if (path && this.files!.write && table.ids.length >= (this.files!.from ?? KEEP_CODES_FROM)) {
      // Tagged with the revision read at the start: vectors written meanwhile make the file stale.
      // A cache: a failed write costs the next session a read of the vectors, nothing more.
      // One write at a time: they share the set's temporary file.
      this.writing = this.writing.then(() => writeCodesFile(path, table, tag)).catch(() => {});
    }
    return table;
  }

  async bySample(id: number, k: number): Promise<{ setId: number; hits: SimilarHit[] }> {
    const table = await this.table();
    return { setId: table.setId, hits: await nearestTo(this.store, table, vectorOf(this.store, table.setId, id), k, id) };
  }

  async byImage(path: string, k: number): Promise<{ setId: number; hits: SimilarHit[] }> {
    if (!existsSync(path)) throw new RpcError('not_found', `no image at ${path}`);
    const set = this.store.requireActive();
    if (!set.spec) throw new RpcError('precondition', `the active vectors (${set.modelName}) were made outside Winnow, which cannot embed a new image with that model; search by a sample instead`);
    if (!existsSync(set.modelPath)) throw new RpcError('precondition', `the model of the active embedding set is gone from ${set.modelPath}`);
    const whitening = this.store.requireWhitening(set, 'cannot embed an image like the project\'s');
    // Prepared as the embed job prepares image files, so the query lands where a sample would.
    const model = await loadModel(set.modelPath, set.spec, { device: 'cpu', byteInput: { ...set.spec.inputSize, channels: 3 } });
    try {
      const prepared = await prepareBatch([{ sampleId: 0, kind: 'file', path }], { spec: set.spec, ...(model.byteInput ? { byteInput: model.byteInput } : {}) });
      if (!prepared.ids.length) throw new RpcError('bad_request', prepared.failed[0]?.reason ?? 'cannot decode the image');
      const raw = await embedInput(model, prepared.tensor, 1);
      const vector = whitening ? applyWhitening(raw, 1, whitening) : raw;
      const table = await this.table();
      return { setId: table.setId, hits: await nearestTo(this.store, table, vector, k) };
    } finally {
      await model.session.release();
    }
  }
}

// The project catalog: datasets, samples, their images and metadata, and the project's one
// SQLite connection (`db`). The sample tables' common reads and writes are methods here; each
// feature keeps its own SQL in its own core modules (stores such as jobs/job-store, map/map-store,
// slices/slice-store, labels/label-edits, curate/score-store; read paths such as
// export/catalog-reads and query/run-query). Nothing outside core/ (and its test fixtures) touches
// `db`: scripts/check-imports.mjs fails on it.
import { createHash } from 'node:crypto';
import type { DatasetInfo, DatasetKind, DatasetOverview } from '../../../src-shared/model/dataset';
import type { MetadataColumn } from '../../../src-shared/model/metadata';
import type { ImagePayload, SampleColumns, SampleDetail } from '../../../src-shared/model/sample';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Db } from './db';
import { readSampleColumns, readSampleCounts } from './sample-columns-store';
import { fileInsideRoot } from '../import/paths';

export interface NewSample {
  relPath: string;
  source: 'file' | 'blob';
  width: number;
  height: number;
  channels: number;
  contentHash: string;
  label: string | null;
  split: string | null;
  metadata: Record<string, string | number | null>;
  image?: {
    kind: 'full' | 'thumb'; format: ImagePayload['format']; width: number; height: number; data: Uint8Array;
    /** The JPEG file's luminance table when the image holds the file's own pixels (core/images/jpeg-quant.ts). */
    jpegQuant?: Uint16Array | null;
  };
}

interface SampleRow {
  id: number; dataset_id: number; rel_path: string; source: string; width: number; height: number;
  channels: number; content_hash: string; label: string | null; original_label: string | null; split: string | null; metadata: string;
}

export class Catalog {
  constructor(readonly db: Db, readonly path: string) {}

  findOrCreateDataset(kind: DatasetKind, root: string | null, name: string): number {
    // Datasets without a root (the built-in demo sets) are told apart by their name.
    const row = this.db.prepare('SELECT id FROM datasets WHERE kind = ? AND IFNULL(root, \'\') = IFNULL(?, \'\') AND (root IS NOT NULL OR name = ?)').get(kind, root, name) as { id: number } | undefined;
    if (row) return row.id;
    return Number(this.db.prepare('INSERT INTO datasets (name, kind, root) VALUES (?, ?, ?)').run(name, kind, root).lastInsertRowid);
  }

  dataset(id: number): DatasetInfo {
    const row = this.db.prepare(`SELECT d.*, (SELECT COUNT(*) FROM samples s WHERE s.dataset_id = d.id) AS n FROM datasets d WHERE id = ?`).get(id) as DatasetRow | undefined;
    if (!row) throw new RpcError('not_found', `no dataset ${id}`);
    return toDatasetInfo(row);
  }

  /** rel_path -> content hash of every sample already in a dataset (for idempotent imports). */
  existingPaths(datasetId: number): Map<string, string> {
    const rows = this.db.prepare('SELECT rel_path, content_hash FROM samples WHERE dataset_id = ?').raw().all(datasetId) as Array<[string, string]>;
    return new Map(rows);
  }

  /**
   * Inserts one batch atomically; a crash mid-import loses at most the batch in flight.
   * `onAdded(id, t)` runs for each sample batch[t] added, inside the same transaction, so what
   * belongs with a sample (its look) is stored with it.
   */
  insertSamples(datasetId: number, batch: NewSample[], onAdded?: (id: number, t: number) => void): number {
    const insert = this.db.prepare(`INSERT OR IGNORE INTO samples (dataset_id, rel_path, source, width, height, channels, content_hash, label, original_label, split, metadata)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertImage = this.db.prepare('INSERT INTO images (sample_id, kind, format, width, height, data, jpeg_quant) VALUES (?, ?, ?, ?, ?, ?, ?)');
    let added = 0;
    const fields = new Set<string>();
    this.db.transaction(() => {
      for (const [t, s] of batch.entries()) {
        const res = insert.run(datasetId, s.relPath, s.source, s.width, s.height, s.channels, s.contentHash, s.label, s.label, s.split, JSON.stringify(s.metadata));
        if (res.changes === 0) continue;
        added++;
        for (const k of Object.keys(s.metadata)) fields.add(k);
        if (s.image) insertImage.run(res.lastInsertRowid, s.image.kind, s.image.format, s.image.width, s.image.height, s.image.data, s.image.jpegQuant ? Buffer.from(s.image.jpegQuant.buffer, s.image.jpegQuant.byteOffset, s.image.jpegQuant.byteLength) : null);
        onAdded?.(Number(res.lastInsertRowid), t);
      }
      this.registerMetadataFields([...fields]);
    })();
    return added;
  }

  /** Each metadata field gets an expression index so queries on it do not scan JSON. */
  registerMetadataFields(names: string[]): void {
    const known = new Set((this.db.prepare('SELECT name FROM metadata_fields').pluck().all() as string[]));
    for (const name of names) {
      if (known.has(name)) continue;
      const indexName = `meta_${createHash('sha1').update(name).digest('hex').slice(0, 16)}`;
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${indexName} ON samples(json_extract(metadata, ${sqlJsonPath(name)}))`);
      this.db.prepare('INSERT INTO metadata_fields (name, index_name) VALUES (?, ?)').run(name, indexName);
    }
  }

  metadataFields(): string[] {
    return this.db.prepare('SELECT name FROM metadata_fields ORDER BY name').pluck().all() as string[];
  }

  /** One metadata field over all samples, as a binary column for colouring and filters. */
  metadataColumn(field: string): MetadataColumn {
    if (!this.metadataFields().includes(field)) throw new RpcError('not_found', `no metadata field "${field}"; fields: ${this.metadataFields().join(', ') || 'none'}`);
    const rows = this.db.prepare(`SELECT id, json_extract(metadata, ${sqlJsonPath(field)}) FROM samples ORDER BY id`).raw().all() as Array<[number, string | number | null]>;
    const ids = Int32Array.from(rows, (r) => r[0]);
    if (rows.every((r) => r[1] === null || typeof r[1] === 'number')) {
      return { field, kind: 'numeric', ids, values: Float32Array.from(rows, (r) => (r[1] === null ? NaN : (r[1] as number))) };
    }
    const categories: string[] = [];
    const index = new Map<string, number>();
    const codes = Uint16Array.from(rows, (r) => {
      if (r[1] === null) return 0xffff;
      const key = String(r[1]);
      let c = index.get(key);
      if (c === undefined) { c = Math.min(0xfffe, categories.push(key) - 1); index.set(key, c); }
      return c;
    });
    return { field, kind: 'categorical', ids, codes, categories };
  }

  overview(): DatasetOverview {
    // counted once per change to the samples (sample-columns-store.ts): three index scans at 1M
    const { byLabel, bySplit, byDataset } = readSampleCounts(this.db);
    const n = new Map(byDataset);
    const datasets = (this.db.prepare('SELECT * FROM datasets ORDER BY id').all() as Array<Omit<DatasetRow, 'n'>>).map((d) => toDatasetInfo({ ...d, n: n.get(d.id) ?? 0 }));
    // every sample is in one label group (NULL too)
    const total = byLabel.reduce((sum, e) => sum + e.count, 0);
    const failedCount = this.db.prepare('SELECT COUNT(*) FROM import_problems').pluck().get() as number;
    return { projectPath: this.path, datasets, total, byLabel, bySplit, metadataFields: this.metadataFields(), failedCount };
  }

  columns(): SampleColumns {
    return readSampleColumns(this.db);
  }

  sample(id: number): SampleDetail {
    const row = this.db.prepare('SELECT * FROM samples WHERE id = ?').get(id) as SampleRow | undefined;
    if (!row) throw new RpcError('not_found', `no sample ${id}`);
    return {
      id: row.id, datasetId: row.dataset_id, relPath: row.rel_path, width: row.width, height: row.height,
      contentHash: row.content_hash, label: row.label, originalLabel: row.original_label, split: row.split,
      metadata: JSON.parse(row.metadata) as SampleDetail['metadata'],
    };
  }

  /** Where a sample's full image is: a file under its dataset root, or a blob in the project. */
  sampleSource(id: number): { kind: 'file'; absPath: string } | { kind: 'blob'; image: ImagePayload } {
    const row = this.db.prepare('SELECT s.source, s.rel_path, d.root FROM samples s JOIN datasets d ON d.id = s.dataset_id WHERE s.id = ?').get(id) as { source: string; rel_path: string; root: string | null } | undefined;
    if (!row) throw new RpcError('not_found', `no sample ${id}`);
    if (row.source === 'blob') {
      const image = this.storedImage(id);
      if (!image) throw new RpcError('not_found', `sample ${id} has no stored pixels`);
      return { kind: 'blob', image };
    }
    const inside = fileInsideRoot(row.root ?? '', row.rel_path);
    if (!inside.ok) throw new RpcError('bad_request', `sample ${id} cannot be read: its ${inside.reason}`);
    return { kind: 'file', absPath: inside.absPath };
  }

  /** sampleSource for many samples in one query (the embedding job asks 64 at a time). */
  sampleSources(ids: number[]): Map<number, { kind: 'file'; absPath: string } | { kind: 'blob'; image: ImagePayload }> {
    const marks = ids.map(() => '?').join(',');
    const rows = this.db.prepare(`SELECT s.id, s.source, s.rel_path, d.root, i.format, i.width, i.height, i.data FROM samples s JOIN datasets d ON d.id = s.dataset_id
      LEFT JOIN images i ON i.sample_id = s.id AND s.source = 'blob' WHERE s.id IN (${marks})`).raw().all(...ids) as Array<[number, string, string, string | null, ImagePayload['format'] | null, number | null, number | null, Buffer | null]>;
    const out = new Map<number, { kind: 'file'; absPath: string } | { kind: 'blob'; image: ImagePayload }>();
    for (const [id, source, rel, root, format, width, height, data] of rows) {
      if (source === 'file') {
        // A row edited to leave its dataset folder gets no source: the caller reports it unreadable.
        const inside = fileInsideRoot(root ?? '', rel);
        if (inside.ok) out.set(id, { kind: 'file', absPath: inside.absPath });
      }
      else if (data && format && width && height) out.set(id, { kind: 'blob', image: { format, width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) } });
    }
    return out;
  }

  storedImage(id: number): ImagePayload | null {
    const row = this.db.prepare('SELECT format, width, height, data FROM images WHERE sample_id = ?').get(id) as ImageRow | undefined;
    return row ? payloadOf(row) : null;
  }

  thumbnails(ids: number[]): Array<ImagePayload | null> {
    const stmt = this.db.prepare('SELECT format, width, height, data FROM images WHERE sample_id = ?');
    return ids.map((id) => {
      const row = stmt.get(id) as ImageRow | undefined;
      return row ? payloadOf(row) : null;
    });
  }

  /**
   * Per id its thumbnail and, read in the same lookup, the luminance table of the JPEG it was
   * taken from at its own size (migration 16; null for any other image): what the comparisons
   * that align pixels read (curate/grey-images.ts).
   */
  thumbnailsWithTables(ids: number[]): Array<{ image: ImagePayload; jpegQuant: Uint16Array | null } | null> {
    const stmt = this.db.prepare('SELECT format, width, height, data, jpeg_quant FROM images WHERE sample_id = ?');
    return ids.map((id) => {
      const row = stmt.get(id) as (ImageRow & { jpeg_quant: Buffer | null }) | undefined;
      if (!row) return null;
      const q = row.jpeg_quant;
      return { image: payloadOf(row), jpegQuant: q && q.byteLength === 128 ? new Uint16Array(Uint8Array.from(q).buffer) : null };
    });
  }

  addImportProblems(jobId: string, problems: Array<{ path: string; reason: string }>): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO import_problems (job_id, path, reason) VALUES (?, ?, ?)');
    this.db.transaction(() => { for (const p of problems) stmt.run(jobId, p.path, p.reason); })();
  }

  importProblems(jobId: string): Array<{ path: string; reason: string }> {
    return this.db.prepare('SELECT path, reason FROM import_problems WHERE job_id = ? ORDER BY path').all(jobId) as Array<{ path: string; reason: string }>;
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  close(): void {
    this.db.close();
  }
}

interface DatasetRow { id: number; name: string; kind: DatasetKind; root: string | null; created_at: string; n: number }

function toDatasetInfo(r: DatasetRow): DatasetInfo {
  return { id: r.id, name: r.name, kind: r.kind, root: r.root, sampleCount: r.n, createdAt: r.created_at };
}

/** A JSON path literal for one top-level key, safe for any key text. */
export function sqlJsonPath(key: string): string {
  return `'$."${key.replace(/"/g, '""').replace(/'/g, "''")}"'`;
}

type ImageRow = { format: ImagePayload['format']; width: number; height: number; data: Buffer };

/** A stored image row as the payload callers get, its bytes viewed in place. */
function payloadOf(row: ImageRow): ImagePayload {
  return { format: row.format, width: row.width, height: row.height, data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) };
}

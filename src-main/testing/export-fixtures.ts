// Projects for the export tests: real image files on disk and real catalog rows, with slices
// and scores inserted directly (the curation engine that writes them is not needed here).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Catalog } from '../core/catalog/catalog';
import { createProjectDb } from '../core/catalog/db';
import type { JobContext } from '../core/jobs/job-manager';
import { FIXTURE_CLASSES, writeSamplePng } from './fixture-images';

export function newCatalog(dir: string, name = 'p.winnow'): Catalog {
  const path = join(dir, name);
  return new Catalog(createProjectDb(path), path);
}

export function quietCtx(signal: AbortSignal = new AbortController().signal): JobContext {
  return { jobId: 'test', signal, progress: () => {} };
}

export interface FileSpec { relPath: string; label: string | null; cls?: (typeof FIXTURE_CLASSES)[number]; i?: number }

/** Writes the files under `root` and catalogs them as a folder dataset; returns sample ids in spec order. */
export async function addFolderDataset(catalog: Catalog, root: string, files: FileSpec[]): Promise<number[]> {
  mkdirSync(root, { recursive: true });
  const real = realpathSync(root);
  const datasetId = catalog.findOrCreateDataset('folder', real, 'data');
  const rows = [];
  for (const [n, f] of files.entries()) {
    const abs = join(real, f.relPath);
    mkdirSync(dirname(abs), { recursive: true });
    await writeSamplePng(abs, f.cls ?? FIXTURE_CLASSES[n % 3]!, f.i ?? n);
    const bytes = readFileSync(abs);
    rows.push({ relPath: f.relPath, source: 'file' as const, width: 32, height: 32, channels: 3, contentHash: createHash('sha256').update(bytes).digest('hex'), label: f.label, split: null, metadata: {} });
  }
  catalog.insertSamples(datasetId, rows);
  return idsOf(catalog, datasetId, files.map((f) => f.relPath));
}

/** MNIST-like samples: gray8 pixels kept in the project, as the MNIST import stores them. */
export function addBlobDataset(catalog: Catalog, specs: Array<{ relPath: string; label: string | null }>, size = 28): { ids: number[]; pixels: Buffer[] } {
  const datasetId = catalog.findOrCreateDataset('mnist', null, 'MNIST');
  const pixels = specs.map((_, n) => Buffer.from(Array.from({ length: size * size }, (_v, j) => (j * 7 + n * 31) % 256)));
  catalog.insertSamples(datasetId, specs.map((s, n) => ({
    relPath: s.relPath, source: 'blob' as const, width: size, height: size, channels: 1, contentHash: createHash('sha256').update(pixels[n]!).digest('hex'),
    label: s.label, split: s.relPath.split('/')[0]!, metadata: {},
    image: { kind: 'full' as const, format: 'gray8' as const, width: size, height: size, data: pixels[n]! },
  })));
  return { ids: idsOf(catalog, datasetId, specs.map((s) => s.relPath)), pixels };
}

function idsOf(catalog: Catalog, datasetId: number, relPaths: string[]): number[] {
  const stmt = catalog.db.prepare('SELECT id FROM samples WHERE dataset_id = ? AND rel_path = ?').pluck();
  return relPaths.map((p) => stmt.get(datasetId, p) as number);
}

export function addSlice(catalog: Catalog, name: string, members: Array<{ id: number; reason: string }>, opts: { params?: unknown; mapId?: number | null; seed?: number } = {}): number {
  const version = ((catalog.db.prepare('SELECT MAX(version) FROM slices WHERE name = ?').pluck().get(name) as number | null) ?? 0) + 1;
  const sliceId = Number(catalog.db.prepare('INSERT INTO slices (name, version, mode, params, seed, map_id) VALUES (?, ?, ?, ?, ?, ?)')
    .run(name, version, 'representative', JSON.stringify(opts.params ?? { n: members.length }), opts.seed ?? 7, opts.mapId ?? null).lastInsertRowid);
  const insert = catalog.db.prepare('INSERT INTO slice_members (slice_id, sample_id, rank, reason) VALUES (?, ?, ?, ?)');
  members.forEach((m, rank) => insert.run(sliceId, m.id, rank, m.reason));
  return sliceId;
}

/** An embedding set, a map and one score row per sample (sparseness = id / 100). */
export function addScores(catalog: Catalog, ids: number[]): { mapId: number; setId: number } {
  const values: Record<string, string | number> = { model_key: 'fixture@1', model_name: 'fixture-model', model_sha256: 'abc123', spec: '{"size":8}', dim: 3, provider: 'cpu', model_path: '/models/fixture.onnx' };
  // Only the columns this schema has (model_path arrived after schema 2 was first written).
  const columns = (catalog.db.prepare('SELECT name FROM pragma_table_info(\'embedding_sets\')').pluck().all() as string[]).filter((c) => c in values);
  const setId = Number(catalog.db.prepare(`INSERT INTO embedding_sets (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...columns.map((c) => values[c]!)).lastInsertRowid);
  const empty = Buffer.alloc(0);
  const mapId = Number(catalog.db.prepare('INSERT INTO maps (set_id, params, sample_ids, knn_k, knn_indices, knn_distances) VALUES (?, ?, ?, 1, ?, ?)').run(setId, '{}', empty, empty, empty).lastInsertRowid);
  const insert = catalog.db.prepare('INSERT INTO scores (map_id, sample_id, sparseness, noise, suggested_label, suggested_confidence, dup_group, exact_dup_group, cluster) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const id of ids) insert.run(mapId, id, id / 100, 0.5, 'square', 0.25, null, null, id % 2);
  return { mapId, setId };
}

export function relabel(catalog: Catalog, id: number, label: string | null): void {
  catalog.db.prepare('UPDATE samples SET label = ? WHERE id = ?').run(label, id);
}

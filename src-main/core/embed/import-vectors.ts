// `winnow vectors import`: vectors made elsewhere join the project as one embedding set. Two
// sources: a folder of Winnow shards (embed-shard on any engine; the model's hash and spec come
// with them), or a user's own .npy + ids CSV (a model Winnow never ran, named by --model-name).
// Every check runs before the one write transaction, so a refused import changes nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, normalize, resolve } from 'node:path';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import { parseCsv } from '../import/csv';
import { EmbeddingStore, type ExternalModel } from './embedding-store';
import type { ModelSpec } from './model';
import { readNpyFile } from './npy';
import { readShardSet } from './vector-shards';

export interface ImportVectorsParams { source: string; ids?: string; modelName?: string; allowMissing?: boolean }

export interface ImportVectorsResult { setId: number; model: string; dim: number; imported: number; failed: number; missing: number; shards: number | null }

interface Incoming { model: { name: string; sha256: string; key: string; path: string; spec: ModelSpec | ExternalModel }; dim: number; paths: string[]; vectors: Float32Array; failed: Array<{ path: string; reason: string }>; shards: number | null }

export function importVectors(catalog: Catalog, p: ImportVectorsParams): ImportVectorsResult {
  const incoming = existsSync(p.source) && statSync(p.source).isDirectory() ? fromShards(p.source) : fromNpy(p);
  const store = new EmbeddingStore(catalog);
  const samples = store.samplePaths();
  const byAbs = new Map<string, number>();
  const byRel = new Map<string, number[]>();
  for (const s of samples) {
    if (s.absPath) byAbs.set(resolve(s.absPath), s.id);
    byRel.set(s.relPath, [...(byRel.get(s.relPath) ?? []), s.id]);
  }
  const lookup = (path: string): number | undefined => {
    if (isAbsolute(path)) return byAbs.get(resolve(path));
    const ids = byRel.get(normalize(path));
    if (ids && ids.length > 1) throw new RpcError('bad_request', `"${path}" names ${ids.length} samples (one per dataset); use absolute paths`);
    return ids?.[0];
  };
  const rows: Array<{ sampleId: number; offset: number }> = [];
  const unknown: string[] = [];
  const covered = new Set<number>();
  incoming.paths.forEach((path, offset) => {
    const id = lookup(path);
    if (id === undefined) unknown.push(path);
    else {
      rows.push({ sampleId: id, offset });
      covered.add(id);
    }
  });
  if (unknown.length) throw new RpcError('bad_request', `${unknown.length} vector row(s) name images that are not in the project (first: ${unknown[0]}); import those images first`);
  const failed: Array<{ sampleId: number; reason: string }> = [];
  for (const f of incoming.failed) {
    const id = lookup(f.path);
    if (id !== undefined && !covered.has(id)) {
      failed.push({ sampleId: id, reason: f.reason });
      covered.add(id);
    }
  }
  const missing = samples.filter((s) => !covered.has(s.id));
  if (missing.length && !p.allowMissing) throw new RpcError('bad_request', `${missing.length} of the project's ${samples.length} samples have no vector here (first: ${missing[0]!.absPath ?? missing[0]!.relPath}); embed them too, or pass --allow-missing`);
  const setId = store.findOrCreateSet({ key: incoming.model.key, name: incoming.model.name, sha256: incoming.model.sha256, onnxPath: incoming.model.path, spec: incoming.model.spec });
  store.importVectors(setId, incoming.dim, rows, incoming.vectors, failed);
  return { setId, model: incoming.model.name, dim: incoming.dim, imported: rows.length, failed: failed.length, missing: missing.length, shards: incoming.shards };
}

function fromShards(dir: string): Incoming {
  const set = readShardSet(dir);
  // The model file may not exist on this machine; similar-by-image then says so.
  return { model: { ...set.model, path: '' }, dim: set.dim, paths: set.paths, vectors: set.vectors, failed: set.failed, shards: set.shards };
}

/** A user's own matrix: FILE.npy (float32, rows × dim) + an ids CSV with a `path` column. */
function fromNpy(p: ImportVectorsParams): Incoming {
  if (!existsSync(p.source)) throw new RpcError('not_found', `no shard folder or .npy file at ${p.source}`);
  if (!p.source.endsWith('.npy')) throw new RpcError('bad_request', `${p.source} is neither a folder of shards nor a .npy file`);
  const name = p.modelName?.trim();
  if (!name) throw new RpcError('bad_request', 'vectors from a .npy file need --model-name NAME (the model that made them; vectors of one model must share one name, and a different model needs a different name)');
  let m: ReturnType<typeof readNpyFile>;
  try {
    m = readNpyFile(p.source);
  } catch (err) {
    throw new RpcError('bad_request', (err as Error).message);
  }
  const idsPath = p.ids ?? p.source.replace(/\.npy$/, '.ids.csv');
  if (!existsSync(idsPath)) throw new RpcError('not_found', `no ids file at ${idsPath}: a CSV with a "path" column, one row per vector (or pass --ids FILE)`);
  const table = parseCsv(readFileSync(idsPath, 'utf8')).filter((r) => r.some((c) => c.trim() !== ''));
  const col = table[0]?.findIndex((h) => h.trim().toLowerCase() === 'path') ?? -1;
  if (col < 0) throw new RpcError('bad_request', `${idsPath} needs a header row with a "path" column`);
  const paths = table.slice(1).map((r) => (r[col] ?? '').trim());
  if (paths.length !== m.rows) throw new RpcError('bad_request', `${idsPath} has ${paths.length} rows but ${p.source} has ${m.rows} vectors`);
  const blank = paths.findIndex((x) => !x);
  if (blank >= 0) throw new RpcError('bad_request', `${idsPath} row ${blank + 2} has no path`);
  const seen = new Set<string>();
  for (const x of paths) {
    if (seen.has(x)) throw new RpcError('bad_request', `${x} appears twice in ${idsPath}`);
    seen.add(x);
  }
  if (!m.data.every(Number.isFinite)) throw new RpcError('bad_request', `${p.source} holds NaN or infinite values`);
  const key = createHash('sha256').update(`external\0${name}`).digest('hex');
  return { model: { name, sha256: 'external', key, path: '', spec: { external: true, name, embeddingDim: m.cols } }, dim: m.cols, paths, vectors: m.data, failed: [], shards: null };
}

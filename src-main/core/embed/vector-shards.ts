// The shard format: what `winnow embed-shard` writes and `winnow vectors import` reads. A shard
// is `shard-IIIII-of-NNNNN.npy` (float32 rows) beside `shard-IIIII-of-NNNNN.json` (the model's
// hash and spec, the file list's hash, the path of every row, the files that failed). The JSON
// is written last, so its presence means the shard is complete; any engine (Dask, Ray, Spark, a
// shell loop) only has to run one command per shard and collect the folder.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { z } from 'zod';
import { RpcError } from '../../../src-shared/rpc/errors';
import { modelSpecSchema, type ModelSpec } from './model';
import { atomicWrite, readNpyFile, writeNpy } from './npy';

export const SHARD_FORMAT = 'winnow-vectors/1';

const shardMetaSchema = z.object({
  format: z.literal(SHARD_FORMAT),
  model: z.object({ name: z.string(), sha256: z.string(), key: z.string(), spec: modelSpecSchema }),
  dim: z.number().int().positive(),
  shard: z.object({ index: z.number().int().nonnegative(), count: z.number().int().positive() }),
  list: z.object({ sha256: z.string(), rows: z.number().int().nonnegative() }),
  paths: z.array(z.string()),
  failed: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type ShardMeta = z.infer<typeof shardMetaSchema>;

export interface ShardModel { name: string; sha256: string; key: string; spec: ModelSpec }

/** One shard's files, named so that `ls` sorts them in order. */
export function shardFiles(dir: string, index: number, count: number): { npy: string; json: string } {
  const base = join(dir, `shard-${String(index).padStart(5, '0')}-of-${String(count).padStart(5, '0')}`);
  return { npy: `${base}.npy`, json: `${base}.json` };
}

/** "3/8" → {index: 3, count: 8}; indexes count from 0. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count || count > 99_999) throw new RpcError('bad_request', `--shard must be I/N with 0 ≤ I < N (e.g. 0/4), not "${text}"`);
  return { index, count };
}

/**
 * The file list: one path per line (blank lines and lines starting with # skipped). `entries`
 * are the paths as written (normalised), which is what a shard records: relative paths match
 * the project's paths inside its dataset folder, so a list written relative to the dataset works
 * on workers that mount it elsewhere. `paths` are where this machine reads them (relative to
 * the list's own folder). The hash every shard records keeps shards of different lists apart.
 */
export function readFileList(listPath: string): { entries: string[]; paths: string[]; sha256: string } {
  let text: string;
  try {
    text = readFileSync(listPath, 'utf8');
  } catch (err) {
    throw new RpcError('not_found', `cannot read the file list ${listPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const base = dirname(resolve(listPath));
  const entries = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => normalize(l));
  if (entries.length === 0) throw new RpcError('bad_request', `the file list ${listPath} names no files`);
  const paths = entries.map((e) => (isAbsolute(e) ? e : resolve(base, e)));
  return { entries, paths, sha256: createHash('sha256').update(entries.join('\n')).digest('hex') };
}

/** Rows [start, end) of shard I of N: contiguous, sizes differing by at most one. */
export function shardRange(rows: number, index: number, count: number): { start: number; end: number } {
  return { start: Math.floor((index * rows) / count), end: Math.floor(((index + 1) * rows) / count) };
}

/** The complete shard already in `dir` for this model and list, or null; another model's shard is refused. */
export function existingShard(dir: string, index: number, count: number, model: ShardModel, listSha: string): ShardMeta | null {
  const { json } = shardFiles(dir, index, count);
  if (!existsSync(json)) return null;
  const meta = readMeta(json);
  if (meta.model.key !== model.key) throw new RpcError('conflict', `${json} was embedded with another model (${meta.model.name}, sha256 ${meta.model.sha256.slice(0, 12)}…); write this model's shards to another --out folder`);
  if (meta.list.sha256 !== listSha) throw new RpcError('conflict', `${json} was made from another file list; write this list's shards to another --out folder`);
  return meta;
}

export function writeShard(dir: string, meta: Omit<ShardMeta, 'format'>, vectors: Float32Array): void {
  const { npy, json } = shardFiles(dir, meta.shard.index, meta.shard.count);
  writeNpy(npy, vectors, meta.paths.length, meta.dim);
  const body = JSON.stringify({ format: SHARD_FORMAT, ...meta });
  atomicWrite(json, (fd) => writeFileSync(fd, body));
}

export interface ShardSet { model: ShardModel; dim: number; paths: string[]; vectors: Float32Array; failed: Array<{ path: string; reason: string }>; shards: number }

/**
 * Every shard in `dir`, checked as one set: all N present, one model, one list, dimensions
 * that agree with the model and the .npy files, no path twice. Any disagreement is refused
 * with the shard it concerns, before anything is written anywhere.
 */
export function readShardSet(dir: string): ShardSet {
  if (!existsSync(dir)) throw new RpcError('not_found', `no folder at ${dir}`);
  const metas = readdirSync(dir).filter((f) => /^shard-\d{5}-of-\d{5}\.json$/.test(f)).sort().map((f) => ({ file: join(dir, f), meta: readMeta(join(dir, f)) }));
  if (metas.length === 0) throw new RpcError('not_found', `${dir} holds no shards (shard-IIIII-of-NNNNN.json); run winnow embed-shard first`);
  const first = metas[0]!.meta;
  const count = first.shard.count;
  for (const { file, meta } of metas) {
    if (meta.shard.count !== count) throw new RpcError('bad_request', `${file} is one of ${meta.shard.count} shards, but ${metas[0]!.file} is one of ${count}: mixed runs in one folder`);
    if (meta.model.key !== first.model.key) throw new RpcError('bad_request', `${file} was embedded with model ${meta.model.name} (sha256 ${meta.model.sha256.slice(0, 12)}…), ${metas[0]!.file} with ${first.model.name} (sha256 ${first.model.sha256.slice(0, 12)}…): sets are never mixed`);
    if (meta.list.sha256 !== first.list.sha256) throw new RpcError('bad_request', `${file} was made from another file list than ${metas[0]!.file}`);
    if (meta.dim !== meta.model.spec.embeddingDim) throw new RpcError('bad_request', `${file} says ${meta.dim} dimensions but its model gives ${meta.model.spec.embeddingDim}`);
  }
  const have = new Set(metas.map((m) => m.meta.shard.index));
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !have.has(i));
  if (missing.length) throw new RpcError('bad_request', `${missing.length} of ${count} shards are missing from ${dir} (first: shard ${missing[0]}/${count}); run winnow embed-shard --shard ${missing[0]}/${count} for each`);
  const total = metas.reduce((n, m) => n + m.meta.paths.length, 0);
  const vectors = new Float32Array(total * first.dim);
  const paths: string[] = [];
  const seen = new Set<string>();
  const failed: ShardSet['failed'] = [];
  for (const { file, meta } of metas) {
    const { npy } = shardFiles(dir, meta.shard.index, meta.shard.count);
    if (!existsSync(npy)) throw new RpcError('bad_request', `${file} has no ${npy} beside it`);
    let m: ReturnType<typeof readNpyFile>;
    try {
      m = readNpyFile(npy);
    } catch (err) {
      throw new RpcError('bad_request', (err as Error).message);
    }
    if (m.cols !== first.dim) throw new RpcError('bad_request', `${npy} has ${m.cols} dimensions, the model ${first.dim}`);
    if (m.rows !== meta.paths.length) throw new RpcError('bad_request', `${npy} has ${m.rows} rows but ${file} names ${meta.paths.length} paths`);
    for (const p of meta.paths) {
      if (seen.has(p)) throw new RpcError('bad_request', `${p} appears in more than one shard (again in ${file})`);
      seen.add(p);
    }
    vectors.set(m.data, paths.length * first.dim);
    paths.push(...meta.paths);
    failed.push(...meta.failed);
  }
  return { model: first.model, dim: first.dim, paths, vectors, failed, shards: count };
}

function readMeta(file: string): ShardMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RpcError('bad_request', `cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = shardMetaSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RpcError('bad_request', `${file} is not a Winnow shard (${issue.path.join('.') || 'document'}: ${issue.message})`);
  }
  return parsed.data;
}

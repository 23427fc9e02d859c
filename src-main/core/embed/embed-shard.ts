// Embeds one shard of a file list, outside any project: the unit of work a distributed engine
// (Dask, Ray, Spark, a batch queue) hands to a worker. Same model, same decoding and the same
// pipeline as the project's embed job, so the vectors equal a single-process embed.
import { mkdirSync } from 'node:fs';
import { RpcError } from '../../../src-shared/rpc/errors';
import { decodedFileSource, runEmbedPipeline } from './embed-pipeline';
import type { JobParams } from '../../../src-shared/contract/job-map';
import { loadModel } from './model';
import { resolveModel } from './model-source';
import type { PrepareItem } from './prepare-batch';
import { existingShard, readFileList, shardFiles, shardRange, writeShard } from './vector-shards';

/** The model, spec, device and batch follow the embed job's own parameters (one schema for both). */
export type EmbedShardParams = { files: string; index: number; count: number; out: string } & JobParams<'embed'>;

export interface EmbedShardResult {
  shard: string; rows: number; embedded: number; failed: Array<{ path: string; reason: string }>;
  alreadyDone: boolean; model: string; provider: string | null; dim: number; imagesPerSecond: number; npy: string; json: string;
}

export async function embedShard(p: EmbedShardParams, onProgress: (done: number, total: number) => void = () => {}, signal: AbortSignal = new AbortController().signal): Promise<EmbedShardResult> {
  const source = resolveModel(p.model, p.spec, p.device);
  if (source.spec.whiten) {
    throw new RpcError('bad_request', `${source.name} whitens its vectors on the project's own images, which a shard cannot see: embed in the project instead (winnow embed --project FILE --model ${p.model}), or shard with another model`);
  }
  const list = readFileList(p.files);
  const { start, end } = shardRange(list.paths.length, p.index, p.count);
  const files = shardFiles(p.out, p.index, p.count);
  const label = `${p.index}/${p.count}`;
  mkdirSync(p.out, { recursive: true });
  const done = existingShard(p.out, p.index, p.count, source, list.sha256);
  if (done) {
    return { shard: label, rows: end - start, embedded: done.paths.length, failed: done.failed, alreadyDone: true, model: source.name, provider: null, dim: done.dim, imagesPerSecond: 0, ...files };
  }
  const paths = list.paths.slice(start, end);
  const entries = list.entries.slice(start, end);
  const batchSize = p.batch ?? 64;
  const dim = source.spec.embeddingDim;
  const model = await loadModel(source.onnxPath, source.spec, { device: p.device ?? 'auto', byteInput: decodedFileSource(source.spec) });
  const vectors = new Float32Array(paths.length * dim);
  const kept: string[] = [];
  const failed: Array<{ path: string; reason: string }> = [];
  const started = Date.now();
  const batchCount = Math.ceil(paths.length / batchSize);
  try {
    await runEmbedPipeline({
      model, spec: source.spec, batchCount, signal,
      // A row's sample id here is its index in the shard, so the batch's results map back to paths.
      itemsOf: (b) => paths.slice(b * batchSize, (b + 1) * batchSize).map((path, i): PrepareItem => ({ sampleId: b * batchSize + i, kind: 'file', path })),
      onBatch: (prepared, out, b) => {
        vectors.set(out, kept.length * dim);
        for (const id of prepared.ids) kept.push(entries[id]!);
        for (const f of prepared.failed) failed.push({ path: entries[f.sampleId]!, reason: f.reason });
        onProgress(Math.min(paths.length, (b + 1) * batchSize), paths.length);
      },
    });
  } finally {
    await model.session.release();
  }
  writeShard(p.out, {
    model: { name: source.name, sha256: source.sha256, key: source.key, spec: source.spec }, dim,
    shard: { index: p.index, count: p.count }, list: { sha256: list.sha256, rows: list.paths.length }, paths: kept, failed,
  }, vectors.subarray(0, kept.length * dim));
  const seconds = (Date.now() - started) / 1000;
  return { shard: label, rows: paths.length, embedded: kept.length, failed, alreadyDone: false, model: source.name, provider: model.provider, dim, imagesPerSecond: seconds > 0 ? kept.length / seconds : 0, ...files };
}

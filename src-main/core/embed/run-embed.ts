// The embedding job: decode + preprocess in worker threads (several batches ahead), inference on
// the main thread's onnxruntime session, vectors committed per batch. Resuming skips every
// sample that already has a vector (or a recorded failure) in this model's set.
import os from 'node:os';
import type { Catalog } from '../catalog/catalog';
import type { JobContext } from '../jobs/job-manager';
import { workerEntry } from '../../workers/entries';
import { WorkerPool } from '../../workers/pool';
import { EmbeddingStore } from './embedding-store';
import { embedBatch, loadModel, type Device } from './model';
import { resolveModel } from './model-source';
import type { PrepareItem, PreparedBatch } from './prepare-batch';

export interface EmbedParams { model?: string; spec?: string; device?: Device; batch?: number }

export interface EmbedResult {
  setId: number; model: string; provider: string; fallbackReason: string | null; dim: number;
  embedded: number; skipped: number; failed: Array<{ sampleId: number; reason: string }>; imagesPerSecond: number;
}

const PREFETCH = 3;

export async function runEmbed(catalog: Catalog, params: EmbedParams, ctx: JobContext): Promise<EmbedResult> {
  const source = resolveModel(params.model, params.spec);
  const batchSize = params.batch ?? 64;
  const model = await loadModel(source.onnxPath, source.spec, { device: params.device ?? 'auto' });
  const store = new EmbeddingStore(catalog);
  const setId = store.findOrCreateSet(source);
  store.setProvider(setId, model.provider);
  const pending = store.pending(setId);
  const total = catalog.overview().total;
  const skipped = total - pending.length;
  const where = `${source.name} on ${model.provider.toUpperCase()}${model.fallbackReason ? ` (${model.fallbackReason})` : ''}`;
  ctx.progress(skipped, total, where);

  const workers = Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2)));
  const pool = new WorkerPool<PrepareItem[], PreparedBatch>(workerEntry('embed-prepare'), workers, 300_000, { spec: source.spec });
  const started = Date.now();
  let embedded = 0;
  const inflight: Array<Promise<PreparedBatch>> = [];
  try {
    const batches: number[][] = [];
    for (let i = 0; i < pending.length; i += batchSize) batches.push(pending.slice(i, i + batchSize));
    let next = 0;
    const launch = () => {
      const p = pool.run(items(catalog, batches[next++]!));
      p.catch(() => {});
      inflight.push(p);
    };
    while (next < batches.length && inflight.length < PREFETCH) launch();
    let done = skipped;
    for (let b = 0; b < batches.length; b++) {
      ctx.signal.throwIfAborted();
      const prepared = await inflight.shift()!;
      if (next < batches.length) launch();
      const vectors = prepared.ids.length ? await embedBatch(model, prepared.tensor, prepared.ids.length) : new Float32Array(0);
      store.writeBatch(setId, prepared.ids, vectors, source.spec.embeddingDim, prepared.failed);
      embedded += prepared.ids.length;
      done += batches[b]!.length;
      ctx.progress(done, total, where);
    }
  } finally {
    await pool.close();
    await model.session.release();
  }
  const seconds = (Date.now() - started) / 1000;
  return {
    setId, model: source.name, provider: model.provider, fallbackReason: model.fallbackReason ?? null, dim: source.spec.embeddingDim,
    embedded, skipped, failed: store.errors(setId), imagesPerSecond: seconds > 0 ? embedded / seconds : 0,
  };
}

function items(catalog: Catalog, ids: number[]): PrepareItem[] {
  const sources = catalog.sampleSources(ids);
  return ids.map((sampleId): PrepareItem => {
    const src = sources.get(sampleId);
    if (!src) return { sampleId, kind: 'file', path: '' };
    if (src.kind === 'file') return { sampleId, kind: 'file', path: src.absPath };
    return { sampleId, kind: 'gray8', width: src.image.width, height: src.image.height, data: src.image.data };
  });
}

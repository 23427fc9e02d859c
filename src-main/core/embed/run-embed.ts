// The embedding job: decode + resize in worker threads (several batches ahead), inference on
// the main thread's onnxruntime session, vectors committed per batch. Resuming skips every
// sample that already has a vector (or a recorded failure) in this model's set.
// The model takes uint8 pixels and normalises them itself (model/byte-input.ts); a project of
// stored pixels of one size (MNIST) is fed as stored, with no worker at all, so onnxruntime's
// threads have the cores to themselves.
import os from 'node:os';
import type { Catalog } from '../catalog/catalog';
import type { JobContext } from '../jobs/job-manager';
import { workerEntry } from '../../workers/entries';
import { WorkerPool } from '../../workers/pool';
import { EmbeddingStore } from './embedding-store';
import { embedInput, loadModel, type ByteSource, type Device, type ModelSpec } from './model';
import { resolveModel } from './model-source';
import { copyStoredBatch, type PrepareConfig, type PrepareItem, type PreparedBatch } from './prepare-batch';

export interface EmbedParams { model?: string; spec?: string; device?: Device; batch?: number }

export interface EmbedResult {
  setId: number; model: string; provider: string; fallbackReason: string | null; dim: number;
  embedded: number; skipped: number; failed: Array<{ sampleId: number; reason: string }>; imagesPerSecond: number;
  timings: { inferenceMs: number; waitMs: number; storeMs: number };
}

const PREFETCH = 3;

export async function runEmbed(catalog: Catalog, params: EmbedParams, ctx: JobContext): Promise<EmbedResult> {
  // The CLI reaches this without the handler's check; an empty set must never be created.
  if (catalog.overview().total === 0) throw new Error('Nothing to embed: this project has no samples yet. Import images first.');
  const source = resolveModel(params.model, params.spec);
  const batchSize = params.batch ?? 64;
  const model = await loadModel(source.onnxPath, source.spec, { device: params.device ?? 'auto', byteInput: byteSourceFor(catalog, source.spec) });
  const store = new EmbeddingStore(catalog);
  const setId = store.findOrCreateSet(source);
  store.setProvider(setId, model.provider);
  const pending = store.pending(setId);
  const total = catalog.overview().total;
  const skipped = total - pending.length;
  const where = `${source.name} on ${model.provider.toUpperCase()}${model.fallbackReason ? ` (${model.fallbackReason})` : ''}`;
  ctx.progress(skipped, total, where);

  const workers = Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2)));
  const config: PrepareConfig = { spec: source.spec, ...(model.byteInput ? { byteInput: model.byteInput } : {}) };
  let pool: WorkerPool<PrepareItem[], PreparedBatch> | null = null;
  const prepare = (batch: PrepareItem[]): Promise<PreparedBatch> => {
    const stored = model.byteInput ? copyStoredBatch(batch, model.byteInput) : null;
    if (stored) return Promise.resolve(stored);
    pool ??= new WorkerPool<PrepareItem[], PreparedBatch>(workerEntry('embed-prepare'), workers, 300_000, config);
    return pool.run(batch);
  };
  const started = Date.now();
  const timings = { inferenceMs: 0, waitMs: 0, storeMs: 0 };
  let embedded = 0;
  const inflight: Array<Promise<PreparedBatch>> = [];
  try {
    const batches: number[][] = [];
    for (let i = 0; i < pending.length; i += batchSize) batches.push(pending.slice(i, i + batchSize));
    let next = 0;
    const launch = () => {
      const p = prepare(items(catalog, batches[next++]!));
      p.catch(() => {});
      inflight.push(p);
    };
    while (next < batches.length && inflight.length < PREFETCH) launch();
    let done = skipped;
    for (let b = 0; b < batches.length; b++) {
      ctx.signal.throwIfAborted();
      const t0 = performance.now();
      const prepared = await inflight.shift()!;
      if (next < batches.length) launch();
      const n = prepared.ids.length;
      const t1 = performance.now();
      const vectors = n === 0 ? new Float32Array(0) : await embedInput(model, prepared.tensor, n);
      const t2 = performance.now();
      store.writeBatch(setId, prepared.ids, vectors, source.spec.embeddingDim, prepared.failed);
      timings.waitMs += t1 - t0;
      timings.inferenceMs += t2 - t1;
      timings.storeMs += performance.now() - t2;
      embedded += prepared.ids.length;
      done += batches[b]!.length;
      ctx.progress(done, total, where);
    }
  } finally {
    await (pool as WorkerPool<PrepareItem[], PreparedBatch> | null)?.close();
    await model.session.release();
  }
  const seconds = (Date.now() - started) / 1000;
  return {
    setId, model: source.name, provider: model.provider, fallbackReason: model.fallbackReason ?? null, dim: source.spec.embeddingDim,
    embedded, skipped, failed: store.errors(setId), imagesPerSecond: seconds > 0 ? embedded / seconds : 0, timings,
  };
}

/**
 * The pixels the model is fed. Stored grey images of one size no larger than the model's input
 * go in as they are (the model enlarges them); anything else is decoded and resized to the
 * model's size in the workers (libvips shrinks with antialiasing, which the graph's bilinear
 * resize would not).
 */
function byteSourceFor(catalog: Catalog, spec: ModelSpec): ByteSource {
  const { width: W, height: H } = spec.inputSize;
  const shapes = catalog.db.prepare('SELECT DISTINCT source, width, height, channels FROM samples').raw().all() as Array<[string, number, number, number]>;
  const [only] = shapes;
  if (shapes.length === 1 && only![0] === 'blob' && only![3] === 1 && only![1] <= W && only![2] <= H) return { width: only![1], height: only![2], channels: 1 };
  return { width: W, height: H, channels: 3 };
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

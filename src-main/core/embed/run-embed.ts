// The embedding job: the shared pipeline (embed-pipeline.ts) over the project's pending
// samples, vectors committed per batch. Resuming skips every sample that already has a vector
// (or a recorded failure) in this model's set.
// The model takes uint8 pixels and normalises them itself (model/byte-input.ts); a project of
// stored pixels of one size (MNIST) is fed as stored, with no worker at all, so onnxruntime's
// threads have the cores to themselves.
import type { JobParams } from '../../../src-shared/contract/job-map';
import type { EmbedJobResult } from '../../../src-shared/model/embedding';
import type { Catalog } from '../catalog/catalog';
import type { JobContext } from '../jobs/job-manager';
import { EmbeddingStore } from './embedding-store';
import { decodedFileSource, runEmbedPipeline } from './embed-pipeline';
import { loadModel, type ByteSource, type ModelSpec } from './model';
import { resolveModel } from './model-source';
import { continuingBuiltin } from './builtin-continuity';
import type { PrepareItem } from './prepare-batch';
import { whiteningFor } from './set-whitening';

export async function runEmbed(catalog: Catalog, params: JobParams<'embed'>, ctx: JobContext): Promise<EmbedJobResult> {
  // The CLI reaches this without the handler's check; an empty set must never be created.
  if (catalog.overview().total === 0) throw new Error('Nothing to embed: this project has no samples yet. Import images first.');
  const store = new EmbeddingStore(catalog);
  const source = resolveModel(params.model ?? continuingBuiltin(store), params.spec, params.device);
  const batchSize = params.batch ?? 64;
  const model = await loadModel(source.onnxPath, source.spec, { device: params.device ?? 'auto', byteInput: byteSourceFor(catalog, source.spec) });
  const setId = store.findOrCreateSet(source);
  store.setProvider(setId, model.provider);
  const total = catalog.overview().total;
  const where = `${source.name} on ${model.provider.toUpperCase()}${model.fallbackReason ? ` (${model.fallbackReason})` : ''}`;
  const whitening = source.spec.whiten ? whiteningFor(store, setId, source.spec.whiten, (n) => `${where}: fitting the whitening on ${n.toLocaleString('en')} images`) : null;
  const pending = whitening?.order(store.pending(setId)) ?? store.pending(setId);
  const skipped = total - pending.length;
  ctx.progress(skipped, total, where);

  const started = Date.now();
  let embedded = 0;
  let done = skipped;
  const batches: number[][] = [];
  for (let i = 0; i < pending.length; i += batchSize) batches.push(pending.slice(i, i + batchSize));
  const write = (ids: number[], vectors: Float32Array, failed: Array<{ sampleId: number; reason: string }>) => {
    store.writeBatch(setId, ids, vectors, source.spec.embeddingDim, failed);
    embedded += ids.length;
  };
  let timings;
  try {
    timings = await runEmbedPipeline({
      model, spec: source.spec, batchCount: batches.length, signal: ctx.signal,
      itemsOf: (b) => items(catalog, batches[b]!),
      onBatch: async (prepared, vectors, b) => {
        done += batches[b]!.length;
        if (whitening) await whitening.take(prepared.ids, vectors, prepared.failed, write, (note) => ctx.progress(done, total, note), ctx.signal);
        else write(prepared.ids, vectors, prepared.failed);
        ctx.progress(done, total, where);
      },
    });
  } finally {
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
export function byteSourceFor(catalog: Catalog, spec: ModelSpec): ByteSource {
  const { width: W, height: H } = spec.inputSize;
  const shapes = catalog.db.prepare('SELECT DISTINCT source, width, height, channels FROM samples').raw().all() as Array<[string, number, number, number]>;
  const [only] = shapes;
  if (shapes.length === 1 && only![0] === 'blob' && only![3] === 1 && only![1] <= W && only![2] <= H) return { width: only![1], height: only![2], channels: 1 };
  return decodedFileSource(spec);
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

// The one embedding loop, shared by the project's embed job and by `winnow embed-shard`:
// batches are decoded and resized in worker threads (several ahead) while the main thread's
// onnxruntime session embeds the current one. Stored grey pixels of the model's byte size skip
// the workers (a byte copy), so onnxruntime's threads have the cores to themselves.
import os from 'node:os';
import { workerEntry } from '../../workers/entries';
import { WorkerPool } from '../../workers/pool';
import { embedInput, type ByteSource, type LoadedModel, type ModelSpec } from './model';
import { copyStoredBatch, type PrepareConfig, type PrepareItem, type PreparedBatch } from './prepare-batch';

const PREFETCH = 3;

export interface PipelineTimings { inferenceMs: number; waitMs: number; storeMs: number }

export interface PipelineInput {
  model: LoadedModel;
  spec: ModelSpec;
  batchCount: number;
  /** The items of batch b, asked for only when that batch is launched (keeps memory flat). */
  itemsOf: (b: number) => PrepareItem[];
  /** Called in batch order with the vectors of the images that decoded, and awaited; its time counts as store time. */
  onBatch: (prepared: PreparedBatch, vectors: Float32Array, b: number) => void | Promise<void>;
  signal: AbortSignal;
}

export async function runEmbedPipeline(input: PipelineInput): Promise<PipelineTimings> {
  const { model, spec, batchCount, itemsOf, onBatch, signal } = input;
  const workers = Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2)));
  const config: PrepareConfig = { spec, ...(model.byteInput ? { byteInput: model.byteInput } : {}) };
  let pool: WorkerPool<PrepareItem[], PreparedBatch> | null = null;
  const prepare = (batch: PrepareItem[]): Promise<PreparedBatch> => {
    const stored = model.byteInput ? copyStoredBatch(batch, model.byteInput) : null;
    if (stored) return Promise.resolve(stored);
    pool ??= new WorkerPool<PrepareItem[], PreparedBatch>(workerEntry('embed-prepare'), workers, 300_000, config);
    return pool.run(batch);
  };
  const timings: PipelineTimings = { inferenceMs: 0, waitMs: 0, storeMs: 0 };
  const inflight: Array<Promise<PreparedBatch>> = [];
  try {
    let next = 0;
    const launch = () => {
      const p = prepare(itemsOf(next++));
      p.catch(() => {});
      inflight.push(p);
    };
    while (next < batchCount && inflight.length < PREFETCH) launch();
    for (let b = 0; b < batchCount; b++) {
      signal.throwIfAborted();
      const t0 = performance.now();
      const prepared = await inflight.shift()!;
      if (next < batchCount) launch();
      const n = prepared.ids.length;
      const t1 = performance.now();
      const vectors = n === 0 ? new Float32Array(0) : await embedInput(model, prepared.tensor, n);
      const t2 = performance.now();
      await onBatch(prepared, vectors, b);
      timings.waitMs += t1 - t0;
      timings.inferenceMs += t2 - t1;
      timings.storeMs += performance.now() - t2;
    }
  } finally {
    await (pool as WorkerPool<PrepareItem[], PreparedBatch> | null)?.close();
  }
  return timings;
}

/** Image files are decoded by sharp straight to the model's size, as RGB bytes. */
export function decodedFileSource(spec: ModelSpec): ByteSource {
  return { width: spec.inputSize.width, height: spec.inputSize.height, channels: 3 };
}

// Worker entry: decodes and preprocesses embedding batches.
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelSpec } from '../core/embed/model';
import { prepareBatch, type PrepareItem, type PreparedBatch } from '../core/embed/prepare-batch';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('embed-prepare must run in a worker thread');
const spec = (workerData as { spec: ModelSpec }).spec;
serveTasks<PrepareItem[], PreparedBatch>(parentPort, async (items) => {
  const output = await prepareBatch(items, spec);
  return { output, transfer: [output.tensor.buffer as ArrayBuffer] };
});

// Worker entry: decodes and preprocesses embedding batches.
import { parentPort, workerData } from 'node:worker_threads';
import { prepareBatch, type PrepareConfig, type PrepareItem, type PreparedBatch } from '../core/embed/prepare-batch';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('embed-prepare must run in a worker thread');
const config = workerData as PrepareConfig;
serveTasks<PrepareItem[], PreparedBatch>(parentPort, async (items) => {
  const output = await prepareBatch(items, config);
  return { output, transfer: [output.tensor.buffer as ArrayBuffer] };
});

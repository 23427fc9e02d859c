// Worker entry: the aligned stage of the near-duplicate groups (core/curate/aligned-groups.ts), off
// the core's event loop.
import { parentPort } from 'node:worker_threads';
import { alignedDuplicatePairs } from '../core/curate/engine';
import { unpack, type AlignedResult, type AlignedTask } from '../core/curate/aligned-groups';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('aligned-duplicates must run in a worker thread');
serveTasks<AlignedTask, AlignedResult>(parentPort, async (task) => {
  const done = new Int32Array(task.done);
  const output = alignedDuplicatePairs({ ...unpack(task), groupOf: task.groupOf }, {}, (share) => Atomics.store(done, 0, Math.round(share * 1e6)));
  return { output, transfer: [output.a.buffer as ArrayBuffer, output.b.buffer as ArrayBuffer] };
});

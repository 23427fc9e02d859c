// Worker entry: the aligned stage of the near-duplicate groups (core/curate/aligned-groups.ts), off
// the core's event loop: the plan (every row's candidates), or one part of its comparisons.
import { parentPort } from 'node:worker_threads';
import { alignedPlan, comparePlan } from '../core/curate/engine';
import { unpack, type AlignedResult, type AlignedTask } from '../core/curate/aligned-groups';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('aligned-duplicates must run in a worker thread');
serveTasks<AlignedTask, AlignedResult>(parentPort, async (task) => {
  const done = new Int32Array(task.data.done);
  const report = (rows: number) => { Atomics.add(done, 0, rows); };
  const input = { ...unpack(task.data), groupOf: task.data.groupOf };
  if (task.kind === 'plan') return { output: alignedPlan(input, {}, report) };
  const output = comparePlan(input, task.plan, {}, task.part, report);
  return { output, transfer: [output.a.buffer as ArrayBuffer, output.b.buffer as ArrayBuffer, output.order.buffer as ArrayBuffer] };
});

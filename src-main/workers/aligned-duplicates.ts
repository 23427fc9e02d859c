// Worker entry: the aligned stage of the near-duplicate groups (core/curate/aligned-groups.ts), off
// the core's event loop: a part of the plan's patterns, one index's candidate lists, or a part of
// the comparisons.
import { parentPort } from 'node:worker_threads';
import { comparePlan, planLists, planPatterns } from '../core/curate/engine';
import { unpack, type AlignedResult, type AlignedTask } from '../core/curate/aligned-groups';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('aligned-duplicates must run in a worker thread');
serveTasks<AlignedTask, AlignedResult>(parentPort, async (task) => {
  const done = new Int32Array(task.data.done);
  const report = (rows: number) => { Atomics.add(done, 0, rows); };
  const input = { ...unpack(task.data), groupOf: task.data.groupOf };
  if (task.kind === 'patterns') {
    const output = planPatterns(input, {}, task.part, report);
    return { output, transfer: [output.rows, output.anchored, output.zoomed, output.cut, output.has].map((a) => a.buffer as ArrayBuffer) };
  }
  if (task.kind === 'lists') {
    const output = planLists(input, {}, task.patterns, task.index, report);
    // The object index's two lists are views of one buffer: each buffer once.
    return { output, transfer: [...new Set(Object.values(output).map((a: Int32Array) => a.buffer as ArrayBuffer))] };
  }
  const output = comparePlan(input, task.plan, {}, task.part, report);
  return { output, transfer: [output.a.buffer as ArrayBuffer, output.b.buffer as ArrayBuffer, output.order.buffer as ArrayBuffer] };
});

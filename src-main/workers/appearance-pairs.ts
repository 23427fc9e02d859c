// Worker entry: the near-duplicate links of one appearance pattern over signatures in shared
// memory (core/curate/appearance-pairs.ts), so a big project's two pattern searches run at once;
// or one pattern's tree, made once for every thread's search.
import { parentPort } from 'node:worker_threads';
import { patternPairs, preparePattern } from '../core/curate/engine';
import type { PairsTask, PairsResult } from '../core/curate/appearance-pairs';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('appearance-pairs must run in a worker thread');
serveTasks<PairsTask, PairsResult>(parentPort, async (task) => {
  const at = new Float64Array(task.offsets);
  const signatures = Array.from(at, (offset) => new Uint8Array(task.buffer, offset, task.length));
  // The prepared pattern lives in shared memory: posted back, not copied.
  if (task.kind === 'prepare') return { output: preparePattern(signatures, task.off, true) };
  const counter = new Int32Array(task.passed);
  const output = patternPairs(signatures, task.threshold, task.off, { from: task.from, to: task.to }, (rows) => Atomics.add(counter, 0, rows), task.prepared);
  return { output, transfer: [output.a.buffer as ArrayBuffer, output.b.buffer as ArrayBuffer] };
});

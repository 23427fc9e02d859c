// Worker entry for the near-duplicate search over signatures in shared memory
// (core/curate/appearance-pairs.ts): leading a whole search (its own threads below), making one
// pattern's tree once for every thread's search, or searching a range of queries against it.
import { parentPort } from 'node:worker_threads';
import { patternPairs, preparePattern } from '../core/curate/engine';
import { leadSearch, taskSignatures, type PairsTask, type PairsResult } from '../core/curate/appearance-pairs';
import { serveTasks } from './pool';
import { useNativeRowProducts } from '../core/native/gemm';

if (!parentPort) throw new Error('appearance-pairs must run in a worker thread');
// The trees' projection of every signature goes through onnxruntime's GEMM, as in the scoring thread.
useNativeRowProducts();
serveTasks<PairsTask, PairsResult>(parentPort, async (task) => {
  const signatures = taskSignatures(task);
  if (task.kind === 'groups') {
    const output = await leadSearch(signatures, task.buffer, task.offsets, task.threshold, task.parallelAbove, task.passed);
    return { output, transfer: [output.buffer as ArrayBuffer] };
  }
  // The prepared pattern lives in shared memory: posted back, not copied.
  if (task.kind === 'prepare') return { output: preparePattern(signatures, task.off, true) };
  const counter = new Int32Array(task.passed);
  const output = patternPairs(signatures, task.threshold, task.off, { from: task.from, to: task.to }, (rows) => Atomics.add(counter, 0, rows), task.prepared);
  return { output, transfer: [output.a.buffer as ArrayBuffer, output.b.buffer as ArrayBuffer] };
});

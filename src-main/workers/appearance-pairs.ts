// Worker entry: the near-duplicate links of one appearance pattern over signatures in shared
// memory (core/curate/appearance-pairs.ts), so a big project's two pattern searches run at once.
import { parentPort } from 'node:worker_threads';
import { patternPairs } from '../core/curate/engine';
import type { PairsTask, PairsResult } from '../core/curate/appearance-pairs';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('appearance-pairs must run in a worker thread');
serveTasks<PairsTask, PairsResult>(parentPort, async ({ buffer, offsets, length, threshold, off, from, to, passed }) => {
  const at = new Float64Array(offsets);
  const signatures = Array.from(at, (offset) => new Uint8Array(buffer, offset, length));
  const counter = new Int32Array(passed);
  const output = patternPairs(signatures, threshold, off, { from, to }, (rows) => Atomics.add(counter, 0, rows));
  return { output, transfer: [output.a.buffer as ArrayBuffer, output.b.buffer as ArrayBuffer] };
});

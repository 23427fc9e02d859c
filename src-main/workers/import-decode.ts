// Worker entry: decodes batches of image files for an import.
import { parentPort } from 'node:worker_threads';
import { decodeImage, type DecodeResult, type DecodeTask } from '../core/import/decode-image';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('import-decode must run in a worker thread');
serveTasks<DecodeTask[], DecodeResult[]>(parentPort, async (batch) => {
  const output: DecodeResult[] = [];
  for (const task of batch) output.push(await decodeImage(task));
  const transfer = output.flatMap((r) => (r.ok ? [r.thumb.buffer as ArrayBuffer] : []));
  return { output, transfer };
});

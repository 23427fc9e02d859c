// Worker entry: decodes batches of image files for an import. A batch answers for a prefix of
// its files: once BATCH_SOFT_SECONDS have passed, the rest go back undecoded and the import
// sends them again, so slow (legal) images never add up to the pool's task timeout.
import { parentPort } from 'node:worker_threads';
import { BATCH_SOFT_SECONDS, decodeImage, type DecodeResult, type DecodeTask } from '../core/import/decode-image';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('import-decode must run in a worker thread');
serveTasks<DecodeTask[], DecodeResult[]>(parentPort, async (batch) => {
  const output: DecodeResult[] = [];
  const started = performance.now();
  for (const task of batch) {
    output.push(await decodeImage(task));
    if (performance.now() - started > BATCH_SOFT_SECONDS * 1000) break;
  }
  const transfer = output.flatMap((r) => (r.ok ? [r.thumb.buffer as ArrayBuffer] : []));
  return { output, transfer };
});

// Worker entry: the appearance signature and tile of a batch of stored images
// (core/curate/appearance-store.ts), so a project's first scoring decodes on every core.
import { parentPort } from 'node:worker_threads';
import type { ImagePayload } from '../../src-shared/model/sample';
import { looksOf, type PackedLooks } from '../core/curate/appearance-store';
import { serveTasks } from './pool';

if (!parentPort) throw new Error('appearance must run in a worker thread');
serveTasks<Array<ImagePayload | null>, PackedLooks>(parentPort, async (images) => {
  const output = await looksOf(images);
  return { output, transfer: [output.signatures.buffer as ArrayBuffer, output.tiles.buffer as ArrayBuffer, output.ok.buffer as ArrayBuffer] };
});

// A folder of real MNIST test digits with planted cross-split copies (exact, shifted, noised,
// both), for the leak check's tests and e2e: the copies go to "test", their sources to "train".
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRng } from '../../src-shared/random';
import { shiftedCopy } from './curation/mnist';
import { readDemoPart } from '../core/import/idx';
import { makeMnistFolder } from './fixture-images';

export type LeakKind = 'exact' | 'shifted' | 'noised' | 'shifted+noised';
export const LEAK_KINDS: readonly LeakKind[] = ['exact', 'shifted', 'noised', 'shifted+noised'];
export interface PlantedLeak { source: string; copy: string; kind: LeakKind }

/** `count` test digits under `root`, plus `plants` copies of distinct digits (kinds in turn). */
export async function makeLeakFolder(root: string, count: number, plants: number, seed = 1): Promise<PlantedLeak[]> {
  const labels = await makeMnistFolder(root, count);
  const paths = [...labels.keys()];
  const part = readDemoPart('mnist', 'test');
  const rng = createRng(seed);
  const planted: PlantedLeak[] = [];
  for (let k = 0; k < plants; k++) {
    const index = Math.floor((k + 0.5) * count / plants);
    const source = paths[index]!;
    const kind = LEAK_KINDS[k % LEAK_KINDS.length]!;
    const copy = `${labels.get(source)}/zz-leak-${k}.png`;
    if (kind === 'exact') copyFileSync(join(root, source), join(root, copy));
    else {
      const [dx, dy] = kind === 'noised' ? [0, 0] : [k % 2 ? 1 : -1, k % 3 ? 2 : 1];
      const pixels = shiftedCopy(part.images, index, dx, dy, kind === 'shifted' ? 0 : 8, rng);
      await sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(root, copy));
    }
    planted.push({ source, copy, kind });
  }
  return planted;
}

/**
 * The split of each path in a leak folder: copies in test, their sources in train, the other
 * digits every fifth in test. Passed to LabelEdits.setField as a per-sample value.
 */
export function leakFixtureSplit(planted: PlantedLeak[]): (relPath: string) => string {
  const copies = new Set(planted.map((p) => p.copy));
  const sources = new Set(planted.map((p) => p.source));
  return (relPath) => {
    if (copies.has(relPath)) return 'test';
    if (sources.has(relPath)) return 'train';
    const n = Number(/(\d+)\.png$/.exec(relPath)?.[1] ?? 0);
    return n % 5 === 0 ? 'test' : 'train';
  };
}

// Shifted copies of photos as the aligned stage sees them: a folder's thumbnails are reduced to
// 48 px for the comparison (grey-images.ts), so a shift of whole pixels in a 64 px photo is a
// shift of fractions of a pixel there, and fine texture half a pixel off no longer correlates at
// any whole-pixel shift. The stage aligns such pairs to a fraction of a pixel
// (engine/aligned-pixels.ts profileDistance and refinedWarp).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src-shared/random';
import { photoTexture, windowOf } from '../../testing/curation/frame-filling';
import { alignedDuplicatePairs, appearanceSignature, findAppearanceDuplicates, joinAlignedPairs } from './engine';
import { greyOf } from './grey-images';
import { withAlignedCopies } from './aligned-groups';

const SIDE = 64, CANVAS = 72;
const together = (groupOf: Int32Array, i: number, j: number) => groupOf[i]! >= 0 && groupOf[i] === groupOf[j];

test('photos shifted by 1–3 px of their own size are grouped with their sources once reduced for the comparison; distinct photos are not', async () => {
  const rng = createRng(31);
  const canvases = Array.from({ length: 150 }, () => photoTexture(rng, CANVAS));
  const shifts = [[1, 0], [0, -1], [2, 1], [-3, 0], [1, 3], [-2, -2]] as const;
  const windows = canvases.map((c) => windowOf(c, CANVAS, 4, 4, SIDE));
  const copies = Array.from({ length: 30 }, (_, k) => windowOf(canvases[k * 5]!, CANVAS, 4 + shifts[k % 6]![0], 4 + shifts[k % 6]![1], SIDE));
  const pixels = [...windows, ...copies];
  // As the app reads them: the signature from the stored image, the grey image reduced to 48 px.
  const signatures = pixels.map((p) => appearanceSignature(p, SIDE, SIDE, 1));
  const images = await Promise.all(pixels.map((p) => greyOf({ format: 'gray8', width: SIDE, height: SIDE, data: p })));
  assert.equal(images[0]!.width, 48);
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images, groupOf: base.groupOf });
  const joined = joinAlignedPairs(base, pairs.a, pairs.b);
  const found = copies.filter((_, k) => together(joined.groupOf, k * 5, windows.length + k)).length;
  assert.ok(found >= 28, `${found} of 30 shifted photos found`);
  const planted = new Set(copies.flatMap((_, k) => [k * 5, windows.length + k]));
  assert.deepEqual([...joined.groupOf.keys()].filter((i) => joined.groupOf[i]! >= 0 && !planted.has(i)), [], 'no distinct photo grouped');
  // The app's workers get the images' reduction with their pixels, and group the same.
  const app = await withAlignedCopies(base, signatures, async () => images, { threadAbove: 0 });
  assert.deepEqual(app.groups, joined.groups);
});

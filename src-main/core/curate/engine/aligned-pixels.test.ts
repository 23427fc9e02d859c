// Pixel comparisons after alignment (aligned-pixels.ts): a warped comparison reads its second
// image through rows it keeps between calls, so what was compared before must not change a
// distance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../../src-shared/random';
import { croppedFrame, frameFilling, randomCrop } from '../../../testing/curation/frame-filling';
import { prepareGrey, scaledDistance, warpLook } from './aligned-pixels';

const grey = (data: Uint8Array) => ({ data, width: 28, height: 28 });

test('a warped distance is the same whatever was compared before it', async () => {
  const rng = createRng(4);
  const items = Array.from({ length: 6 }, () => prepareGrey(grey(frameFilling(rng))));
  const crop = prepareGrey(grey(await croppedFrame(items[0]!.img.data, randomCrop(rng))));
  const warps = [[0.92, 0.5, 0.95, -0.25], [0.92, 0.5, 0.9, 1], [1, 0, 1, 0], [0.9, -1.25, 0.92, 0.5]];
  // Every pair at every warp, read in one order (consecutive warps share the x scale and offset, so
  // rows are kept between them), then again in another order with an unrelated comparison in between.
  const first = items.map((a, i) => items.map((b, j) => warps.map((w) => (i === j ? 0 : warpLook(a, b, w)))));
  for (let t = items.length - 1; t >= 0; t--) for (let u = 0; u < items.length; u++) for (let w = warps.length - 1; w >= 0; w--) {
    if (t === u) continue;
    warpLook(items[u]!, items[(u + 1) % items.length]!, warps[w]!);
    assert.equal(warpLook(items[t]!, items[u]!, warps[w]!), first[t]![u]![w]);
  }
  // A crop resized back is found near its source, and its refined distance does not depend on a
  // comparison with another image in between.
  const found = scaledDistance(crop, items[0]!, 0.87, 0.99, 3);
  warpLook(items[1]!, items[2]!, [0.92, 0.5, 0.95, -0.25]);
  assert.equal(scaledDistance(crop, items[0]!, 0.87, 0.99, 3), found);
  assert.ok(found < 0.02, `crop vs source ${found}`);
  assert.ok(scaledDistance(crop, items[3]!, 0.87, 0.99, 3) > 0.05);
});

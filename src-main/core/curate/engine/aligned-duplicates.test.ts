// The aligned stage (aligned-duplicates.ts): shifted, cropped and rescaled copies of frame-filling
// images and of whole objects are found and joined to their sources' groups; distinct images are
// left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { createRng } from '../../../../src-shared/random';
import { croppedFrame, frameFilling, randomCrop, shiftedFrame } from '../../../testing/curation/frame-filling';
import { loadMnist, shiftedCopy } from '../../../testing/curation/mnist';
import { fashionMissing, loadFashion } from '../../../testing/curation/fashion';
import { appearanceSignature, isFlatSignature, OBJECT_OFFSET } from './signature';
import { findAppearanceDuplicates } from './appearance-duplicates';
import { alignedDuplicatePairs, comparePlan, joinAlignedPairs, mergeFound } from './aligned-duplicates';
import { alignedPlan, assemblePlan, joinPatterns, planLists, planPatterns, PLAN_INDEXES } from './aligned-plan';
import { groupsFromGroupOf } from './duplicates';
import { areaResample } from './appearance-tile';
import { jpegLumaTable } from '../../images/jpeg-quant';
import { recompressionDistance } from './jpeg-recompression';
import { bruteKnn } from '../../../testing/curation/brute-knn';

const grey = (data: Uint8Array) => ({ data, width: 28, height: 28 });
const together = (groupOf: Int32Array, i: number, j: number) => groupOf[i]! >= 0 && groupOf[i] === groupOf[j];

/** Signature rule, then the aligned stage, as the app groups (appearance-groups-cache.ts). */
function groupsOf(pixels: Uint8Array[]) {
  const signatures = pixels.map((p) => appearanceSignature(p, 28, 28, 1));
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images: pixels.map(grey), groupOf: base.groupOf });
  return { base, joined: joinAlignedPairs(base, pairs.a, pairs.b), pairs };
}

test('copies of frame-filling images shifted 1–3 px are grouped with their sources; distinct images are not', () => {
  const rng = createRng(21);
  const items = Array.from({ length: 300 }, () => frameFilling(rng));
  const shifts = [[1, 0], [0, -2], [3, 1], [-3, -3], [2, 2], [-1, 3]] as const;
  const copies = Array.from({ length: 30 }, (_, k) => shiftedFrame(items[k * 9]!, shifts[k % 6]![0], shifts[k % 6]![1], 0, rng));
  const { base, joined } = groupsOf([...items, ...copies]);
  const found = copies.filter((_, k) => together(joined.groupOf, k * 9, items.length + k)).length;
  assert.equal(found, copies.length);
  // Only sources and their copies are grouped.
  const grouped = [...joined.groupOf.keys()].filter((i) => joined.groupOf[i]! >= 0);
  const planted = new Set(copies.flatMap((_, k) => [k * 9, items.length + k]));
  assert.deepEqual(grouped.filter((i) => !planted.has(i)), []);
  // The signature rule alone misses some of them: the stage is what finds them.
  assert.ok(copies.filter((_, k) => together(base.groupOf, k * 9, items.length + k)).length < copies.length);
});

test('copies of frame-filling images at another size are compared at the smaller one', () => {
  const rng = createRng(22);
  const items = Array.from({ length: 200 }, () => frameFilling(rng));
  const sides = [20, 36, 42, 56];
  const copies = Array.from({ length: 12 }, (_, k) => ({ data: areaResample(items[k * 13]!, 28, 28, sides[k % 4]!, sides[k % 4]!), side: sides[k % 4]! }));
  // A stretched copy (another shape) is not compared by pixels (the signature rule, whose frame
  // pattern ignores the aspect, may still group it).
  const stretched = { data: areaResample(items[190]!, 28, 28, 40, 28), width: 40, height: 28 };
  const images = [...items.map(grey), ...copies.map((c) => ({ data: c.data, width: c.side, height: c.side })), stretched];
  const signatures = images.map((g) => appearanceSignature(g.data, g.width, g.height, 1));
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images, groupOf: base.groupOf });
  const joined = joinAlignedPairs(base, pairs.a, pairs.b);
  assert.equal(copies.filter((_, k) => together(joined.groupOf, k * 13, 200 + k)).length, copies.length);
  assert.ok(!Array.from(pairs.b).includes(images.length - 1) && !Array.from(pairs.a).includes(images.length - 1));
  const planted = new Set([...copies.flatMap((_, k) => [k * 13, 200 + k]), 190, images.length - 1]);
  assert.deepEqual([...joined.groupOf.keys()].filter((i) => joined.groupOf[i]! >= 0 && !planted.has(i)), []);
  // The signature rule alone misses some of the rescaled copies: the stage is what finds them.
  assert.ok(copies.filter((_, k) => together(base.groupOf, k * 13, 200 + k)).length < copies.length);
});

test('crops of 5–10 % of frame-filling images, resized back, are grouped with their sources; distinct images are not', async () => {
  const rng = createRng(23);
  const items = Array.from({ length: 300 }, () => frameFilling(rng));
  const copies = await Promise.all(Array.from({ length: 30 }, (_, k) => croppedFrame(items[k * 9]!, randomCrop(rng))));
  const { base, joined } = groupsOf([...items, ...copies]);
  const found = copies.filter((_, k) => together(joined.groupOf, k * 9, items.length + k)).length;
  const byBase = copies.filter((_, k) => together(base.groupOf, k * 9, items.length + k)).length;
  // Measured: 17 of 30 (the signature rule: 0). Most misses are in the comparison, not the
  // candidates: the ellipse's hard edge resized by Lanczos sits 0.006–0.017 from the bilinear warp.
  assert.ok(found >= 15, `found ${found} of ${copies.length} (signature rule alone ${byBase})`);
  assert.ok(found > byBase);
  const planted = new Set(copies.flatMap((_, k) => [k * 9, items.length + k]));
  assert.deepEqual([...joined.groupOf.keys()].filter((i) => joined.groupOf[i]! >= 0 && !planted.has(i)), []);
});

test('copies enlarged by another tool (sharp: Lanczos, its own pixel placement) are found at the smaller size', async () => {
  const rng = createRng(25);
  const items = Array.from({ length: 200 }, () => frameFilling(rng));
  const sides = [36, 42];
  const copies = await Promise.all(Array.from({ length: 16 }, async (_, k) => {
    const side = sides[k % 2]!;
    const data = await sharp(Buffer.from(items[k * 12]!), { raw: { width: 28, height: 28, channels: 1 } }).resize(side, side, { fit: 'fill' }).greyscale().raw().toBuffer();
    return { data: new Uint8Array(data), width: side, height: side };
  }));
  const images = [...items.map(grey), ...copies];
  const signatures = images.map((g) => appearanceSignature(g.data, g.width, g.height, 1));
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images, groupOf: base.groupOf });
  const joined = joinAlignedPairs(base, pairs.a, pairs.b);
  const found = copies.filter((_, k) => together(joined.groupOf, k * 12, 200 + k)).length;
  // Before the search over sub-pixel offsets and zooms near 1 the stage found 12 (the signature
  // rule alone 11): sharp places the enlarged pixels a fraction of a pixel off, which a whole-pixel
  // shift cannot undo on this texture.
  assert.ok(found >= 15, `found ${found} of ${copies.length} (signature rule alone ${copies.filter((_, k) => together(base.groupOf, k * 12, 200 + k)).length})`);
  const planted = new Set(copies.flatMap((_, k) => [k * 12, 200 + k]));
  assert.deepEqual([...joined.groupOf.keys()].filter((i) => joined.groupOf[i]! >= 0 && !planted.has(i)), []);
});

/**
 * 400 MNIST test digits and a copy of every tenth made by `edit` (any size): the copies grouped
 * with their sources by the signature rule alone and with the stage, and the originals grouped
 * without one.
 */
async function digitCopies(edit: (digit: Uint8Array, k: number) => Promise<{ data: Uint8Array; width: number; height: number }>) {
  const digits = loadMnist('test', 400);
  const pixels = Array.from({ length: 400 }, (_, i) => digits.pixels.slice(i * 784, (i + 1) * 784));
  const copies = await Promise.all(Array.from({ length: 40 }, (_, k) => edit(pixels[k * 10]!, k)));
  const images = [...pixels.map(grey), ...copies];
  const signatures = images.map((g) => appearanceSignature(g.data, g.width, g.height, 1));
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images, groupOf: base.groupOf });
  const joined = joinAlignedPairs(base, pairs.a, pairs.b);
  const count = (groupOf: Int32Array) => copies.filter((_, k) => together(groupOf, k * 10, 400 + k)).length;
  const wrong = [...joined.groupOf.keys()].filter((i) => i < 400 && joined.groupOf[i]! >= 0 && i % 10 !== 0);
  return { found: count(joined.groupOf), byBase: count(base.groupOf), wrong, signatures };
}

test('digits (whole objects) cropped 5–10 % and resized back are found, crops that cut into the digit too', async () => {
  const rng = createRng(26);
  // Every fourth crop is cut at the side of the digit's nearest edge, so that it cuts into it.
  const { found, byBase, wrong, signatures } = await digitCopies(async (digit, k) => {
    const crop = randomCrop(rng);
    if (k % 4 === 0) { crop.left = 0; crop.top = 0; crop.width = 25; crop.height = 25; }
    return grey(await croppedFrame(digit, crop));
  });
  const cut = Array.from({ length: 40 }, (_, k) => k).filter((k) => isFlatSignature(signatures[400 + k]!, OBJECT_OFFSET));
  assert.ok(cut.length >= 5, `crops that cut into the digit: ${cut.length}`);
  // Measured: 18 of the 40 crops cut into the digit; the signature rule finds 18, the stage 37
  // (before whole objects were compared by pixels: 18).
  assert.ok(found >= 34, `found ${found} (signature rule alone ${byBase})`);
  assert.ok(found > byBase + 10);
  assert.ok(wrong.length <= 1, `originals grouped without a copy: ${wrong.join(' ')}`);
});

test('digits rescaled by another tool (sharp) are found at the smaller size', async () => {
  const sides = [20, 36, 42, 56];
  const { found, byBase, wrong } = await digitCopies(async (digit, k) => {
    const side = sides[k % 4]!;
    const data = await sharp(Buffer.from(digit), { raw: { width: 28, height: 28, channels: 1 } }).resize(side, side, { fit: 'fill' }).greyscale().raw().toBuffer();
    return { data: new Uint8Array(data), width: side, height: side };
  });
  // Measured: the signature rule finds 36 of 40, with the stage 40 (before whole objects were
  // compared by pixels: 36).
  assert.ok(found >= 39, `found ${found} (signature rule alone ${byBase})`);
  assert.ok(wrong.length <= 1, `originals grouped without a copy: ${wrong.join(' ')}`);
});

test('digits shifted 1–2 px are grouped, distinct digits of a class are not', async () => {
  const { found, wrong } = await digitCopies(async (digit, k) => grey(shiftedCopy(digit, 0, 1 + (k % 2), -1, 0, () => 0)));
  assert.ok(found >= 39, `found ${found}`);
  assert.deepEqual(wrong, []);
});

test('one shape in two colours is two items: levels that no brightness edit explains rule a pair out', () => {
  const digits = loadMnist('test', 60);
  // Each digit drawn in a colour on white, as RGB; the first 20 also in a second colour (the
  // signature rule's own levels check keeps those apart; the stage compares grey pixels).
  const paint = (digit: Uint8Array, [r, g, b]: number[]) => {
    const rgb = new Uint8Array(784 * 3);
    for (let p = 0; p < 784; p++) {
      const a = digit[p]! / 255;
      rgb[3 * p] = Math.round(255 + (r! - 255) * a); rgb[3 * p + 1] = Math.round(255 + (g! - 255) * a); rgb[3 * p + 2] = Math.round(255 + (b! - 255) * a);
    }
    return rgb;
  };
  const pixels = Array.from({ length: 60 }, (_, i) => digits.pixels.slice(i * 784, (i + 1) * 784));
  const red = pixels.map((d) => paint(d, [200, 30, 30]));
  const blue = pixels.slice(0, 20).map((d) => paint(d, [30, 30, 200]));
  const rgbs = [...red, ...blue];
  const signatures = rgbs.map((p) => appearanceSignature(p, 28, 28, 3));
  const images = rgbs.map((p) => grey(Uint8Array.from({ length: 784 }, (_, k) => Math.round(0.299 * p[3 * k]! + 0.587 * p[3 * k + 1]! + 0.114 * p[3 * k + 2]!))));
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images, groupOf: base.groupOf });
  const across = Array.from(pairs.a, (a, t) => [a, pairs.b[t]!]).filter(([a, b]) => a! < 60 && b! >= 60);
  // Without the levels check the stage took the two colours of a digit for copies (0 and 60, 1 and 61, …).
  assert.deepEqual(across, []);
});

/** The first `count` Fashion-MNIST test items and an edited copy of every tenth (copy k of item 10 k). */
async function fashionWithCopies(edit: (item: Uint8Array, k: number) => Uint8Array | Promise<Uint8Array>, count: number) {
  const items = loadFashion('test', count);
  const pixels = Array.from({ length: count }, (_, i) => items.pixels.slice(i * 784, (i + 1) * 784));
  const copies = await Promise.all(Array.from({ length: count / 10 }, (_, k) => edit(pixels[k * 10]!, k)));
  return { items, pixels, copies };
}

/**
 * `count` Fashion-MNIST test items (400 unless given) and a copy of every tenth made by `edit`: the
 * copies grouped with their sources by the signature rule alone and with the stage, and the
 * originals grouped without one.
 */
async function fashionCopies(edit: (item: Uint8Array, k: number) => Uint8Array | Promise<Uint8Array>, count = 400) {
  const { pixels, copies } = await fashionWithCopies(edit, count);
  const { base, joined } = groupsOf([...pixels, ...copies]);
  const found = (groupOf: Int32Array) => copies.filter((_, k) => together(groupOf, k * 10, count + k)).length;
  const wrong = [...joined.groupOf.keys()].filter((i) => i < count && joined.groupOf[i]! >= 0 && i % 10 !== 0);
  return { found: found(joined.groupOf), byBase: found(base.groupOf), wrong };
}

test('Fashion-MNIST items shifted 1–3 px are found', { skip: fashionMissing() }, async () => {
  const { found, byBase, wrong } = await fashionCopies((item, k) => shiftedCopy(item, 0, 1 + (k % 3), k % 2 ? -(1 + (k % 3)) : 0, 0, () => 0));
  // Measured: the signature rule finds 21 of 40, with the aligned stage 39.
  assert.ok(found >= 37, `found ${found} (signature rule alone ${byBase})`);
  assert.ok(found > byBase);
  assert.ok(wrong.length <= 2, `originals grouped without a copy: ${wrong.join(' ')}`);
});

test('Fashion-MNIST items cropped 5–10 % and resized back are found', { skip: fashionMissing() }, async () => {
  const rng = createRng(24);
  const { found, byBase, wrong } = await fashionCopies((item) => croppedFrame(item, randomCrop(rng)));
  // Measured: the signature rule finds 0 of 40, with the aligned stage 28.
  assert.ok(found >= 25, `found ${found} (signature rule alone ${byBase})`);
  assert.ok(found > byBase);
  assert.ok(wrong.length <= 2, `originals grouped without a copy: ${wrong.join(' ')}`);
});

test('Fashion-MNIST crops among 2,000 items, where look-alikes crowd a class, are found past the look-alikes', { skip: fashionMissing() }, async () => {
  const rng = createRng(25);
  const { found, wrong } = await fashionCopies((item) => croppedFrame(item, randomCrop(rng)), 2000);
  // One zoom stands for crops of 5–10 % a side, so a crop's source can rank below look-alikes by
  // its zoomed pattern. Measured: 151 of 200 with the zoomed pattern's 3 nearest in 16
  // coordinates, 160 with its 6 nearest in 32 (aligned-plan.ts CROP_NEAREST, FRAME_COORDS); 171
  // with the look also read at one scale on both axes (aligned-pixels.ts jointFit).
  assert.ok(found >= 167, `found ${found} of 200`);
  assert.ok(wrong.length <= 10, `originals grouped without a copy: ${wrong.length}`);
});

test('Fashion-MNIST crops among 2,000 items with an embedding\'s graph: its neighbours re-ranked by the zoomed pattern find crops its first neighbours and the patterns miss', { skip: fashionMissing() }, async () => {
  const rng = createRng(27);
  const count = 2000;
  const { pixels, copies } = await fashionWithCopies((item) => croppedFrame(item, randomCrop(rng)), count);
  const all = [...pixels, ...copies];
  // A stand-in for the embedding's graph that, like a CNN's vectors, barely moves under a crop:
  // the images pooled to 7 × 7, centred and unit length, their exact 15 nearest.
  const pooled = new Float32Array(all.length * 49);
  all.forEach((p, i) => {
    const v = pooled.subarray(i * 49, i * 49 + 49);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) v[Math.floor(y / 4) * 7 + Math.floor(x / 4)] += p[y * 28 + x]!;
    const mean = v.reduce((s, a) => s + a, 0) / 49;
    let norm = 0;
    for (let t = 0; t < 49; t++) { v[t] -= mean; norm += v[t]! ** 2; }
    for (let t = 0; t < 49; t++) v[t] /= Math.sqrt(norm) || 1;
  });
  const graph = bruteKnn(pooled, 49, 15);
  // Where look-alikes crowd a class, the source ranks behind them: each copy and its source are
  // put 6th in each other's list (beyond the first two, which are compared as crops anyway).
  const sixth = (row: number, other: number) => {
    const list = Array.from(graph.indices.subarray(row * 15, row * 15 + 15)).filter((j) => j !== other);
    list.splice(5, 0, other);
    graph.indices.set(list.slice(0, 15), row * 15);
  };
  copies.forEach((_, k) => { sixth(count + k, k * 10); sixth(k * 10, count + k); });
  const signatures = all.map((p) => appearanceSignature(p, 28, 28, 1));
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images: all.map(grey), groupOf: base.groupOf, neighbours: { indices: graph.indices, k: graph.k } });
  const { groupOf } = joinAlignedPairs(base, pairs.a, pairs.b);
  const found = copies.filter((_, k) => together(groupOf, k * 10, count + k)).length;
  const wrong = [...groupOf.keys()].filter((i) => i < count && groupOf[i]! >= 0 && i % 10 !== 0);
  // Measured: 168 of 200 with the patterns and the graph's first two alone, 178 with its
  // neighbours re-ranked by the zoomed pattern too (aligned-plan.ts graphByZoom).
  assert.ok(found >= 175, `found ${found} of 200`);
  assert.ok(wrong.length <= 10, `originals grouped without a copy: ${wrong.length}`);
});

test('Fashion-MNIST crops and their sources that an embedding\'s graph calls each other\'s nearest are compared even where the crop cut the profiles; look-alikes it pairs so are not grouped', { skip: fashionMissing() }, async () => {
  const rng = createRng(28);
  const count = 2000;
  const { items, pixels, copies } = await fashionWithCopies((item) => croppedFrame(item, randomCrop(rng)), count);
  const all = [...pixels, ...copies];
  // A stand-in for the embedding's graph: each copy and its source first in each other's list
  // (a CNN's vectors barely move under a crop), and each other original with its nearest
  // original of its class by pixels first, both ways where that nearest is free (look-alikes that
  // a CNN would also call each other's nearest).
  const k = 15;
  const indices = new Int32Array(all.length * k).fill(-1);
  const first = new Int32Array(all.length).fill(-1);
  copies.forEach((_, c) => { first[count + c] = c * 10; first[c * 10] = count + c; });
  const sq = (a: Uint8Array, b: Uint8Array) => { let d = 0; for (let t = 0; t < 784; t++) d += (a[t]! - b[t]!) ** 2; return d; };
  const lookAlikes: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    if (first[i] >= 0) continue;
    let best = -1, bestD = Infinity;
    for (let j = 0; j < count; j++) if (j !== i && first[j] < 0 && items.labels[j] === items.labels[i] && sq(pixels[i]!, pixels[j]!) < bestD) { bestD = sq(pixels[i]!, pixels[j]!); best = j; }
    if (best >= 0) { first[i] = best; first[best] = i; lookAlikes.push([i, best]); }
  }
  for (let i = 0; i < all.length; i++) {
    const rest = [...Array(count).keys()].filter((j) => j !== i && j !== first[i]).slice(0, k - 1);
    indices.set(first[i]! >= 0 ? [first[i]!, ...rest] : [...rest, (i + 1) % count], i * k);
  }
  const signatures = all.map((p) => appearanceSignature(p, 28, 28, 1));
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images: all.map(grey), groupOf: base.groupOf, neighbours: { indices, k } });
  const { groupOf } = joinAlignedPairs(base, pairs.a, pairs.b);
  const found = copies.filter((_, c) => together(groupOf, c * 10, count + c)).length;
  const joinedLookAlikes = lookAlikes.filter(([i, j]) => together(groupOf, i, j) && !together(base.groupOf, i, j)).length;
  // Measured: 193 of 200 with the profiles' gate on every pair, 195 with it waived for each
  // other's nearest (WARP_PROFILES); of the 897 look-alike pairs, none joined either way.
  assert.ok(found >= 195, `found ${found} of 200`);
  assert.ok(joinedLookAlikes <= 2, `look-alikes joined: ${joinedLookAlikes} of ${lookAlikes.length}`);
});

test('Fashion-MNIST items stored three times (a crop and two noisy shifts) are grouped whole: each partner\'s other readings do not count against the item', { skip: fashionMissing() }, async () => {
  const rng = createRng(43);
  const count = 1000;
  const items = loadFashion('test', count);
  const pixels = Array.from({ length: count }, (_, i) => items.pixels.slice(i * 784, (i + 1) * 784));
  const copies: Uint8Array[] = [];
  for (let k = 0; k < 50; k++) {
    const s = pixels[k * 20]!;
    copies.push(await croppedFrame(s, randomCrop(rng)), shiftedCopy(s, 0, 1, 0, 6, rng), shiftedCopy(s, 0, 0, 1, 6, rng));
  }
  const { joined } = groupsOf([...pixels, ...copies]);
  const found = [0, 1, 2].map((e) => copies.filter((_, t) => t % 3 === e && together(joined.groupOf, Math.floor(t / 3) * 20, count + t)).length);
  const wrong = [...joined.groupOf.keys()].filter((i) => i < count && joined.groupOf[i]! >= 0 && i % 20 !== 0);
  // Measured: crops 6, shifts 48 and 46 of 50 while every reading of a partner within the
  // threshold counted as the item's distance in the ratio test; 35, 50 and 50 with only its
  // readings within the threshold.
  assert.ok(found[0]! >= 33 && found[1]! >= 49 && found[2]! >= 49, `found ${found.join(' / ')} of 50`);
  assert.deepEqual(wrong, [], 'originals grouped without a copy');
});

test('Fashion-MNIST items saved as JPEG at quality 50 are found once the files\' table is known; no original joins them', { skip: fashionMissing() }, async () => {
  const items = loadFashion('test', 400);
  const pixels = Array.from({ length: 400 }, (_, i) => items.pixels.slice(i * 784, (i + 1) * 784));
  const jpeg = async (px: Uint8Array) => {
    const file = await sharp(Buffer.from(px), { raw: { width: 28, height: 28, channels: 1 } }).jpeg({ quality: 50 }).toBuffer();
    return { data: new Uint8Array(await sharp(file).greyscale().raw().toBuffer()), quant: jpegLumaTable(new Uint8Array(file))! };
  };
  // Copies of the 40 items the compression changes most (textures, prints): where the pixel-noise
  // allowance alone does not cover it.
  const table = (await jpeg(pixels[0]!)).quant;
  const change = pixels.map((p) => recompressionDistance(grey(p), table));
  const sources = [...change.keys()].sort((a, b) => change[b]! - change[a]! || a - b).slice(0, 40);
  const copies = await Promise.all(sources.map((i) => jpeg(pixels[i]!)));
  const run = (tables: boolean) => {
    const images = [...pixels.map(grey), ...copies.map((c) => (tables ? { ...grey(c.data), quant: c.quant } : grey(c.data)))];
    const signatures = images.map((g) => appearanceSignature(g.data, 28, 28, 1));
    const base = findAppearanceDuplicates(signatures);
    const pairs = alignedDuplicatePairs({ signatures, images, groupOf: base.groupOf });
    const { groupOf } = joinAlignedPairs(base, pairs.a, pairs.b);
    return { found: sources.filter((i, k) => together(groupOf, i, 400 + k)).length, wrong: [...groupOf.keys()].filter((i) => i < 400 && groupOf[i]! >= 0 && !sources.includes(i)) };
  };
  const without = run(false), withTables = run(true);
  // Measured: 20 of these 40 found without the tables, 33 with them; no original grouped either way.
  assert.ok(withTables.found >= 30 && withTables.found >= without.found + 8, `with the tables ${withTables.found}, without ${without.found}`);
  assert.deepEqual(withTables.wrong, [], 'originals grouped without a copy');
});

test('a pair joins the group that holds one end; two ungrouped ends form a group; two grouped ends change nothing', () => {
  const groupOf = Int32Array.from([0, 0, -1, 1, 1, -1, -1, -1]);
  const joined = joinAlignedPairs(groupsFromGroupOf(groupOf), [0, 5, 1], [2, 6, 3]);
  assert.deepEqual(joined.groups.map((g) => [...g]), [[0, 1, 2], [3, 4], [5, 6]]);
});

test('the plan made in pieces and the comparisons split into parts (threads) find the same pairs, in the same order, as one', async () => {
  const rng = createRng(26);
  const items = Array.from({ length: 150 }, () => frameFilling(rng));
  const digits = loadMnist('test', 150).pixels;
  const objects = Array.from({ length: 150 }, (_, i) => digits.slice(i * 784, (i + 1) * 784));
  const copies = [
    ...Array.from({ length: 10 }, (_, k) => shiftedFrame(items[k * 13]!, 1 + (k % 3), -1, 0, rng)),
    ...(await Promise.all(Array.from({ length: 10 }, (_, k) => croppedFrame(items[k * 11 + 3]!, randomCrop(rng))))),
    ...(await Promise.all(Array.from({ length: 10 }, (_, k) => croppedFrame(objects[k * 13]!, randomCrop(rng))))),
  ];
  const pixels = [...items, ...objects, ...copies];
  const signatures = pixels.map((p) => appearanceSignature(p, 28, 28, 1));
  const input = { signatures, images: pixels.map(grey), groupOf: findAppearanceDuplicates(signatures).groupOf };
  const whole = alignedDuplicatePairs(input);
  assert.ok(whole.a.length >= 20, `${whole.a.length} pairs`);
  const plan = alignedPlan(input);
  const parts = [0, 1, 2].map((index) => comparePlan(input, plan, {}, { index, count: 3 }));
  assert.ok(parts.every((p) => p.a.length > 0), 'each part finds some');
  assert.deepEqual(mergeFound(parts), whole);
  // The plan in pieces, as the workers make it: the patterns in three parts, each index's lists.
  const patterns = joinPatterns([0, 1, 2].map((index) => planPatterns(input, {}, { index, count: 3 })));
  const lists = PLAN_INDEXES.map((index) => planLists(input, {}, patterns, index));
  assert.ok(lists.every((l) => Object.keys(l).length > 0), 'frame-filling images and whole objects: every index has lists');
  assert.deepEqual(assemblePlan(input, {}, lists), plan);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../../src-shared/random';
import { appearanceSignature, findAppearanceDuplicates } from '../../curate/engine';
import { alignedCrossSplitCopies } from './aligned-copies';
import { alignedDistance } from '../../curate/engine/aligned-pixels';
import { frameFilling as texture, shiftedFrame as shifted } from '../../../testing/curation/frame-filling';

test('shifted, noisy copies of frame-filling images are found across splits, distinct images are not', () => {
  const rng = createRng(3);
  const train = Array.from({ length: 300 }, () => texture(rng));
  const others = Array.from({ length: 60 }, () => texture(rng));
  const copies = Array.from({ length: 24 }, (_, k) => shifted(train[k * 11]!, k % 2 ? 2 : -1, k % 3 ? 1 : -2, k % 4 ? 12 : 0, rng));
  const all = [...train, ...others, ...copies];
  const split = Int32Array.from(all, (_, i) => (i < train.length ? 0 : 1));
  const signatures = all.map((p) => appearanceSignature(p, 28, 28, 1));
  const images = all.map((data) => ({ data, width: 28, height: 28 }));
  const { a, b } = alignedCrossSplitCopies({ signatures, split, images });
  const found = new Set(Array.from(a, (x, t) => `${Math.min(x, b[t]!)}:${Math.max(x, b[t]!)}`));
  const planted = copies.map((_, k) => `${k * 11}:${train.length + others.length + k}`);
  const missed = planted.filter((p) => !found.has(p));
  assert.deepEqual(missed, [], `found ${found.size}: ${[...found].join(' ')}`);
  assert.equal(found.size, planted.length, 'no pair among distinct images');
  // What the centred signature alone finds of these copies, for comparison (it is not asked to find them all).
  const appearance = findAppearanceDuplicates(signatures);
  const byAppearance = planted.filter((p) => { const [x, y] = p.split(':').map(Number); return appearance.groupOf[x!]! >= 0 && appearance.groupOf[x!] === appearance.groupOf[y!]; }).length;
  assert.ok(byAppearance < planted.length, `appearance found ${byAppearance} of ${planted.length}`);
});

test('the aligned distance recovers an integer shift exactly and does not match unrelated images', () => {
  const rng = createRng(9);
  const img = texture(rng);
  const copy = shifted(img, 3, -2, 0, rng);
  assert.ok(alignedDistance({ data: img, width: 28, height: 28 }, { data: copy, width: 28, height: 28 }, 3) < 1e-9);
  assert.ok(alignedDistance({ data: img, width: 28, height: 28 }, { data: texture(rng), width: 28, height: 28 }, 3) > 0.2);
});

test('nothing is compared without two splits', () => {
  const rng = createRng(1);
  const imgs = Array.from({ length: 10 }, () => texture(rng));
  const r = alignedCrossSplitCopies({ signatures: imgs.map((p) => appearanceSignature(p, 28, 28, 1)), split: new Int32Array(10), images: imgs.map((data) => ({ data, width: 28, height: 28 })) });
  assert.equal(r.a.length, 0);
});

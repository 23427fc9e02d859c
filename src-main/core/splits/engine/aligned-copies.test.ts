import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../../src-shared/random';
import { appearanceSignature, findAppearanceDuplicates } from '../../curate/engine';
import { alignedCrossSplitCopies, alignedDistance } from './aligned-copies';

/** A textured object filling the 28×28 frame on a black ground (as Fashion-MNIST items do): a shift cuts content off at the border. */
function texture(rng: () => number): Uint8Array {
  const raw = Float64Array.from({ length: 784 }, () => rng());
  const out = new Uint8Array(784);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    let s = 0, n = 0;
    for (let v = -3; v <= 3; v++) for (let u = -3; u <= 3; u++) { const yy = y + v, xx = x + u; if (yy >= 0 && yy < 28 && xx >= 0 && xx < 28) { s += raw[yy * 28 + xx]!; n++; } }
    const inside = ((x - 13.5) / 13.5) ** 2 + ((y - 13.5) / 14) ** 2 < 1;
    out[y * 28 + x] = inside ? Math.round(40 + 215 * Math.min(1, Math.max(0, (s / n - 0.5) * 6 + 0.5))) : 0;
  }
  return out;
}

function shifted(src: Uint8Array, dx: number, dy: number, noise: number, rng: () => number): Uint8Array {
  const out = new Uint8Array(784);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    const sx = x - dx, sy = y - dy;
    const v = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? src[sy * 28 + sx]! : 0;
    out[y * 28 + x] = Math.max(0, Math.min(255, Math.round(v + (rng() - 0.5) * 2 * noise)));
  }
  return out;
}

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

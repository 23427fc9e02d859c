import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { oddSizedImages } from '../../../testing/fixture-images';
import { appearanceSignature, isFlatSignature, NOISE_BYTE, NOISE_SCALE, PATTERN_LENGTH, SIGNATURE_LENGTH, SIGNATURE_VERSION } from './signature';
import { DEFAULT_APPEARANCE_THRESHOLD, signatureDistance } from './appearance-duplicates';
import { loadMnist, shiftedCopy } from '../../../testing/curation/mnist';
import { createRng, sampleIndices } from '../../../../src-shared/random';

const digits = loadMnist('train', 2000);
const digit = (i: number) => digits.pixels.subarray(i * 784, i * 784 + 784);
const sig = (px: Uint8Array) => appearanceSignature(px, 28, 28, 1);
const SHIFTS = [-2, -1, 1, 2];

test('a digit shifted 1–2 px with σ = 8 noise keeps its signature; other digits do not', () => {
  const rng = createRng(3);
  const src = sampleIndices(digits.n, 200, rng);
  let close = 0, unshiftedClose = 0;
  for (const i of src) {
    // As bench/curate.ts injects them: 1–2 px along at least one axis.
    let dx = 0, dy = 0;
    while (dx === 0 && dy === 0) {
      dx = rng() < 0.5 ? 0 : SHIFTS[Math.floor(rng() * 4)];
      dy = rng() < 0.5 ? 0 : SHIFTS[Math.floor(rng() * 4)];
    }
    if (signatureDistance(sig(shiftedCopy(digits.pixels, i, dx, dy, 8, rng)), sig(digit(i))) <= DEFAULT_APPEARANCE_THRESHOLD) close++;
    // Without noise a shift only loses what falls off the border.
    if (signatureDistance(sig(shiftedCopy(digits.pixels, i, dx, dy, 0, rng)), sig(digit(i))) <= 1e-4) unshiftedClose++;
  }
  // Measured: 187 / 200 and 191 / 200; the clean misses are digits whose strokes the shift
  // pushes off the border.
  assert.ok(close >= 180, `${close} / 200 shifted noisy copies within the default threshold`);
  assert.ok(unshiftedClose >= 185, `${unshiftedClose} / 200 clean shifts`);
  // Distinct digits are far apart: the closest of 200 random pairs measured 0.056.
  let nearest = Infinity;
  for (let t = 0; t < 200; t++) nearest = Math.min(nearest, signatureDistance(sig(digit(t)), sig(digit(t + 1000))));
  assert.ok(nearest > 10 * DEFAULT_APPEARANCE_THRESHOLD, `closest distinct pair ${nearest}`);
});

test('grey, RGB and opaque RGBA of the same pixels agree; ±20 % brightness and contrast drop out, bigger changes do not', () => {
  const px = digit(7);
  const rgb = new Uint8Array(784 * 3), rgba = new Uint8Array(784 * 4);
  for (let p = 0; p < 784; p++) {
    rgb.fill(px[p], 3 * p, 3 * p + 3);
    rgba.fill(px[p], 4 * p, 4 * p + 3);
    rgba[4 * p + 3] = 255;
  }
  const base = sig(px);
  assert.equal(base.length, SIGNATURE_LENGTH);
  assert.ok(signatureDistance(appearanceSignature(rgb, 28, 28, 3), base) < 1e-6);
  assert.ok(signatureDistance(appearanceSignature(rgba, 28, 28, 4), base) < 1e-6);
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  for (const f of [0.8, 1.2]) {
    // × 1.2 saturates the strokes' cores at 255, which widens them a little: measured 0.0016.
    assert.ok(signatureDistance(sig(px.map((v) => clamp(v * f))), base) < 2e-3, `brightness × ${f}`);
    assert.ok(signatureDistance(sig(px.map((v) => clamp(128 + (v - 128) * f))), base) < 1e-3, `contrast × ${f}`);
  }
  // Half the contrast, or the negative, is another image.
  assert.equal(signatureDistance(sig(px.map((v) => 64 + Math.round(v * 0.5))), base), 1);
  const inverted = (a: Uint8Array) => a.map((v) => 255 - v);
  assert.equal(signatureDistance(sig(inverted(px)), base), 1);
  // Dark ink on white, shifted: centred on the ink, not on the white background.
  const shifted = shiftedCopy(digits.pixels, 7, 2, -1, 0, () => 0);
  assert.ok(signatureDistance(sig(inverted(shifted)), sig(inverted(px))) < 1e-4);
});

test('transparency is composited on the white backdrop, not dropped onto black', () => {
  // A black stroke on transparent black: dropping alpha would leave an all-black, flat image.
  const w = 32, rgba = new Uint8Array(w * w * 4);
  for (let y = 4; y < 28; y++) for (const x of [8, 9, 22, 23]) rgba[(y * w + x) * 4 + 3] = 255;
  const onWhite = new Uint8Array(w * w).fill(255);
  for (let p = 0; p < w * w; p++) if (rgba[4 * p + 3]) onWhite[p] = 0;
  const s = appearanceSignature(rgba, w, w, 4);
  assert.ok(!isFlatSignature(s));
  assert.ok(signatureDistance(s, appearanceSignature(onWhite, w, w, 1)) < 1e-6);
  assert.ok(isFlatSignature(appearanceSignature(new Uint8Array(w * w * 4), w, w, 4)), 'fully transparent is blank');
});

test('flat and nearly flat images get an empty pattern; odd sizes give a signature; bad input is refused', () => {
  assert.ok(isFlatSignature(appearanceSignature(new Uint8Array(100).fill(90), 10, 10, 1)));
  const rng = createRng(4);
  const grain = Uint8Array.from({ length: 64 * 64 }, () => 120 + Math.round((rng() - 0.5) * 6));
  assert.ok(isFlatSignature(appearanceSignature(grain, 64, 64, 1)), 'grain of ±3 levels');
  for (const [w, h] of [[1, 1], [3, 50], [50, 3], [96, 64]]) {
    const s = appearanceSignature(Uint8Array.from({ length: w * h }, (_, i) => (i * 37) % 256), w, h, 1);
    assert.equal(s.length, SIGNATURE_LENGTH);
  }
  assert.throws(() => appearanceSignature(new Uint8Array(0), 0, 0, 1), { code: 'INVALID_INPUT' });
  assert.throws(() => appearanceSignature(new Uint8Array(8), 2, 2, 2), { code: 'INVALID_INPUT' });
  assert.throws(() => appearanceSignature(new Uint8Array(10), 2, 2, 3), { code: 'INVALID_INPUT' });
  assert.throws(() => appearanceSignature(new Uint8Array(4), 2.5, 2, 1), { code: 'INVALID_INPUT' });
});

test('the noise byte measures what the image\'s own noise adds to its pattern: 0 for clean pixels, the observed distance for noisy ones', () => {
  // A smooth frame-filling texture (no flat background for the estimate to hide in).
  const side = 48;
  const clean = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) clean[y * side + x] = Math.round(128 + 30 * Math.sin(x / 5) + 25 * Math.cos(y / 7 + x / 11));
  const rng = createRng(9);
  const noisy = (sigma: number) => clean.map((v) => Math.max(0, Math.min(255, Math.round(v + sigma * Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng())))));
  const s = (px: Uint8Array) => appearanceSignature(px, side, side, 1);
  // Pearson distance of the frame patterns, raw (signatureDistance subtracts the noise).
  const raw = (a: Uint8Array, b: Uint8Array) => {
    const n = PATTERN_LENGTH;
    let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (let t = 0; t < n; t++) { sa += a[t]; sb += b[t]; saa += a[t] * a[t]; sbb += b[t] * b[t]; sab += a[t] * b[t]; }
    return 1 - (sab - (sa * sb) / n) / Math.sqrt((saa - (sa * sa) / n) * (sbb - (sb * sb) / n));
  };
  const base = s(clean);
  assert.equal(base[NOISE_BYTE], 0);
  let last = 0;
  for (const sigma of [4, 8, 16]) {
    const sn = s(noisy(sigma));
    const nu = sn[NOISE_BYTE] / NOISE_SCALE, d = raw(base, sn);
    assert.ok(sn[NOISE_BYTE] > last, `σ ${sigma}: noise byte ${sn[NOISE_BYTE]} after ${last}`);
    last = sn[NOISE_BYTE];
    // The derivation (σ²·Σw² / 2·variance) predicts the observed distance within a factor of 2.
    assert.ok(nu > d / 2 && nu < d * 2, `σ ${sigma}: predicted ${nu.toFixed(5)}, observed ${d.toFixed(5)}`);
    // What is left once the noise is excused is within the threshold: the copy is a copy. At
    // σ 16 this texture's noise adds 0.0095, past what one image may excuse (NOISE_CAP 0.004).
    const excused = signatureDistance(base, sn) <= DEFAULT_APPEARANCE_THRESHOLD;
    assert.equal(excused, sigma < 16, `σ ${sigma}: ${signatureDistance(base, sn)}`);
  }
  // A clean MNIST digit: the estimate reads strokes as content, not noise.
  assert.ok(sig(digit(0))[NOISE_BYTE] <= 1, `clean digit ${sig(digit(0))[NOISE_BYTE]}`);
});

test('the signature of the same pixels stays what SIGNATURE_VERSION says (projects keep stored signatures until the version changes)', () => {
  // 200 MNIST digits, plus odd-sized grey, RGB and RGBA images of a fixed formula: a change to
  // any byte of their signatures must come with a new SIGNATURE_VERSION (and a new hash here),
  // or every stored project silently mixes old and new signatures.
  const h = createHash('sha256');
  for (let i = 0; i < 200; i++) h.update(sig(digit(i)));
  for (const im of oddSizedImages(60)) h.update(appearanceSignature(im.data, im.width, im.height, im.channels));
  assert.deepEqual({ version: SIGNATURE_VERSION, hash: h.digest('hex').slice(0, 16) }, { version: 3, hash: 'e48972f5539b1a86' });
});

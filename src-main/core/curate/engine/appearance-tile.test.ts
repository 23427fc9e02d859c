import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { oddSizedImages } from '../../../testing/fixture-images';
import { appearanceTile, TILE_LENGTH, TILE_SIDE, TILE_VERSION } from './appearance-tile';
import { CurateError } from './errors';

test('each cell is the mean of the pixels it covers', () => {
  // 32×32 grey: every 2×2 block holds one value (its cell index mod 256) plus a ±1 checker,
  // so a cell's mean is exactly that value.
  const w = 32, data = new Uint8Array(w * w);
  for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) {
    const cell = (y >> 1) * TILE_SIDE + (x >> 1);
    data[y * w + x] = 100 + (cell % 100) + ((x + y) % 2 === 0 ? 1 : -1);
  }
  const tile = appearanceTile(data, w, w, 1);
  assert.equal(tile.length, TILE_LENGTH);
  for (let c = 0; c < TILE_LENGTH; c++) assert.equal(tile[c], 100 + (c % 100), `cell ${c}`);
});

test('sizes that do not divide by 16 keep the overall brightness; small images are enlarged', () => {
  const w = 28, data = new Uint8Array(w * w);
  let sum = 0;
  for (let i = 0; i < data.length; i++) { data[i] = (i * 37) % 256; sum += data[i]; }
  const tile = appearanceTile(data, w, w, 1);
  const mean = tile.reduce((a, b) => a + b, 0) / TILE_LENGTH;
  assert.ok(Math.abs(mean - sum / data.length) < 0.5, `${mean} vs ${sum / data.length}`);
  // 8×8: every pixel becomes a 2×2 block of the tile.
  const small = Uint8Array.from({ length: 64 }, (_, i) => i * 4);
  const big = appearanceTile(small, 8, 8, 1);
  for (let v = 0; v < TILE_SIDE; v++) for (let u = 0; u < TILE_SIDE; u++) assert.equal(big[v * TILE_SIDE + u], small[(v >> 1) * 8 + (u >> 1)]);
});

test('colour is read as luma, transparency is composited on the backdrop, and a bad buffer is refused', () => {
  // Opaque pixels read as their luma; fully transparent ones as the white backdrop (issue #19).
  const rgba = new Uint8Array(16 * 16 * 4);
  for (let i = 0; i < 256; i++) rgba.set([200, 100, 50, 255], i * 4);
  const opaque = appearanceTile(rgba, 16, 16, 4);
  const luma = Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50);
  assert.ok(opaque.every((v) => v === luma));
  for (let i = 0; i < 256; i++) rgba[i * 4 + 3] = 0;
  assert.ok(appearanceTile(rgba, 16, 16, 4).every((v) => v === 255));
  assert.throws(() => appearanceTile(new Uint8Array(10), 4, 4, 1), CurateError);
  assert.throws(() => appearanceTile(new Uint8Array(32), 4, 4, 2), CurateError);
  assert.throws(() => appearanceTile(new Uint8Array(0), 0, 0, 1), CurateError);
});

test('the tile of the same pixels stays what TILE_VERSION says (projects keep stored tiles until the version changes)', () => {
  // Odd-sized grey, RGB and RGBA images of a fixed formula, smaller and larger than the tile: a
  // change to any byte of their tiles must come with a new TILE_VERSION (and a new hash here).
  const h = createHash('sha256');
  for (const im of oddSizedImages(60)) h.update(appearanceTile(im.data, im.width, im.height, im.channels));
  assert.deepEqual({ version: TILE_VERSION, hash: h.digest('hex').slice(0, 16) }, { version: 1, hash: '0edf321a8481b6b8' });
});

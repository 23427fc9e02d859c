import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCategories, encodeScores, scoreDomain } from './colorColumn';
import { categoryColor, colormapTexels, COLORMAPS, DEFAULT_PALETTE, paletteTexels, parseHex, resolveColormap, sampleStops } from './palette';

test('categories: values pass through, 0xFFFF means none, palette cycles past its length', () => {
  const out = new Float32Array(4);
  assert.equal(encodeCategories(new Uint16Array([0, 65534, 0xffff, 7]), out), 65535);
  assert.deepEqual(Array.from(out), [0, 65534, -1, 7]);
  const info = { kind: 'categorical' as const, colors: DEFAULT_PALETTE, categories: 65535, missing: '#999999' };
  assert.equal(categoryColor(info, 3), DEFAULT_PALETTE[3]);
  assert.equal(categoryColor(info, 3 + DEFAULT_PALETTE.length * 1000), DEFAULT_PALETTE[3]);
  assert.equal(categoryColor(info, 0xffff), '#999999');
});

test('scores map to [0, 1] over the domain, clamp outside it, and NaN means none', () => {
  const v = new Float32Array([2, 4, 6, NaN, 10, -Infinity]);
  assert.deepEqual(scoreDomain(v), [2, 10]);
  const out = new Float32Array(v.length);
  encodeScores(v, out, [2, 6]);
  assert.deepEqual(Array.from(out), [0, 0.5, 1, -1, 1, 0]);
  encodeScores(new Float32Array([3, 3]), out, [3, 3]);
  assert.equal(out[0], 0.5, 'a constant column sits mid-map');
  assert.deepEqual(scoreDomain(new Float32Array([NaN])), [0, 1]);
});

test('palette and colormap texels', () => {
  assert.deepEqual(parseHex('#f80'), [255, 136, 0]);
  assert.throws(() => parseHex('red'));
  assert.deepEqual(Array.from(paletteTexels(['#010203', '#ffffff'])), [1, 2, 3, 255, 255, 255, 255, 255]);
  const t = colormapTexels(COLORMAPS.gray, 256);
  assert.deepEqual(Array.from(t.slice(0, 4)), [0, 0, 0, 255]);
  assert.deepEqual(Array.from(t.slice(255 * 4)), [255, 255, 255, 255]);
  assert.deepEqual(sampleStops(COLORMAPS.gray, 0.5), [128, 128, 128]);
  assert.deepEqual(sampleStops(COLORMAPS.viridis, 1), parseHex('#fde725'));
  assert.equal(resolveColormap(undefined).name, 'viridis');
  assert.equal(resolveColormap(['#000', '#fff']).name, 'custom');
  assert.throws(() => resolveColormap('nope' as 'gray'));
});

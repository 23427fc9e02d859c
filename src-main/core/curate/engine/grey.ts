import { CurateError } from './errors';

/**
 * Luma (BT.601) of row-major 8-bit pixels with 1 (grey), 3 (RGB) or 4 (RGBA, alpha ignored)
 * channels; throws INVALID_INPUT when the size, channels and byte count disagree.
 */
export function greyPlane(data: Uint8Array, width: number, height: number, channels: number): Float32Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new CurateError('INVALID_INPUT', `Image size must be positive integers, got ${width}×${height}.`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new CurateError('INVALID_INPUT', `Image must have 1, 3 or 4 channels, got ${channels}.`);
  if (data.length !== width * height * channels) {
    throw new CurateError('INVALID_INPUT', `A ${width}×${height}×${channels} image needs ${width * height * channels} bytes, got ${data.length}.`);
  }
  const n = width * height;
  const g = new Float32Array(n);
  if (channels === 1) for (let i = 0; i < n; i++) g[i] = data[i];
  else for (let i = 0, p = 0; i < n; i++, p += channels) g[i] = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
  return g;
}

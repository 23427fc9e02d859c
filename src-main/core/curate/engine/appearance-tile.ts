// Appearance tile: the sample as a 16×16 grey image (each cell the mean of the pixels it
// covers). Representative subsets cluster on it beside the embedding, so that the picks also
// cover how the images look (stroke weight, slant, framing), which an embedding trained for
// invariance to those deliberately ignores; see modes/joint-space.ts for the measurement.
// Unlike the near-duplicate signature it is neither centred nor blurred: where the content sits
// in the frame is part of the look.
import { greyPlane } from './grey';

export const TILE_SIDE = 16;
export const TILE_LENGTH = TILE_SIDE * TILE_SIDE;
/** Bump when the tile of the same pixels changes, so stored tiles are recomputed. */
export const TILE_VERSION = 1;

/** Tile of row-major 8-bit pixels (1, 3 or 4 channels); any size, smaller than 16 px too. */
export function appearanceTile(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  return areaResample(greyPlane(data, width, height, channels), width, height, TILE_SIDE, TILE_SIDE);
}

/** A grey plane resampled to outW × outH, each output pixel the mean of the input pixels it covers (also used to compare images of two sizes, aligned-duplicates.ts). */
export function areaResample(g: ArrayLike<number>, width: number, height: number, outW: number, outH: number): Uint8Array {
  const tx = areaTaps(width, outW), ty = areaTaps(height, outH);
  const rows = new Float32Array(height * outW);
  for (let y = 0; y < height; y++) {
    for (let u = 0; u < outW; u++) {
      const { start, w } = tx[u];
      let s = 0;
      for (let t = 0; t < w.length; t++) s += g[y * width + start + t] * w[t];
      rows[y * outW + u] = s;
    }
  }
  const out = new Uint8Array(outW * outH);
  for (let v = 0; v < outH; v++) {
    const { start, w } = ty[v];
    for (let u = 0; u < outW; u++) {
      let s = 0;
      for (let t = 0; t < w.length; t++) s += rows[(start + t) * outW + u] * w[t];
      out[v * outW + u] = Math.min(255, Math.round(s));
    }
  }
  return out;
}

/** For each of `cells` output cells along an axis of `length` pixels: the pixels it overlaps, weighted by overlap. */
function areaTaps(length: number, cells: number): { start: number; w: Float32Array }[] {
  const cell = length / cells;
  const out: { start: number; w: Float32Array }[] = [];
  for (let u = 0; u < cells; u++) {
    const a = u * cell, b = (u + 1) * cell;
    const start = Math.floor(a), end = Math.min(length, Math.ceil(b));
    const w = new Float32Array(end - start);
    for (let p = start; p < end; p++) w[p - start] = (Math.min(b, p + 1) - Math.max(a, p)) / cell;
    out.push({ start, w });
  }
  return out;
}

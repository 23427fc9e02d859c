// Generated 28×28 images that fill their frame (as Fashion-MNIST items and photos do), and shifted
// copies of them: the case the centred signature misses and the aligned comparisons are for.
import sharp from 'sharp';
/** A textured object filling the 28×28 frame on a black ground (as Fashion-MNIST items do): a shift cuts content off at the border. */
export function frameFilling(rng: () => number): Uint8Array {
  const raw = Float64Array.from({ length: 784 }, () => rng());
  const out = new Uint8Array(784);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    let s = 0, n = 0;
    for (let v = -3; v <= 3; v++) for (let u = -3; u <= 3; u++) { const yy = y + v, xx = x + u; if (yy >= 0 && yy < 28 && xx >= 0 && xx < 28) { s += raw[yy * 28 + xx]!; n++; } }
    const inside = ((x - 13.5) / 13.5) ** 2 + ((y - 13.5) / 14) ** 2 < 1;
    out[y * 28 + x] = inside ? Math.round(40 + 215 * Math.min(1, Math.max(0, (s / n - 0.5) * 6 + 0.5))) : 0;
  }
  return out;
}

/** A copy shifted by (dx, dy) px (black where it leaves the frame) with uniform noise of ±noise levels. */
export function shiftedFrame(src: Uint8Array, dx: number, dy: number, noise: number, rng: () => number): Uint8Array {
  const out = new Uint8Array(784);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    const sx = x - dx, sy = y - dy;
    const v = sx >= 0 && sx < 28 && sy >= 0 && sy < 28 ? src[sy * 28 + sx]! : 0;
    out[y * 28 + x] = Math.max(0, Math.min(255, Math.round(v + (rng() - 0.5) * 2 * noise)));
  }
  return out;
}

/** A crop of (left, top, width, height) resized back to 28×28 by sharp (Lanczos, as image tools do): a copy magnified and shifted. */
export async function croppedFrame(src: Uint8Array, crop: { left: number; top: number; width: number; height: number }): Promise<Uint8Array> {
  const out = await sharp(Buffer.from(src), { raw: { width: 28, height: 28, channels: 1 } }).extract(crop).resize(28, 28, { fit: 'fill' }).greyscale().raw().toBuffer();
  return new Uint8Array(out);
}

/** A crop of 5–10 % of each side at a random place, as bench/duplicates.ts makes them. */
export function randomCrop(rng: () => number): { left: number; top: number; width: number; height: number } {
  const width = Math.round(28 * (1 - 0.05 - 0.05 * rng())), height = Math.round(28 * (1 - 0.05 - 0.05 * rng()));
  return { left: Math.floor(rng() * (28 - width + 1)), top: Math.floor(rng() * (28 - height + 1)), width, height };
}

/**
 * A photo-like grey texture `side` px square: fine grain over coarser shading (two smoothed random
 * fields), no background, so any window of it fills its frame and a shift of a pixel decorrelates
 * its finest detail.
 */
export function photoTexture(rng: () => number, side: number): Uint8Array {
  const field = (radius: number) => {
    const raw = Float64Array.from({ length: side * side }, () => rng());
    const out = new Float64Array(side * side);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
      let s = 0, n = 0;
      for (let v = -radius; v <= radius; v++) for (let u = -radius; u <= radius; u++) { const yy = y + v, xx = x + u; if (yy >= 0 && yy < side && xx >= 0 && xx < side) { s += raw[yy * side + xx]!; n++; } }
      out[y * side + x] = s / n - 0.5;
    }
    return out;
  };
  const fine = field(1), coarse = field(6);
  return Uint8Array.from({ length: side * side }, (_, k) => Math.max(0, Math.min(255, Math.round(128 + 260 * fine[k]! + 700 * coarse[k]!))));
}

/** The `w`-px square window of a `side`-px square image at (x, y). */
export function windowOf(img: Uint8Array, side: number, x: number, y: number, w: number): Uint8Array {
  const out = new Uint8Array(w * w);
  for (let r = 0; r < w; r++) out.set(img.subarray((y + r) * side + x, (y + r) * side + x + w), r * w);
  return out;
}

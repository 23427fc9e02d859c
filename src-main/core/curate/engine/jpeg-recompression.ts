// What one JPEG compression alone changes in an image, as a correlation distance: a copy saved as
// a JPEG differs from its source by the detail its quantisation dropped, which on small textured
// items (Fashion-MNIST at quality 50) is more than the pixel-noise allowance excuses
// (bench/duplicates.ts: without this the aligned stage found 0.915 of such copies, with it 0.975). When one image of a pair
// was decoded from a JPEG at the size compared, the other is compressed here with that file's own
// luminance table (read from the file at import, core/images/jpeg-quant.ts) and compared with
// itself: the distance that the JPEG's making alone explains, excused as noise is. The file's own
// table, not an assumed quality, so any quality is predicted alike; only the pair's other image is
// compressed, since a decoded JPEG is already on its table's lattice.
// The codec: baseline JPEG's 8×8 DCT-II with the level shift, each coefficient rounded to its
// step, transformed back, rounded and clamped; edge blocks padded by repeating the last row and
// column, as encoders do. libjpeg's integer DCTs differ from this one by rounding only.
import { pearson, type GreyImage } from './aligned-pixels';

/** Coefficients of a block: 64 steps in row-major (natural) order, the DC step first. */
export type QuantTable = ArrayLike<number>;

const B = 8;
/** basis[u·8 + x] = C(u)/2 · cos((2x + 1)uπ/16): the orthonormal 8-point DCT-II. */
const basis = (() => {
  const m = new Float64Array(B * B);
  for (let u = 0; u < B; u++) for (let x = 0; x < B; x++) m[u * B + x] = (u === 0 ? Math.SQRT1_2 : 1) / 2 * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  return m;
})();

/** The image as a baseline JPEG with this luminance table would give it back (grey, same size). */
export function recompressed(img: GreyImage, table: QuantTable): Uint8Array {
  const { data, width: W, height: H } = img;
  const out = new Uint8Array(W * H);
  const block = new Float64Array(B * B), tmp = new Float64Array(B * B), coef = new Float64Array(B * B);
  for (let by = 0; by < H; by += B) {
    for (let bx = 0; bx < W; bx += B) {
      for (let y = 0; y < B; y++) {
        const row = Math.min(H - 1, by + y) * W;
        for (let x = 0; x < B; x++) block[y * B + x] = data[row + Math.min(W - 1, bx + x)]! - 128;
      }
      transform(block, tmp, coef, false);
      for (let k = 0; k < B * B; k++) { const q = Math.max(1, table[k]!); coef[k] = Math.round(coef[k]! / q) * q; }
      transform(coef, tmp, block, true);
      for (let y = 0; y < B && by + y < H; y++) {
        for (let x = 0; x < B && bx + x < W; x++) out[(by + y) * W + bx + x] = Math.max(0, Math.min(255, Math.round(block[y * B + x]! + 128)));
      }
    }
  }
  return out;
}

/** 1 − Pearson r of the image and its recompression with `table`; 0 for a flat image. */
export function recompressionDistance(img: GreyImage, table: QuantTable): number {
  const a = img.data, b = recompressed(img, table);
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  const n = a.length;
  for (let k = 0; k < n; k++) { const va = a[k]!, vb = b[k]!; sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb; }
  const r = pearson(n, sa, sb, saa, sbb, sab);
  return r === null ? 0 : Math.max(0, 1 - r);
}

/** out = M · X · Mᵀ (forward) or Mᵀ · X · M (inverse) for one 8×8 block. */
function transform(x: Float64Array, tmp: Float64Array, out: Float64Array, inverse: boolean): void {
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) {
      let s = 0;
      for (let k = 0; k < B; k++) s += (inverse ? basis[k * B + i]! : basis[i * B + k]!) * x[k * B + j]!;
      tmp[i * B + j] = s;
    }
  }
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < B; j++) {
      let s = 0;
      for (let k = 0; k < B; k++) s += tmp[i * B + k]! * (inverse ? basis[k * B + j]! : basis[j * B + k]!);
      out[i * B + j] = s;
    }
  }
}

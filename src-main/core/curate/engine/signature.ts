// Appearance signature for near-duplicate detection: a 16×16 grey image of the sample that a
// small shift or light noise barely changes, which the embedding cannot promise (bench: a
// 1–2 px shift with σ = 8 noise moves an MNIST digit 0.07 cosine in the built-in embedding,
// more than most distinct digits are apart).
//
// Steps, each for a measured reason (bench/curate.ts, near duplicates):
// - Background = median of the border ring; content weight = |grey − background| above its
//   mean. The centroid of that weight is where the window is centred, so a shifted copy is
//   sampled at the same place as its source (to ≈ 0.05 px). Subtracting the mean keeps
//   background noise out of the centroid (the plain intensity centroid was off by 0.2 px,
//   which pushed copies past distinct digits), and |·| makes dark-on-light work too.
// - Outside the image counts as background, not as the edge pixel repeated: a copy shifted
//   towards a border otherwise smears edge strokes into the window.
// - Gaussian blur of σ = BLUR cells while downsampling: enough to average out pixel noise,
//   little enough to keep distinct but similar digits apart.
// - Min–max scaled to 0..255: the comparison is a correlation, so brightness and contrast
//   drop out; scaling per signature spends the byte range on this image's contrast.
// - A flat or nearly flat image (its cells span fewer than FLAT_RANGE grey levels) gets an
//   all-zero pattern, which matches nothing: min–max scaling would otherwise blow its grain or
//   compression noise up to full range, and all flat images would be equal (issue #19: 500
//   unrelated images, black drawings whose transparency had been dropped onto black, in one group).
// - An object seen whole on its background (MNIST digits, clip art) gets a second pattern framed
//   by its own size (OBJECT_OFFSET), so that crops and zooms that keep it whole still match
//   (bench: MNIST crops of 5–10 % resized back, 0 found with the frame pattern alone).
// - After the pattern, the image's levels (LEVELS bytes): mean luma, luma spread and mean colour.
//   Correlation forgets them, so two colour gradients in one direction were "identical"; the
//   comparison (appearance-duplicates.ts) asks them to agree within what a brightness or
//   contrast edit can change.
// - Last of the levels, the image's own noise (NOISE_BYTE): what its pixel noise adds to the
//   correlation distance of its frame pattern. A noisy or recompressed copy differs from its
//   source by that much more than a clean one, so the comparison widens the threshold by both
//   images' noise (appearance-duplicates.ts); clean images keep the strict threshold. Measured
//   on Fashion-MNIST (bench/duplicates.ts), where low-contrast items made σ = 8 noise look like
//   a different item.
import { colourPlanes, greyPlane } from './grey';

export const SIGNATURE_SIDE = 16;
/** Bytes of the centred, blurred grey pattern that the correlation compares. */
export const PATTERN_LENGTH = SIGNATURE_SIDE * SIGNATURE_SIDE;
/** Mean luma, 2 × luma standard deviation, mean Cb + 128, mean Cr + 128 (all clamped to a byte), the noise byte. */
export const LEVELS = 5;
/** Where the noise byte is, the last of the levels: the expected correlation distance that the image's noise adds to its frame pattern, × NOISE_SCALE. */
export const NOISE_BYTE = PATTERN_LENGTH + LEVELS - 1;
/** Scale of the noise byte: 1 unit = 1 / NOISE_SCALE of correlation distance (0.00004), full byte 0.01. */
export const NOISE_SCALE = 25_500;
/** Where the object pattern starts: the same pattern framed by a whole object's own size, or all zero. */
export const OBJECT_OFFSET = PATTERN_LENGTH + LEVELS;
export const SIGNATURE_LENGTH = OBJECT_OFFSET + PATTERN_LENGTH;
/** Bump when the signature of the same pixels changes, so stored signatures are recomputed (3: the noise byte). */
export const SIGNATURE_VERSION = 3;
/** Gaussian σ of the downsampling, in output cells. */
const BLUR = 0.4;
/**
 * Below this range of the blurred cells, in grey levels, an image counts as flat. Grain of ±3
 * levels or JPEG blocking spans 1–3 levels after the blur; the faintest drawing worth matching
 * (a thin pale line) spans tens.
 */
const FLAT_RANGE = 8;
/** Content counts where it differs from the background by this share of its peak (a whole object's moments). */
const OBJECT_LEVEL = 0.2;
/** A whole object's window: this many radii of gyration either side of its centroid (an MNIST digit: ≈ the 28 px frame). */
const OBJECT_FRAME = 2.5;

/**
 * Signature of row-major 8-bit pixels (1 grey, 3 RGB or 4 RGBA channels; RGBA is composited on
 * the app's backdrop). Cost is linear in the pixel count; pass a thumbnail rather than a full-size photo.
 */
export function appearanceSignature(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const planes = colourPlanes(data, width, height, channels, true);
  const g = planes.luma;
  const levels = levelsOf(planes);
  const bg = borderMedian(g, width, height);
  let meanDev = 0, maxDev = 0;
  for (let i = 0; i < g.length; i++) {
    g[i] -= bg;
    const a = Math.abs(g[i]);
    meanDev += a;
    if (a > maxDev) maxDev = a;
  }
  meanDev /= g.length;
  const out = new Uint8Array(SIGNATURE_LENGTH);
  // The frame pattern: centred on the content, framed by the image.
  const cut = moments(g, width, height, meanDev);
  const frame = pattern(g, width, height, cut.cx, cut.cy, width / SIGNATURE_SIDE, height / SIGNATURE_SIDE);
  out.set(frame.bytes, 0);
  out.set(levels, PATTERN_LENGTH);
  // White noise of variance σ² reaches a cell as σ²·Σw² (the cell's taps); against the cells'
  // own variance it adds Σw²·σ² / (2·variance) to 1 − r (r of signal vs signal + noise).
  if (frame.variance > 0) {
    const nu = (noiseSigma(g, width, height) ** 2 * frame.gain) / (2 * frame.variance);
    out[NOISE_BYTE] = Math.min(255, Math.round(nu * NOISE_SCALE));
  }
  // The object pattern, only for an object seen whole on its background: framed by its own
  // size, so a crop or zoom that keeps it whole gives the same pattern. Content that the frame
  // cuts (photos, frame-filling items) has no such size: its visible size changes with every
  // crop, and framing it by its spread cost Fashion-MNIST most of its precision (bench).
  const level = OBJECT_LEVEL * maxDev;
  if (wholeObject(g, width, height, level)) {
    const obj = objectOf(g, width, height, level);
    if (obj.pattern) out.set(obj.pattern, OBJECT_OFFSET);
  }
  return out;
}

/** The object pattern of g (background 0) and the moments it is framed by; no pattern when the content is too small to frame. */
function objectOf(g: Float32Array, width: number, height: number, level: number, withPattern = true): ObjectFrame & { pattern: Uint8Array | null } {
  const obj = moments(g, width, height, level);
  const cell = (2 * OBJECT_FRAME * obj.spread) / SIGNATURE_SIDE;
  return { ...obj, pattern: withPattern && obj.spread > 0.5 ? pattern(g, width, height, obj.cx, obj.cy, cell, cell).bytes : null };
}

/** Where an image's object lies: its content's centroid and spread along each axis (px). */
export interface ObjectFrame { cx: number; cy: number; sx: number; sy: number }

/**
 * An image's content as signature's object pattern frames it: g less the background, and the
 * level above which content counts (a share of its peak).
 */
function objectContent(data: Uint8Array, width: number, height: number, channels: number): { g: Float32Array; level: number } {
  const g = greyPlane(data, width, height, channels);
  const bg = borderMedian(g, width, height);
  let maxDev = 0;
  for (let i = 0; i < g.length; i++) { g[i] -= bg; maxDev = Math.max(maxDev, Math.abs(g[i])); }
  return { g, level: OBJECT_LEVEL * maxDev };
}

/**
 * Where an image's object lies, whole or not, as its object pattern is framed (the aligned stage,
 * aligned-duplicates.ts: two whole objects' moments give the zoom and offset that lay one on the
 * other, since a crop resized back magnifies the object and moves it).
 */
export function objectMoments(data: Uint8Array, width: number, height: number, channels: number): ObjectFrame {
  const { g, level } = objectContent(data, width, height, channels);
  return objectOf(g, width, height, level, false);
}

/**
 * The object pattern of an image whose content reaches its border, as if it were whole, when it
 * may be a whole object that a crop cut into: its content touches no two opposite sides (a crop
 * that keeps most of an object on its background cuts it at one side of each axis at most).
 * Null otherwise, or when flat. The aligned stage looks for such an image's source among the
 * whole objects by it: a few pixels cut off barely move it (MNIST crops that cut the digit).
 */
export function cutObjectPattern(data: Uint8Array, width: number, height: number, channels: number): Uint8Array | null {
  const { g, level } = objectContent(data, width, height, channels);
  if (level <= 0) return null;
  const touches = (start: number, step: number, count: number) => {
    for (let t = 0, i = start; t < count; t++, i += step) if (Math.abs(g[i]) > level) return true;
    return false;
  };
  const top = touches(0, 1, width), bottom = touches((height - 1) * width, 1, width);
  const left = touches(0, width, height), right = touches(width - 1, width, height);
  if ((top && bottom) || (left && right)) return null;
  return objectOf(g, width, height, level).pattern;
}

/**
 * The anchored pattern's window: this share of the image's sides. A 3 px shift of a 28 px item
 * leaves it whole, and a crop of 5–10 % cut off at one side barely reaches it (scratch, exact
 * nearest on Fashion-MNIST, 200 copies each: crops' sources among the 3 nearest by the zoomed
 * pattern 136 at 0.7, 143 at 0.58, 155 at 0.5, 142 at 0.4; shifted copies' among the 5 nearest
 * 180 at 0.7, 179 at 0.5).
 */
const ANCHOR_WINDOW = 0.5;
/** σ of the mean-shift kernel, as a share of the shorter side. */
const ANCHOR_KERNEL = 0.25;

/**
 * A pattern that follows the content when it is shifted with part of it cut off: centred on a
 * mode of the content weight (mean shift with a Gaussian kernel, from the centroid) and framed by
 * ANCHOR_WINDOW of the image, so the cut border mostly falls outside it. The centroid of a
 * frame-filling item moves by less than the shift when content leaves the frame (the frame
 * pattern's weakness, bench/duplicates.ts); a kernel mode barely feels the border. Not a
 * signature part (nothing stores it): the aligned stage (aligned-plan.ts) uses it to find
 * candidates, beside the frame pattern, and compares pixels. SIGNATURE_SIDE² bytes each, all zero when flat.
 *
 * One pattern per zoom: the window shrunk by the zoom around the same mode, so the pattern at
 * zoom z is (nearly) the one a copy magnified z times (a crop resized back) has at 1; the mode,
 * most of the cost, is found once.
 */
export function anchoredPatterns(data: Uint8Array, width: number, height: number, channels: number, zooms: readonly number[]): Uint8Array[] {
  const g = greyPlane(data, width, height, channels);
  const bg = borderMedian(g, width, height);
  let meanDev = 0;
  for (let i = 0; i < g.length; i++) { g[i] -= bg; meanDev += Math.abs(g[i]); }
  meanDev /= g.length;
  const weight = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) weight[i] = Math.max(0, Math.abs(g[i]) - meanDev);
  let { cx, cy } = moments(g, width, height, meanDev);
  const sigma = ANCHOR_KERNEL * Math.min(width, height);
  const kx = new Float64Array(width), ky = new Float64Array(height);
  for (let it = 0; it < 30; it++) {
    for (let x = 0; x < width; x++) kx[x] = Math.exp(-((x - cx) ** 2) / (2 * sigma * sigma));
    for (let y = 0; y < height; y++) ky[y] = Math.exp(-((y - cy) ** 2) / (2 * sigma * sigma));
    let sw = 0, sx = 0, sy = 0;
    for (let y = 0, i = 0; y < height; y++) {
      let rw = 0, rx = 0;
      for (let x = 0; x < width; x++, i++) { const w = weight[i] * kx[x]; rw += w; rx += w * x; }
      sw += rw * ky[y]; sx += rx * ky[y]; sy += rw * ky[y] * y;
    }
    if (sw <= 0) break;
    const moved = Math.abs(sx / sw - cx) + Math.abs(sy / sw - cy);
    cx = sx / sw; cy = sy / sw;
    if (moved < 0.05) break;
  }
  return zooms.map((z) => pattern(g, width, height, cx, cy, (ANCHOR_WINDOW * width) / (z * SIGNATURE_SIDE), (ANCHOR_WINDOW * height) / (z * SIGNATURE_SIDE)).bytes);
}

/**
 * The centred, blurred, min–max scaled SIGNATURE_SIDE² pattern of g (background 0), all zero when
 * flat; with the cells' variance before scaling (0 when flat) and `gain`, the mean Σw² of a cell's
 * taps (the share of a pixel's white-noise variance that reaches a cell).
 */
function pattern(g: Float32Array, width: number, height: number, cx: number, cy: number, cellX: number, cellY: number): { bytes: Uint8Array; variance: number; gain: number } {
  const tx = taps(width, cx, cellX), ty = taps(height, cy, cellY);
  const S = SIGNATURE_SIDE;
  // Rows first (only the rows some cell reads × S), then columns; background is 0 after the
  // subtraction above. The taps are flat typed arrays: this is most of a signature's time.
  const rows = new Float32Array(height * S);
  const xs = tx.start, xc = tx.count, xw = tx.w, xStride = tx.stride;
  const ys = ty.start, yc = ty.count, yw = ty.w, yStride = ty.stride;
  // Cells off the image have no taps (count 0) and a start past its edge: only counted taps bound the rows.
  let y0 = height, y1 = 0;
  for (let v = 0; v < S; v++) if (yc[v]! > 0) { y0 = Math.min(y0, ys[v]!); y1 = Math.max(y1, ys[v]! + yc[v]!); }
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    for (let u = 0; u < S; u++) {
      let s = 0;
      const p = row + xs[u]!, m = xc[u]!, wo = u * xStride;
      for (let t = 0; t < m; t++) s += g[p + t]! * xw[wo + t]!;
      rows[y * S + u] = s;
    }
  }
  const cells = new Float32Array(S * S);
  let lo = Infinity, hi = -Infinity;
  for (let v = 0; v < S; v++) {
    const r0 = ys[v]! * S, m = yc[v]!, wo = v * yStride;
    for (let u = 0; u < S; u++) {
      let s = 0;
      for (let t = 0; t < m; t++) s += rows[r0 + t * S + u]! * yw[wo + t]!;
      cells[v * S + u] = s;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  const out = new Uint8Array(S * S);
  const range = hi - lo;
  if (range < FLAT_RANGE) return { bytes: out, variance: 0, gain: 0 };
  let sum = 0, sq = 0;
  for (let i = 0; i < S * S; i++) {
    out[i] = Math.round((255 * (cells[i]! - lo)) / range);
    sum += cells[i]!; sq += cells[i]! * cells[i]!;
  }
  const mean = sum / (S * S);
  return { bytes: out, variance: Math.max(0, sq / (S * S) - mean * mean), gain: tapEnergy(tx) * tapEnergy(ty) };
}

/** Mean over the cells of Σw² of their taps. */
function tapEnergy(taps: Taps): number {
  let s = 0;
  for (let u = 0; u < SIGNATURE_SIDE; u++) {
    const wo = u * taps.stride;
    for (let t = 0; t < taps.count[u]!; t++) s += taps.w[wo + t]! * taps.w[wo + t]!;
  }
  return s / SIGNATURE_SIDE;
}

/**
 * Standard deviation of the image's pixel noise, in grey levels: Immerkær's Laplacian-difference
 * operator (it cancels flat areas and linear ramps; its response to white noise has σ·6) with
 * the median of its absolute value, not the mean, so that the edges and texture of a clean image
 * are not read as noise (the mean read a clean Fashion-MNIST item as σ ≈ 7.5, the median ≈ 2).
 * A histogram of whole grey levels gives the median in linear time for any thumbnail size.
 */
export function noiseSigma(g: ArrayLike<number>, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  const bins = new Uint32Array(2048);
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++, count++) {
      const i = y * width + x, up = i - width, down = i + width;
      const v = g[up - 1] - 2 * g[up] + g[up + 1] - 2 * g[i - 1] + 4 * g[i] - 2 * g[i + 1] + g[down - 1] - 2 * g[down] + g[down + 1];
      bins[Math.min(2047, Math.round(Math.abs(v)))]++;
    }
  }
  let seen = 0, median = 0;
  while (median < 2047 && (seen += bins[median]) * 2 < count) median++;
  // 1.4826 × median |x| estimates σ of a normal variable.
  return (1.4826 * median) / 6;
}

/**
 * Centroid and radius of gyration of the content weight |g| − level (g: grey minus background).
 * For the centroid of cut content, level = the mean deviation keeps background noise out (the
 * plain intensity centroid was off by 0.2 px); for a whole object a share of the peak is used,
 * which a zoom does not change (the mean deviation grows as the object fills more of the frame).
 */
function moments(g: Float32Array, width: number, height: number, level: number): { cx: number; cy: number; spread: number; sx: number; sy: number } {
  let sw = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const w = Math.abs(g[i]) - level;
      if (w > 0) { sw += w; sx += w * x; sy += w * y; sxx += w * x * x; syy += w * y * y; }
    }
  }
  // A flat image has no content to centre on.
  if (sw <= 0) return { cx: (width - 1) / 2, cy: (height - 1) / 2, spread: 0, sx: 0, sy: 0 };
  const cx = sx / sw, cy = sy / sw, vx = Math.max(0, sxx / sw - cx * cx), vy = Math.max(0, syy / sw - cy * cy);
  return { cx, cy, spread: Math.sqrt(vx + vy), sx: Math.sqrt(vx), sy: Math.sqrt(vy) };
}

/** Whether no content above `level` touches the image's outermost ring of pixels. */
function wholeObject(g: Float32Array, width: number, height: number, level: number): boolean {
  if (width < 8 || height < 8 || level <= 0) return false;
  for (let x = 0; x < width; x++) if (Math.abs(g[x]) > level || Math.abs(g[(height - 1) * width + x]) > level) return false;
  for (let y = 0; y < height; y++) if (Math.abs(g[y * width]) > level || Math.abs(g[y * width + width - 1]) > level) return false;
  return true;
}

/** True when the signature's pattern (at `off`; default the frame pattern) is empty: a flat image, never a near duplicate of anything. */
export function isFlatSignature(s: Uint8Array, off = 0): boolean {
  for (let i = off; i < off + PATTERN_LENGTH; i++) if (s[i] !== 0) return false;
  return true;
}

function levelsOf({ luma, cb, cr }: { luma: Float32Array; cb: Float32Array | null; cr: Float32Array | null }): Uint8Array {
  const n = luma.length;
  let sum = 0, sq = 0, sb = 0, sr = 0;
  for (let i = 0; i < n; i++) { sum += luma[i]; sq += luma[i] * luma[i]; }
  if (cb && cr) for (let i = 0; i < n; i++) { sb += cb[i]; sr += cr[i]; }
  const mean = sum / n, sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
  return Uint8Array.of(byte(mean), byte(2 * sd), byte(128 + sb / n), byte(128 + sr / n));
}

function borderMedian(g: Float32Array, width: number, height: number): number {
  const ring = new Float32Array(height > 1 ? 2 * width + 2 * Math.max(0, height - 2) : width);
  let k = 0;
  for (let x = 0; x < width; x++) {
    ring[k++] = g[x];
    if (height > 1) ring[k++] = g[(height - 1) * width + x];
  }
  for (let y = 1; y < height - 1; y++) {
    ring[k++] = g[y * width];
    if (width > 1) ring[k++] = g[y * width + width - 1];
  }
  // A typed-array sort is numeric and much faster than Array#sort with a comparator.
  const sorted = ring.subarray(0, k).sort();
  return sorted[k >> 1];
}

/** Per output cell along an axis: its first pixel, how many taps it has, and their weights at u·stride. */
interface Taps { start: Int32Array; count: Int32Array; w: Float32Array; stride: number }

/**
 * For each output cell along an axis of `length` pixels: the in-image Gaussian taps around the
 * cell centre, for a window of SIGNATURE_SIDE cells of `cell` pixels centred at `centre`. Weights are normalised over all taps, in or out of
 * the image, so the part outside reads as background.
 */
function taps(length: number, centre: number, cell: number): Taps {
  const S = SIGNATURE_SIDE;
  const sigma = BLUR * cell;
  const radius = Math.ceil(3 * sigma);
  const stride = 2 * radius + 2;
  const start = new Int32Array(S), count = new Int32Array(S), w = new Float32Array(S * stride);
  const e = new Float64Array(stride);
  for (let u = 0; u < S; u++) {
    const c = centre + (u + 0.5 - S / 2) * cell;
    const first = Math.floor(c) - radius, last = Math.ceil(c) + radius;
    let total = 0;
    for (let p = first; p <= last; p++) total += (e[p - first] = Math.exp(-((p - c) ** 2) / (2 * sigma * sigma)));
    const lo = Math.max(0, first), hi = Math.min(length - 1, last);
    start[u] = lo;
    count[u] = Math.max(0, hi - lo + 1);
    for (let p = lo; p <= hi; p++) w[u * stride + p - lo] = e[p - first]! / total;
  }
  return { start, count, w, stride };
}

// Pixel comparison after alignment, for copies that only line up after a shift (or, for a crop
// resized back, a shift and a zoom): images that fill their frame lose content at the border when
// shifted, so their centred signatures (signature.ts) drift apart while their pixels, compared over
// the overlap at the best shift, still agree.
// Shared by the near-duplicate stage for such images (aligned-duplicates.ts) and the check for
// copies across splits (core/splits/engine/aligned-copies.ts). Candidates come from a cheap
// descriptor (patternCoords: a pattern pooled to 8×8 and projected on a few principal directions,
// 16 unless the caller asks for more), the pixel comparison decides.
import { fitRandomizedPca, applyPca } from './pca';
import { SIGNATURE_SIDE } from './signature';

export interface GreyImage {
  data: Uint8Array; width: number; height: number;
  /** The luminance steps of the JPEG file these pixels were decoded from at this size (jpeg-recompression.ts); absent otherwise. */
  quant?: Uint16Array;
  /**
   * These pixels were reduced from the stored image (a folder's thumbnail, core/curate/grey-images.ts):
   * a shift of whole pixels there is a shift of fractions of a pixel here.
   */
  reduced?: boolean;
}

/** Dimensions of patternCoords' rows unless the caller asks for others. */
export const PATTERN_COORDS = 16;

/** Inserts (j, d) into the first `at + 1` slots of a list kept ascending by distance (the K nearest so far). */
export function insertNearest(idx: Int32Array, dist: Float64Array, at: number, j: number, d: number): void {
  let p = at;
  while (p > 0 && dist[p - 1]! > d) { idx[p] = idx[p - 1]!; dist[p] = dist[p - 1]!; p--; }
  idx[p] = j; dist[p] = d;
}

/** Offers (j, d) to a list of the K = idx.length nearest that holds `count` so far; returns the new count. */
export function keepNearest(idx: Int32Array, dist: Float64Array, count: number, j: number, d: number): number {
  const K = idx.length;
  if (count < K) { insertNearest(idx, dist, count, j, d); return count + 1; }
  if (d < dist[K - 1]!) insertNearest(idx, dist, K - 1, j, d);
  return count;
}

/**
 * Each pattern (the first SIGNATURE_SIDE² bytes: a signature's frame pattern, or one of anchoredPatterns')
 * pooled to 8×8, centred and unit length (so distance ~ correlation), projected on `dims`
 * principal directions of a row sample; ok[i] = 0 where a row has none, is not used or is flat.
 */
export function patternCoords(patterns: ArrayLike<Uint8Array | null | undefined>, use: (i: number) => boolean, dims = PATTERN_COORDS): { data: Float32Array; ok: Uint8Array } | null {
  const n = patterns.length, S = SIGNATURE_SIDE, H = S / 2, P = H * H;
  const pooled = new Float32Array(n * P);
  const ok = new Uint8Array(n);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = patterns[i];
    if (!s || !use(i)) continue;
    let mean = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < H; x++) {
      const o = 2 * y * S + 2 * x;
      const v = s[o]! + s[o + 1]! + s[o + S]! + s[o + S + 1]!;
      pooled[i * P + y * H + x] = v;
      mean += v;
    }
    mean /= P;
    let norm = 0;
    for (let t = 0; t < P; t++) { pooled[i * P + t] -= mean; norm += pooled[i * P + t]! ** 2; }
    if (norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let t = 0; t < P; t++) pooled[i * P + t] *= inv;
    ok[i] = 1;
    rows.push(i);
  }
  if (rows.length < 2) return null;
  const sample = new Float32Array(Math.min(rows.length, 8192) * P);
  const step = Math.max(1, Math.floor(rows.length / 8192));
  for (let r = 0, t = 0; r < rows.length && t < sample.length / P; r += step, t++) sample.set(pooled.subarray(rows[r]! * P, rows[r]! * P + P), t * P);
  const basis = fitRandomizedPca(sample, P, Math.min(dims, P), { seed: 1 });
  return { data: applyPca(pooled, basis), ok };
}

/** An image with what every comparison of it needs, made once: its half-size copy and its row and column sums. */
export interface PreparedGrey { img: GreyImage; half: GreyImage; cols: Float64Array; rows: Float64Array }

export function prepareGrey(img: GreyImage): PreparedGrey {
  const W = img.width, H = img.height;
  const cols = new Float64Array(W), rows = new Float64Array(H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { const v = img.data[y * W + x]!; cols[x] += v; rows[y] += v; }
  return { img, half: halved(img), cols, rows };
}

/**
 * 1 − Pearson r of two same-size grey images over their overlap, at the best shift within ±R px
 * found cheaply: full-size shifts around two estimates instead of all (2R + 1)² of them.
 */
export function alignedDistance(a: GreyImage, b: GreyImage, R: number): number {
  const pa = prepareGrey(a), pb = prepareGrey(b);
  return refinedDistance(pa, pb, R, coarseAlignment(pa, pb, R));
}

/** The best shift of the half-size copies within ±R/2 and its distance: a cheap first look at a pair. */
export function coarseAlignment(a: PreparedGrey, b: PreparedGrey, R: number): { d: number; sx: number; sy: number } {
  const ha = a.half, hb = b.half, r = Math.ceil(R / 2);
  let sx = 0, sy = 0, d = Infinity;
  for (let y = -r; y <= r; y++) {
    for (let x = -r; x <= r; x++) {
      const e = overlapDistance(ha.data, hb.data, ha.width, ha.height, x, y);
      if (e < d) { d = e; sx = x; sy = y; }
    }
  }
  return { d, sx, sy };
}

/**
 * The full-size distance at the shift the row and column profiles give: one comparison, a cheap
 * first look at a pair. `subpixel` (images reduced from larger ones, where a shift of whole pixels
 * is a fraction of one here): also at the profiles' fraction of a pixel, interpolated, when it is
 * a fifth of a pixel or more; the lower of the two. Fine texture half a pixel off correlates at no
 * whole-pixel shift (photo tiles shifted 1–3 px at 64 px, compared at 48, scratch: distances of
 * 0.02–0.17 at the best whole-pixel shift, 0.002–0.036 a fraction of a pixel off; see
 * bench/duplicates-photos.ts).
 */
export function profileDistance(a: PreparedGrey, b: PreparedGrey, R: number, subpixel = false): number {
  const { width: W, height: H } = a.img;
  const sx = profileShift(a.cols, b.cols, R), sy = profileShift(a.rows, b.rows, R);
  const d = overlapDistance(a.img.data, b.img.data, W, H, sx, sy);
  if (!subpixel) return d;
  const fx = fractionalShift(a.cols, b.cols, sx), fy = fractionalShift(a.rows, b.rows, sy);
  if (Math.abs(fx) < 0.2 && Math.abs(fy) < 0.2) return d;
  return Math.min(d, warpDistance(a, b.img, [1, -(sx + fx), 1, -(sy + fy)]));
}

/** The fraction of a pixel to add to profileShift's whole shift s: the vertex of the parabola through its error and its neighbours'. */
function fractionalShift(pa: Float64Array, pb: Float64Array, s: number): number {
  const e = [-1, 0, 1].map((t) => shiftError(pa, pb, s + t));
  const curve = e[0]! - 2 * e[1]! + e[2]!;
  if (!(curve > 0) || !Number.isFinite(curve)) return 0;
  return Math.max(-0.5, Math.min(0.5, (e[0]! - e[2]!) / (2 * curve)));
}

/** Mean squared difference of two profiles with b shifted by s (a[t] ~ b[t − s]); ∞ without overlap. */
function shiftError(pa: Float64Array, pb: Float64Array, s: number): number {
  const L = pa.length;
  let err = 0, m = 0;
  for (let t = Math.max(0, s); t < Math.min(L, L + s); t++) { const e = pa[t]! - pb[t - s]!; err += e * e; m++; }
  return m ? err / m : Infinity;
}

/** The full-size distance at the best shift near the coarse one (doubled) or the one the row and column profiles give. */
export function refinedDistance(a: PreparedGrey, b: PreparedGrey, R: number, coarse: { sx: number; sy: number }): number {
  return refinedShift(a, b, R, coarse).d;
}

/** refinedDistance with the shift it was found at (a(x, y) ~ b(x − sx, y − sy)). */
export function refinedShift(a: PreparedGrey, b: PreparedGrey, R: number, coarse: { sx: number; sy: number }): { d: number; sx: number; sy: number } {
  const { width: W, height: H } = a.img;
  // Around the coarse estimate and around the one row and column profiles give (each misses
  // some shifts the other gets: measured on Fashion-MNIST copies).
  const tried: number[] = [];
  let best = 1, bx = 0, by = 0;
  const starts = [2 * coarse.sx, 2 * coarse.sy, profileShift(a.cols, b.cols, R), profileShift(a.rows, b.rows, R)];
  for (let k = 0; k < 4; k += 2) {
    for (let ey = -1; ey <= 1; ey++) {
      for (let ex = -1; ex <= 1; ex++) {
        const sx = Math.max(-R, Math.min(R, starts[k]! + ex)), sy = Math.max(-R, Math.min(R, starts[k + 1]! + ey));
        const key = (sy + R) * (2 * R + 1) + sx + R;
        if (tried.includes(key)) continue;
        tried.push(key);
        const d = overlapDistance(a.img.data, b.img.data, W, H, sx, sy);
        if (d < best) { best = d; bx = sx; by = sy; }
      }
    }
  }
  return { d: best, sx: bx, sy: by };
}

/**
 * For a crop resized back (a magnified copy): a(x, y) ~ b(kx (x − c) + c + ox, ky (y − c) + c + oy)
 * about the centre c, with each k in [k0, k1] and each offset within ±R px. The look: each axis
 * fitted on its profiles (Pearson r over a coarse grid, then one finer step), one comparison at
 * that warp over the overlap, and one at the joint fit (jointFit) when it differs, the nearer
 * kept; distance 1 without a comparison when either axis' profiles correlate below
 * `minProfiles` (the comparison is most of the cost, and a copy's profiles agree).
 */
export function scaledLook(a: PreparedGrey, b: PreparedGrey, k0: number, k1: number, R: number, minProfiles = -1): { d: number; warp: number[] } {
  const fx = profileFit(a.cols, b.cols, k0, k1, R);
  if (fx.r < minProfiles) return { d: 1, warp: [fx.k, fx.o, 1, 0] };
  const fy = profileFit(a.rows, b.rows, k0, k1, R);
  const warp = [fx.k, fx.o, fy.k, fy.o];
  if (fy.r < minProfiles) return { d: 1, warp };
  const d = warpDistance(a, b.img, warp);
  const joint = jointFit(a, b, k0, k1, R);
  if (joint.every((v, t) => v === warp[t])) return { d, warp };
  const e = warpDistance(a, b.img, joint);
  return e < d ? { d: e, warp: joint } : { d, warp };
}

/** Scale steps of the joint fit (offsets step by ½ px). */
const JOINT_SCALE_STEP = 0.01;

/**
 * The warp with one scale on both axes: the k at which the two axes' profiles, each at its best
 * offset, correlate best together. A crop cuts the other axis' sums, so one axis' own fit can
 * land far from the crop's scale, beyond what a refinement walks back, while the other axis
 * still knows it; crops keep their shape or nearly (a 5–10 % cut of each side magnifies the
 * two axes within 6 % of each other). Fashion-MNIST crops (bench/duplicates.ts's copies,
 * scratch): six the stage missed had one axis fitted at 0.857–0.877 where the crop's scale
 * was about 0.93, looks 0.004–0.073; at the joint fit 0.002–0.012.
 */
function jointFit(a: PreparedGrey, b: PreparedGrey, k0: number, k1: number, R: number): number[] {
  const offsetAt = (pa: Float64Array, pb: Float64Array, k: number) => {
    let r = -Infinity, o = 0;
    for (let t = -2 * R; t <= 2 * R; t++) { const c = profileCorrelation(pa, pb, k, t / 2); if (c > r) { r = c; o = t / 2; } }
    return { r, o };
  };
  let best = -Infinity, out = [1, 0, 1, 0];
  for (let k = k0; k <= k1 + 1e-9; k += JOINT_SCALE_STEP) {
    const x = offsetAt(a.cols, b.cols, k), y = offsetAt(a.rows, b.rows, k);
    if (x.r + y.r > best) { best = x.r + y.r; out = [k, x.o, k, y.o]; }
  }
  return out;
}

/** scaledLook's warp refined coordinate by coordinate (scale by 0.01, offset by ¼ px) while the distance falls. */
export function scaledDistance(a: PreparedGrey, b: PreparedGrey, k0: number, k1: number, R: number): number {
  const { d, warp } = scaledLook(a, b, k0, k1, R);
  return refinedWarp(a, b, warp, d);
}

/** The distance with b warped onto a by [kx, ox, ky, oy] (as scaledLook's warp): one comparison. */
export function warpLook(a: PreparedGrey, b: PreparedGrey, warp: number[]): number {
  return warpDistance(a, b.img, warp);
}

/** The warp refined coordinate by coordinate (scale by 0.01, offset by ¼ px) while the distance (d at the warp given) falls. */
export function refinedWarp(a: PreparedGrey, b: PreparedGrey, warp: number[], d: number): number {
  const steps = [0.01, 0.25, 0.01, 0.25];
  // A step back to a warp already measured (the one just left, most often) is read from here, not
  // measured again: the same four numbers give the same distance. (The d given is not entered: a
  // caller may pass a bound rather than the distance at the warp.)
  const measured = new Map<string, number>();
  for (let it = 0; it < 6; it++) {
    let moved = false;
    for (let c = 0; c < 4; c++) {
      for (const s of [-1, 1]) {
        const w = warp.slice();
        w[c] += s * steps[c]!;
        const key = w.join(' ');
        let e = measured.get(key);
        if (e === undefined) measured.set(key, (e = warpDistance(a, b.img, w)));
        if (e < d) { d = e; warp = w; moved = true; }
      }
    }
    if (!moved) break;
  }
  return d;
}

/**
 * What resampling alone can change in an image, as a correlation distance: its bilinear and its
 * cubic (Catmull–Rom) values half a pixel off the grid, compared. A copy magnified by one tool
 * and warped back here by another differs by about this much (hard edges and fine texture the
 * most; scratch, Fashion-MNIST and generated crops: it explained the median copy's distance).
 */
export function resamplingAllowance(img: GreyImage): number {
  const { data: d, width: W, height: H } = img;
  if (W < 4 || H < 4) return 0;
  // Catmull–Rom weights at the half pixel: −1/16, 9/16, 9/16, −1/16.
  const at = (x: number, y: number) => d[Math.max(0, Math.min(H - 1, y)) * W + Math.max(0, Math.min(W - 1, x))]!;
  const wc = [-1 / 16, 9 / 16, 9 / 16, -1 / 16];
  let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let y = 0; y < H - 1; y++) {
    for (let x = 0; x < W - 1; x++) {
      const linear = (at(x, y) + at(x + 1, y) + at(x, y + 1) + at(x + 1, y + 1)) / 4;
      let cubic = 0;
      for (let q = 0; q < 4; q++) {
        let row = 0;
        for (let p = 0; p < 4; p++) row += wc[p]! * at(x + p - 1, y + q - 1);
        cubic += wc[q]! * row;
      }
      n++; sa += linear; sb += cubic; saa += linear * linear; sbb += cubic * cubic; sab += linear * cubic;
    }
  }
  const r = pearson(n, sa, sb, saa, sbb, sab);
  return r === null ? 0 : Math.max(0, 1 - r);
}

/** Scale steps of the profile fit's coarse grid; its offsets step by 1 px, and one finer step follows. */
const FIT_SCALE_STEP = 0.04;

function profileFit(pa: Float64Array, pb: Float64Array, k0: number, k1: number, R: number): { k: number; o: number; r: number } {
  let k = 1, o = 0, best = -Infinity;
  for (let kk = k0; kk <= k1 + 1e-9; kk += FIT_SCALE_STEP) {
    for (let oo = -R; oo <= R; oo++) {
      const r = profileCorrelation(pa, pb, kk, oo);
      if (r > best) { best = r; k = kk; o = oo; }
    }
  }
  const k1st = k, o1st = o;
  for (const dk of [-FIT_SCALE_STEP / 2, 0, FIT_SCALE_STEP / 2]) {
    for (const dO of [-0.5, 0, 0.5]) {
      if (!dk && !dO) continue;
      const r = profileCorrelation(pa, pb, k1st + dk, o1st + dO);
      if (r > best) { best = r; k = k1st + dk; o = o1st + dO; }
    }
  }
  return { k, o, r: best };
}

/** Pearson r of pa[x] and pb at k (x − c) + c + o (linear interpolation) over the x that land inside; −∞ under 70 % overlap. */
function profileCorrelation(pa: Float64Array, pb: Float64Array, k: number, o: number): number {
  const L = pa.length, c = (L - 1) / 2;
  let m = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let x = 0; x < L; x++) {
    const u = k * (x - c) + c + o;
    if (u < 0 || u > L - 1) continue;
    const i = Math.min(L - 2, u | 0), f = u - i, vb = pb[i]! + (pb[i + 1]! - pb[i]!) * f, va = pa[x]!;
    m++; sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
  }
  if (m < 0.7 * L) return -Infinity;
  return pearson(m, sa, sb, saa, sbb, sab) ?? -Infinity;
}

/**
 * warpDistance's reading of b: per column of a its sample position in b, and b's rows
 * interpolated along x at those positions, kept while the same image is read at the same x
 * scale and offset. A refinement (refinedWarp) moves one coordinate at a time, so half its
 * comparisons reuse every row; and a row read as one pixel row's lower neighbour and the next
 * one's upper is interpolated once. The values and the order they are summed in are the ones
 * reading each pixel afresh gives, so the distances are the same to the last bit.
 */
const reading = { b: null as Uint8Array | null, width: 0, height: 0, kx: NaN, ox: NaN, from: 0, to: -1, at: new Int32Array(0), fraction: new Float64Array(0), rows: new Float64Array(0), made: new Int32Array(0), stamp: 0 };

/** Points the reading at image b read at x scale kx and offset ox, keeping its rows when nothing changed. */
function readAs(b: GreyImage, kx: number, ox: number): void {
  const r = reading, W = b.width, H = b.height;
  if (r.b === b.data && r.width === W && r.height === H && r.kx === kx && r.ox === ox) return;
  if (r.at.length < W) { r.at = new Int32Array(W); r.fraction = new Float64Array(W); }
  if (r.rows.length < W * H) r.rows = new Float64Array(W * H);
  if (r.made.length < H) r.made = new Int32Array(H);
  r.b = b.data; r.width = W; r.height = H; r.kx = kx; r.ox = ox;
  // A new stamp marks every kept row stale; rows made under an old one are never read as current.
  if (++r.stamp > 0x3fffffff) { r.stamp = 1; r.made.fill(0); }
  // The columns that land inside b: one run of them, as x ↦ kx (x − c) + c + ox rises with x.
  const cx = (W - 1) / 2;
  r.from = W; r.to = -1;
  for (let x = 0; x < W; x++) {
    const u = kx * (x - cx) + cx + ox;
    if (u < 0 || u > W - 1) continue;
    r.at[x] = Math.min(W - 2, u | 0); r.fraction[x] = u - r.at[x]!;
    if (x < r.from) r.from = x;
    r.to = x;
  }
}

/** Row j of the current reading, interpolated along x (made on first use): its offset in reading.rows. */
function readRow(j: number): number {
  const r = reading, o = j * r.width;
  if (r.made[j] === r.stamp) return o;
  const B = r.b!, at = r.at, f = r.fraction, out = r.rows;
  for (let x = r.from; x <= r.to; x++) {
    const i = o + at[x]!;
    out[o + x] = B[i]! + (B[i + 1]! - B[i]!) * f[x]!;
  }
  r.made[j] = r.stamp;
  return o;
}

/**
 * 1 − Pearson r of a and b warped as scaledLook says (bilinear), over the pixels of a that land
 * inside b; 1 under half overlap, or at a scale that is not positive (no zoom searched comes near).
 */
function warpDistance(a: PreparedGrey, b: GreyImage, [kx, ox, ky, oy]: number[]): number {
  const W = a.img.width, H = a.img.height, A = a.img.data, cy = (H - 1) / 2;
  if (!(kx! > 0) || !(ky! > 0)) return 1;
  readAs(b, kx!, ox!);
  const x0 = reading.from, x1 = reading.to, rows = reading.rows;
  let m = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let y = 0; y < H && x1 >= x0; y++) {
    const v = ky! * (y - cy) + cy + oy!;
    if (v < 0 || v > H - 1) continue;
    const j = Math.min(H - 2, v | 0), fy = v - j, t0 = readRow(j), t1 = readRow(j + 1), ra = y * W;
    m++;
    for (let x = x0; x <= x1; x++) {
      const top = rows[t0 + x]!, vb = top + (rows[t1 + x]! - top) * fy, va = A[ra + x]!;
      sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
    }
  }
  const n = m * Math.max(0, x1 - x0 + 1);
  if (n < 0.5 * W * H) return 1;
  return 1 - (pearson(n, sa, sb, saa, sbb, sab) ?? 0);
}

/** The shift along one axis that best lines up two profiles (sums across the other axis). */
function profileShift(pa: Float64Array, pb: Float64Array, R: number): number {
  let best = 0, bestErr = Infinity;
  for (let s = -R; s <= R; s++) {
    const err = shiftError(pa, pb, s);
    if (err < bestErr) { bestErr = err; best = s; }
  }
  return best;
}

function halved(img: GreyImage): GreyImage {
  const w = img.width >> 1, h = img.height >> 1, W = img.width, d = img.data;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const o = 2 * y * W + 2 * x;
    out[y * w + x] = (d[o]! + d[o + 1]! + d[o + W]! + d[o + W + 1]! + 2) >> 2;
  }
  return { data: out, width: w, height: h };
}

/** b shifted by (sx, sy) against a: a(x, y) ~ b(x − sx, y − sy). */
function overlapDistance(a: Uint8Array, b: Uint8Array, W: number, H: number, sx: number, sy: number): number {
  let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let y = Math.max(0, sy); y < Math.min(H, H + sy); y++) {
    const ra = y * W, rb = (y - sy) * W - sx;
    for (let x = Math.max(0, sx); x < Math.min(W, W + sx); x++) {
      const va = a[ra + x]!, vb = b[rb + x]!;
      n++; sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
    }
  }
  if (n === 0) return 1;
  return 1 - (pearson(n, sa, sb, saa, sbb, sab) ?? 0);
}

/** Pearson r from the running sums of n pairs (Σa, Σb, Σa², Σb², Σab); null when either side is flat. */
export function pearson(n: number, sa: number, sb: number, saa: number, sbb: number, sab: number): number | null {
  const cov = sab - (sa * sb) / n, va = saa - (sa * sa) / n, vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : null;
}

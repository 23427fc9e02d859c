// Copies across splits that the appearance rule misses: images that fill their frame (Fashion-
// MNIST) and were shifted lose content at the border, so their centred signatures no longer
// line up. For every sample of the smaller splits: the K nearest samples of the other splits by
// signature (a 16-d projection of the frame pattern), then a pixel comparison over the overlap
// after the best shift of ±MAX_SHIFT px; the nearest is a copy when its distance is small and
// clearly smaller than the next candidate's (a ratio test, as in feature matching: distinct
// look-alikes come in crowds, a copy stands alone). Measured while writing it (10,000 Fashion-
// MNIST items, 300 exact / shifted / noised / both copies): the source was among the 10 nearest
// by signature for 300/300, and d₁ ≤ 0.04 with d₁ ≤ 0.35·d₂ took 300/300 copies and 0 of 600
// originals.
import { fitRandomizedPca, applyPca } from '../../curate/engine';
import { SIGNATURE_SIDE } from '../../curate/engine/signature';

export interface GreyImage { data: Uint8Array; width: number; height: number }

export const ALIGNED_K = 10;
export const ALIGNED_MAX_DISTANCE = 0.04;
export const ALIGNED_RATIO = 0.35;
export const MAX_SHIFT = 3;
const DIM = 16;

export interface AlignedInput {
  signatures: ArrayLike<Uint8Array | null>;
  /** Split code per sample (-1 = none: neither queried nor a candidate). */
  split: Int32Array;
  images: ArrayLike<GreyImage | null>;
  /** Group per sample by the other rules (-1 = alone): a candidate in the best one's group is the same item, not "the next candidate". */
  groupOf?: Int32Array;
}

/** Pairs (a, b) of copies in different splits. */
export function alignedCrossSplitCopies(input: AlignedInput, opts: { k?: number; maxDistance?: number; ratio?: number } = {}): { a: Int32Array; b: Int32Array } {
  const { signatures, split, images, groupOf } = input;
  const n = split.length;
  const K = opts.k ?? ALIGNED_K, maxD = opts.maxDistance ?? ALIGNED_MAX_DISTANCE, ratio = opts.ratio ?? ALIGNED_RATIO;
  const sizes = new Map<number, number>();
  for (let i = 0; i < n; i++) if (split[i]! >= 0) sizes.set(split[i]!, (sizes.get(split[i]!) ?? 0) + 1);
  if (sizes.size < 2) return { a: new Int32Array(0), b: new Int32Array(0) };
  const largest = [...sizes].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]![0];
  const coords = describe(signatures, split);
  if (!coords) return { a: new Int32Array(0), b: new Int32Array(0) };
  const usable = (i: number) => split[i]! >= 0 && coords.ok[i] === 1 && images[i] !== null && images[i] !== undefined;
  const targets = Int32Array.from({ length: n }, (_, i) => i).filter(usable);
  const a: number[] = [], b: number[] = [];
  const seen = new Set<string>();
  const bestIdx = new Int32Array(K), bestD = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    if (!usable(i) || split[i] === largest) continue;
    // K nearest of the other splits in the projection (brute force: 16 floats per target).
    let count = 0;
    const ci = i * DIM, c = coords.data;
    for (const j of targets) {
      if (split[j] === split[i]) continue;
      // Partial sums: most targets are already farther than the K-th best after a few components.
      const cj = j * DIM, bound = count < K ? Infinity : bestD[K - 1]!;
      let d = 0;
      for (let t = 0; t < DIM && d < bound; t += 4) {
        const e0 = c[ci + t]! - c[cj + t]!, e1 = c[ci + t + 1]! - c[cj + t + 1]!, e2 = c[ci + t + 2]! - c[cj + t + 2]!, e3 = c[ci + t + 3]! - c[cj + t + 3]!;
        d += e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
      }
      if (d >= bound) continue;
      if (count < K) { insert(bestIdx, bestD, count++, j, d); continue; }
      if (d < bestD[K - 1]!) insert(bestIdx, bestD, K - 1, j, d);
    }
    const img = images[i]!;
    const checked: Array<{ j: number; d: number }> = [];
    for (let t = 0; t < count; t++) {
      const j = bestIdx[t]!, other = images[j]!;
      if (other.width !== img.width || other.height !== img.height) continue;
      checked.push({ j, d: alignedDistance(img, other, MAX_SHIFT) });
    }
    if (!checked.length) continue;
    checked.sort((x, y) => x.d - y.d);
    const best = checked[0]!;
    if (best.d > maxD) continue;
    const same = (j: number) => j === best.j || (groupOf !== undefined && groupOf[j]! >= 0 && groupOf[j] === groupOf[best.j]);
    const next = checked.find((x) => !same(x.j));
    if (next && best.d > ratio * next.d) continue;
    const key = i < best.j ? `${i}:${best.j}` : `${best.j}:${i}`;
    if (seen.has(key)) continue;
    seen.add(key);
    a.push(i); b.push(best.j);
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b) };
}

function insert(idx: Int32Array, dist: Float64Array, at: number, j: number, d: number): void {
  let p = at;
  while (p > 0 && dist[p - 1]! > d) { idx[p] = idx[p - 1]!; dist[p] = dist[p - 1]!; p--; }
  idx[p] = j; dist[p] = d;
}

/** The frame pattern pooled to 8×8, centred and unit length (so distance ~ correlation), projected on 16 principal directions. */
function describe(signatures: ArrayLike<Uint8Array | null>, split: Int32Array): { data: Float32Array; ok: Uint8Array } | null {
  const n = split.length, S = SIGNATURE_SIDE, H = S / 2, P = H * H;
  const pooled = new Float32Array(n * P);
  const ok = new Uint8Array(n);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = signatures[i];
    if (!s || split[i]! < 0) continue;
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
  const basis = fitRandomizedPca(sample, P, Math.min(DIM, P), { seed: 1 });
  return { data: applyPca(pooled, basis), ok };
}

/**
 * 1 − Pearson r of two same-size grey images over their overlap, at the best shift within ±R px
 * found cheaply: full-size shifts around two estimates instead of all (2R + 1)² of them.
 */
export function alignedDistance(a: GreyImage, b: GreyImage, R: number): number {
  const { width: W, height: H } = a;
  const ha = halved(a), hb = halved(b), r = Math.ceil(R / 2);
  let cx = 0, cy = 0, coarse = Infinity;
  for (let sy = -r; sy <= r; sy++) {
    for (let sx = -r; sx <= r; sx++) {
      const d = overlapDistance(ha.data, hb.data, ha.width, ha.height, sx, sy);
      if (d < coarse) { coarse = d; cx = sx; cy = sy; }
    }
  }
  // Around the coarse estimate and around the one row and column profiles give (each misses
  // some shifts the other gets: measured on Fashion-MNIST copies).
  const tried = new Set<number>();
  let best = 1;
  for (const [x0, y0] of [[2 * cx, 2 * cy], [profileShift(a, b, R, true), profileShift(a, b, R, false)]] as const) {
    for (let ey = -1; ey <= 1; ey++) {
      for (let ex = -1; ex <= 1; ex++) {
        const sx = Math.max(-R, Math.min(R, x0 + ex)), sy = Math.max(-R, Math.min(R, y0 + ey));
        const key = (sy + R) * (2 * R + 1) + sx + R;
        if (tried.has(key)) continue;
        tried.add(key);
        best = Math.min(best, overlapDistance(a.data, b.data, W, H, sx, sy));
      }
    }
  }
  return best;
}

/** The shift along one axis that best lines up the two images' profiles (sums across the other axis). */
function profileShift(a: GreyImage, b: GreyImage, R: number, alongX: boolean): number {
  const W = a.width, H = a.height, L = alongX ? W : H;
  const pa = new Float64Array(L), pb = new Float64Array(L);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const t = alongX ? x : y;
    pa[t] += a.data[y * W + x]!; pb[t] += b.data[y * W + x]!;
  }
  let best = 0, bestErr = Infinity;
  for (let s = -R; s <= R; s++) {
    let err = 0, m = 0;
    for (let t = Math.max(0, s); t < Math.min(L, L + s); t++) { const e = pa[t]! - pb[t - s]!; err += e * e; m++; }
    if (m && err / m < bestErr) { bestErr = err / m; best = s; }
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
  const cov = sab - (sa * sb) / n, va = saa - (sa * sa) / n, vb = sbb - (sb * sb) / n;
  if (va <= 0 || vb <= 0) return 1;
  return 1 - cov / Math.sqrt(va * vb);
}

// The near-duplicate rule as it was at commit 0e90646 (before issue #19), kept callable so
// bench/duplicates.ts measures before and after in one run: signature v1 (centred, blurred 16×16
// grey pattern, min–max scaled, alpha dropped, flat images all-zero and equal to each other),
// correlation distance ≤ 0.002, groups = connected components (union-find). The pair search
// reuses today's exact search by giving every v1 pattern the same neutral levels, so the
// level gate never fires; flat patterns, which today's search skips, are joined by hand, as
// v1 put them at distance 0 from each other.
import { appearancePairs } from '../../src-main/core/curate/engine';
import { UnionFind, groupsFromRoots } from '../../src-main/core/curate/engine/duplicates';
import { PATTERN_LENGTH, SIGNATURE_LENGTH } from '../../src-main/core/curate/engine/signature';
import { greyPlane } from '../../src-main/core/curate/engine/grey';
import type { DuplicateGroups } from '../../src-main/core/curate/engine';

export const BEFORE_THRESHOLD = 0.002;
const S = 16, BLUR = 0.4;

/** Signature v1 of 1, 3 or 4 channel pixels (alpha ignored, as v1 did), padded to today's length. */
export function signatureBefore(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  // v1 ignored alpha: pass the colour channels only.
  let px = data;
  if (channels === 4) {
    px = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) px.set(data.subarray(4 * i, 4 * i + 3), 3 * i);
    channels = 3;
  }
  const g = greyPlane(px, width, height, channels);
  const bg = borderMedian(g, width, height);
  let meanDev = 0;
  for (let i = 0; i < g.length; i++) { g[i] -= bg; meanDev += Math.abs(g[i]); }
  meanDev /= g.length;
  let sw = 0, sx = 0, sy = 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const w = Math.abs(g[i]) - meanDev;
      if (w > 0) { sw += w; sx += w * x; sy += w * y; }
    }
  }
  const cx = sw > 0 ? sx / sw : (width - 1) / 2, cy = sw > 0 ? sy / sw : (height - 1) / 2;
  const tx = taps(width, cx - (width - 1) / 2), ty = taps(height, cy - (height - 1) / 2);
  const rows = new Float32Array(height * S);
  for (let y = 0; y < height; y++) {
    for (let u = 0; u < S; u++) {
      let s = 0;
      const { start, w } = tx[u];
      for (let t = 0; t < w.length; t++) s += g[y * width + start + t] * w[t];
      rows[y * S + u] = s;
    }
  }
  const cells = new Float32Array(S * S);
  let lo = Infinity, hi = -Infinity;
  for (let v = 0; v < S; v++) {
    const { start, w } = ty[v];
    for (let u = 0; u < S; u++) {
      let s = 0;
      for (let t = 0; t < w.length; t++) s += rows[(start + t) * S + u] * w[t];
      cells[v * S + u] = s;
      if (s < lo) lo = s;
      if (s > hi) hi = s;
    }
  }
  const out = new Uint8Array(SIGNATURE_LENGTH);
  const range = hi - lo;
  if (range > 1e-6) for (let i = 0; i < S * S; i++) out[i] = Math.round((255 * (cells[i] - lo)) / range);
  out.set([128, 100, 128, 128], PATTERN_LENGTH);
  return out;
}

export function groupsBefore(signatures: Uint8Array[]): DuplicateGroups {
  const n = signatures.length;
  const uf = new UnionFind(n);
  const pairs = appearancePairs(signatures, BEFORE_THRESHOLD);
  for (let t = 0; t < pairs.a.length; t++) uf.union(pairs.a[t], pairs.b[t]);
  let firstFlat = -1;
  for (let i = 0; i < n; i++) {
    if (!signatures[i].subarray(0, PATTERN_LENGTH).every((v) => v === 0)) continue;
    if (firstFlat < 0) firstFlat = i;
    else uf.union(firstFlat, i);
  }
  return groupsFromRoots(n, (i) => uf.find(i));
}

function borderMedian(g: Float32Array, width: number, height: number): number {
  const ring: number[] = [];
  for (let x = 0; x < width; x++) { ring.push(g[x]); if (height > 1) ring.push(g[(height - 1) * width + x]); }
  for (let y = 1; y < height - 1; y++) { ring.push(g[y * width]); if (width > 1) ring.push(g[y * width + width - 1]); }
  const sorted = Float32Array.from(ring).sort();
  return sorted[sorted.length >> 1];
}

function taps(length: number, offset: number): { start: number; w: Float32Array }[] {
  const cell = length / S, sigma = BLUR * cell, radius = Math.ceil(3 * sigma);
  const out: { start: number; w: Float32Array }[] = [];
  for (let u = 0; u < S; u++) {
    const c = offset + (u + 0.5) * cell - 0.5;
    const first = Math.floor(c) - radius, last = Math.ceil(c) + radius;
    let total = 0;
    for (let p = first; p <= last; p++) total += Math.exp(-((p - c) ** 2) / (2 * sigma * sigma));
    const start = Math.max(0, first), end = Math.min(length - 1, last);
    const w = new Float32Array(Math.max(0, end - start + 1));
    for (let p = start; p <= end; p++) w[p - start] = Math.exp(-((p - c) ** 2) / (2 * sigma * sigma)) / total;
    out.push({ start, w });
  }
  return out;
}

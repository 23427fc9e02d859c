// Near duplicates that only line up after a shift: images whose content fills the frame (photos,
// product shots, Fashion-MNIST) lose part of it at the border when shifted, so the centred frame
// pattern of their signatures drifts apart (bench/duplicates.ts: Fashion-MNIST 1–3 px shifts,
// 0.53 found by the signature rule) while their pixels, compared over the overlap at the best
// shift, still agree. Objects seen whole on their background keep their object pattern and are
// left to the signature rule.
//
// For each such image: candidates are its ALIGNED_NEAREST nearest by the frame pattern and by
// the anchored pattern (signature.ts: centred on a kernel mode, which follows a shifted item
// better than the centroid), and its CROP_NEAREST nearest by its own anchored pattern zoomed in
// (magnified copies: crops resized back), found with HNSW, so the work is linear in the rows;
// then the pixels decide (aligned-pixels.ts: over shifts, or for a magnified candidate over
// zooms and offsets); a candidate of another size with the same shape (a rescaled copy) is
// compared at the smaller size, over zooms near 1 and sub-pixel offsets. A candidate is a copy when its distance, less what the two images'
// own noise explains, is within ALIGNED_THRESHOLD and clearly below the next candidate's (a
// ratio test, as in feature matching: distinct look-alikes come in crowds, a copy stands alone).
// Measured while writing it (Fashion-MNIST 70,000 + 200 copies shifted 1–3 px): the frame
// pattern's 5 nearest held the source for 83 % of the copies, with the anchored pattern's 96 %;
// the pixel test took every copy whose source it saw, and matched 4 of 2,984 originals.
import { coarseAlignment, patternCoords, prepareGrey, profileDistance, refinedDistance, resamplingAllowance, scaledDistance, scaledLook, type GreyImage, type PreparedGrey } from './aligned-pixels';
import { areaResample } from './appearance-tile';
import { anchoredPatterns, isFlatSignature, noiseSigma, OBJECT_OFFSET } from './signature';
import { addRows, createHnsw, queryRows } from '../../map/engine/hnsw';
import { groupsFromRoots, starGroups } from './duplicates';
import type { DuplicateGroups } from './types';

export interface AlignedOptions {
  /** Candidates per descriptor. */
  nearest?: number;
  /** Pixel correlation distance, beyond the pair's noise, within which a candidate may be a copy. */
  threshold?: number;
  /** The best candidate must be at most this share of the next one's distance. */
  ratio?: number;
  /** Also look for magnified copies (crops resized back); on by default, off to measure what it costs. */
  crops?: boolean;
}

export const ALIGNED_NEAREST = 5;
export const ALIGNED_THRESHOLD = 0.005;
export const ALIGNED_RATIO = 0.35;
/**
 * Smallest side compared: below it a shift's overlap is too few pixels to tell a copy from a
 * look-alike (8 px images with a ±1 px search matched distinct ramps).
 */
const MIN_SIDE = 16;
/** Largest shift searched, as a share of the shorter side (3 px of 28). */
const SHIFT_SHARE = 0.11;
const shiftOf = (w: number, h: number) => Math.max(1, Math.round(SHIFT_SHARE * Math.min(w, h)));
/** Two images of other sizes are compared when their aspect ratios agree within this (log ratio): a rescaled copy keeps its shape. */
const ASPECT_TOLERANCE = 0.05;
/** Most correlation distance one image's noise may excuse (as NOISE_CAP for signatures). */
const NOISE_CAP = 0.01;
/** Rows between two progress reports. */
const REPORT_ROWS = 4096;
/** Candidates given the full search first, nearest first by the look at the profiles' shift. */
const REFINED = 2;
/** Past this distance at the profiles' shift no candidate is searched further: a copy's look is a few thousandths, the nearest distinct item's a few hundredths. */
const LOOK_BOUND = 0.03;
const HNSW = { m: 8, efConstruction: 32, ef: 16, seed: 7 };
/**
 * Crops resized back (a copy magnified 1/(1 − crop) along each side): each image's anchored
 * pattern at this zoom (its window shrunk around the same mode) is queried among the plain ones,
 * so it finds the magnified copies of itself; those are compared with a zoom search of
 * ±CROP_SPREAD around it (crops of 2–12 % of a side). Measured on Fashion-MNIST crops of 5–10 %
 * (scratch, bench/duplicates.ts's copies): the zoomed query's 3 nearest held 76 % of the copies,
 * the plain patterns' 5 nearest 32 %; 1.05 and 1.11 as the zoom did worse than 1.08.
 */
const CROP_ZOOM = 1.08;
const CROP_SPREAD = 0.06;
/** Candidates by the zoomed pattern: a magnified copy found by it is mostly the first (scratch: 116 of the 136 among 5 were, 131 in the first 3). */
const CROP_NEAREST = 3;
/**
 * A magnified or rescaled candidate is compared by pixels only when its row and column profiles,
 * fitted, correlate with the row's at least this much: crops' lowest was 0.93 (the crop cuts the
 * other axis' sums), 5 of 136 below it, and 70 % of other candidates fall below it.
 */
const WARP_PROFILES = 0.95;
/**
 * A rescaled copy (another size) is compared over zooms this close to 1 and sub-pixel offsets:
 * resizing tools place pixels by different conventions (pixel centres or corners), so the copy
 * is a few thousandths off in scale and a fraction of a pixel off in place (scratch: Fashion-MNIST
 * items resized to 36 px by sharp, brought back to 28, were 0.048 from their sources at the best
 * whole-pixel shift, 0.005 with this search).
 */
const RESIZE_RANGE = [0.97, 1.03] as const;
const ZOOM_RANGE = [1 / (CROP_ZOOM + CROP_SPREAD), 1 / (CROP_ZOOM - CROP_SPREAD)] as const;
/** A crop's centre lies within half the cut of the image's: the offsets a magnified copy is searched over (px, at least 1). */
const cropShiftOf = (w: number, h: number) => Math.max(1, Math.ceil(((1 - ZOOM_RANGE[0]) / 2) * Math.max(w, h)));

export interface AlignedInput {
  /** Per sample its signature (signature.ts) or none. */
  signatures: ArrayLike<Uint8Array | null | undefined>;
  /** Per sample its grey pixels (the stored image) or none. */
  images: ArrayLike<GreyImage | null | undefined>;
  /** Group per sample by the other rules (-1 = alone): a candidate in the best one's group is the same item, not "the next candidate". */
  groupOf?: Int32Array;
}

/**
 * Pairs (a < b) of images that are copies once aligned, each found once. `progress(share)`: how
 * far it is, 0–1 (the anchored patterns, the two HNSW indexes built, the three queries, and the
 * pixel comparisons, each row a unit of each), every REPORT_ROWS rows.
 */
export function alignedDuplicatePairs(input: AlignedInput, opts: AlignedOptions = {}, progress?: (share: number) => void): { a: Int32Array; b: Int32Array } {
  const { signatures, images, groupOf } = input;
  const K = opts.nearest ?? ALIGNED_NEAREST, threshold = opts.threshold ?? ALIGNED_THRESHOLD, ratio = opts.ratio ?? ALIGNED_RATIO;
  const n = signatures.length;
  // Frame-filling images: a frame pattern, no object pattern (signature.ts), and pixels enough.
  const rows = alignedCandidates(signatures).filter((i) => { const img = images[i]; return img && Math.min(img.width, img.height) >= MIN_SIDE; });
  const m = rows.length;
  const none = { a: new Int32Array(0), b: new Int32Array(0) };
  if (m < 2) return none;
  const crops = opts.crops !== false;
  let done = 0;
  const report = (rows: number) => { done += rows; progress?.(Math.min(1, done / ((crops ? 7 : 6) * m))); };
  const anchored = rows.map((i, t) => {
    if (t % REPORT_ROWS === 0 && t > 0) report(REPORT_ROWS);
    const g = images[i]!;
    return anchoredPatterns(g.data, g.width, g.height, 1, crops ? [1, CROP_ZOOM] : [1]);
  });
  report(m - REPORT_ROWS * Math.floor((m - 1) / REPORT_ROWS));
  // Per list: the candidates, and whether they are compared as magnified copies of the row.
  const [byFrame] = nearestOf(patternCoords(rows.map((i) => signatures[i]!), () => true), m, K, report, 1);
  const zoomed = crops ? anchored.map((p) => p[1]) : [];
  const [byAnchor, byZoom] = nearestOf(patternCoords([...anchored.map((p) => p[0]), ...zoomed], () => true), m, K, report, crops ? 2 : 1);
  const neighbours = [{ nb: byFrame!, zoom: false }, { nb: byAnchor!, zoom: false }, ...(byZoom ? [{ nb: byZoom, zoom: true }] : [])];
  // Each row as compared: at its own size, or at a smaller one when its partner is a rescaled
  // copy (area-resampled, appearance-tile.ts); with what its noise excuses at that size.
  type View = { p: PreparedGrey; noise: number; resampling?: number };
  const own: (View | undefined)[] = new Array(m);
  const resized = new Map<string, View>();
  const make = (img: GreyImage): View => ({ p: prepareGrey(img), noise: pixelNoise(img) });
  const view = (r: number, w: number, h: number): View => {
    const g = images[rows[r]!]!;
    if (g.width === w && g.height === h) return (own[r] ??= make(g));
    const key = `${r}:${w}:${h}`;
    let v = resized.get(key);
    if (!v) resized.set(key, (v = make({ data: areaResample(g.data, g.width, g.height, w, h), width: w, height: h })));
    return v;
  };
  const seen = new Set<number>();
  const a: number[] = [], b: number[] = [];
  // range: the zooms searched (a magnified or rescaled copy), or none (shifts only).
  type Candidate = { r: number; d: number; w: number; h: number; zoom: boolean; range: readonly [number, number] | null; R: number };
  const looked: Candidate[] = [];
  for (let q = 0; q < m; q++) {
    if (q % REPORT_ROWS === 0 && q > 0) report(REPORT_ROWS);
    const img = images[rows[q]!]!;
    // A cheap look at every candidate (one comparison at the shift the profiles give), the full
    // search for the nearest few, and for all of them when the nearest is a copy.
    looked.length = 0;
    for (const { nb, zoom } of neighbours) {
      for (let t = 0; t < (zoom ? Math.min(K, CROP_NEAREST) : K); t++) {
        const r = nb[q * K + t]!;
        if (r < 0 || looked.some((c) => c.r === r && c.zoom === zoom)) continue;
        const other = images[rows[r]!]!;
        // Another size: compared at the smaller one, if the shapes agree (a rescaled copy).
        if (Math.abs(Math.log((other.width * img.height) / (other.height * img.width))) > ASPECT_TOLERANCE) continue;
        const w = Math.min(img.width, other.width), h = Math.min(img.height, other.height);
        const resized = other.width !== img.width || other.height !== img.height;
        // The candidate is warped onto the row: a magnified copy over the crops' zooms, a rescaled one over resizing's few hundredths.
        const range = zoom ? ZOOM_RANGE : resized ? RESIZE_RANGE : null;
        const R = zoom ? cropShiftOf(w, h) : shiftOf(w, h);
        const d = range
          ? scaledLook(view(r, w, h).p, view(q, w, h).p, range[0], range[1], R, WARP_PROFILES).d
          : profileDistance(view(q, w, h).p, view(r, w, h).p, R);
        looked.push({ r, w, h, d, zoom, range, R });
      }
    }
    if (!looked.length) continue;
    looked.sort((x, y) => x.d - y.d);
    if (looked[0]!.d > LOOK_BOUND) continue;
    const full = (c: Candidate) => {
      const pa = view(q, c.w, c.h).p, pb = view(c.r, c.w, c.h).p;
      return c.range ? scaledDistance(pb, pa, c.range[0], c.range[1], c.R) : refinedDistance(pa, pb, c.R, coarseAlignment(pa, pb, c.R));
    };
    // A magnified or rescaled copy was resampled twice (by its maker, and here by the warp): what
    // that alone explains is excused too, as noise is (capped alike).
    const resampling = (v: View) => (v.resampling ??= Math.min(NOISE_CAP, resamplingAllowance(v.p.img)));
    const excused = (c: Candidate) => {
      const vq = view(q, c.w, c.h), vr = view(c.r, c.w, c.h);
      return c.d - vq.noise - vr.noise - (c.range ? resampling(vq) + resampling(vr) : 0);
    };
    const checked = looked.map((c, t) => ({ ...c, d: t < REFINED ? full(c) : c.d, refined: t < REFINED }));
    checked.sort((x, y) => x.d - y.d);
    if (excused(checked[0]!) > threshold) continue;
    // About to be a copy: every candidate gets the full search, so that the ratio test below
    // sees the true next distance (a look at the profiles' shift can miss a look-alike's: the
    // row and column sums of diagonal stripes are flat). Rare, so cheap.
    for (const c of checked) if (!c.refined) c.d = full(c);
    checked.sort((x, y) => x.d - y.d);
    const best = checked[0]!;
    if (excused(best) > threshold) continue;
    const i = rows[q]!, j = rows[best.r]!;
    const same = (r: number) => r === best.r || (groupOf !== undefined && groupOf[rows[r]!]! >= 0 && groupOf[rows[r]!] === groupOf[j]);
    // On the raw distances: with the noise excused, a crowd of look-alikes that differ by
    // little more than noise (a periodic texture at other phases) would all be at 0 and pass.
    const next = checked.find((c) => !same(c.r));
    if (next && best.d > ratio * next.d) continue;
    const key = Math.min(i, j) * n + Math.max(i, j);
    if (seen.has(key)) continue;
    seen.add(key);
    a.push(Math.min(i, j)); b.push(Math.max(i, j));
  }
  progress?.(1);
  return { a: Int32Array.from(a), b: Int32Array.from(b) };
}

/** The samples the stage may compare, by their signatures alone (so only their pixels need reading): frame-filling ones. */
export function alignedCandidates(signatures: ArrayLike<Uint8Array | null | undefined>): number[] {
  const rows: number[] = [];
  for (let i = 0; i < signatures.length; i++) {
    const s = signatures[i];
    if (s && !isFlatSignature(s) && isFlatSignature(s, OBJECT_OFFSET)) rows.push(i);
  }
  return rows;
}

/**
 * The groups of another rule with aligned pairs added: a copy whose partner is grouped joins that
 * group (its source already has near twins there), pairs of two ungrouped images form star groups
 * of their own (no chaining), and a pair whose ends are both grouped changes nothing.
 */
export function joinAlignedPairs(groups: DuplicateGroups, a: ArrayLike<number>, b: ArrayLike<number>): DuplicateGroups {
  const n = groups.groupOf.length;
  const root = new Int32Array(n).fill(-1);
  for (const g of groups.groups) for (const i of g) root[i] = g[0]!;
  const freeA: number[] = [], freeB: number[] = [];
  const joined = new Uint8Array(n);
  const grouped = (i: number) => groups.groupOf[i]! >= 0;
  for (let t = 0; t < a.length; t++) {
    const i = a[t]!, j = b[t]!;
    if (grouped(i) && !grouped(j) && !joined[j]) { root[j] = root[i]!; joined[j] = 1; }
    else if (grouped(j) && !grouped(i) && !joined[i]) { root[i] = root[j]!; joined[i] = 1; }
  }
  for (let t = 0; t < a.length; t++) {
    const i = a[t]!, j = b[t]!;
    if (root[i]! < 0 && root[j]! < 0) { freeA.push(i); freeB.push(j); }
  }
  const rep = starGroups(n, freeA, freeB);
  return groupsFromRoots(n, (i) => (root[i]! >= 0 ? root[i]! : rep[i]! >= 0 ? rep[i]! : i));
}

/**
 * K nearest rows (row-major m × K, -1 where fewer) by HNSW over the coordinates, for each of
 * `blocks` blocks of m query rows (coords holds blocks × m rows); the first block is indexed and a
 * row is never its own neighbour.
 */
function nearestOf(coords: { data: Float32Array; ok: Uint8Array } | null, m: number, K: number, report: (rows: number) => void, blocks: number): Int32Array[] {
  const outs = Array.from({ length: blocks }, () => new Int32Array(m * K).fill(-1));
  if (!coords) { report((1 + blocks) * m); return outs; }
  // Fewer rows than PATTERN_COORDS give fewer principal directions.
  const dim = coords.data.length / (blocks * m);
  const index = createHnsw('l2', dim, m, HNSW);
  // onRows gives the rows done so far; each call reports the rows since the last.
  const since = () => { let last = 0; return (upTo: number) => { report(upTo - last); last = upTo; }; };
  const built = since();
  addRows(index, coords.data.subarray(0, m * dim), dim, 0, m, 0, built);
  built(m);
  outs.forEach((out, b) => {
    const queried = since();
    queryRows(index, coords.data.subarray(b * m * dim, (b + 1) * m * dim), dim, 0, m, K, out, new Float32Array(m * K), 0, queried);
    queried(m);
    for (let q = 0; q < m; q++) if (!coords.ok[b * m + q]) out.fill(-1, q * K, (q + 1) * K);
    for (let t = 0; t < out.length; t++) if (out[t]! >= 0 && !coords.ok[out[t]!]) out[t] = -1;
  });
  return outs;
}

/**
 * The correlation distance an image's own pixel noise adds against a clean copy: σ² (Immerkær,
 * signature.ts) over twice the pixels' variance, capped.
 */
function pixelNoise(img: GreyImage): number {
  const d = img.data;
  let sum = 0, sq = 0;
  for (let k = 0; k < d.length; k++) { sum += d[k]!; sq += d[k]! * d[k]!; }
  const mean = sum / d.length, variance = sq / d.length - mean * mean;
  if (variance <= 0) return 0;
  return Math.min(NOISE_CAP, noiseSigma(d, img.width, img.height) ** 2 / (2 * variance));
}

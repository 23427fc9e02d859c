// Near duplicates that only line up after a shift: images whose content fills the frame (photos,
// product shots, Fashion-MNIST) lose part of it at the border when shifted, so the centred frame
// pattern of their signatures drifts apart (bench/duplicates.ts: Fashion-MNIST 1–3 px shifts,
// 0.53 found by the signature rule) while their pixels, compared over the overlap at the best
// shift, still agree. Objects seen whole on their background keep their object pattern, but a
// crop resized back or a rescale by another tool still moves its cells past the signature rule's
// threshold (MNIST: 0.44 of crops, 0.905 of rescales found by it), so they are compared too.
//
// For each such image: candidates are its ALIGNED_NEAREST nearest by the frame pattern and by
// the anchored pattern (signature.ts: centred on a kernel mode, which follows a shifted item
// better than the centroid), and its CROP_NEAREST nearest by its own anchored pattern zoomed in
// (magnified copies: crops resized back), found with HNSW, so the work is linear in the rows,
// and, when the caller has the embedding's k-NN graph, its GRAPH_NEAREST nearest there (each
// compared as a shift and as a crop either way); then the pixels decide (aligned-pixels.ts:
// over shifts, or for a magnified candidate over zooms and offsets); a candidate of another size with the same shape (a rescaled copy) is
// compared at the smaller size, over zooms near 1 and sub-pixel offsets (the candidates:
// aligned-plan.ts). A candidate is a copy when its distance, less what the two images'
// own noise explains, is within ALIGNED_THRESHOLD and clearly below the next candidate's (a
// ratio test, as in feature matching: distinct look-alikes come in crowds, a copy stands alone).
// Measured while writing it (Fashion-MNIST 70,000 + 200 copies shifted 1–3 px): the frame
// pattern's 5 nearest held the source for 83 % of the copies, with the anchored pattern's 96 %;
// the pixel test took every copy whose source it saw, and matched 4 of 2,984 originals.
//
// Whole objects: candidates are the nearest by the object pattern within OBJECT_WITHIN (a k-d
// tree's radius search: a copy's pattern is all but the same, and few other objects are that
// near), and their pixels are compared with the larger object read from the smaller at the zoom
// and offset the two objects' moments give, refined. An image whose crop cut into its object
// (its content reaches the border, so it has no object pattern) looks for its source among the
// whole objects by the object pattern of what is left (signature.ts cutObjectPattern), and is
// compared as a magnified copy. The same threshold, noise allowance and ratio test decide.
import { coarseAlignment, prepareGrey, profileDistance, refinedShift, refinedWarp, resamplingAllowance, scaledDistance, scaledLook, warpLook, type GreyImage, type PreparedGrey } from './aligned-pixels';
import { areaResample } from './appearance-tile';
import { recompressionDistance } from './jpeg-recompression';
import { noiseSigma, objectMoments, type ObjectFrame } from './signature';
import { groupsFromRoots, starGroups } from './duplicates';
import { levelsAgree } from './appearance-duplicates';
import type { DuplicateGroups } from './types';
import { alignedPlan, alignedUnits, CROP_SPREAD, CROP_ZOOM, REPORT_ROWS, type AlignedInput, type AlignedOptions, type AlignedPlan, type Neighbours } from './aligned-plan';

export const ALIGNED_THRESHOLD = 0.005;

export const ALIGNED_RATIO = 0.35;

/** Largest shift searched, as a share of the shorter side (3 px of 28). */
const SHIFT_SHARE = 0.11;

const shiftOf = (w: number, h: number) => Math.max(1, Math.round(SHIFT_SHARE * Math.min(w, h)));

/** Two images of other sizes are compared when their aspect ratios agree within this (log ratio): a rescaled copy keeps its shape. */
const ASPECT_TOLERANCE = 0.05;

/** Most correlation distance one image's noise may excuse (as NOISE_CAP for signatures). */
const NOISE_CAP = 0.01;

/**
 * Most correlation distance a JPEG's compression may excuse (jpeg-recompression.ts): more than
 * NOISE_CAP, as it is simulated, not estimated (Fashion-MNIST, 200 copies saved at quality 50,
 * scratch: predicted within 1 % of libjpeg's own distance from the 10th to the 90th percentile;
 * their real distances' 90th percentile 0.019; found 0.970 capped at 0.01, 0.980 at 0.02 and at
 * 0.04, no original joined a copy at any; the 70,000 items stored as quality-50 JPEGs, uncapped:
 * 2 pairs more than without the allowance, each one product photo twice; at quality 30, where
 * the cap binds, 0.870 capped against 0.875 uncapped).
 */
const COMPRESSION_CAP = 0.02;

/**
 * REDUCED_PAIRS: a folder's thumbnails are reduced to 48 px for the comparison (grey-images.ts), and
 * a pair of which either image was (GreyImage.reduced: photos, mostly) is compared otherwise:
 * - a shift of whole pixels of the stored image is a fraction of a pixel here, and fine texture
 *   half a pixel off correlates at no whole-pixel shift: the look also reads the profiles'
 *   fractional shift, and the full search refines the best whole-pixel shift by quarter pixels;
 * - the profiles of a textured photo change when a crop cuts the other axis, so the profiles' fit
 *   is no gate (WARP_PROFILES) and the embedding graph's nearest is refined from it whatever its
 *   look;
 * - every look is read less what the pair's noise and resampling explain, which on such texture
 *   can be most of a copy's look.
 * Measured on photo tiles nobody tuned to (bench/duplicates-photos.ts, 64 px tiles with some
 * contrast, 60 copies per edit): shifts 0.683 → 0.983, crops 0.750 → 0.917, rescales 0.883 →
 * 0.967, precision 0.999 either way, for 1.6–1.9× the stage's time there (before the crop rules,
 * with the fractional shifts and the shifts' looks read less the allowances: shifts 0.967,
 * rescales 0.950). MNIST and Fashion-MNIST (stored at 28 px, never reduced), and any folder of
 * images of at most 48 px, compare as before.
 */

/** Candidates given the full search first, nearest first by the look at the profiles' shift. */
const REFINED = 2;

/** Past this distance at the profiles' shift no candidate is searched further: a copy's look is a few thousandths, the nearest distinct item's a few hundredths. */
const LOOK_BOUND = 0.03;

/**
 * A warped look (one comparison at the profiles' fit) of the graph's nearest is refined when it is
 * within this, not LOOK_BOUND: the fit is crude for crops (true crops' looks up to 0.07 refine to
 * 0.005), and the embedding's nearest is the likeliest copy (bench/duplicates.ts, Fashion-MNIST
 * crops 0.820 → 0.845 for about 2.6 s of the stage; 0.1 gave 0.850 for 14 s).
 */
const GRAPH_LOOK_BOUND = 0.05;

/**
 * A magnified or rescaled candidate is compared by pixels only when its row and column profiles,
 * fitted, correlate with the row's at least this much: crops' lowest was 0.93 (the crop cuts the
 * other axis' sums), 5 of 136 below it, and 70 % of other candidates fall below it. Waived for two
 * images that are each other's nearest in the embedding's graph, the likeliest copies of all: a
 * crop that cut a bag's handle or a shirt's hem keeps the CNN's reading but not its profiles
 * (stop 54, scratch: Fashion-MNIST's 70,000 with 200 crops of two other seeds, the built-in
 * model's graph: 6 of one seed's 24 missed crops were stopped here, 5 of them each other's
 * nearest with their source; waived, crops 176 → 180 and 181 → 183 of 200, the pairs among the
 * originals 181 → 186 and 183 → 186, each one product photo twice in a montage; the stage's time
 * 0–15 % more. BENCHMARKS.md duplicates, stop 54).
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

/**
 * Pairs (a < b) of images that are copies once aligned, each found once. `progress(share)`: how
 * far it is, 0–1 (per frame-filling image its anchored patterns, the two HNSW indexes built, the
 * three queries and the pixel comparisons; per whole object its radius search and comparisons;
 * per frame-filling image again its cut object pattern, search and comparisons when there are
 * whole objects: each row a unit of each), every REPORT_ROWS rows.
 */
export function alignedDuplicatePairs(input: AlignedInput, opts: AlignedOptions = {}, progress?: (share: number) => void): { a: Int32Array; b: Int32Array } {
  const units = alignedUnits(input, opts);
  let done = 0;
  const report = (rows: number) => { done += rows; progress?.(Math.min(1, done / Math.max(1, units))); };
  const found = comparePlan(input, alignedPlan(input, opts, report), opts, { index: 0, count: 1 }, report);
  progress?.(1);
  return mergeFound([found]);
}

/** Pairs found by comparePlan, each with its place in the plan's order (block, then row). */
export interface OrderedPairs { a: Int32Array; b: Int32Array; order: Int32Array }

/** Rows per block in the order key: more than the most rows the stage runs on. */
const ORDER_BLOCK = 1 << 22;

/**
 * The pixel test over a plan's candidates, for the rows of part `index` of `count` (every
 * count-th row, so the parts take alike), reporting units done. The parts' pairs together,
 * merged (mergeFound), are the same as one part's.
 */
export function comparePlan(input: AlignedInput, plan: AlignedPlan, opts: AlignedOptions = {}, part = { index: 0, count: 1 }, report: (rows: number) => void = () => {}): OrderedPairs {
  const compare = comparer(input, plan.K, opts, report);
  plan.blocks.forEach((block, k) => compare(block.rows, block.lists, k * ORDER_BLOCK, part));
  return compare.found();
}

/** The parts' pairs in the plan's order, each pair once (a < b), as one thread would find them. */
export function mergeFound(parts: OrderedPairs[]): { a: Int32Array; b: Int32Array } {
  const all: [number, number, number][] = [];
  for (const p of parts) for (let t = 0; t < p.a.length; t++) all.push([p.order[t]!, p.a[t]!, p.b[t]!]);
  all.sort((x, y) => x[0] - y[0]);
  const seen = new Set<string>(), a: number[] = [], b: number[] = [];
  for (const [, i, j] of all) {
    const key = `${i} ${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    a.push(i); b.push(j);
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b) };
}

/**
 * The pixel test, for rows (sample indices) over their candidates: a cheap look at every
 * candidate (one comparison at the shift or warp the profiles or moments give), the full search
 * for the nearest few, and for all of them when the nearest is a copy; a copy is within the
 * threshold beyond the pair's noise and clearly nearer than the next candidate. Each image is
 * prepared once for all calls; found() gives the pairs (a < b) with their order keys (orderBase + the
 * row's place), a pair found from both ends twice (mergeFound keeps the first).
 */
function comparer(input: AlignedInput, K: number, opts: AlignedOptions, report: (rows: number) => void) {
  const { signatures, images, groupOf } = input;
  const threshold = opts.threshold ?? ALIGNED_THRESHOLD, ratio = opts.ratio ?? ALIGNED_RATIO, reducedPairs = opts.reduced !== false;
  // Each image as compared: at its own size, or at a smaller one when its partner is a rescaled
  // copy (area-resampled, appearance-tile.ts); with what its noise excuses at that size.
  type View = { p: PreparedGrey; noise: number; resampling?: number; object?: ObjectFrame; recompressed?: Map<string, number> };
  const own = new Map<number, View>(), resized = new Map<string, View>();
  const make = (img: GreyImage): View => ({ p: prepareGrey(img), noise: pixelNoise(img) });
  const view = (i: number, w: number, h: number): View => {
    const g = images[i]!;
    if (g.width === w && g.height === h) {
      let v = own.get(i);
      if (!v) own.set(i, (v = make(g)));
      return v;
    }
    const key = `${i}:${w}:${h}`;
    let v = resized.get(key);
    if (!v) resized.set(key, (v = make({ data: areaResample(g.data, g.width, g.height, w, h), width: w, height: h })));
    return v;
  };
  // What compressing one image with the other's JPEG table changes in it (either way, the larger;
  // at most COMPRESSION_CAP), when either was decoded from a JPEG at the size compared.
  const recompression = (v: View, table: Uint16Array) => {
    const key = table.join(',');
    let d = (v.recompressed ??= new Map()).get(key);
    if (d === undefined) v.recompressed.set(key, (d = Math.min(COMPRESSION_CAP, recompressionDistance(v.p.img, table))));
    return d;
  };
  const compression = (a: View, b: View) => Math.max(b.p.img.quant ? recompression(a, b.p.img.quant) : 0, a.p.img.quant ? recompression(b, a.p.img.quant) : 0);
  const momentsOf = (v: View) => (v.object ??= objectMoments(v.p.img.data, v.p.img.width, v.p.img.height, 1));
  // A magnified or rescaled copy was resampled twice (by its maker, and here by the warp): what
  // that alone explains is excused too, as noise is (capped alike).
  const resampling = (v: View) => (v.resampling ??= Math.min(NOISE_CAP, resamplingAllowance(v.p.img)));
  // What the noise of row i and candidate c (or a JPEG's making, where that is more) and, for a
  // warped comparison, resampling explain.
  const allowance = (i: number, c: { r: number; w: number; h: number }, warped: boolean) => {
    const vq = view(i, c.w, c.h), vr = view(c.r, c.w, c.h);
    return Math.max(vq.noise + vr.noise, compression(vq, vr)) + (warped ? resampling(vq) + resampling(vr) : 0);
  };
  // Each other's nearest in the embedding's graph: the profiles' gate (WARP_PROFILES) is waived.
  const g = input.neighbours;
  const mutualNearest = (i: number, r: number) => !!g && g.indices[r * g.k] === i && g.indices[i * g.k] === r;
  const a: number[] = [], b: number[] = [], order: number[] = [];
  // range: the zooms searched (a magnified or rescaled copy), or none (shifts only); start: the
  // moments' first guess, refined; reduced: a REDUCED_PAIRS pair; subpixel: a shift found off
  // the whole pixels.
  type Candidate = { r: number; d: number; w: number; h: number; range: readonly [number, number] | null; R: number; kind: Neighbours['warp']; start?: number[]; flip: boolean; reduced: boolean; subpixel?: boolean; adds?: boolean };
  const looked: Candidate[] = [];
  const run = (rows: ArrayLike<number>, lists: Neighbours[], orderBase: number, part: { index: number; count: number }) => {
    const m = rows.length;
    let handled = 0;
    for (let q = part.index; q < m; q += part.count) {
      if (++handled % REPORT_ROWS === 0) report(REPORT_ROWS);
      const i = rows[q]!, img = images[i]!;
      looked.length = 0;
      for (const { nb, take, warp: kind, nearest, adds } of lists) {
        for (let t = 0; t < take; t++) {
          const r = nb[q * K + t]!;
          if (r < 0 || looked.some((c) => c.r === r && c.kind === kind)) continue;
          // Grey pixels are compared up to gain and offset: levels (and colour) that no brightness
          // or contrast edit explains rule a candidate out, as in the signature rule (a red and a
          // blue copy of one silhouette are two items).
          if (!levelsAgree(signatures[i]!, signatures[r]!)) continue;
          const other = images[r]!;
          // Another size: compared at the smaller one, if the shapes agree (a rescaled copy).
          if (Math.abs(Math.log((other.width * img.height) / (other.height * img.width))) > ASPECT_TOLERANCE) continue;
          const w = Math.min(img.width, other.width), h = Math.min(img.height, other.height);
          const vq = view(i, w, h), vr = view(r, w, h);
          // Either image reduced from its stored one (a photo's thumbnail): see REDUCED_PAIRS.
          const reduced = reducedPairs && !!(img.reduced || other.reduced);
          if (kind === 'object') {
            // The larger object read from the smaller at the zoom and offset their moments give
            // (a rescaled copy was brought to the same size above): sampling the sharper,
            // smaller one between its pixels stays nearer a resize tool's result than the other
            // way (MNIST crops: a median 0.003 from their sources against 0.014).
            const flip = momentsOf(vq).sx * momentsOf(vq).sy > momentsOf(vr).sx * momentsOf(vr).sy;
            const [A, B] = flip ? [vq, vr] : [vr, vq];
            const start = momentWarp(momentsOf(A), momentsOf(B), w, h);
            looked.push({ r, w, h, d: warpLook(A.p, B.p, start), range: null, R: 0, kind, start, flip, reduced });
            continue;
          }
          const resized = other.width !== img.width || other.height !== img.height;
          // The candidate is warped onto the row: a magnified copy over the crops' zooms, a
          // rescaled one over resizing's few hundredths; a row that may itself be the magnified
          // copy (a crop that cut into an object, or a graph neighbour's crop) is read from it.
          const range = resized ? RESIZE_RANGE : kind === 'magnified' || kind === 'magnifiedRow' ? ZOOM_RANGE : null;
          const flip = kind === 'magnifiedRow' && !resized;
          const R = kind === 'shift' || resized ? shiftOf(w, h) : cropShiftOf(w, h);
          let d: number;
          if (range) {
            const [pa, pb] = flip ? [vq.p, vr.p] : [vr.p, vq.p];
            const look = scaledLook(pa, pb, range[0], range[1], R, reduced || (t === 0 && nearest && mutualNearest(i, r)) ? -1 : WARP_PROFILES);
            d = look.d;
            // The embedding's nearest is the likeliest copy: a look the crude profile fit left
            // beyond LOOK_BOUND is refined once it is within GRAPH_LOOK_BOUND, a reduced pair's
            // whatever it is (unless the two barely overlap).
            if (t === 0 && nearest && (reduced ? d < 1 && d - allowance(i, { r, w, h }, true) > LOOK_BOUND : d > LOOK_BOUND && d <= GRAPH_LOOK_BOUND)) d = refinedWarp(pa, pb, look.warp, d);
          } else d = profileDistance(vq.p, vr.p, R, reduced);
          looked.push({ r, w, h, d, range, R, kind, flip, reduced, adds });
        }
      }
      if (!looked.length) continue;
      looked.sort((x, y) => x.d - y.d);
      // A reduced pair's look is read less what its noise and resampling explain (REDUCED_PAIRS).
      if (!looked.some((c) => (c.reduced ? c.d - allowance(i, c, true) : c.d) <= LOOK_BOUND)) continue;
      const full = (c: Candidate) => {
        // b is read from at a's pixels: the candidate from the row's, or the row from the candidate's (flip).
        const pq = view(i, c.w, c.h).p, pr = view(c.r, c.w, c.h).p, [pa, pb] = c.flip ? [pq, pr] : [pr, pq];
        if (c.start) return refinedWarp(pa, pb, c.start, c.d);
        if (c.range) return scaledDistance(pa, pb, c.range[0], c.range[1], c.R);
        const s = refinedShift(pq, pr, c.R, coarseAlignment(pq, pr, c.R));
        if (!c.reduced || s.d <= threshold) return s.d;
        // From the best whole-pixel shift on by quarter pixels (refinedWarp's steps); read by
        // interpolation, so resampling is excused too.
        const e = refinedWarp(pq, pr, [1, -s.sx, 1, -s.sy], s.d);
        if (e < s.d) c.subpixel = true;
        return e;
      };
      const excused = (c: Candidate) => c.d - allowance(i, c, !!(c.range || c.start || c.subpixel));
      const refined = lists.every((l) => l.warp === 'object') ? 1 : REFINED;
      const checked = looked.map((c, t) => { const k = { ...c, refined: t < refined }; if (t < refined) k.d = full(k); return k; });
      checked.sort((x, y) => x.d - y.d);
      if (excused(checked[0]!) > threshold) continue;
      // About to be a copy: every candidate gets the full search, so that the ratio test below
      // sees the true next distance (a look at the profiles' shift can miss a look-alike's: the
      // row and column sums of diagonal stripes are flat). Rare, so cheap.
      for (const c of checked) if (!c.refined) c.d = full(c);
      checked.sort((x, y) => x.d - y.d);
      const best = checked[0]!;
      if (excused(best) > threshold) continue;
      const j = best.r;
      const same = (r: number) => r === j || (groupOf !== undefined && groupOf[r]! >= 0 && groupOf[r] === groupOf[j]);
      // On the raw distances: with the noise excused, a crowd of look-alikes that differ by
      // little more than noise (a periodic texture at other phases) would all be at 0 and pass.
      // A candidate that only adds copies (Neighbours.adds) is no next candidate to one found otherwise.
      const rival = (c: Candidate) => !same(c.r) && (best.adds || !c.adds);
      const next = checked.find(rival);
      let partners = [j];
      if (next && best.d > ratio * next.d) {
        // Several copies of one item (a photo stored three times, or edited twice) crowd each
        // other: the candidates within the threshold are taken as one item, which must stand
        // apart from the nearest candidate beyond it as a single copy must, and the row is paired
        // with each (so that their star groups hold them all). A crowd of look-alikes leaves none
        // beyond. (Fashion-MNIST: the 9 pairs this adds among the 70,000 originals join a coat and
        // a bag each stored three times, and four plain white trousers alike to the eye, scratch
        // montage; bench/duplicates.ts: originals grouped among themselves 443 → 450, recall unchanged.)
        // The item is measured by the readings within the threshold only: a partner is also listed
        // by another index (a crop as a shift, a shifted copy as a magnified one, gated at 1), and
        // those readings are no measure of it (Fashion-MNIST, a crop and two noisy shifts of 50 items
        // among 1,000: crops found 6 → 35 of 50 once they no longer count, aligned-duplicates.test.ts).
        const inside = checked.filter((c) => excused(c) <= threshold);
        const within = new Set(inside.map((c) => c.r));
        const beyond = checked.find((c) => !within.has(c.r) && rival(c));
        const worst = Math.max(...inside.map((c) => c.d));
        if (!beyond || worst > ratio * beyond.d) continue;
        partners = [...within];
      }
      for (const r of partners) { a.push(Math.min(i, r)); b.push(Math.max(i, r)); order.push(orderBase + q); }
    }
    report(handled % REPORT_ROWS);
  };
  return Object.assign(run, { found: (): OrderedPairs => ({ a: Int32Array.from(a), b: Int32Array.from(b), order: Int32Array.from(order) }) });
}

/**
 * The warp [kx, ox, ky, oy] of scaledLook (a pixel x of image a is read from image b at
 * kx (x − c) + c + ox, c the centre) that takes a's object onto b's, both images w × h: each
 * axis scaled by the ratio of their spreads, and moved so that the centroids meet.
 */
function momentWarp(a: ObjectFrame, b: ObjectFrame, w: number, h: number): number[] {
  const axis = (ca: number, sa: number, cb: number, sb: number, c: number) => {
    const k = sa > 0 && sb > 0 ? sb / sa : 1;
    return [k, cb - c - k * (ca - c)];
  };
  return [...axis(a.cx, a.sx, b.cx, b.sx, (w - 1) / 2), ...axis(a.cy, a.sy, b.cy, b.sy, (h - 1) / 2)];
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

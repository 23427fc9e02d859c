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
// compared at the smaller size, over zooms near 1 and sub-pixel offsets. A candidate is a copy when its distance, less what the two images'
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
import { coarseAlignment, insertNearest, patternCoords, prepareGrey, profileDistance, refinedDistance, refinedWarp, resamplingAllowance, scaledDistance, scaledLook, warpLook, type GreyImage, type PreparedGrey } from './aligned-pixels';
import { areaResample } from './appearance-tile';
import { anchoredPatterns, isFlatSignature, noiseSigma, cutObjectPattern, objectMoments, OBJECT_OFFSET, PATTERN_LENGTH, type ObjectFrame } from './signature';
import { addRows, createHnsw, queryRows } from '../../map/engine/hnsw';
import { groupsFromRoots, starGroups } from './duplicates';
import { levelsAgree } from './appearance-duplicates';
import { RangeTree } from './appearance-index';
import type { DuplicateGroups } from './types';

export interface AlignedOptions {
  /** Candidates per descriptor. */
  nearest?: number;
  /** Pixel correlation distance, beyond the pair's noise, within which a candidate may be a copy. */
  threshold?: number;
  /** The best candidate must be at most this share of the next one's distance. */
  ratio?: number;
  /** Also look for magnified copies of frame-filling images (crops resized back: their zoomed candidates); on by default, off to measure what it costs. Whole objects' crops are found by their moments either way. */
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
 * Candidates from the embedding's k-NN graph, when the caller has one: a CNN's vector barely
 * moves under a crop or a shift, and it ranks the source of copies that the patterns' indexes
 * miss (bench/duplicates.ts, Fashion-MNIST, the graph the map builds: crops 0.650 → 0.820 and
 * shifts 0.935 → 0.955 with the first 2; the first 5 gave 0.835 for twice the added time).
 */
const GRAPH_NEAREST = 2;
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
/**
 * Whole objects' candidates by their object pattern are compared only within this squared
 * distance of the patterns' coordinates (unit-length pooled patterns, so 2 (1 − r)): a crop or a
 * rescale barely changes the pattern of an object kept whole (MNIST copies: 98 % of crops'
 * sources within 0.0037, every other edit's within 0.0032; a cut object's within 0.0125),
 * while 80 % of candidates lie beyond it.
 */
const OBJECT_WITHIN = 0.012;
/** A crop's centre lies within half the cut of the image's: the offsets a magnified copy is searched over (px, at least 1). */
const cropShiftOf = (w: number, h: number) => Math.max(1, Math.ceil(((1 - ZOOM_RANGE[0]) / 2) * Math.max(w, h)));

export interface AlignedInput {
  /** Per sample its signature (signature.ts) or none. */
  signatures: ArrayLike<Uint8Array | null | undefined>;
  /** Per sample its grey pixels (the stored image) or none. */
  images: ArrayLike<GreyImage | null | undefined>;
  /** Group per sample by the other rules (-1 = alone): a candidate in the best one's group is the same item, not "the next candidate". */
  groupOf?: Int32Array;
  /** The embedding's k-NN graph over the same samples (sample indices, k per row, -1 for none), when there is one: its nearest are candidates too. */
  neighbours?: GraphNeighbours;
}

/** A k-NN graph's lists: row i's neighbours at indices[i·k …], -1 for none. */
export interface GraphNeighbours { indices: Int32Array; k: number }

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

/**
 * What the stage compares, in blocks (frame-filling images by their patterns and graph
 * neighbours; whole objects; frame-filling images as crops that cut into an object): each
 * block's rows (sample indices) and their candidate lists. Made once; the comparisons, most of
 * the time, can then be split between threads (comparePlan's parts).
 */
export interface AlignedPlan { K: number; blocks: { rows: Int32Array; lists: Neighbours[] }[] }

/** Pairs found by comparePlan, each with its place in the plan's order (block, then row). */
export interface OrderedPairs { a: Int32Array; b: Int32Array; order: Int32Array }

/** Rows per block in the order key: more than the most rows the stage runs on. */
const ORDER_BLOCK = 1 << 22;

function stageRows(input: AlignedInput) {
  const { signatures, images } = input;
  const sized = (i: number) => { const img = images[i]; return !!img && Math.min(img.width, img.height) >= MIN_SIDE; };
  // Frame-filling images, and whole objects on their background.
  const kinds = byKind(signatures);
  return { sized, frame: kinds.frame.filter(sized), objects: kinds.objects.filter(sized) };
}

/**
 * The stage's progress units (alignedDuplicatePairs): per frame-filling row its anchored
 * patterns, the two indexes' rows, their queries and its comparisons; per whole object its
 * index row, query and comparisons; per frame-filling row, when there are objects, its object
 * pattern, query and comparisons.
 */
export function alignedUnits(input: AlignedInput, opts: AlignedOptions = {}): number {
  const { frame, objects } = stageRows(input);
  const F = frame.length, O = objects.length;
  return (F >= 2 ? (opts.crops !== false ? 7 : 6) * F : 0) + (O >= 2 ? 3 * O + 3 * F : 0);
}

/** The candidates of every row the stage compares (see AlignedPlan), reporting units done. */
export function alignedPlan(input: AlignedInput, opts: AlignedOptions = {}, report: (rows: number) => void = () => {}): AlignedPlan {
  const patterns = planPatterns(input, opts, { index: 0, count: 1 }, report);
  const lists = PLAN_INDEXES.map((index) => planLists(input, opts, patterns, index, report));
  return assemblePlan(input, opts, Object.assign({}, ...lists) as PlanLists);
}

/**
 * The plan in pieces, so that threads can share it (aligned-groups.ts): the frame-filling rows'
 * patterns, made by part (planPatterns; joinPatterns puts the parts together); then each of
 * PLAN_INDEXES, independent of the others (planLists); then the plan (assemblePlan). Each piece
 * is what alignedPlan computes, so the plan is the same.
 */
export const PLAN_INDEXES = ['anchored', 'frame', 'objects'] as const;
export type PlanIndex = (typeof PLAN_INDEXES)[number];

/**
 * Per frame-filling row (its place in the stage's frame rows, `rows`) its anchored pattern, the
 * same zoomed in (crops), and the object pattern of what a crop left of it (cut, only when there
 * are whole objects to look among): PATTERN_LENGTH bytes each, packed; has[3t + kind] is 0 where
 * a row has none.
 */
export interface PlanPatterns { rows: Int32Array; anchored: Uint8Array; zoomed: Uint8Array; cut: Uint8Array; has: Uint8Array }

/** The patterns of the frame-filling rows of part `index` of `count` (every count-th row), reporting units done. */
export function planPatterns(input: AlignedInput, opts: AlignedOptions, part: { index: number; count: number }, report: (rows: number) => void = () => {}): PlanPatterns {
  const { images } = input;
  const { frame, objects } = stageRows(input);
  const crops = opts.crops !== false;
  const withAnchored = frame.length >= 2, withCut = objects.length >= 2;
  const mine: number[] = [];
  for (let q = part.index; q < frame.length; q += part.count) mine.push(q);
  const m = mine.length;
  const out: PlanPatterns = { rows: Int32Array.from(mine), anchored: new Uint8Array(m * PATTERN_LENGTH), zoomed: new Uint8Array(crops ? m * PATTERN_LENGTH : 0), cut: new Uint8Array(withCut ? m * PATTERN_LENGTH : 0), has: new Uint8Array(3 * m) };
  const put = (t: number, kind: number, target: Uint8Array, p: Uint8Array | null | undefined) => {
    if (!p) return;
    target.set(p, t * PATTERN_LENGTH);
    out.has[3 * t + kind] = 1;
  };
  // Units as alignedPlan has always reported them: a row's anchored patterns, then its cut pattern.
  if (withAnchored) {
    mapReporting(mine, report, (q, t) => {
      const g = images[frame[q]!]!;
      const [plain, zoomed] = anchoredPatterns(g.data, g.width, g.height, 1, crops ? [1, CROP_ZOOM] : [1]);
      put(t, 0, out.anchored, plain);
      if (crops) put(t, 1, out.zoomed, zoomed);
    });
  }
  if (withCut) mapReporting(mine, report, (q, t) => { const g = images[frame[q]!]!; put(t, 2, out.cut, cutObjectPattern(g.data, g.width, g.height, 1)); });
  return out;
}

/** The parts' patterns as one, in the frame rows' order. */
export function joinPatterns(parts: PlanPatterns[]): PlanPatterns {
  const m = parts.reduce((s, p) => s + p.rows.length, 0);
  const sized = (pick: (p: PlanPatterns) => Uint8Array) => new Uint8Array(parts.some((p) => pick(p).length > 0) ? m * PATTERN_LENGTH : 0);
  const out: PlanPatterns = { rows: Int32Array.from({ length: m }, (_, q) => q), anchored: sized((p) => p.anchored), zoomed: sized((p) => p.zoomed), cut: sized((p) => p.cut), has: new Uint8Array(3 * m) };
  for (const p of parts) {
    p.rows.forEach((q, t) => {
      for (const kind of ['anchored', 'zoomed', 'cut'] as const) if (p[kind].length) out[kind].set(p[kind].subarray(t * PATTERN_LENGTH, (t + 1) * PATTERN_LENGTH), q * PATTERN_LENGTH);
      out.has.set(p.has.subarray(3 * t, 3 * t + 3), 3 * q);
    });
  }
  return out;
}

/** One kind of the frame rows' patterns (0 anchored, 1 zoomed, 2 cut) as views, null where a row has none. */
function patternsOf(p: PlanPatterns, kind: 0 | 1 | 2): (Uint8Array | null)[] {
  const data = [p.anchored, p.zoomed, p.cut][kind]!;
  return Array.from(p.rows, (_, t) => (p.has[3 * t + kind] ? data.subarray(t * PATTERN_LENGTH, (t + 1) * PATTERN_LENGTH) : null));
}

/** Candidate lists by position (in the stage's frame rows, or its whole objects), as the indexes give them. */
export interface PlanLists { byFrame?: Int32Array; byAnchor?: Int32Array; byZoom?: Int32Array; byObject?: Int32Array; byCut?: Int32Array }

/**
 * One index's lists: 'frame' the frame patterns' nearest, 'anchored' the anchored patterns' and
 * the zoomed ones' among them, 'objects' whole objects' by their object pattern and the cut
 * patterns' among them. `patterns`: every frame row's (joinPatterns).
 */
export function planLists(input: AlignedInput, opts: AlignedOptions, patterns: PlanPatterns, index: PlanIndex, report: (rows: number) => void = () => {}): PlanLists {
  const { signatures } = input;
  const K = opts.nearest ?? ALIGNED_NEAREST;
  const { frame, objects } = stageRows(input);
  const F = frame.length, O = objects.length;
  const crops = opts.crops !== false;
  if (index === 'frame') {
    if (F < 2) return {};
    const [byFrame] = nearestOf(patternCoords(frame.map((i) => signatures[i]!), () => true), F, K, report, [{ rows: F, self: true }]);
    return { byFrame };
  }
  if (index === 'anchored') {
    if (F < 2) return {};
    const [byAnchor, byZoom] = nearestOf(patternCoords([...patternsOf(patterns, 0), ...(crops ? patternsOf(patterns, 1) : [])], () => true), F, K, report, crops ? [{ rows: F, self: true }, { rows: F, self: true }] : [{ rows: F, self: true }]);
    return { byAnchor, byZoom };
  }
  if (O < 2) return {};
  const [byObject, byCut] = nearestWithin(patternCoords([...objects.map((i) => signatures[i]!.subarray(OBJECT_OFFSET)), ...patternsOf(patterns, 2)], () => true), O, K, OBJECT_WITHIN, report);
  return { byObject, byCut };
}

/** The plan from the indexes' lists (planLists, all of PLAN_INDEXES) and the embedding's graph. */
export function assemblePlan(input: AlignedInput, opts: AlignedOptions, lists: PlanLists): AlignedPlan {
  const { signatures } = input;
  const K = opts.nearest ?? ALIGNED_NEAREST;
  const { sized, frame, objects } = stageRows(input);
  const crops = opts.crops !== false;
  const blocks: AlignedPlan['blocks'] = [];
  if (lists.byFrame && lists.byAnchor) {
    const byPattern: Neighbours[] = [{ nb: lists.byFrame, take: K, warp: 'shift' }, { nb: lists.byAnchor, take: K, warp: 'shift' }, ...(lists.byZoom ? [{ nb: lists.byZoom, take: Math.min(K, CROP_NEAREST), warp: 'magnified' as const }] : [])];
    const all = byPattern.map((l) => ({ ...l, nb: samplesOf(l.nb, frame) }));
    if (input.neighbours) {
      // The embedding's nearest, compared as a shift, as a magnified copy of the row, and with the
      // row as the magnified one (a crop's graph neighbour may be its source or its copy).
      const nb = graphNeighbours(input.neighbours, frame, K, (j) => sized(j) && !!signatures[j] && !isFlatSignature(signatures[j]!));
      all.push({ nb, take: GRAPH_NEAREST, warp: 'shift', nearest: true });
      if (crops) all.push({ nb, take: GRAPH_NEAREST, warp: 'magnified', nearest: true }, { nb, take: GRAPH_NEAREST, warp: 'magnifiedRow', nearest: true });
    }
    blocks.push({ rows: Int32Array.from(frame), lists: all });
  }
  if (lists.byObject) {
    // Whole objects by their object pattern (framed by the object's own size, so a crop or a
    // rescale that keeps the object whole barely moves it); frame-filling images by the same
    // pattern of their content, among the whole objects: a crop that cut into an object.
    blocks.push({ rows: Int32Array.from(objects), lists: [{ nb: samplesOf(lists.byObject, objects), take: K, warp: 'object' }] });
    if (frame.length) blocks.push({ rows: Int32Array.from(frame), lists: [{ nb: samplesOf(lists.byCut!, objects), take: K, warp: 'magnifiedRow' }] });
  }
  return { K, blocks };
}

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
 * One list of candidates per row (row-major, K sample indices per row, -1 for none), the first
 * `take` of them used, and how a candidate is warped onto the row: shifted; magnified (a crop
 * resized back); a whole object zoomed and moved as the two objects' moments say, then refined;
 * or the row magnified (a crop that cut into the candidate's object, or a graph neighbour whose
 * copy the row may be).
 */
export interface Neighbours {
  nb: Int32Array; take: number; warp: 'shift' | 'magnified' | 'object' | 'magnifiedRow';
  /** The embedding graph's list: its first candidate's look is refined up to GRAPH_LOOK_BOUND. */
  nearest?: boolean;
}

/** The first K graph neighbours of each row (sample indices) that the stage compares, row-major, -1 for none. */
function graphNeighbours(g: GraphNeighbours, rows: number[], K: number, ok: (i: number) => boolean): Int32Array {
  const out = new Int32Array(rows.length * K).fill(-1);
  rows.forEach((i, q) => {
    for (let t = 0, c = 0; t < g.k && c < K; t++) { const j = g.indices[i * g.k + t]!; if (j >= 0 && j !== i && ok(j)) out[q * K + c++] = j; }
  });
  return out;
}

/** Rows' positions in a list turned into their sample indices. */
function samplesOf(nb: Int32Array, rows: number[]): Int32Array {
  return nb.map((r) => (r < 0 ? -1 : rows[r]!));
}

/** f of each row, reporting every REPORT_ROWS rows. */
function mapReporting<T>(rows: number[], report: (rows: number) => void, f: (i: number, t: number) => T): T[] {
  const out = rows.map((i, t) => { if (t % REPORT_ROWS === 0 && t > 0) report(REPORT_ROWS); return f(i, t); });
  report(rows.length - REPORT_ROWS * Math.floor(Math.max(0, rows.length - 1) / REPORT_ROWS));
  return out;
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
  const threshold = opts.threshold ?? ALIGNED_THRESHOLD, ratio = opts.ratio ?? ALIGNED_RATIO;
  // Each image as compared: at its own size, or at a smaller one when its partner is a rescaled
  // copy (area-resampled, appearance-tile.ts); with what its noise excuses at that size.
  type View = { p: PreparedGrey; noise: number; resampling?: number; object?: ObjectFrame };
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
  const momentsOf = (v: View) => (v.object ??= objectMoments(v.p.img.data, v.p.img.width, v.p.img.height, 1));
  const a: number[] = [], b: number[] = [], order: number[] = [];
  // range: the zooms searched (a magnified or rescaled copy), or none (shifts only); warp: the moments' first guess, refined.
  type Candidate = { r: number; d: number; w: number; h: number; range: readonly [number, number] | null; R: number; kind: Neighbours['warp']; start?: number[]; flip: boolean };
  const looked: Candidate[] = [];
  const run = (rows: ArrayLike<number>, lists: Neighbours[], orderBase: number, part: { index: number; count: number }) => {
    const m = rows.length;
    let handled = 0;
    for (let q = part.index; q < m; q += part.count) {
      if (++handled % REPORT_ROWS === 0) report(REPORT_ROWS);
      const i = rows[q]!, img = images[i]!;
      looked.length = 0;
      for (const { nb, take, warp: kind, nearest } of lists) {
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
          if (kind === 'object') {
            // The larger object read from the smaller at the zoom and offset their moments give
            // (a rescaled copy was brought to the same size above): sampling the sharper,
            // smaller one between its pixels stays nearer a resize tool's result than the other
            // way (MNIST crops: a median 0.003 from their sources against 0.014).
            const flip = momentsOf(vq).sx * momentsOf(vq).sy > momentsOf(vr).sx * momentsOf(vr).sy;
            const [A, B] = flip ? [vq, vr] : [vr, vq];
            const start = momentWarp(momentsOf(A), momentsOf(B), w, h);
            looked.push({ r, w, h, d: warpLook(A.p, B.p, start), range: null, R: 0, kind, start, flip });
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
            const look = scaledLook(pa, pb, range[0], range[1], R, WARP_PROFILES);
            d = look.d;
            // The embedding's nearest is the likeliest copy: a look the crude profile fit left
            // beyond LOOK_BOUND is refined once it is within GRAPH_LOOK_BOUND.
            if (t === 0 && nearest && d > LOOK_BOUND && d <= GRAPH_LOOK_BOUND) d = refinedWarp(pa, pb, look.warp, d);
          } else d = profileDistance(vq.p, vr.p, R);
          looked.push({ r, w, h, d, range, R, kind, flip });
        }
      }
      if (!looked.length) continue;
      looked.sort((x, y) => x.d - y.d);
      if (looked[0]!.d > LOOK_BOUND) continue;
      const full = (c: Candidate) => {
        // b is read from at a's pixels: the candidate from the row's, or the row from the candidate's (flip).
        const pq = view(i, c.w, c.h).p, pr = view(c.r, c.w, c.h).p, [pa, pb] = c.flip ? [pq, pr] : [pr, pq];
        if (c.start) return refinedWarp(pa, pb, c.start, c.d);
        return c.range ? scaledDistance(pa, pb, c.range[0], c.range[1], c.R) : refinedDistance(pq, pr, c.R, coarseAlignment(pq, pr, c.R));
      };
      // A magnified or rescaled copy was resampled twice (by its maker, and here by the warp): what
      // that alone explains is excused too, as noise is (capped alike).
      const resampling = (v: View) => (v.resampling ??= Math.min(NOISE_CAP, resamplingAllowance(v.p.img)));
      const excused = (c: Candidate) => {
        const vq = view(i, c.w, c.h), vr = view(c.r, c.w, c.h);
        return c.d - vq.noise - vr.noise - (c.range || c.start ? resampling(vq) + resampling(vr) : 0);
      };
      const refined = lists.every((l) => l.warp === 'object') ? 1 : REFINED;
      const checked = looked.map((c, t) => ({ ...c, d: t < refined ? full(c) : c.d, refined: t < refined }));
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
      const next = checked.find((c) => !same(c.r));
      if (next && best.d > ratio * next.d) continue;
      a.push(Math.min(i, j)); b.push(Math.max(i, j)); order.push(orderBase + q);
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

/** The samples the stage may compare, by their signatures alone (so only their pixels need reading): any that is not flat. */
export function alignedCandidates(signatures: ArrayLike<Uint8Array | null | undefined>): number[] {
  const rows: number[] = [];
  for (let i = 0; i < signatures.length; i++) { const s = signatures[i]; if (s && !isFlatSignature(s)) rows.push(i); }
  return rows;
}

/** The samples the stage compares, by kind: frame-filling (a frame pattern, no object pattern: signature.ts) and whole objects (an object pattern). */
function byKind(signatures: ArrayLike<Uint8Array | null | undefined>): { frame: number[]; objects: number[] } {
  const frame: number[] = [], objects: number[] = [];
  for (const i of alignedCandidates(signatures)) (isFlatSignature(signatures[i]!, OBJECT_OFFSET) ? frame : objects).push(i);
  return { frame, objects };
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
 * Up to K nearest within `within` (squared distance) for each of the first `indexed` rows among
 * themselves, and for each later row among the first `indexed` (row-major, -1 where fewer), by a
 * radius search of a k-d tree (appearance-index.ts): only near pairs are wanted, and the search
 * finds them for a fraction of what an HNSW index costs to build and query.
 */
function nearestWithin(coords: { data: Float32Array; ok: Uint8Array } | null, indexed: number, K: number, within: number, report: (rows: number) => void): Int32Array[] {
  const total = coords ? coords.ok.length : 0;
  const idx = new Int32Array(total * K).fill(-1), dist = new Float64Array(total * K).fill(Infinity), count = new Int32Array(total);
  if (!coords) { report(2 * total); return [idx.subarray(0, indexed * K), idx.subarray(indexed * K)]; }
  const dim = coords.data.length / total, X = coords.data;
  const indexedRows: number[] = [];
  for (let i = 0; i < indexed; i++) if (coords.ok[i]) indexedRows.push(i);
  const tree = RangeTree.build(X, dim, Int32Array.from(indexedRows), new Float64Array(indexed));
  report(indexed);
  const add = (i: number, j: number, d: number) => {
    const o = i * K, c = count[i]!;
    if (c < K) { insertNearest(idx.subarray(o, o + K), dist.subarray(o, o + K), c, j, d); count[i] = c + 1; }
    else if (d < dist[o + K - 1]!) insertNearest(idx.subarray(o, o + K), dist.subarray(o, o + K), K - 1, j, d);
  };
  const distance = (i: number, j: number) => {
    let d = 0;
    for (let c = 0; c < dim; c++) { const x = X[i * dim + c]! - X[j * dim + c]!; d += x * x; }
    return d;
  };
  const radius = Math.sqrt(within);
  // The indexed rows' pairs, each found once, go to both ends' lists; a later row only looks.
  for (let i = 0; i < total; i++) {
    if (i % REPORT_ROWS === 0 && i > 0) report(REPORT_ROWS);
    if (!coords.ok[i]) continue;
    if (i < indexed) tree.pairsFrom(i, radius, (j) => { const d = distance(i, j); add(i, j, d); add(j, i, d); });
    else tree.near(X.subarray(i * dim, (i + 1) * dim), radius, (j) => add(i, j, distance(i, j)));
  }
  report(total - REPORT_ROWS * Math.floor(Math.max(0, total - 1) / REPORT_ROWS));
  return [idx.subarray(0, indexed * K), idx.subarray(indexed * K)];
}

/**
 * K nearest rows (row-major, K per query row, -1 where fewer) by HNSW over the coordinates: the
 * first `indexed` rows are indexed; then `queries` gives the blocks of query rows that follow
 * each other from row 0: how many rows, and whether they are the indexed rows (seen by the same
 * pattern or another one), each never its own neighbour.
 */
function nearestOf(coords: { data: Float32Array; ok: Uint8Array } | null, indexed: number, K: number, report: (rows: number) => void, queries: { rows: number; self: boolean }[]): Int32Array[] {
  const total = queries.reduce((s, q) => s + q.rows, 0);
  const outs = queries.map((q) => new Int32Array(q.rows * K).fill(-1));
  if (!coords) { report(indexed + total); return outs; }
  // Fewer rows than PATTERN_COORDS give fewer principal directions.
  const dim = coords.data.length / total;
  const index = createHnsw('l2', dim, indexed, HNSW);
  // onRows gives the rows done so far; each call reports the rows since the last.
  const since = () => { let last = 0; return (upTo: number) => { report(upTo - last); last = upTo; }; };
  const built = since();
  addRows(index, coords.data.subarray(0, indexed * dim), dim, 0, indexed, 0, built);
  built(indexed);
  let from = 0;
  outs.forEach((out, b) => {
    const { rows: size, self } = queries[b]!, queried = since();
    queryRows(index, coords.data.subarray(from * dim, (from + size) * dim), dim, 0, size, K, out, new Float32Array(size * K), self ? 0 : null, queried);
    queried(size);
    for (let q = 0; q < size; q++) if (!coords.ok[from + q]) out.fill(-1, q * K, (q + 1) * K);
    for (let t = 0; t < out.length; t++) if (out[t]! >= 0 && !coords.ok[out[t]!]) out[t] = -1;
    from += size;
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

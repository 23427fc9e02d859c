// The aligned stage's plan (aligned-duplicates.ts describes the stage): for every image the stage
// compares, the candidates it is compared with, by pattern indexes (HNSW over the frame and
// anchored patterns, a k-d tree's radius search over whole objects' object patterns) and, when
// the caller has one, the embedding's k-NN graph. It is made in pieces that threads can share
// (aligned-groups.ts): the frame-filling images' patterns by rows, then each index on its own,
// then the plan assembled from their lists; one thread runs them one after another (alignedPlan).
import { keepNearest, patternCoords, type GreyImage } from './aligned-pixels';
import { anchoredPatterns, isFlatSignature, cutObjectPattern, OBJECT_OFFSET, PATTERN_LENGTH } from './signature';
import { addRows, createHnsw, queryRows } from '../../map/engine/hnsw';
import { RangeTree } from './appearance-index';

/** The stage's options (aligned-duplicates.ts compares by threshold and ratio). */
export interface AlignedOptions {
  /** Candidates per descriptor. */
  nearest?: number;
  /** Pixel correlation distance, beyond the pair's noise, within which a candidate may be a copy. */
  threshold?: number;
  /** The best candidate must be at most this share of the next one's distance. */
  ratio?: number;
  /** Also look for magnified copies of frame-filling images (crops resized back: their zoomed candidates); on by default, off to measure what it costs. Whole objects' crops are found by their moments either way. */
  crops?: boolean;
  /** Compare pairs with an image reduced from a larger one as such (aligned-duplicates.ts REDUCED_PAIRS); on by default, off to measure what it finds. */
  reduced?: boolean;
}

export const ALIGNED_NEAREST = 5;

/**
 * Smallest side compared: below it a shift's overlap is too few pixels to tell a copy from a
 * look-alike (8 px images with a ±1 px search matched distinct ramps).
 */
const MIN_SIDE = 16;

/** Rows between two progress reports. */
export const REPORT_ROWS = 4096;

const HNSW = { m: 8, efConstruction: 32, ef: 16, seed: 7 };

/**
 * Principal directions of the frame-filling rows' pattern coordinates (the frame, anchored and
 * zoomed patterns' indexes): 16 lost items of crowded classes to look-alikes that differ in finer
 * detail (Fashion-MNIST crops, exact nearest, scratch: the copy among its source's 3 nearest by
 * the zoomed pattern for 144 of 192 at 16, 153 at 32, 156 at all 64 of the pooled pattern;
 * bench/duplicates.ts, stop 48: shifts 0.955 → 0.965, crops 0.845 → 0.855, precision 0.872
 * both, the stage's time alike). Whole objects keep PATTERN_COORDS: their radius search's bound
 * (OBJECT_WITHIN) is a distance in those coordinates.
 */
const FRAME_COORDS = 32;

/**
 * Crops resized back (a copy magnified 1/(1 − crop) along each side): each image's anchored
 * pattern at this zoom (its window shrunk around the same mode) is queried among the plain ones,
 * so it finds the magnified copies of itself; those are compared with a zoom search of
 * ±CROP_SPREAD around it (crops of 2–12 % of a side). Measured on Fashion-MNIST crops of 5–10 %
 * (scratch, bench/duplicates.ts's copies): the zoomed query's 3 nearest held 76 % of the copies,
 * the plain patterns' 5 nearest 32 %; 1.05 and 1.11 as the zoom did worse than 1.08.
 */
export const CROP_ZOOM = 1.08;

export const CROP_SPREAD = 0.06;

/**
 * Candidates by the zoomed pattern. One zoom stands for crops that magnify each side by 1.05–1.11,
 * so in a crowded class a crop's source often ranks below look-alikes by its zoomed pattern
 * (Fashion-MNIST, 192 crops of frame-filling items, exact nearest in FRAME_COORDS coordinates,
 * scratch: the copy among the source's 3 nearest for 153, 5 for 156–158, 10 for 162–166).
 * bench/duplicates.ts, Fashion-MNIST crops with the stage's other candidates (stop 48): 0.855 at
 * 3, 0.870 at 6, 0.870 at 10 for 1.4× the stage's time.
 */
const CROP_NEAREST = 6;

/**
 * Candidates from the embedding's k-NN graph, when the caller has one: a CNN's vector barely
 * moves under a crop or a shift, and it ranks the source of copies that the patterns' indexes
 * miss (bench/duplicates.ts, Fashion-MNIST, the graph the map builds: crops 0.650 → 0.820 and
 * shifts 0.935 → 0.955 with the first 2; the first 5 gave 0.835 for twice the added time).
 */
const GRAPH_NEAREST = 2;

/**
 * Whole objects' candidates by their object pattern are compared only within this squared
 * distance of the patterns' coordinates (unit-length pooled patterns, so 2 (1 − r)): a crop or a
 * rescale barely changes the pattern of an object kept whole (MNIST copies: 98 % of crops'
 * sources within 0.0037, every other edit's within 0.0032; a cut object's within 0.0125),
 * while 80 % of candidates lie beyond it.
 */
const OBJECT_WITHIN = 0.012;

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
 * What the stage compares, in blocks (frame-filling images by their patterns and graph
 * neighbours; whole objects; frame-filling images as crops that cut into an object): each
 * block's rows (sample indices) and their candidate lists. Made once; the comparisons, most of
 * the time, can then be split between threads (comparePlan's parts).
 */
export interface AlignedPlan { K: number; blocks: { rows: Int32Array; lists: Neighbours[] }[] }

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
  return assemblePlan(input, opts, lists);
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

/**
 * The parts' patterns as one, in the frame rows' order, in shared memory: two index tasks read
 * them (at 250,000 rows, 190 MB that each task would otherwise get a copy of).
 */
export function joinPatterns(parts: PlanPatterns[]): PlanPatterns {
  const m = parts.reduce((s, p) => s + p.rows.length, 0);
  const shared = (bytes: number) => new Uint8Array(new SharedArrayBuffer(bytes));
  const sized = (pick: (p: PlanPatterns) => Uint8Array) => shared(parts.some((p) => pick(p).length > 0) ? m * PATTERN_LENGTH : 0);
  const out: PlanPatterns = { rows: Int32Array.from({ length: m }, (_, q) => q), anchored: sized((p) => p.anchored), zoomed: sized((p) => p.zoomed), cut: sized((p) => p.cut), has: shared(3 * m) };
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
export interface PlanLists { byFrame?: Int32Array; byAnchor?: Int32Array; byZoom?: Int32Array; byGraphZoom?: Int32Array; byGraphZoomRow?: Int32Array; byObject?: Int32Array; byCut?: Int32Array }

/**
 * One index's lists: 'frame' the frame patterns' nearest, 'anchored' the anchored patterns' and
 * the zoomed ones' among them, 'objects' whole objects' by their object pattern and the cut
 * patterns' among them. `patterns`: every frame row's (joinPatterns).
 */
export function planLists(input: AlignedInput, opts: AlignedOptions, patterns: PlanPatterns, index: PlanIndex, report: (rows: number) => void = () => {}): PlanLists {
  const { signatures } = input;
  const K = listWidth(opts);
  const { frame, objects } = stageRows(input);
  const F = frame.length, O = objects.length;
  const crops = opts.crops !== false;
  if (index === 'frame') {
    if (F < 2) return {};
    const [byFrame] = nearestOf(patternCoords(frame.map((i) => signatures[i]!), () => true, FRAME_COORDS), F, K, report, [{ rows: F, self: true }]);
    return { byFrame };
  }
  if (index === 'anchored') {
    if (F < 2) return {};
    const coords = patternCoords([...patternsOf(patterns, 0), ...(crops ? patternsOf(patterns, 1) : [])], () => true, FRAME_COORDS);
    const [byAnchor, byZoom] = nearestOf(coords, F, K, report, crops ? [{ rows: F, self: true }, { rows: F, self: true }] : [{ rows: F, self: true }]);
    if (!crops || !input.neighbours || !coords) return { byAnchor, byZoom };
    return { byAnchor, byZoom, ...graphByZoom(input.neighbours, frame, coords, K) };
  }
  if (O < 2) return {};
  const [byObject, byCut] = nearestWithin(patternCoords([...objects.map((i) => signatures[i]!.subarray(OBJECT_OFFSET)), ...patternsOf(patterns, 2)], () => true), O, K, OBJECT_WITHIN, report);
  return { byObject, byCut };
}

/**
 * The embedding graph's neighbours of each frame row re-ranked by the zoomed pattern (positions in
 * the frame rows, GRAPH_ZOOM_NEAREST per row, -1 for none): byGraphZoom by the row's zoomed
 * pattern against each neighbour's plain one (the neighbour may be the row's crop), byGraphZoomRow
 * by the row's plain pattern against each neighbour's zoomed one (the row may be its crop).
 */
function graphByZoom(g: GraphNeighbours, frame: number[], coords: { data: Float32Array; ok: Uint8Array }, K: number): { byGraphZoom: Int32Array; byGraphZoomRow: Int32Array } {
  const F = frame.length, dim = coords.data.length / coords.ok.length, X = coords.data, T = GRAPH_ZOOM_NEAREST;
  const position = new Map<number, number>();
  frame.forEach((i, q) => position.set(i, q));
  const byGraphZoom = new Int32Array(F * K).fill(-1), byGraphZoomRow = new Int32Array(F * K).fill(-1);
  const d1 = new Float64Array(T), d2 = new Float64Array(T);
  for (let q = 0; q < F; q++) {
    let c1 = 0, c2 = 0;
    const row1 = byGraphZoom.subarray(q * K, q * K + T), row2 = byGraphZoomRow.subarray(q * K, q * K + T);
    for (let t = 0; t < g.k; t++) {
      const p = position.get(g.indices[frame[q]! * g.k + t]!);
      if (p === undefined || p === q) continue;
      // Zoomed patterns follow the plain ones in coords (rows F…2F − 1).
      if (coords.ok[F + q] && coords.ok[p]) c1 = keepNearest(row1, d1, c1, p, squaredDistance(X, dim, F + q, p));
      if (coords.ok[q] && coords.ok[F + p]) c2 = keepNearest(row2, d2, c2, p, squaredDistance(X, dim, q, F + p));
    }
  }
  return { byGraphZoom, byGraphZoomRow };
}

/**
 * Graph neighbours re-ranked by the zoomed pattern that are compared as crops, each way (see
 * graphByZoom). A crop's source is among the copy's 15 graph neighbours far more often than among
 * its first GRAPH_NEAREST (Fashion-MNIST, stop 48: 177 of 200 against 145), and of those 15 the
 * zoomed pattern picks it out. Scratch (Fashion-MNIST 70,000 + 200 crops, two seeds of copies):
 * crops 0.880 / 0.895 → 0.905 / 0.915 with 1, 0.910 / 0.915 with 2; the stage's time +10–11 %
 * with 1 (an A/B on one thread, two rounds alternating), about twice that with 2.
 */
const GRAPH_ZOOM_NEAREST = 1;

/** Candidates per row of every list (the plan's K): the most any list takes. */
function listWidth(opts: AlignedOptions): number {
  const nearest = opts.nearest ?? ALIGNED_NEAREST;
  return opts.crops === false ? nearest : Math.max(nearest, CROP_NEAREST);
}

/** The plan from the indexes' lists (planLists, one per PLAN_INDEXES entry) and the embedding's graph. */
export function assemblePlan(input: AlignedInput, opts: AlignedOptions, parts: PlanLists[]): AlignedPlan {
  const lists: PlanLists = Object.assign({}, ...parts);
  const { signatures } = input;
  const K = listWidth(opts), nearest = opts.nearest ?? ALIGNED_NEAREST;
  const { sized, frame, objects } = stageRows(input);
  const crops = opts.crops !== false;
  const blocks: AlignedPlan['blocks'] = [];
  if (lists.byFrame && lists.byAnchor) {
    const byPattern: Neighbours[] = [{ nb: lists.byFrame, take: nearest, warp: 'shift' }, { nb: lists.byAnchor, take: nearest, warp: 'shift' }, ...(lists.byZoom ? [{ nb: lists.byZoom, take: CROP_NEAREST, warp: 'magnified' as const }] : [])];
    const all = byPattern.map((l) => ({ ...l, nb: samplesOf(l.nb, frame) }));
    if (input.neighbours) {
      // The embedding's nearest, compared as a shift, as a magnified copy of the row, and with the
      // row as the magnified one (a crop's graph neighbour may be its source or its copy).
      const nb = graphNeighbours(input.neighbours, frame, K, (j) => sized(j) && !!signatures[j] && !isFlatSignature(signatures[j]!));
      all.push({ nb, take: GRAPH_NEAREST, warp: 'shift', nearest: true });
      if (crops) all.push({ nb, take: GRAPH_NEAREST, warp: 'magnified', nearest: true }, { nb, take: GRAPH_NEAREST, warp: 'magnifiedRow', nearest: true });
      if (lists.byGraphZoom) all.push({ nb: samplesOf(lists.byGraphZoom, frame), take: GRAPH_ZOOM_NEAREST, warp: 'magnified', adds: true }, { nb: samplesOf(lists.byGraphZoomRow!, frame), take: GRAPH_ZOOM_NEAREST, warp: 'magnifiedRow', adds: true });
    }
    blocks.push({ rows: Int32Array.from(frame), lists: all });
  }
  if (lists.byObject) {
    // Whole objects by their object pattern (framed by the object's own size, so a crop or a
    // rescale that keeps the object whole barely moves it); frame-filling images by the same
    // pattern of their content, among the whole objects: a crop that cut into an object.
    blocks.push({ rows: Int32Array.from(objects), lists: [{ nb: samplesOf(lists.byObject, objects), take: nearest, warp: 'object' }] });
    if (frame.length) blocks.push({ rows: Int32Array.from(frame), lists: [{ nb: samplesOf(lists.byCut!, objects), take: nearest, warp: 'magnifiedRow' }] });
  }
  return { K, blocks };
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
  /**
   * A list that only adds copies: its candidates never stand as the next candidate to a copy
   * found by the other lists in the ratio test. The graph neighbours re-ranked by the zoomed
   * pattern, searched over the crops' zooms, read look-alikes nearer than a shift does; as rivals
   * they refused 20 of the 178 pairs the stage found among Fashion-MNIST's originals (two per row; most of
   * them one product photo twice, a scratch montage); as adds only, 4 (plain white trousers and
   * one coat, alike to the eye).
   */
  adds?: boolean;
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
  const add = (i: number, j: number, d: number) => { count[i] = keepNearest(idx.subarray(i * K, i * K + K), dist.subarray(i * K, i * K + K), count[i]!, j, d); };
  const distance = (i: number, j: number) => squaredDistance(X, dim, i, j);
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

/** Squared distance between rows a and b of row-major coordinates X (dim per row). */
function squaredDistance(X: Float32Array, dim: number, a: number, b: number): number {
  let d = 0;
  for (let c = 0; c < dim; c++) { const x = X[a * dim + c]! - X[b * dim + c]!; d += x * x; }
  return d;
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
  // Fewer rows than the coordinates' dimensions give fewer principal directions.
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

// Near duplicates by appearance (signature.ts): every pair of signatures whose correlation
// distance (by the frame pattern or, for whole objects, the object pattern) is at most the
// threshold and whose levels agree (levelsAgree), grouped as stars
// around a representative (starGroups in duplicates.ts: no chaining). Flat signatures match
// nothing. It catches shifted and noisy copies that the embedding moves too far (bench/curate.ts).
//
// The threshold is on the distance beyond what the two images' own noise explains (pairDistance):
// each signature carries the correlation distance its pixel noise adds (signature.ts, the noise
// byte), and a pair's distance less both is what must be within the threshold. Clean images are
// compared as strictly as before; a copy with σ = 8 noise or JPEG blocking is not pushed out by
// its noise (bench/duplicates.ts: Fashion-MNIST's low-contrast items).
//
// The search is exact, not k-NN: signatures are projected on a few principal directions (an
// orthonormal projection, so distances there never exceed the true distance), a k-d tree
// over those finds the pairs that may be within the radius, and only those that pass the
// projected distance get the full comparison. A fixed basis (the lowest DCT frequencies)
// kept a quarter of the variance of MNIST signatures and took 3 s; the principal directions
// of a row sample keep most of it, ≈ 1 s for 70,000. Identical signatures are searched once,
// so a burst of identical images costs little.
import { CurateError } from './errors';
import { RangeTree, type RangeTreeState } from './appearance-index';
import { groupsFromRoots, starGroups } from './duplicates';
import { symmetricEigen } from '../../map/engine/eigen';
import { dotRows } from './linalg';
import { isFlatSignature, NOISE_BYTE, NOISE_SCALE, OBJECT_OFFSET, PATTERN_LENGTH, SIGNATURE_LENGTH, SIGNATURE_SIDE } from './signature';

/** The two patterns of a signature (signature.ts): framed by the image, and by a whole object's size. */
export const APPEARANCE_PATTERNS: readonly number[] = [0, OBJECT_OFFSET];
import type { DuplicateGroups } from './types';

/**
 * Default correlation distance (1 − Pearson r of two signatures), beyond what the pair's noise
 * explains (pairDistance). Bench (bench/curate.ts, MNIST 70k + 500 copies shifted 1–2 px with
 * σ = 8 noise): 0.002 finds 98.2 % of the copies at precision 0.981; recall ≥ 0.95 and
 * precision ≥ 0.95 hold from about 0.0005 to 0.0022 (0.0017 to 0.0026 before the noise
 * allowance). Above it, the closest distinct digits start to group.
 */
export const DEFAULT_APPEARANCE_THRESHOLD = 0.002;

/** Principal components used by the search tree and the filter (87 % of the pooled signatures' variance on MNIST). */
const COMPONENTS = 16;
/** Rows pooled and projected at a time. */
const PROJECT_BLOCK = 1024;

type Signatures = ArrayLike<Uint8Array | null | undefined>;

/**
 * Largest change of the levels a brightness or contrast edit is allowed to make, as a share:
 * ±20 % edits, with room for noise and recompression on top.
 */
const LEVEL_EDIT = 0.25;
/** Levels of mean colour difference (Cb, Cr) that recompression and noise may move. */
const COLOUR_NOISE = 6;

/**
 * signatures[i]: SIGNATURE_LENGTH bytes, or null / undefined when sample i has none (never
 * grouped). Every member of a group is within the threshold of the group's representative.
 */
export function findAppearanceDuplicates(signatures: Signatures, threshold = DEFAULT_APPEARANCE_THRESHOLD): DuplicateGroups {
  const u = uniqueSignatures(signatures);
  // A pair near by either pattern is a link; one found by both counts once (starGroups).
  return groupsOfPairs(u, APPEARANCE_PATTERNS.map((off) => patternPairs(u.unique, threshold, off)));
}

export function checkAppearanceThreshold(threshold: number): void {
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 2) {
    throw new CurateError('INVALID_REQUEST', `Appearance threshold must be a correlation distance in [0, 2], got ${threshold}.`);
  }
}

/** The signatures that take part, identical ones merged: the search runs over `unique`. */
export interface UniqueSignatures {
  n: number;
  unique: Uint8Array[];
  /** Per sample, its node in `unique` (-1: no signature, or a flat one). */
  nodeOf: Int32Array;
  /** Per node, its first sample and how many samples it stands for. */
  firstOf: number[];
  weight: number[];
}

/**
 * Identical non-flat signatures become one node that stands for all of them. Nodes are found by a
 * 32-bit hash of the bytes, confirmed byte by byte: a million signatures as 521-character string
 * keys held ≈ 0.6 GB at the first scoring's memory peak and took 2.9 s to build (bench/scale-curate.ts).
 * `hash` is for tests that force collisions.
 */
export function uniqueSignatures(signatures: Signatures, hash: (s: Uint8Array) => number = hashBytes): UniqueSignatures {
  const n = signatures.length;
  const nodeOf = new Int32Array(n).fill(-1);
  const firstOf: number[] = [], weight: number[] = [];
  const unique: Uint8Array[] = [];
  // Per hash, its first node; nodes of the same hash are chained through `next`.
  const head = new Map<number, number>();
  const next: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = signatures[i];
    if (!s) continue;
    checkLength(s, i);
    if (isFlatSignature(s)) continue;
    const h = hash(s);
    const first = head.get(h) ?? -1;
    let node = first;
    while (node >= 0 && !sameBytes(unique[node]!, s)) node = next[node]!;
    if (node < 0) {
      node = unique.length;
      next.push(first);
      head.set(h, node);
      unique.push(s); firstOf.push(i); weight.push(0);
    }
    weight[node]++;
    nodeOf[i] = node;
  }
  return { n, unique, nodeOf, firstOf, weight };
}

/** FNV-1a over the bytes, with a final mix so that nearby values spread over the Map's buckets. */
function hashBytes(s: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s[k]!, 0x01000193);
  h ^= h >>> 16;
  return Math.imul(h, 0x85ebca6b) >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * The links found by the pattern at `off` (one of APPEARANCE_PATTERNS), each as i < j, in search
 * order; with `queries`, only those searched from a node in [from, to) (a pair's noisier end,
 * searchPairs). Patterns and query ranges are independent searches, so the app runs them on
 * worker threads; the links of consecutive ranges, joined in order, are the links of the whole.
 */
export function patternPairs(signatures: Signatures, threshold: number, off: number, queries?: { from: number; to: number }, searched?: Searched, prepared?: PreparedPattern): { a: Int32Array; b: Int32Array } {
  const a: number[] = [], b: number[] = [];
  searchPairs(signatures, threshold, off, (i, j) => { a.push(i); b.push(j); }, queries, searched, prepared);
  return { a: Int32Array.from(a), b: Int32Array.from(b) };
}

/** Star groups (no chaining) over the links of every pattern, in APPEARANCE_PATTERNS order, mapped back to samples. */
export function groupsOfPairs(u: UniqueSignatures, pairs: ReadonlyArray<{ a: ArrayLike<number>; b: ArrayLike<number> }>): DuplicateGroups {
  const a: number[] = [], b: number[] = [];
  for (const p of pairs) for (let t = 0; t < p.a.length; t++) { a.push(p.a[t]!); b.push(p.b[t]!); }
  const rep = starGroups(u.unique.length, a, b, u.weight);
  return groupsFromRoots(u.n, (i) => (u.nodeOf[i] >= 0 && rep[u.nodeOf[i]] >= 0 ? u.firstOf[rep[u.nodeOf[i]]] : i));
}

function checkLength(s: Uint8Array, i: number): void {
  if (s.length !== SIGNATURE_LENGTH) throw new CurateError('INVALID_INPUT', `Signature ${i} has ${s.length} bytes, expected ${SIGNATURE_LENGTH}.`);
}

/** Every pair i < j within `threshold`, with its distance: for sweeping thresholds (bench) without a search per threshold. */
export function appearancePairs(signatures: Signatures, threshold: number): { a: Int32Array; b: Int32Array; distance: Float32Array } {
  const best = new Map<number, number>();
  const n = signatures.length;
  for (const off of APPEARANCE_PATTERNS) searchPairs(signatures, threshold, off, (i, j, d) => { const k = i * n + j; best.set(k, Math.min(d, best.get(k) ?? Infinity)); });
  const keys = [...best.keys()].sort((x, y) => x - y);
  return { a: Int32Array.from(keys, (k) => Math.floor(k / n)), b: Int32Array.from(keys, (k) => k % n), distance: Float32Array.from(keys, (k) => best.get(k)!) };
}

/**
 * Most correlation distance one image's noise may excuse: a pair's raw distance may then be at
 * most threshold + 2 × this. Past it an image is too noisy to tell a copy from a look-alike, and
 * the search radius (hence its cost) stays bounded.
 */
const NOISE_CAP = 0.004;

/** The correlation distance that signature s's own noise adds to its patterns (signature.ts), capped at NOISE_CAP. */
export function noiseOf(s: Uint8Array): number {
  return Math.min(NOISE_CAP, s[NOISE_BYTE] / NOISE_SCALE);
}

/** A pair's distance beyond what the two images' noise explains (never below 0): what the threshold bounds. */
function pairDistance(raw: number, a: Uint8Array, b: Uint8Array): number {
  return Math.max(0, raw - noiseOf(a) - noiseOf(b));
}

/** How far a search is: called with how many more rows of its query range it has passed (every ROWS_PER_REPORT, and the rest when done). */
export type Searched = (rows: number) => void;
const ROWS_PER_REPORT = 8192;

/**
 * What a pattern's search needs besides the signatures, made once per pattern: each row's mean,
 * norm and noise rank, and the tree over the non-flat rows' projected coordinates. With
 * `shared`, in SharedArrayBuffers, so one thread makes it and several search it (appearance-pairs.ts:
 * each thread made its own, 15 s of the 45 s each spent at a million signatures).
 */
export interface PreparedPattern { mean: Float64Array; norm: Float64Array; noise: Uint8Array; tree: RangeTreeState | null }

export function preparePattern(signatures: Signatures, off: number, shared = false): PreparedPattern {
  const n = signatures.length;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = signatures[i];
    if (!s) continue;
    checkLength(s, i);
    if (!isFlatSignature(s, off)) rows.push(i);
  }
  const { mean, norm, coords } = project(signatures, off, shared);
  // Ranked by noise: each pair is searched from its noisier end (between equals, the one first in
  // the tree), with the radius that end's noise allows for any partner at most as noisy.
  const noise = new Uint8Array(shared ? new SharedArrayBuffer(n) : new ArrayBuffer(n));
  for (const i of rows) noise[i] = signatures[i]![NOISE_BYTE]!;
  const tree = rows.length < 2 ? null : RangeTree.build(coords, COMPONENTS, Int32Array.from(rows), noise, shared).state;
  // The tree keeps its own copy of the indexed rows' coordinates (in leaf order): coords is dropped.
  return { mean, norm, noise, tree };
}

/**
 * Calls found(i, j, d) for the pairs i < j whose patterns at `off` are within the threshold (d:
 * pairDistance) and whose levels agree. Each pair is searched from its noisier end, with the
 * radius that end's noise allows for any partner at most as noisy, so every pair is found
 * exactly once, by one query (the threaded search splits the queries).
 */
function searchPairs(signatures: Signatures, threshold: number, off: number, found: (i: number, j: number, d: number) => void, queries = { from: 0, to: signatures.length }, searched?: Searched, prepared?: PreparedPattern): void {
  checkAppearanceThreshold(threshold);
  let reported = queries.from;
  const report = (upTo: number) => { if (searched && upTo > reported) { searched(upTo - reported); reported = upTo; } };
  const { mean, norm, noise, tree: state } = prepared ?? preparePattern(signatures, off);
  if (!state) { report(queries.to); return; }
  const tree = new RangeTree(COMPONENTS, noise, state);
  const { position } = state;
  for (let i = queries.from; i < queries.to; i++) {
    if (position[i]! < 0) continue; // not indexed: no signature, or a flat one
    if (i - reported >= ROWS_PER_REPORT) report(i);
    const si = signatures[i]!;
    // ‖a − b‖² = 2·(1 − r) for unit vectors; the slack covers float32 rounding of the projection.
    const radius2 = 2 * (threshold + 2 * noiseOf(si)) + 1e-6;
    tree.pairsFrom(i, Math.sqrt(radius2), (j) => {
      const sj = signatures[j]!;
      if (!levelsAgree(si, sj)) return;
      const d = pairDistance(distance(si, sj, off, mean[i]!, mean[j]!, norm[i]!, norm[j]!), si, sj);
      if (d <= threshold) found(Math.min(i, j), Math.max(i, j), d);
    });
  }
  report(queries.to);
}

/**
 * Correlation distance of two signatures' patterns (the nearer of the frame and the object
 * pattern) beyond what their noise explains (what the threshold bounds), or 1 (unrelated) when
 * they are flat or their levels disagree by more than a brightness or contrast edit explains.
 */
export function signatureDistance(a: Uint8Array, b: Uint8Array): number {
  if (!levelsAgree(a, b)) return 1;
  let best = 1;
  for (const off of APPEARANCE_PATTERNS) {
    const sa = stats(a, off), sb = stats(b, off);
    best = Math.min(best, distance(a, b, off, sa.mean, sb.mean, sa.norm, sb.norm));
  }
  return best >= 1 ? 1 : pairDistance(best, a, b);
}

/**
 * Whether two images' levels (signature.ts) could come from one image by a brightness or
 * contrast edit of ±LEVEL_EDIT: brightness moves the mean luma (by a factor or an offset: either
 * is within LEVEL_EDIT of full scale), contrast and brightness scale the spread and the colour
 * (which keeps its hue). The small constants are noise floors (a few grey levels of spread,
 * COLOUR_NOISE of colour), so that grey and near-grey images are compared by pattern alone.
 */
export function levelsAgree(a: Uint8Array, b: Uint8Array): boolean {
  const o = PATTERN_LENGTH;
  if (Math.abs(a[o] - b[o]) > LEVEL_EDIT * 255) return false;
  // A contrast and a brightness edit may both scale the spread and the colour.
  const scale = (1 + LEVEL_EDIT) ** 2;
  const sa = a[o + 1] + 8, sb = b[o + 1] + 8;
  if (Math.max(sa, sb) > scale * Math.min(sa, sb)) return false;
  // Colour: such edits scale the mean colour difference but keep its hue, so the part across
  // the larger one's direction must be noise, and the lengths within the scale.
  const ua = a[o + 2] - 128, va = a[o + 3] - 128, ub = b[o + 2] - 128, vb = b[o + 3] - 128;
  const la = Math.hypot(ua, va), lb = Math.hypot(ub, vb);
  const long = Math.max(la, lb, 1);
  const across = Math.abs(ua * vb - va * ub) / long, along = (ua * ub + va * vb) / long;
  return across <= COLOUR_NOISE && long + COLOUR_NOISE <= scale * (along + COLOUR_NOISE);
}

function stats(s: Uint8Array, off: number): { mean: number; norm: number } {
  let sum = 0, sq = 0;
  for (let t = off; t < off + PATTERN_LENGTH; t++) { sum += s[t]; sq += s[t] * s[t]; }
  const mean = sum / PATTERN_LENGTH;
  return { mean, norm: Math.sqrt(Math.max(0, sq - PATTERN_LENGTH * mean * mean)) };
}

function distance(a: Uint8Array, b: Uint8Array, off: number, ma: number, mb: number, na: number, nb: number): number {
  if (na === 0 || nb === 0) return 1;
  let dot = 0;
  for (let t = off; t < off + PATTERN_LENGTH; t++) dot += a[t] * b[t];
  return 1 - (dot - PATTERN_LENGTH * ma * mb) / (na * nb);
}

/**
 * Each signature centred and scaled to unit norm, pooled 2×2 (an orthonormal projection to
 * 8×8, which keeps most of a blurred image's energy), then projected on the top COMPONENTS
 * principal directions of a row sample. Every step is a projection, so distances only shrink.
 */
function project(signatures: Signatures, off: number, shared: boolean): { mean: Float64Array; norm: Float64Array; coords: Float32Array } {
  const n = signatures.length, S = SIGNATURE_SIDE, H = S / 2, P = H * H;
  const memory = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const mean = new Float64Array(memory(8 * n)), norm = new Float64Array(memory(8 * n));
  for (let i = 0; i < n; i++) {
    const s = signatures[i];
    if (s) ({ mean: mean[i], norm: norm[i] } = stats(s, off));
  }
  // A row's pooled pattern is made when needed, not held for every row (n × 64 floats were
  // 256 MB at a million signatures, per search thread).
  const pool = (i: number, out: Float32Array, o: number) => {
    const s = signatures[i]!;
    const scale = 1 / (2 * norm[i]);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < H; x++) {
        const p = off + 2 * y * S + 2 * x;
        out[o + y * H + x] = (s[p] + s[p + 1] + s[p + S] + s[p + S + 1] - 4 * mean[i]) * scale;
      }
    }
  };
  // The principal directions of every k-th non-flat row, k = n / 4096.
  const step = Math.max(1, Math.floor(n / 4096));
  const sample: number[] = [];
  for (let i = 0; i < n; i += step) if (norm[i] !== 0) sample.push(i);
  const pooled = new Float32Array(sample.length * P);
  sample.forEach((i, t) => pool(i, pooled, t * P));
  const basis = principalDirections(pooled, sample.length, P);
  // Projected a block of pooled rows at a time (dotRows: the thread's kernel where one is
  // installed); a flat row stays at the origin, as it is never indexed.
  const coords = new Float32Array(n * COMPONENTS);
  const block = new Float32Array(PROJECT_BLOCK * P);
  for (let from = 0; from < n; from += PROJECT_BLOCK) {
    const rows = Math.min(PROJECT_BLOCK, n - from);
    for (let t = 0; t < rows; t++) {
      if (norm[from + t] === 0) block.fill(0, t * P, (t + 1) * P);
      else pool(from + t, block, t * P);
    }
    dotRows(block, rows, basis, COMPONENTS, P, coords.subarray(from * COMPONENTS, (from + rows) * COMPONENTS));
  }
  return { mean, norm, coords };
}

/** Top COMPONENTS eigenvectors (rows of P) of the covariance of `count` rows. */
function principalDirections(rows: Float32Array, count: number, P: number): Float32Array {
  const mu = new Float64Array(P);
  for (let t = 0; t < count; t++) for (let a = 0; a < P; a++) mu[a] += rows[t * P + a];
  for (let a = 0; a < P; a++) mu[a] /= Math.max(1, count);
  const cov = new Float64Array(P * P);
  for (let t = 0; t < count; t++) {
    for (let a = 0; a < P; a++) {
      const x = rows[t * P + a] - mu[a];
      for (let b = a; b < P; b++) cov[a * P + b] += x * (rows[t * P + b] - mu[b]);
    }
  }
  for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) cov[a * P + b] = cov[b * P + a];
  const { values, vectors } = symmetricEigen(cov, P);
  const order = Array.from({ length: P }, (_, k) => k).sort((a, b) => values[b] - values[a] || a - b);
  const basis = new Float32Array(COMPONENTS * P);
  for (let c = 0; c < COMPONENTS; c++) basis.set(vectors.subarray(order[c] * P, order[c] * P + P), c * P);
  return basis;
}

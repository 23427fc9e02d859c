// The near-duplicate groups with the aligned stage added (engine/aligned-duplicates.ts: shifted,
// cropped and rescaled copies the signature rule misses), on worker threads: at 70,000 images it
// is 6–40 s of one core (bench/duplicates.ts: MNIST's whole objects, Fashion-MNIST's frame-filling
// items with the embedding graph's candidates), which must not hold the core's event loop (the
// window's requests). STAGE_THREADS workers read the same pixels in shared memory and share each
// round of it: the frame-filling rows' patterns, the candidate indexes (one each), then the
// comparisons, most of the time (onThread).
// Small sets run in this thread, where a worker's start costs more.
// Past ALIGNED_MAX_ROWS it is left out: it reads every image's pixels, and at a million samples
// that and the search would be minutes on top of a first scoring (issue #16's budget); the
// signature rule alone serves there.
import { availableParallelism } from 'node:os';
import { alignedCandidates, alignedDuplicatePairs, alignedUnits, assemblePlan, joinAlignedPairs, joinPatterns, mergeFound, PLAN_INDEXES, SIGNATURE_LENGTH, type AlignedInput, type AlignedPlan, type DuplicateGroups, type GraphNeighbours, type GreyImage, type OrderedPairs, type PlanIndex, type PlanLists, type PlanPatterns } from './engine';
import { workerEntry } from '../../workers/entries';
import { WorkerPool } from '../../workers/pool';
import { toShared } from '../map/knn';

/** Largest set the aligned stage runs on. */
export const ALIGNED_MAX_ROWS = 250_000;
/** Below this many samples the stage runs in this thread. */
export const ALIGNED_THREAD_ABOVE = 5_000;
const TASK_TIMEOUT_MS = 30 * 60_000;
/** Workers that share the comparisons. */
export const STAGE_THREADS = Math.max(1, Math.min(4, availableParallelism()));

/**
 * Signatures and images packed for the workers, in shared memory (each reads them in place): row
 * i's signature at i·SIGNATURE_LENGTH when hasSignature[i], its pixels at pixelAt[i] (-1: none).
 */
export interface AlignedData {
  signatures: SharedArrayBuffer; hasSignature: Uint8Array;
  pixels: SharedArrayBuffer; pixelAt: Float64Array; widths: Int32Array; heights: Int32Array;
  groupOf: Int32Array;
  /** Row i's JPEG table (GreyImage.quant) at i·64 where has[i]; absent when no image has one. */
  quant?: { tables: SharedArrayBuffer; has: Uint8Array };
  /** 1 where row i's pixels were reduced from its stored image (GreyImage.reduced). */
  reduced: Uint8Array;
  /** The embedding's k-NN graph (engine/aligned-plan.ts AlignedInput.neighbours), when the caller has one. */
  neighbours?: GraphNeighbours;
  /** One Int32 where the workers add the stage's units done (engine alignedUnits; read for the job's progress). */
  done: SharedArrayBuffer;
}
type Part = { index: number; count: number };
/**
 * A worker's task: the patterns of part `index` of `count` of the frame-filling rows; one index's
 * candidate lists (engine PLAN_INDEXES) over every row's patterns; or the comparisons of a part
 * of the plan.
 */
export type AlignedTask =
  | { kind: 'patterns'; data: AlignedData; part: Part }
  | { kind: 'lists'; data: AlignedData; patterns: PlanPatterns; index: PlanIndex }
  | { kind: 'compare'; data: AlignedData; plan: AlignedPlan; part: Part };
export type AlignedResult = PlanPatterns | PlanLists | OrderedPairs;

/** Whether withAlignedCopies runs the stage on a set of n samples. */
export function alignedStageRuns(n: number): boolean {
  return n >= 2 && n <= ALIGNED_MAX_ROWS;
}

export interface AlignedStageOptions {
  /** Below this many samples the stage runs in this thread (default ALIGNED_THREAD_ABOVE). */
  threadAbove?: number;
  /** How far the stage is, 0–1 (from the workers every PROGRESS_MS). */
  progress?: (share: number) => void;
  /** The embedding's k-NN graph over the same samples: its nearest are candidates too. */
  neighbours?: GraphNeighbours;
}

/**
 * `groups` (the signature rule's) with the aligned copies joined; unchanged past ALIGNED_MAX_ROWS.
 * `images(only)`: the grey pixels per sample, needed at the positions `only`.
 */
export async function withAlignedCopies(groups: DuplicateGroups, signatures: ArrayLike<Uint8Array | null | undefined>, images: (only: number[]) => Promise<ArrayLike<GreyImage | null | undefined>>, opts: AlignedStageOptions = {}): Promise<DuplicateGroups> {
  const { threadAbove = ALIGNED_THREAD_ABOVE, progress, neighbours } = opts;
  const n = signatures.length;
  if (!alignedStageRuns(n)) return groups;
  // Only the samples that are not flat have their pixels read.
  const only = alignedCandidates(signatures);
  if (only.length < 2) return groups;
  const grey = await images(only);
  const input: AlignedInput = { signatures, images: grey, groupOf: groups.groupOf, neighbours };
  const pairs = n < threadAbove ? alignedDuplicatePairs(input, {}, progress) : await onThread(input, progress);
  return joinAlignedPairs(groups, pairs.a, pairs.b);
}

const PROGRESS_MS = 1000;

/**
 * The stage on STAGE_THREADS workers, in three rounds: the frame-filling rows' patterns, split by
 * rows; the three indexes' lists, side by side; the comparisons, split by rows. The plan is
 * assembled here from the lists (cheap), so the pairs are alignedDuplicatePairs' own.
 */
async function onThread(input: AlignedInput, progress?: (share: number) => void): Promise<{ a: Int32Array; b: Int32Array }> {
  const data = pack(input.signatures, input.images, input.groupOf!, input.neighbours);
  const units = alignedUnits(input);
  const pool = new WorkerPool<AlignedTask, AlignedResult>(workerEntry('aligned-duplicates'), STAGE_THREADS, TASK_TIMEOUT_MS);
  const done = new Int32Array(data.done);
  const timer = progress && setInterval(() => progress(Math.min(1, Atomics.load(done, 0) / Math.max(1, units))), PROGRESS_MS);
  const split = (): Part[] => Array.from({ length: STAGE_THREADS }, (_, index) => ({ index, count: STAGE_THREADS }));
  try {
    const patterns = joinPatterns(await Promise.all(split().map((part) => pool.run({ kind: 'patterns', data, part }) as Promise<PlanPatterns>)));
    // The anchored index first: the longest of the three, so the other two share the other worker.
    const lists = await Promise.all(PLAN_INDEXES.map((index) => pool.run({ kind: 'lists', data, patterns, index }) as Promise<PlanLists>));
    const plan = assemblePlan(input, {}, lists);
    const parts = await Promise.all(split().map((part) => pool.run({ kind: 'compare', data, plan, part }) as Promise<OrderedPairs>));
    progress?.(1);
    return mergeFound(parts);
  } finally {
    clearInterval(timer);
    await pool.close();
  }
}

export function pack(signatures: ArrayLike<Uint8Array | null | undefined>, images: ArrayLike<GreyImage | null | undefined>, groupOf: Int32Array, neighbours?: GraphNeighbours): AlignedData {
  const n = signatures.length;
  const sig = new Uint8Array(new SharedArrayBuffer(n * SIGNATURE_LENGTH)), hasSignature = new Uint8Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += images[i]?.data.length ?? 0;
  const px = new Uint8Array(new SharedArrayBuffer(total)), pixelAt = new Float64Array(n).fill(-1), widths = new Int32Array(n), heights = new Int32Array(n), reduced = new Uint8Array(n);
  for (let i = 0, at = 0; i < n; i++) {
    const s = signatures[i], g = images[i];
    if (s) { sig.set(s, i * SIGNATURE_LENGTH); hasSignature[i] = 1; }
    if (g) { px.set(g.data, at); pixelAt[i] = at; widths[i] = g.width; heights[i] = g.height; reduced[i] = g.reduced ? 1 : 0; at += g.data.length; }
  }
  // The graph and the groups in shared memory too: every task (the plan, each part) gets them, not a copy each.
  const graph = neighbours && { indices: toShared(neighbours.indices), k: neighbours.k };
  return { signatures: sig.buffer as SharedArrayBuffer, hasSignature, pixels: px.buffer as SharedArrayBuffer, pixelAt, widths, heights, reduced, groupOf: toShared(groupOf), quant: packTables(images), neighbours: graph, done: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT) };
}

const TABLE = 64;

function packTables(images: ArrayLike<GreyImage | null | undefined>): AlignedData['quant'] {
  const n = images.length, has = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) if (images[i]?.quant) { has[i] = 1; any = true; }
  if (!any) return undefined;
  const tables = new Uint16Array(new SharedArrayBuffer(n * TABLE * Uint16Array.BYTES_PER_ELEMENT));
  for (let i = 0; i < n; i++) if (has[i]) tables.set(images[i]!.quant!, i * TABLE);
  return { tables: tables.buffer as SharedArrayBuffer, has };
}

export function unpack(t: AlignedData): { signatures: (Uint8Array | null)[]; images: (GreyImage | null)[]; neighbours?: GraphNeighbours } {
  const n = t.hasSignature.length;
  const signatures: (Uint8Array | null)[] = new Array(n).fill(null), images: (GreyImage | null)[] = new Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    if (t.hasSignature[i]) signatures[i] = new Uint8Array(t.signatures, i * SIGNATURE_LENGTH, SIGNATURE_LENGTH);
    if (t.pixelAt[i]! >= 0) images[i] = { data: new Uint8Array(t.pixels, t.pixelAt[i]!, t.widths[i]! * t.heights[i]!), width: t.widths[i]!, height: t.heights[i]! };
    if (images[i] && t.reduced[i]) images[i]!.reduced = true;
    if (images[i] && t.quant?.has[i]) images[i]!.quant = new Uint16Array(t.quant.tables, i * TABLE * Uint16Array.BYTES_PER_ELEMENT, TABLE);
  }
  return { signatures, images, neighbours: t.neighbours };
}

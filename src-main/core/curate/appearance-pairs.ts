// The appearance rule's near-duplicate groups (engine/appearance-duplicates.ts) with the search
// on worker threads. At a million signatures the search is most of a project's first scoring
// (131 s of 232 s in bench/scale-curate.ts); each pattern's search over each half of the query
// rows is independent, so the four run on two threads (one task per pattern left them unequal:
// 1.4×), over one shared copy of the signatures and one shared tree per pattern. Below
// PARALLEL_ABOVE the search runs in this thread (a worker's start costs more than the search).
// Same groups either way: the links are joined in the one-thread search's order.
import { APPEARANCE_PATTERNS, checkAppearanceThreshold, groupsOfPairs, patternPairs, SIGNATURE_LENGTH, uniqueSignatures, type DuplicateGroups, type PreparedPattern } from './engine';
import { availableParallelism } from 'node:os';
import { workerEntry } from '../../workers/entries';
import { WorkerPool } from '../../workers/pool';

/** Distinct signatures from which the patterns are searched on worker threads. */
export const PARALLEL_ABOVE = 50_000;
/** Query ranges per pattern (and threads at most): the threads' shares of the work even out. */
const PARTS = 2;
/** One search may take minutes at millions of signatures; a hung worker still ends (pool.ts). */
const TASK_TIMEOUT_MS = 30 * 60_000;

/**
 * The search's signature t is `length` bytes of `buffer` from byte offsets[t] (a Float64Array over
 * shared memory: past 2 GB of signatures an int would not do). 'prepare' makes the pattern's
 * tree (in shared memory); 'search' runs the queries [from, to) against a prepared one.
 */
export type PairsTask = { buffer: SharedArrayBuffer; offsets: SharedArrayBuffer; length: number; off: number } & (
  | { kind: 'prepare' }
  | {
      kind: 'search'; prepared: PreparedPattern; threshold: number; from: number; to: number;
      /** One Int32 the workers add the query rows they have passed to, for the search's progress. */
      passed: SharedArrayBuffer;
    });
export type PairsResult = { a: Int32Array; b: Int32Array } | PreparedPattern;

/**
 * `progress(share)`: the share of the search's queries done, every PROGRESS_MS while the workers
 * search (at a million signatures the search is half a minute of a first scoring, which would
 * otherwise show no movement and no time left).
 */
export async function findAppearanceDuplicatesOnThreads(signatures: (Uint8Array | null | undefined)[], threshold: number, parallelAbove = PARALLEL_ABOVE, progress?: (share: number) => void): Promise<DuplicateGroups> {
  // Checked here, not only in the worker: a bad threshold is the caller's error, not a worker failure.
  checkAppearanceThreshold(threshold);
  const u = uniqueSignatures(signatures);
  if (u.unique.length < parallelAbove) return groupsOfPairs(u, APPEARANCE_PATTERNS.map((off) => patternPairs(u.unique, threshold, off)));
  const { buffer, offsets } = inSharedMemory(u.unique);
  const m = u.unique.length;
  const passed = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const counter = new Int32Array(passed);
  const pool = new WorkerPool<PairsTask, PairsResult>(workerEntry('appearance-pairs'), Math.min(PARTS, availableParallelism()), TASK_TIMEOUT_MS);
  const share = () => progress?.(Atomics.load(counter, 0) / (APPEARANCE_PATTERNS.length * m));
  const timer = progress && setInterval(share, PROGRESS_MS);
  try {
    // Each pattern's tree is made once, the two side by side, and searched by every thread.
    const prepared = await Promise.all(APPEARANCE_PATTERNS.map((off) => pool.run({ kind: 'prepare', buffer, offsets, length: SIGNATURE_LENGTH, off }) as Promise<PreparedPattern>));
    // Every query costs a tree search whatever its position, so halves are equal shares.
    const ranges = Array.from({ length: PARTS }, (_, p) => ({ from: Math.floor((m * p) / PARTS), to: Math.floor((m * (p + 1)) / PARTS) }));
    const pairs = await Promise.all(APPEARANCE_PATTERNS.flatMap((off, p) => ranges.map((r) =>
      pool.run({ kind: 'search', buffer, offsets, length: SIGNATURE_LENGTH, off, prepared: prepared[p]!, threshold, passed, ...r }) as Promise<{ a: Int32Array; b: Int32Array }>)));
    share(); // every range reported whole: 1
    return groupsOfPairs(u, pairs);
  } finally {
    clearInterval(timer);
    await pool.close();
  }
}

const PROGRESS_MS = 1000;

/**
 * Where the workers read the signatures: in place when they already lie in one SharedArrayBuffer
 * (readSignatures with `shared`, as the scoring reads them), else copied into one, one after
 * another. readSignatures' own buffer is shared only for this search: a late A/B of every curate
 * step with it always shared was slower on this noisy machine for reasons not found.
 */
function inSharedMemory(signatures: Uint8Array[]): { buffer: SharedArrayBuffer; offsets: SharedArrayBuffer } {
  const offsets = new SharedArrayBuffer(signatures.length * Float64Array.BYTES_PER_ELEMENT);
  const at = new Float64Array(offsets);
  const buffer = signatures[0]?.buffer;
  let inPlace = buffer instanceof SharedArrayBuffer;
  for (let t = 0; t < signatures.length && inPlace; t++) {
    inPlace = signatures[t]!.buffer === buffer;
    at[t] = signatures[t]!.byteOffset;
  }
  if (inPlace) return { buffer: buffer as SharedArrayBuffer, offsets };
  const copy = new SharedArrayBuffer(signatures.length * SIGNATURE_LENGTH);
  const bytes = new Uint8Array(copy);
  signatures.forEach((s, t) => { bytes.set(s, t * SIGNATURE_LENGTH); at[t] = t * SIGNATURE_LENGTH; });
  return { buffer: copy, offsets };
}

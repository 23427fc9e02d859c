// The appearance rule's near-duplicate groups (engine/appearance-duplicates.ts) with the search
// on worker threads. At a million signatures the search is most of a project's first scoring
// (131 s of 232 s in bench/scale-curate.ts); each pattern's search over each half of the query
// rows is independent, so the four run on two threads (one task per pattern left them unequal:
// 1.4×), over one shared copy of the signatures and one shared tree per pattern. Below
// PARALLEL_ABOVE the search runs in this thread (a worker's start costs more than the search).
// Same groups either way: the links are joined in the one-thread search's order.
//
// Above it, one more thread leads the search (merging identical signatures, handing out the
// patterns' trees and ranges, joining the groups), so that the caller's thread is free while it
// runs: the scoring scores label noise and the rest meanwhile (score-store.ts). Led from the
// scoring's own thread, the searches would wait for it between their rounds.
import { APPEARANCE_PATTERNS, checkAppearanceThreshold, findAppearanceDuplicates, groupsFromGroupOf, groupsOfPairs, patternPairs, SIGNATURE_LENGTH, uniqueSignatures, type DuplicateGroups, type PreparedPattern } from './engine';
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
 * shared memory: past 2 GB of signatures an int would not do; -1: row t has none). 'groups' leads
 * a whole search (its thread merges, hands out and joins); 'prepare' makes the pattern's tree (in
 * shared memory); 'search' runs the queries [from, to) against a prepared one. `passed`: two
 * Int32s, the query rows the workers have passed and how many there are, for the progress.
 */
export type PairsTask = { buffer: SharedArrayBuffer; offsets: SharedArrayBuffer; length: number; passed: SharedArrayBuffer } & (
  | { kind: 'groups'; threshold: number; parallelAbove: number }
  | { kind: 'prepare'; off: number }
  | { kind: 'search'; off: number; prepared: PreparedPattern; threshold: number; from: number; to: number });
export type PairsResult = { a: Int32Array; b: Int32Array } | PreparedPattern | Int32Array;

/**
 * `progress(share)`: the share of the search's queries done, every PROGRESS_MS while the workers
 * search (at a million signatures the search is half a minute of a first scoring, which would
 * otherwise show no movement and no time left).
 */
export async function findAppearanceDuplicatesOnThreads(signatures: (Uint8Array | null | undefined)[], threshold: number, parallelAbove = PARALLEL_ABOVE, progress?: (share: number) => void): Promise<DuplicateGroups> {
  // Checked here, not only in the worker: a bad threshold is the caller's error, not a worker failure.
  checkAppearanceThreshold(threshold);
  if (signatures.length < parallelAbove) return findAppearanceDuplicates(signatures, threshold);
  const { buffer, offsets } = inSharedMemory(signatures);
  const passed = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const counter = new Int32Array(passed);
  const lead = new WorkerPool<PairsTask, PairsResult>(workerEntry('appearance-pairs'), 1, TASK_TIMEOUT_MS);
  const share = () => { const total = Atomics.load(counter, 1); if (total > 0) progress?.(Atomics.load(counter, 0) / total); };
  const timer = progress && setInterval(share, PROGRESS_MS);
  try {
    const groupOf = await lead.run({ kind: 'groups', buffer, offsets, length: SIGNATURE_LENGTH, passed, threshold, parallelAbove }) as Int32Array;
    share(); // every range reported whole: 1
    return groupsFromGroupOf(groupOf);
  } finally {
    clearInterval(timer);
    await lead.close();
  }
}

/**
 * The leading thread's part ('groups'): identical signatures merged, then the patterns searched
 * here below `parallelAbove` distinct ones, else on PARTS more threads. Adds the query rows passed
 * to counter[0], after setting counter[1] to how many there are. Returns each row's group (-1: none).
 */
export async function leadSearch(signatures: (Uint8Array | null)[], buffer: SharedArrayBuffer, offsets: SharedArrayBuffer, threshold: number, parallelAbove: number, passed: SharedArrayBuffer): Promise<Int32Array> {
  const counter = new Int32Array(passed);
  const u = uniqueSignatures(signatures);
  const m = u.unique.length;
  Atomics.store(counter, 1, APPEARANCE_PATTERNS.length * m);
  const searched = (rows: number) => Atomics.add(counter, 0, rows);
  if (m < parallelAbove) return groupsOfPairs(u, APPEARANCE_PATTERNS.map((off) => patternPairs(u.unique, threshold, off, undefined, searched))).groupOf;
  // The distinct signatures' offsets: the workers search nodes, not rows.
  const nodeOffsets = new SharedArrayBuffer(m * Float64Array.BYTES_PER_ELEMENT);
  const at = new Float64Array(offsets), nodeAt = new Float64Array(nodeOffsets);
  for (let t = 0; t < m; t++) nodeAt[t] = at[u.firstOf[t]!]!;
  const task = { buffer, offsets: nodeOffsets, length: SIGNATURE_LENGTH, passed };
  const pool = new WorkerPool<PairsTask, PairsResult>(workerEntry('appearance-pairs'), Math.min(PARTS, availableParallelism()), TASK_TIMEOUT_MS);
  try {
    // Each pattern's tree is made once, the two side by side, and searched by every thread.
    const prepared = await Promise.all(APPEARANCE_PATTERNS.map((off) => pool.run({ ...task, kind: 'prepare', off }) as Promise<PreparedPattern>));
    // Every query costs a tree search whatever its position, so halves are equal shares.
    const ranges = Array.from({ length: PARTS }, (_, p) => ({ from: Math.floor((m * p) / PARTS), to: Math.floor((m * (p + 1)) / PARTS) }));
    const pairs = await Promise.all(APPEARANCE_PATTERNS.flatMap((off, p) => ranges.map((r) =>
      pool.run({ ...task, kind: 'search', off, prepared: prepared[p]!, threshold, ...r }) as Promise<{ a: Int32Array; b: Int32Array }>)));
    return groupsOfPairs(u, pairs).groupOf;
  } finally {
    await pool.close();
  }
}

/** The signatures of a task, as views of its shared buffer (null where a row has none). */
export function taskSignatures(task: { buffer: SharedArrayBuffer; offsets: SharedArrayBuffer; length: number }): (Uint8Array | null)[] {
  return Array.from(new Float64Array(task.offsets), (offset) => (offset < 0 ? null : new Uint8Array(task.buffer, offset, task.length)));
}

const PROGRESS_MS = 1000;

/**
 * Where the workers read the signatures: in place when they already lie in one SharedArrayBuffer
 * (readSignatures with `shared`, as the scoring reads them), else copied into one, one after
 * another. readSignatures' own buffer is shared only for this search: a late A/B of every curate
 * step with it always shared was slower on this noisy machine for reasons not found.
 */
function inSharedMemory(signatures: (Uint8Array | null | undefined)[]): { buffer: SharedArrayBuffer; offsets: SharedArrayBuffer } {
  const offsets = new SharedArrayBuffer(signatures.length * Float64Array.BYTES_PER_ELEMENT);
  const at = new Float64Array(offsets).fill(-1);
  const buffer = signatures.find((s) => s)?.buffer;
  let inPlace = buffer instanceof SharedArrayBuffer;
  for (let t = 0; t < signatures.length && inPlace; t++) {
    const s = signatures[t];
    if (!s) continue;
    inPlace = s.buffer === buffer;
    at[t] = s.byteOffset;
  }
  if (inPlace) return { buffer: buffer as SharedArrayBuffer, offsets };
  const copy = new SharedArrayBuffer(signatures.length * SIGNATURE_LENGTH);
  const bytes = new Uint8Array(copy);
  at.fill(-1);
  signatures.forEach((s, t) => { if (s) { bytes.set(s, t * SIGNATURE_LENGTH); at[t] = t * SIGNATURE_LENGTH; } });
  return { buffer: copy, offsets };
}

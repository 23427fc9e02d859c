// Scoring, and a curate run's scoring and picking, on a worker thread that opens the project
// file on its own connection (SQLite in WAL mode: the core's connection keeps reading and
// writing beside it). At a million samples they are half a minute of reads and arithmetic
// (bench/scale-curate.ts): on the core's thread they held every request of the renderer, its
// queries, thumbnails and the job's own progress events, for that long ("longest event-loop
// stall" there). Small projects stay on the core's thread: the worker's start costs more than
// their whole scoring.
import type { JobParams } from '../../../src-shared/contract/job-map';
import { RpcError, type ErrorCode } from '../../../src-shared/rpc/errors';
import { callWorker, WorkerAbortedError } from '../../workers/spawn';
import { collectGarbage, WORTH_COLLECTING } from '../jobs/collect-garbage';
import { workerEntry } from '../../workers/entries';
import type { Catalog } from '../catalog/catalog';
import { takeVectors, type EmbeddingStore, type VectorHandOver, type VectorTable } from '../embed/embedding-store';
import type { MapStore } from '../map/map-store';
import { curate, CurateError, type BalanceTarget, type CuratePick, type CurateRequest } from './engine';
import { readTiles } from './appearance-store';
import { refreshScores, scoreProject, type ScoreProgress } from './score-store';
import type { ScoreKeyOptions } from './score-cache';

/** Map rows from which scoring runs on the worker (a 10,000-row scoring takes well under a second). */
export const SCORE_THREAD_FROM = 10_000;

/** What a scoring thread is asked: make the scores current, or score and pick a curate run. */
export type ScoreTask = { kind: 'refresh'; opts: ScoreKeyOptions } | { kind: 'pick'; params: JobParams<'curate'> };

/** A curate run's picks, with what its slice and answer need of the scoring. */
export interface PickOutcome {
  mapId: number;
  /** Sample id of each pick, in the picks' order. */
  sampleIds: Int32Array;
  picks: CuratePick[];
  warnings: { code: string; message: string }[];
  classNames: string[];
  labelled: boolean;
}

export interface ScoreRun {
  signal?: AbortSignal;
  progress?: ScoreProgress;
  /** Called once the scores are ready and the picking starts (curate runs). */
  picking?: () => void;
  /** Force the thread (true) or the core's thread (false); default by the map's size. */
  thread?: boolean;
  /**
   * The active set's vectors, already in memory (the map job's, in shared memory): a scoring
   * reads them instead of the file. The scoring thread then shares the core's copy instead of
   * holding a second one (a million 544-d vectors: 2.2 GB; the map job's peak RSS was 7.2 GB,
   * bench/scale-1m.ts --dim 544). Handed over: the box is emptied once the scoring has them, so
   * the core holds them no longer than the scoring does (which lets go before its
   * near-duplicate search, score-store.ts).
   */
  vectors?: VectorHandOver;
}

/** refreshScores, on the worker when the newest map is big enough. */
export async function refreshScoresOffThread(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, opts: ScoreKeyOptions, run: ScoreRun = {}): Promise<{ mapId: number; reused: boolean }> {
  if (!onThread(catalog, maps, run)) return refreshScores(catalog, embeddings, maps, { ...opts, signal: run.signal, progress: run.progress, vectors: run.vectors });
  return onScoreThread(catalog, { kind: 'refresh', opts }, run);
}

/** A curate run's scoring and picks, on the worker when the newest map is big enough. */
export async function scoreAndPickOffThread(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, params: JobParams<'curate'>, run: ScoreRun = {}): Promise<PickOutcome> {
  if (!onThread(catalog, maps, run)) return scoreAndPick(catalog, embeddings, maps, params, run);
  return onScoreThread(catalog, { kind: 'pick', params }, run);
}

/** Scores the newest map (or reuses its scores) and picks the run's samples: the worker's task, or the core's for a small project. */
export async function scoreAndPick(catalog: Catalog, embeddings: EmbeddingStore, maps: MapStore, params: JobParams<'curate'>, run: Omit<ScoreRun, 'thread'> = {}): Promise<PickOutcome> {
  const scored = await scoreProject(catalog, embeddings, maps, { field: params.by, signal: run.signal, progress: run.progress });
  run.signal?.throwIfAborted();
  run.picking?.();
  // Only representative subsets look at the tiles (scoreProject made them current). Read when the
  // engine first asks for them, just after it has told the vectors which rows it will read
  // (VectorRows.prefetch): at a million samples the two reads then run side by side.
  if (params.mode === 'representative' && params.appearanceWeight !== 0) {
    let tiles: ReturnType<typeof readTiles> | undefined;
    Object.defineProperty(scored.input, 'tiles', { get: () => (tiles ??= readTiles(catalog, scored.ids)), enumerable: true });
  }
  let result;
  try {
    result = curate(scored.input, scored.scores, request(params));
  } catch (err) {
    if (err instanceof CurateError) throw new RpcError('bad_request', err.message);
    throw err;
  }
  return {
    mapId: scored.map.data.mapId,
    sampleIds: Int32Array.from(result.picks, (p) => scored.ids[p.index]!),
    picks: result.picks,
    warnings: result.warnings.map((w) => ({ code: w.code, message: w.message })),
    classNames: scored.input.classNames ?? [],
    labelled: scored.input.labels !== undefined,
  };
}

/**
 * A read-only session (which must write nothing) or an in-memory database (which a second
 * connection cannot open) scores on the core's thread, as before.
 */
function onThread(catalog: Catalog, maps: MapStore, run: ScoreRun): boolean {
  if (catalog.db.readonly || catalog.db.memory) return false;
  return run.thread ?? (maps.latestSize() ?? 0) >= SCORE_THREAD_FROM;
}

/** What the worker is given: the project file, its task, and any vectors already in memory (shared, not copied, when in shared memory). */
export interface ScoreWorkerData { path: string; task: ScoreTask; vectors?: VectorTable }

/** What the worker posts: progress, then its answer or the error (an RpcError keeps its code). */
export type ScoreThreadMessage = { type: 'progress'; share: number; message: string } | { type: 'picking' } | { type: 'failed'; code?: ErrorCode; message: string };

async function onScoreThread<R>(catalog: Catalog, task: ScoreTask, run: ScoreRun): Promise<R> {
  run.signal?.throwIfAborted();
  let failed: { code?: ErrorCode; message: string } | undefined;
  let result: R;
  try {
    const handed = run.vectors?.table?.vectors.byteLength ?? 0;
    const call = startScoreThread<R>(catalog, task, run, (m) => {
      if (m.type === 'progress') run.progress?.(m.share, m.message);
      else if (m.type === 'picking') run.picking?.();
      else failed = m;
    });
    // The thread has the vectors now, and the scoring lets them go before its near-duplicate
    // search; the core's own handle on them is garbage that its thread would keep resident
    // through that search (collect-garbage.ts).
    if (handed >= WORTH_COLLECTING) collectGarbage();
    result = await call;
  } catch (err) {
    // A cancel ends the worker (its open transaction is rolled back): the caller sees the same
    // AbortError as on the core's thread.
    if (err instanceof WorkerAbortedError) run.signal!.throwIfAborted();
    if (failed) throw failed.code ? new RpcError(failed.code, failed.message) : new Error(failed.message);
    throw err;
  }
  return result;
}

/** Starts the worker, the run's vectors taken out of their box: once this returns, nothing of the core's refers to them. */
function startScoreThread<R>(catalog: Catalog, task: ScoreTask, run: ScoreRun, onMessage: (m: ScoreThreadMessage) => void): Promise<R> {
  return callWorker<R, ScoreThreadMessage>(workerEntry('score'), {
    workerData: { path: catalog.path, task, vectors: takeVectors(run.vectors) } satisfies ScoreWorkerData,
    signal: run.signal,
    onMessage,
  });
}

function request(p: JobParams<'curate'>): CurateRequest {
  const base = { n: p.n, seed: p.seed ?? 0 };
  const balance = p.classBalance as BalanceTarget | 'none' | undefined;
  switch (p.mode) {
    case 'representative': return { ...base, mode: 'representative', classBalance: balance, excludeMislabeled: p.excludeMislabeled, appearanceWeight: p.appearanceWeight };
    case 'edge-cases': return { ...base, mode: 'edge-cases', classBalance: balance, excludeMislabeled: p.excludeMislabeled, criteria: p.edges };
    case 'mislabeled': return { ...base, mode: 'mislabeled' };
    case 'custom': return {
      ...base, mode: 'custom', weights: p.weights ?? { sparseness: 1 },
      feature: p.by !== undefined ? { field: p.by } : p.clusters ? { clusters: p.clusters } : undefined,
      balance: p.by !== undefined ? { byFeature: 'uniform' } : undefined,
    };
  }
}

// The units of work that the map pipeline hands to its worker threads. Large arrays are
// views on SharedArrayBuffers (shared, not copied) or are transferred back.
import type { Transferable } from 'node:worker_threads';
import type { KnnGraph } from '../../../src-shared/model/knn';
import { accumulateCovariance, pcaFromCovariance, projectRows, type PcaModel } from './engine/pca';
import { addRows, createHnsw, mergeCandidates, queryRows, type HnswParams, type Space } from './engine/hnsw';
import { KnnIndex } from './knn-index';
import { fuzzySimplicialSet } from './engine/fuzzy';
import { buildSchedule, runChunk, type EdgeSchedule, type SgdParams, type SgdState } from './engine/sgd';
import { rerankRows } from './engine/rerank';
import { placeAll, sampleGraphRows } from './engine/sample-layout';
import { descentChunk, inverseNormaliser, layoutOf, repulsionChunk, stepInput, tsneRows, type TsneRows, type TsneState } from './engine/tsne';
import { QuadTree } from './engine/barnes-hut';
import { graphNeighbourRecall } from './engine/quality';

export type MapTask =
  | { kind: 'pcaCov'; x: Float32Array; dim: number; rows: Int32Array; mean: Float64Array }
  | { kind: 'pcaEigen'; cov: Float64Array; dim: number; count: number; mean: Float64Array; outDim: number }
  /** out holds rows [start, end) only. */
  | { kind: 'pcaProject'; x: Float32Array; model: PcaModel; start: number; end: number; out: Float32Array }
  | {
      kind: 'knnShard';
      y: Float32Array;
      dim: number;
      space: Space;
      /** Rows [start, end) form this shard; all rows are queried against it. */
      start: number;
      end: number;
      k: number;
      params: HnswParams;
      /** Where to write the shard's hnswlib file, if the index is to be kept. */
      saveTo?: string;
    }
  /** The shards' candidate lists merged into lists in shared memory (the layout's workers read them in place). */
  | { kind: 'merge'; lists: { indices: Int32Array; distances: Float32Array }[]; n: number; k: number }
  /** The shards' hnswlib files packed into one index file (KnnIndex.pack). */
  | { kind: 'packIndex'; path: string; dim: number; space: Space; pca: PcaModel | null; params: HnswParams; files: string[] }
  | { kind: 'rerank'; x: Float32Array; dim: number; candidates: Int32Array; kc: number; k: number; start: number; end: number; outIdx: Int32Array; outDist: Float32Array }
  | { kind: 'fuzzy'; graph: KnnGraph; epochs: number }
  /** Rows [start, end) of the layout sample's own graph (sample-layout.ts sampleGraphRows). */
  | { kind: 'sampleGraph'; graph: Pick<KnnGraph, 'n' | 'k' | 'indices'>; sample: Int32Array; y: Float32Array; dim: number; space: Space; k: number; start: number; end: number }
  /** Every point placed from the laid-out sample's positions (sample-layout.ts placeAll). */
  | { kind: 'placeAll'; graph: KnnGraph; sample: Int32Array; part: Float32Array; seed: number }
  /** The t-SNE steps' rows and affinities for the layout's graph from `positions` (engine/tsne.ts tsneRows), in shared memory. */
  | { kind: 'tsneRows'; graph: KnnGraph; perplexity: number; positions: Float32Array }
  /**
   * t-SNE steps from the SGD's positions (`positions`), each party taking chunks of each step
   * as the SGD's do; party 0 reports progress (at most every progressMs) and returns the result.
   */
  | { kind: 'tsne'; graph: KnnGraph; positions: Float32Array; state: TsneState; steps: number; control: Int32Array; parties: number; reporter: boolean; progressMs: number | null }
  | {
      kind: 'sgd';
      state: SgdState;
      params: SgdParams;
      /** [barrier count, barrier generation, stop flag, last finished epoch, next chunk] */
      control: Int32Array;
      parties: number;
      /** Only the reporting worker posts progress, at most this often. */
      progressMs: number | null;
    };

/** What a knnShard task has done so far (its progress messages). */
export interface KnnShardProgress { added: number; queried: number }

export interface MapTaskResults {
  pcaCov: Float64Array;
  pcaEigen: PcaModel;
  pcaProject: null;
  knnShard: { indices: Int32Array; distances: Float32Array };
  merge: { indices: Int32Array; distances: Float32Array };
  packIndex: null;
  rerank: null;
  fuzzy: EdgeSchedule;
  sampleGraph: { indices: Int32Array; distances: Float32Array };
  placeAll: Float32Array;
  sgd: { epochs: number };
  tsneRows: TsneRows;
  /** Party 0's; the others' null. */
  tsne: TsneResult | null;
}

/** A tsne task's layout: the refined one, or the one it was given (kept: false) where that kept more of the graph. */
export interface TsneResult { positions: Float32Array; kept: boolean }

/** A tsne task's progress: the positions after `step`, at the input's scale. */
export interface TsneProgress { step: number; positions: Float32Array }
export type MapTaskResult<K extends MapTask['kind']> = MapTaskResults[K];

export type WorkerReply =
  | { id: number; type: 'progress'; data: unknown }
  | { id: number; type: 'done'; result: unknown }
  | { id: number; type: 'error'; message: string };

export const CONTROL = { count: 0, generation: 1, stop: 2, epoch: 3, cursor: 4 } as const;
export const CONTROL_SIZE = 5;

export function runMapTask(task: MapTask, progress: (data: unknown) => void): { result: unknown; transfer: Transferable[] } {
  switch (task.kind) {
    case 'pcaCov': {
      const cov = new Float64Array(task.dim * task.dim);
      accumulateCovariance(task.x, task.dim, task.rows, task.mean, cov);
      return { result: cov, transfer: [cov.buffer] };
    }
    case 'pcaEigen':
      return { result: pcaFromCovariance(task.cov, task.dim, task.count, task.mean, task.outDim), transfer: [] };
    case 'pcaProject':
      projectRows(task.x, task.model, task.start, task.end, task.out, task.start);
      return { result: null, transfer: [] };
    case 'knnShard': {
      const { y, dim, start, end, k, params } = task;
      const n = y.length / dim;
      const index = createHnsw(task.space, dim, end - start, params);
      // Rows inserted, then rows queried: the k-NN's share of the map job's progress bar.
      addRows(index, y, dim, start, end, start, (added) => progress({ added, queried: 0 } satisfies KnnShardProgress));
      progress({ added: end - start, queried: 0 } satisfies KnnShardProgress);
      const indices = new Int32Array(n * k);
      const distances = new Float32Array(n * k);
      queryRows(index, y, dim, 0, n, k, indices, distances, 0, (queried) => progress({ added: end - start, queried } satisfies KnnShardProgress));
      if (task.saveTo) index.writeIndexSync(task.saveTo);
      return { result: { indices, distances }, transfer: [indices.buffer, distances.buffer] };
    }
    case 'merge': {
      const { n, k } = task;
      const into = { indices: new Int32Array(new SharedArrayBuffer(4 * n * k)), distances: new Float32Array(new SharedArrayBuffer(4 * n * k)) };
      return { result: mergeCandidates(task.lists, n, k, into), transfer: [] };
    }
    case 'packIndex':
      KnnIndex.pack(task.path, task.dim, task.space, task.pca, task.params, task.files);
      return { result: null, transfer: [] };
    case 'rerank':
      rerankRows(task.x, task.dim, task.candidates, task.kc, task.k, task.start, task.end, task.outIdx, task.outDist);
      return { result: null, transfer: [] };
    case 'sampleGraph': {
      const rows = sampleGraphRows(task.graph, task.sample, task.y, task.dim, task.space, task.k, task.start, task.end);
      return { result: rows, transfer: [rows.indices.buffer as ArrayBuffer, rows.distances.buffer as ArrayBuffer] };
    }
    case 'placeAll': {
      const all = placeAll(task.graph, task.sample, task.part, { seed: task.seed });
      return { result: all, transfer: [all.buffer as ArrayBuffer] };
    }
    case 'fuzzy': {
      const s = buildSchedule(fuzzySimplicialSet(task.graph), task.epochs);
      return { result: s, transfer: [s.head.buffer as ArrayBuffer, s.tail.buffer as ArrayBuffer, s.epochsPerSample.buffer as ArrayBuffer] };
    }
    case 'sgd':
      return { result: { epochs: runSgd(task, progress) }, transfer: [] };
    case 'tsneRows': {
      const rows = tsneRows(task.graph, task.perplexity, task.positions, true);
      return { result: rows, transfer: [rows.order.buffer as ArrayBuffer] };
    }
    case 'tsne': {
      const result = runTsne(task, progress);
      return { result, transfer: result?.kept ? [result.positions.buffer as ArrayBuffer] : [] };
    }
  }
}

/**
 * Every party takes chunks of the current epoch until none is left, then waits for the
 * others at a barrier; the last to arrive resets the chunk cursor for the next epoch.
 */
function runSgd(task: Extract<MapTask, { kind: 'sgd' }>, progress: (data: unknown) => void): number {
  const { control, parties, params, state } = task;
  const chunks = state.bounds.length - 1;
  let last = performance.now();
  for (let epoch = 1; epoch <= params.epochs; epoch++) {
    for (let c = Atomics.add(control, CONTROL.cursor, 1); c < chunks; c = Atomics.add(control, CONTROL.cursor, 1)) {
      runChunk(state, params, c, epoch);
    }
    if (!barrier(control, parties)) return epoch;
    if (Atomics.load(control, CONTROL.stop)) return epoch;
    if (task.progressMs !== null) {
      Atomics.store(control, CONTROL.epoch, epoch);
      const now = performance.now();
      if (now - last >= task.progressMs && epoch < params.epochs) {
        last = now;
        progress({ epoch });
      }
    }
  }
  return params.epochs;
}

/**
 * The t-SNE steps on every party: each step's repulsion chunks (each party on its own copy of
 * the step's quadtree), a barrier, the gradient chunks, a barrier. Party 0 then keeps the
 * steps' layout only where it keeps more of the graph (quality.ts graphNeighbourRecall): on a
 * few thousand points the SGD's 500 epochs already end near t-SNE's end of the spectrum, and
 * the steps there lost neighbours (Fashion-MNIST 1,000 points: 0.490 → 0.484 of the graph's
 * 10 kept; 10,000: 0.280 → 0.362).
 */
function runTsne(task: Extract<MapTask, { kind: 'tsne' }>, progress: (data: unknown) => void): TsneResult | null {
  const { control, parties, state, steps } = task;
  const n = state.n;
  const chunks = state.bounds.length - 1;
  const tree = new QuadTree(n);
  let last = performance.now();
  for (let step = 1; step <= steps; step++) {
    tree.build(stepInput(state, step));
    for (let c = Atomics.add(control, CONTROL.cursor, 1); c < chunks; c = Atomics.add(control, CONTROL.cursor, 1)) repulsionChunk(state, tree, step, c);
    if (!barrier(control, parties) || Atomics.load(control, CONTROL.stop)) return null;
    const invZ = inverseNormaliser(state);
    for (let c = Atomics.add(control, CONTROL.cursor, 1); c < chunks; c = Atomics.add(control, CONTROL.cursor, 1)) descentChunk(state, step, c, invZ);
    if (!barrier(control, parties) || Atomics.load(control, CONTROL.stop)) return null;
    if (task.progressMs !== null && step < steps && performance.now() - last >= task.progressMs) {
      last = performance.now();
      progress({ step, positions: layoutOf(state, state.y[step & 1]) } satisfies TsneProgress);
    }
  }
  if (!task.reporter) return null;
  const out = layoutOf(state, state.y[steps & 1]);
  const before = graphNeighbourRecall(task.graph, task.positions);
  const after = graphNeighbourRecall(task.graph, out);
  return after > before ? { positions: out, kept: true } : { positions: task.positions, kept: false };
}

/** Counting barrier; returns false if the stop flag was raised while waiting. */
function barrier(control: Int32Array, parties: number): boolean {
  const gen = Atomics.load(control, CONTROL.generation);
  if (Atomics.add(control, CONTROL.count, 1) === parties - 1) {
    Atomics.store(control, CONTROL.count, 0);
    Atomics.store(control, CONTROL.cursor, 0);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    return true;
  }
  while (Atomics.load(control, CONTROL.generation) === gen) {
    if (Atomics.load(control, CONTROL.stop)) return false;
    Atomics.wait(control, CONTROL.generation, gen, 100);
  }
  return true;
}

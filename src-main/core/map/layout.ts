// 2-D layout of a k-NN graph: fuzzy simplicial set on one worker, then UMAP-style SGD with
// every worker thread optimising its own share of the edges on one shared positions array,
// then t-SNE steps on the same workers that sharpen the neighbourhoods (engine/tsne.ts).
//
// Determinism: a given graph, init and seed give bit-identical positions with any number of
// threads. The edges are cut into chunks of fixed size; each chunk owns its head points and
// its random stream and sees other chunks' points as they were at the end of the previous
// epoch (double-buffered, one barrier per epoch), so no result depends on timing or on which
// thread ran which chunk (see SgdState).
import type { KnnGraph } from '../../../src-shared/model/knn';
import { Xorshift32 } from '../../../src-shared/random';
import { MapPool } from './pool';
import { createSgdState, fitCurve, outputBuffer, type EdgeSchedule, type SgdParams } from './engine/sgd';
import { CONTROL, CONTROL_SIZE, type TsneProgress } from './tasks';
import { createTsneState } from './engine/tsne';
import { defaultThreads, toShared } from './knn';

/**
 * Which part of the layout a progress call belongs to, with its own count: the SGD's epochs, then
 * the t-SNE steps (each runs at its own pace, so a job's message and rate follow the part it is in).
 */
export interface LayoutPhase { name: 'epochs' | 't-SNE steps'; done: number; of: number }

/** `epoch` of `totalEpochs` counts both parts together (0 = the first picture, before either); `phase` says which part. */
export type ProgressCallback = (positions: Float32Array, epoch: number, totalEpochs: number, phase?: LayoutPhase) => void;

export interface LayoutOptions {
  seed?: number;
  threads?: number;
  /** Default: 500 below 10,000 points, else 200. */
  epochs?: number;
  /** Default 0.1. */
  minDist?: number;
  /** Default 1. */
  spread?: number;
  /** Default 5. */
  negativeRate?: number;
  /** Push of the negative samples; default DEFAULT_REPULSION (below). */
  repulsion?: number;
  /** Default 1. */
  learningRate?: number;
  /**
   * 'cauchy' (default) fixes b = 1 in 1/(1 + a·d^2b), which removes every Math.pow from the
   * inner loop (≈5× faster, same measured quality); 'umap' fits a and b as umap-learn does.
   */
  curve?: 'cauchy' | 'umap';
  /** t-SNE steps after the SGD (engine/tsne.ts); default TSNE_STEPS, 0 = the SGD's layout as it ends. */
  refineSteps?: number;
  signal?: AbortSignal;
  /** Called with a copy of the positions while the layout improves, and once at the end. */
  onProgress?: ProgressCallback;
  /** Minimum time between progress calls. Default 250 ms. */
  progressMs?: number;
}

/**
 * Weight of the negative samples' push (umap-learn's repulsion_strength, 1 there). Drawing 5
 * random points per attraction makes UMAP act like t-SNE with a strong exaggeration of the
 * attraction (Böhm, Berens & Kobak, "Attraction-repulsion spectrum in neighbor embeddings",
 * JMLR 2022; Damrich et al., ICLR 2023): classes that overlap in the original space are pulled
 * into one blob, and 2-D neighbours come from other classes far more often than graph
 * neighbours do. A stronger push moves the layout toward t-SNE's end of that spectrum, which
 * keeps k nearest neighbours best; it costs nothing (the same samples, weighted differently).
 * 10-NN label agreement / trustworthiness@10 on 70,000 points, k-NN graph agreement beside
 * (scratch runs for issue 15; the built-in embedding's: bench/map-repulsion.ts, BENCHMARKS.md):
 *   repulsion                        1              3              8              20             50
 *   Fashion-MNIST pixels             0.734 / 0.953  0.749 / 0.960  0.766 / 0.971  0.777 / 0.975  0.776 / 0.974   graph 0.827
 *   Fashion-MNIST built-in embedding 0.742 / 0.961                                0.803 / 0.982                  graph 0.849
 *   MNIST built-in embedding         0.976 / 0.971                                0.975 / 0.982                  graph 0.977
 *   10 overlapping Gaussian clusters, 3,000 points (layout-faithful.test.ts): repulsion 1 →
 *   20 gives trustworthiness 0.872 → 0.916, agreement 0.840 → 0.825 (graph 0.769: weak
 *   repulsion had cleaned the overlap into blobs that the graph does not have)
 * The gain flattens from 20 to 50, so 20. Neither more epochs (600: 0.739), more negative
 * samples alone (15: 0.753), a smaller min_dist (0.01: 0.737) nor more neighbours (k = 30:
 * 0.726, more attraction) came close.
 */
export const DEFAULT_REPULSION = 20;

export function defaultEpochs(n: number): number {
  return n <= 10000 ? 500 : 200;
}

/**
 * t-SNE steps after the SGD. On 70,000 points (BENCHMARKS.md, map faithfulness (t-SNE steps))
 * the 10-NN label agreement rose from 0.802 to 0.824 on Fashion-MNIST (the graph's own: 0.849)
 * and stayed within 0.001 of the graph on MNIST; in a scratch run 50 steps gave most of it
 * (0.819), 150 no more (0.825).
 */
export const TSNE_STEPS = 100;

/** Steps a layout reports progress over: the SGD's epochs, then the t-SNE steps. */
export function layoutSteps(n: number, opts: LayoutOptions): number {
  return (opts.epochs ?? defaultEpochs(n)) + refineSteps(n, opts);
}

/**
 * What one t-SNE step costs against one SGD epoch, for the layout's share of a job's progress
 * (layoutShare). Measured with the steps' rows in spatial order, 2 threads: 1.5–1.7 at 70,000
 * points (BENCHMARKS.md, map faithfulness (t-SNE steps): MNIST 8.8 s of steps after 11.9 s of
 * 200 epochs, Fashion-MNIST 10.9 s after 13.2 s, the fuzzy graph included), 2.7 at 200,000 (a
 * million samples' sampled layout, bench/map-progress.ts: 100 steps in about 29 s, an epoch
 * 0.107 s). Counted as one, the bar crawled through the steps and the ETA read up to 1.8× the
 * time left.
 */
const STEP_COST = 2;

/**
 * How far a layout is, 0–1, by its time rather than its count: `epoch` of `total` as a progress
 * call gives them, with its phase (a step weighs STEP_COST epochs). Without a phase, the count.
 */
export function layoutShare(epoch: number, total: number, phase?: LayoutPhase): number {
  if (!phase || total <= 0) return total > 0 ? Math.min(1, epoch / total) : 1;
  const epochs = phase.name === 'epochs' ? phase.of : total - phase.of;
  const steps = total - epochs;
  const done = phase.name === 'epochs' ? phase.done : epochs + STEP_COST * phase.done;
  return Math.min(1, done / Math.max(1, epochs + STEP_COST * steps));
}

function refineSteps(n: number, opts: LayoutOptions): number {
  return n < 3 ? 0 : Math.max(0, opts.refineSteps ?? TSNE_STEPS);
}

/**
 * Scales an initial layout into the [0, 10] box (per axis) and adds a tiny seeded jitter so
 * that duplicate points can separate; returns a new array.
 */
export function scaleInit(init: Float32Array, seed: number): Float32Array {
  const n = init.length / 2;
  const out = new Float32Array(init.length);
  const rng = new Xorshift32(seed, 3);
  for (let d = 0; d < 2; d++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = init[2 * i + d];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const s = hi > lo ? 10 / (hi - lo) : 0;
    for (let i = 0; i < n; i++) out[2 * i + d] = (init[2 * i + d] - lo) * s + 1e-4 * rng.normal();
  }
  return out;
}

export function sgdParams(n: number, opts: LayoutOptions): SgdParams {
  const spread = opts.spread ?? 1;
  const minDist = opts.minDist ?? 0.1;
  const { a, b } = opts.curve === 'umap' ? fitCurve(spread, minDist) : fitCurve(spread, minDist, 1);
  return {
    a,
    b,
    repulsion: opts.repulsion ?? DEFAULT_REPULSION,
    negativeRate: opts.negativeRate ?? 5,
    learningRate: opts.learningRate ?? 1,
    epochs: opts.epochs ?? defaultEpochs(n),
  };
}

/** Lays out `graph` starting from `init` (n×2, any scale), on its own worker threads. */
export async function layoutGraph(graph: KnnGraph, init: Float32Array, opts: LayoutOptions = {}, timings: Record<string, number> = {}): Promise<Float32Array> {
  const pool = new MapPool(opts.threads ?? defaultThreads(), opts.signal);
  try {
    return await runLayout(pool, graph, init, opts, timings);
  } finally {
    await pool.close();
  }
}

export async function runLayout(pool: MapPool, graph: KnnGraph, init: Float32Array, opts: LayoutOptions, timings: Record<string, number>): Promise<Float32Array> {
  const n = graph.n;
  const seed = opts.seed ?? 42;
  const params = sgdParams(n, opts);
  const t0 = performance.now();
  const local = await pool.run(0, { kind: 'fuzzy', graph, epochs: params.epochs });
  const schedule: EdgeSchedule = {
    n,
    head: toShared(local.head),
    tail: toShared(local.tail),
    epochsPerSample: toShared(local.epochsPerSample),
  };
  const t1 = performance.now();
  timings.fuzzy = t1 - t0;
  const state = createSgdState(schedule, params, scaleInit(init, seed), seed);
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SIZE));
  const parties = Math.max(1, Math.min(pool.size, state.bounds.length - 1));
  const refine = refineSteps(n, opts);
  const total = params.epochs + refine;
  const epochsPhase = (done: number): LayoutPhase => ({ name: 'epochs', done, of: params.epochs });
  const stepsPhase = (done: number): LayoutPhase => ({ name: 't-SNE steps', done, of: refine });
  const report = (epoch: number) => opts.onProgress?.(outputBuffer(state, epoch).slice(), epoch, total, epochsPhase(epoch));
  await Promise.all(
    Array.from({ length: parties }, (_, t) =>
      pool.run(
        t,
        {
          kind: 'sgd',
          state,
          params,
          control,
          parties,
          progressMs: t === 0 && opts.onProgress ? opts.progressMs ?? 250 : null,
        },
        { onProgress: (data) => report((data as { epoch: number }).epoch) },
      ),
    ),
  ).catch((err: unknown) => {
    Atomics.store(control, CONTROL.stop, 1);
    throw err;
  });
  timings.layout = performance.now() - t1;
  let result: Float32Array = outputBuffer(state, params.epochs).slice();
  if (refine > 0) {
    const t2 = performance.now();
    // The rows' order and affinities on a worker: at 200,000 points a quadtree and every edge.
    const rows = await pool.run(0, { kind: 'tsneRows', graph, perplexity: graph.k / 3, positions: result });
    const tsne = createTsneState(rows, result, {}, true);
    const tsneControl = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SIZE));
    const tsneParties = Math.max(1, Math.min(pool.size, tsne.bounds.length - 1));
    const input = result;
    const [refined] = await Promise.all(
      Array.from({ length: tsneParties }, (_, t) =>
        pool.run(
          t,
          { kind: 'tsne', graph, positions: input, state: tsne, steps: refine, control: tsneControl, parties: tsneParties, reporter: t === 0, progressMs: t === 0 && opts.onProgress ? opts.progressMs ?? 250 : null },
          {
            onProgress: (data) => {
              const { step, positions } = data as TsneProgress;
              opts.onProgress?.(positions, params.epochs + step, total, stepsPhase(step));
            },
          },
        ),
      ),
    ).catch((err: unknown) => {
      Atomics.store(tsneControl, CONTROL.stop, 1);
      throw err;
    });
    if (!refined) throw new Error('the t-SNE steps stopped before their end');
    result = refined.positions;
    timings.refine = performance.now() - t2;
    timings.refineKept = refined.kept ? 1 : 0;
  }
  opts.onProgress?.(result.slice(), total, total, refine > 0 ? stepsPhase(refine) : epochsPhase(params.epochs));
  return result;
}

/**
 * Places points that were added after a layout (e.g. newly imported images) at the
 * similarity-weighted mean of their already-laid-out neighbours, without re-running the
 * layout. `neighbours` is their k-NN graph against the laid-out points (KnnIndex.search);
 * rows with no neighbour land at the centroid of `positions`.
 */
export function placeByNeighbours(neighbours: KnnGraph, positions: Float32Array): Float32Array {
  const { n, k, indices, distances } = neighbours;
  const out = new Float32Array(n * 2);
  const count = positions.length / 2;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < count; i++) {
    cx += positions[2 * i] / count;
    cy += positions[2 * i + 1] / count;
  }
  for (let i = 0; i < n; i++) {
    let nearest = Infinity;
    for (let c = 0; c < k; c++) if (indices[i * k + c] >= 0) nearest = Math.min(nearest, distances[i * k + c]);
    let sw = 0;
    let x = 0;
    let y = 0;
    for (let c = 0; c < k; c++) {
      const j = indices[i * k + c];
      if (j < 0 || j >= count) continue;
      // same shape as the fuzzy membership: 1 for the nearest, decaying with the extra distance
      const w = Math.exp(-(distances[i * k + c] - nearest) / Math.max(1e-6, nearest * 0.5 + 1e-3));
      sw += w;
      x += w * positions[2 * j];
      y += w * positions[2 * j + 1];
    }
    out[2 * i] = sw > 0 ? x / sw : cx;
    out[2 * i + 1] = sw > 0 ? y / sw : cy;
  }
  return out;
}

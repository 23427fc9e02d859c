// The whole map: PCA → k-NN graph → 2-D layout, on one pool of worker threads. The first
// two principal coordinates are reported through onProgress as soon as the PCA is done
// (epoch 0), then the SGD's intermediate layouts, then the final one.
//
// Deterministic: the same vectors, options and seed give a bit-identical map. The thread
// count changes only the number of HNSW shards (knnShards defaults to threads), hence the
// graph; with knnShards fixed the map is identical for any thread count (PCA partial sums
// and SGD chunks do not depend on it).
import type { KnnGraph } from '../../../src-shared/model/knn';
import { defaultThreads, runKnn, runPca, splitEven, toShared, type KnnOptions, type PcaStage } from './knn';
import { nextTurn } from '../jobs/next-turn';
import { defaultEpochs, layoutSteps, runLayout, scaleInit, type LayoutOptions, type LayoutPhase } from './layout';
import { MapPool } from './pool';
import { pickLayoutSample } from './engine/sample-layout';

/** Above this many points the default map lays out a sample and places the rest (see layoutSample). */
export const LAYOUT_SAMPLE_ABOVE = 300_000;
/** Points laid out by default above LAYOUT_SAMPLE_ABOVE. */
export const DEFAULT_LAYOUT_SAMPLE = 200_000;
/** Neighbours per point in the map's k-NN graph (the scores and the aligned stage's candidates use the same graph). */
export const DEFAULT_MAP_K = 15;
/**
 * A sampled layout refreshes the whole picture at most this often, and never sooner than twice
 * what the last refresh cost after it ended: placing the rest takes 1.5 s at a million points,
 * on a thread that shares the cores with the SGD's, and back-to-back pictures took one of the
 * two cores from it (the layout took 43 s instead of 19; bench/scale-1m.ts).
 */
const SAMPLED_PROGRESS_MS = 1000;

export interface MapOptions extends Omit<KnnOptions, 'timings'>, LayoutOptions {
  /** Neighbours per point. Default 15. */
  k?: number;
  /**
   * Lay out at most this many points (a uniform seeded sample) and place every other one at
   * the weighted mean of its nearest laid-out neighbours in the full k-NN graph. 0 = lay out
   * every point. Default: DEFAULT_LAYOUT_SAMPLE when there are more than LAYOUT_SAMPLE_ABOVE
   * points, else all. The returned graph is always the full one.
   */
  layoutSample?: number;
}

/** How many points the layout itself handles for n points and the layoutSample option. */
export function layoutSampleSize(n: number, layoutSample: number | undefined): number {
  if (layoutSample === 0) return n;
  if (layoutSample === undefined) return n > LAYOUT_SAMPLE_ABOVE ? DEFAULT_LAYOUT_SAMPLE : n;
  return Math.min(n, layoutSample);
}

export interface MapResult {
  /** n×2, x then y per point. */
  positions: Float32Array;
  graph: KnnGraph;
  /** Points laid out by the SGD (n unless a sample was laid out and the rest placed). */
  laidOut: number;
  /**
   * Wall milliseconds per step: pca (pcaCovariance, pcaEigen, pcaProject), knn, rerank (if
   * on), fuzzy, layout (the SGD), refine (the t-SNE steps; refineKept 1 when their layout was
   * kept, 0 when the SGD's was), total; and CPU milliseconds of the whole process (all
   * threads) for the same steps as pcaCpu, knnCpu, layoutCpu (fuzzy + SGD + t-SNE steps), totalCpu. On a
   * shared machine the CPU times are the steadier measure of work. A sampled layout adds
   * sampleGraph (the sample's own graph) and place (the final placement of the rest).
   */
  timings: Record<string, number>;
}

/** Computes a 2-D map of `vectors` (n×dim, rows L2-normalised). Rejects with WorkerAbortedError on abort. */
export async function computeMap(vectors: Float32Array, dim: number, opts: MapOptions = {}): Promise<MapResult> {
  const t0 = performance.now();
  const c0 = cpuMs();
  const n = vectors.length / dim;
  if (!Number.isInteger(n)) throw new Error(`vectors length ${vectors.length} is not a multiple of dim ${dim}`);
  const timings: Record<string, number> = {};
  const k = opts.k ?? DEFAULT_MAP_K;
  if (n === 0) return { positions: new Float32Array(0), graph: { n: 0, k, indices: new Int32Array(0), distances: new Float32Array(0) }, timings: { total: 0 }, laidOut: 0 };
  const pool = new MapPool(opts.threads ?? defaultThreads(), opts.signal);
  try {
    const x = toShared(vectors);
    const m = layoutSampleSize(n, opts.layoutSample);
    const epochs = opts.epochs ?? defaultEpochs(m);
    // Epoch 0 is the PCA preview, drawn while the k-NN graph is built.
    const onPreview = (pca2: Float32Array) => { opts.onPreview?.(pca2); opts.onProgress?.(scaleInit(pca2, opts.seed ?? 42), 0, layoutSteps(m, { ...opts, epochs })); };
    const pca = await runPca(pool, x, dim, { ...opts, onPreview }, timings);
    const c1 = cpuMs();
    timings.pcaCpu = c1 - c0;
    const graph = await runKnn(pool, x, dim, pca, k, opts, timings);
    await nextTurn();
    const c2 = cpuMs();
    timings.knnCpu = c2 - c1;
    const positions = n < 3
      ? scaleInit(pca.pca2, opts.seed ?? 42)
      : m < n
        ? await sampledLayout(pool, graph, pca, m, { ...opts, epochs }, timings)
        : await runLayout(pool, graph, pca.pca2, { ...opts, epochs }, timings);
    const c3 = cpuMs();
    timings.layoutCpu = c3 - c2;
    timings.totalCpu = c3 - c0;
    timings.total = performance.now() - t0;
    return { positions, graph, timings, laidOut: n < 3 ? n : m };
  } finally {
    await pool.close();
  }
}

/**
 * Lays out `m` sampled rows on their own graph (derived from the full one) and places the
 * rest; progress reports carry every point, the unsampled ones placed among the current
 * sample positions. The placing (1.5 s of one thread at a million points) runs on a worker of
 * its own beside the SGD's, so the core's thread only forwards the pictures (it held that
 * thread for the whole placing of each; bench/scale-1m.ts, longest event-loop stall).
 */
async function sampledLayout(pool: MapPool, graph: KnnGraph, pca: PcaStage, m: number, opts: MapOptions, timings: Record<string, number>): Promise<Float32Array> {
  const seed = opts.seed ?? 42;
  const t0 = performance.now();
  const sample = pickLayoutSample(graph.n, m, seed);
  // The full graph in shared memory, once, for the sample graph's workers and the placer.
  const shared: KnnGraph = { n: graph.n, k: graph.k, indices: toShared(graph.indices), distances: toShared(graph.distances) };
  const sub = await sampleGraphOnPool(pool, shared, sample, pca);
  const init = new Float32Array(m * 2);
  for (let r = 0; r < m; r++) {
    init[2 * r] = pca.pca2[2 * sample[r]!]!;
    init[2 * r + 1] = pca.pca2[2 * sample[r]! + 1]!;
  }
  timings.sampleGraph = performance.now() - t0;
  const placer = new MapPool(1, opts.signal);
  try {
    const placeAll = (part: Float32Array) => placer.run(0, { kind: 'placeAll', graph: shared, sample, part, seed }, { transfer: [part.buffer as ArrayBuffer] });
    const onProgress = opts.onProgress;
    // One picture at a time; the next no sooner than twice the last one's cost after it.
    let readyAt = -Infinity;
    let placing = false;
    let lastPhase: LayoutPhase | undefined;
    const part = await runLayout(pool, sub, init, {
      ...opts,
      progressMs: Math.max(opts.progressMs ?? 250, SAMPLED_PROGRESS_MS),
      // The final positions are placed once, below; intermediate ones are placed for the picture.
      onProgress: onProgress && ((p, epoch, total, phase) => {
        lastPhase = phase;
        const start = performance.now();
        if (epoch >= total || placing || start < readyAt) return;
        placing = true;
        placeAll(p).then((all) => {
          placing = false;
          const end = performance.now();
          readyAt = end + Math.max(SAMPLED_PROGRESS_MS - (end - start), 2 * (end - start));
          onProgress(all, epoch, total, phase);
        }, () => { /* a failed placer fails the final placing below too */ });
      }),
    }, timings);
    const t1 = performance.now();
    const positions = await placeAll(part);
    timings.place = performance.now() - t1;
    const total = layoutSteps(m, opts);
    onProgress?.(positions.slice(), total, total, lastPhase);
    return positions;
  } finally {
    await placer.close();
  }
}

/** User + system CPU time of the process (all threads), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The layout sample's own graph (sample-layout.ts sampleGraph), its rows split over the pool:
 * 2.4 s of one thread at a million points that held the core's, which now only waits.
 * `shared`: the full graph, already in shared memory (sampledLayout), read in place by the workers.
 */
async function sampleGraphOnPool(pool: MapPool, shared: KnnGraph, sample: Int32Array, pca: PcaStage): Promise<KnnGraph> {
  const m = sample.length, k = shared.k;
  const neighbours = { n: shared.n, k, indices: shared.indices };
  const parts = await Promise.all(splitEven(m, pool.size).map(([start, end], w) =>
    pool.run(w, { kind: 'sampleGraph', graph: neighbours, sample, y: toShared(pca.y), dim: pca.yDim, space: pca.model ? 'l2' : 'ip', k, start, end })));
  const indices = new Int32Array(m * k), distances = new Float32Array(m * k);
  let at = 0;
  for (const p of parts) {
    indices.set(p.indices, at);
    distances.set(p.distances, at);
    at += p.indices.length;
  }
  return { n: m, k, indices, distances };
}

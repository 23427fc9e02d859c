// The whole map: PCA → k-NN graph → 2-D layout, on one pool of worker threads. The first
// two principal coordinates are reported through onProgress as soon as the PCA is done
// (epoch 0), then the SGD's intermediate layouts, then the final one.
//
// Deterministic: the same vectors, options and seed give a bit-identical map. The thread
// count changes only the number of HNSW shards (knnShards defaults to threads), hence the
// graph; with knnShards fixed the map is identical for any thread count (PCA partial sums
// and SGD chunks do not depend on it).
import type { KnnGraph } from '../../../src-shared/model/knn';
import { defaultThreads, runKnn, runPca, toShared, type KnnOptions } from './knn';
import { defaultEpochs, runLayout, scaleInit, type LayoutOptions } from './layout';
import { MapPool } from './pool';

export interface MapOptions extends Omit<KnnOptions, 'timings'>, LayoutOptions {
  /** Neighbours per point. Default 15. */
  k?: number;
}

export interface MapResult {
  /** n×2, x then y per point. */
  positions: Float32Array;
  graph: KnnGraph;
  /**
   * Wall milliseconds per step: pca (pcaCovariance, pcaEigen, pcaProject), knn, rerank (if
   * on), fuzzy, layout (the SGD), total; and CPU milliseconds of the whole process (all
   * threads) for the same steps as pcaCpu, knnCpu, layoutCpu (fuzzy + SGD), totalCpu. On a
   * shared machine the CPU times are the steadier measure of work.
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
  const k = opts.k ?? 15;
  if (n === 0) return { positions: new Float32Array(0), graph: { n: 0, k, indices: new Int32Array(0), distances: new Float32Array(0) }, timings: { total: 0 } };
  const pool = new MapPool(opts.threads ?? defaultThreads(), opts.signal);
  try {
    const x = toShared(vectors);
    const pca = await runPca(pool, x, dim, opts, timings);
    const c1 = cpuMs();
    timings.pcaCpu = c1 - c0;
    const epochs = opts.epochs ?? defaultEpochs(n);
    opts.onProgress?.(scaleInit(pca.pca2, opts.seed ?? 42), 0, epochs);
    const graph = await runKnn(pool, x, dim, pca, k, opts, timings);
    const c2 = cpuMs();
    timings.knnCpu = c2 - c1;
    const positions = n < 3 ? scaleInit(pca.pca2, opts.seed ?? 42) : await runLayout(pool, graph, pca.pca2, { ...opts, epochs }, timings);
    const c3 = cpuMs();
    timings.layoutCpu = c3 - c2;
    timings.totalCpu = c3 - c0;
    timings.total = performance.now() - t0;
    return { positions, graph, timings };
  } finally {
    await pool.close();
  }
}

/** User + system CPU time of the process (all threads), in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

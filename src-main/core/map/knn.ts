// k-NN graph over L2-normalised vectors: optional PCA (covariance and projection split over
// the worker threads), then one HNSW shard per thread built in parallel, every point
// queried against every shard, and the per-shard lists merged. Optionally the candidates are
// re-scored exactly in the original space.
import { availableParallelism } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnnGraph } from '../../../src-shared/model/knn';
import { DEFAULT_HNSW, type HnswParams, type Space } from './engine/hnsw';
import { toCosine } from './knn-index';
import { sampleRows, sumRows, type PcaModel } from './engine/pca';
import { MapPool } from './pool';
import type { KnnShardProgress } from './tasks';
import { nextTurn } from '../jobs/next-turn';

export interface KnnOptions {
  /** Worker threads. Default: cores, at most 8. */
  threads?: number;
  /**
   * HNSW shards, built in parallel (default: threads). The graph depends on the shard count
   * and on nothing else that varies with threads, so fixing it gives the same graph (and
   * map) with any number of threads.
   */
  knnShards?: number;
  /** Dimensions kept by PCA when the input has more than `pcaAbove`; 0 disables PCA. Default 50. */
  pcaDim?: number;
  /** Default 64. */
  pcaAbove?: number;
  /**
   * Rows the covariance is estimated from (spread evenly). Default 10,000: on MNIST the
   * PCA-50 fitted on 10k rows captures 0.8095 of the variance of all 70k rows, on 20k rows
   * 0.8102, for 60 % of the covariance time.
   */
  pcaRows?: number;
  hnsw?: Partial<HnswParams>;
  /**
   * Re-score this many PCA-space candidates per point with exact cosine distances in the
   * original space (0 = off; then distances are the PCA-space estimate |Δ|²/2). Default 0.
   */
  rerank?: number;
  /** Keep the index (PCA + HNSW shards) in this file, for `loadIndex`. */
  indexPath?: string;
  signal?: AbortSignal;
  /** Filled with the milliseconds each step took. */
  timings?: Record<string, number>;
  /** The graph's share done (0–1) as the shards insert and query their rows (a minute and more at a million points). */
  onGraphProgress?: (share: number) => void;
  /**
   * Called with every row's first two principal coordinates (n×2) as soon as they are known,
   * before the rest of the projection when the PCA reduces: at a million 544-d vectors (the
   * built-in model's) projecting every row to 50 dimensions took 10 s, and the map's first
   * picture waited for it (bench/scale-1m.ts --dim 544).
   */
  onPreview?: (pca2: Float32Array) => void;
}

const COV_PARTS = 8;
/**
 * An insert costs about this many queries (HNSW searches with efConstruction where a query uses
 * ef: 64 vs 30 by default), so the progress share follows the time rather than the row count.
 */
const INSERT_COST = 2;

export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Builds the k-NN graph of `vectors` (n×dim, rows L2-normalised) on worker threads. */
export async function buildKnnGraph(vectors: Float32Array, dim: number, k: number, opts: KnnOptions = {}): Promise<KnnGraph> {
  if (vectors.length === 0) return { n: 0, k, indices: new Int32Array(0), distances: new Float32Array(0) };
  const pool = new MapPool(opts.threads ?? defaultThreads(), opts.signal);
  try {
    const x = toShared(vectors);
    const pca = await runPca(pool, x, dim, opts, opts.timings ?? {});
    return await runKnn(pool, x, dim, pca, k, opts, opts.timings ?? {});
  } finally {
    await pool.close();
  }
}

export interface PcaStage {
  /** null when the input was used as it is. */
  model: PcaModel | null;
  /** The vectors the index is built on (projected, or the input), shared. */
  y: Float32Array;
  yDim: number;
  /** First two principal coordinates of every point (n×2). */
  pca2: Float32Array;
}

/** Copies into shared memory unless the array already lives there. */
export function toShared<T extends Float32Array | Int32Array | Float64Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = new (a.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

export async function runPca(pool: MapPool, x: Float32Array, dim: number, opts: KnnOptions, timings: Record<string, number>): Promise<PcaStage> {
  const t0 = performance.now();
  const n = x.length / dim;
  const pcaDim = opts.pcaDim ?? 50;
  const reduce = pcaDim > 0 && dim > (opts.pcaAbove ?? 64) && pcaDim < dim;
  const outDim = Math.min(dim, reduce ? Math.max(2, pcaDim) : 2);
  const rows = sampleRows(n, opts.pcaRows ?? 10000);
  const mean = sumRows(x, dim, rows);
  for (let j = 0; j < dim; j++) mean[j] /= rows.length;
  // a fixed number of partial sums, added in a fixed order: the same result for any thread count
  const parts = splitEven(rows.length, COV_PARTS);
  const partials = await Promise.all(
    parts.map(([a, b], p) => pool.run(p % pool.size, { kind: 'pcaCov', x, dim, rows: rows.slice(a, b), mean })),
  );
  const cov = partials[0];
  for (let p = 1; p < partials.length; p++) for (let i = 0; i < cov.length; i++) cov[i] += partials[p][i];
  const tCov = performance.now();
  const model = await pool.run(0, { kind: 'pcaEigen', cov, dim, count: rows.length, mean, outDim }, { transfer: [cov.buffer as ArrayBuffer] });
  const tEig = performance.now();
  const ranges = splitEven(n, pool.size);
  if (reduce && opts.onPreview) {
    // The two leading axes alone: 2/outDim of the projection's cost.
    const head: PcaModel = { ...model, outDim: 2, components: model.components.slice(0, 2 * dim), variances: model.variances.slice(0, 2) };
    const preview = new Float32Array(new SharedArrayBuffer(n * 2 * 4));
    await Promise.all(ranges.map(([a, b], w) => pool.run(w, { kind: 'pcaProject', x, model: head, start: a, end: b, out: preview.subarray(a * 2, b * 2) })));
    opts.onPreview(preview);
  }
  const proj = new Float32Array(new SharedArrayBuffer(n * outDim * 4));
  await Promise.all(
    ranges.map(([a, b], w) => pool.run(w, { kind: 'pcaProject', x, model, start: a, end: b, out: proj.subarray(a * outDim, b * outDim) })),
  );
  const pca2 = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    pca2[2 * i] = proj[i * outDim];
    pca2[2 * i + 1] = outDim > 1 ? proj[i * outDim + 1] : 0;
  }
  if (!reduce) opts.onPreview?.(pca2);
  const t1 = performance.now();
  timings.pcaCovariance = tCov - t0;
  timings.pcaEigen = tEig - tCov;
  timings.pcaProject = t1 - tEig;
  timings.pca = t1 - t0;
  return reduce ? { model, y: proj, yDim: outDim, pca2 } : { model: null, y: x, yDim: dim, pca2 };
}

export async function runKnn(
  pool: MapPool,
  x: Float32Array,
  dim: number,
  pca: PcaStage,
  k: number,
  opts: KnnOptions,
  timings: Record<string, number>,
): Promise<KnnGraph> {
  const t0 = performance.now();
  const n = x.length / dim;
  const params: HnswParams = { ...DEFAULT_HNSW, ...opts.hnsw };
  const space: Space = pca.model ? 'l2' : 'ip';
  const kk = Math.min(n - 1, k);
  const rerank = pca.model && opts.rerank ? Math.max(kk, Math.min(n - 1, opts.rerank)) : 0;
  const kq = rerank || kk;
  if (kq < 1) return { n, k, indices: new Int32Array(n * k).fill(-1), distances: new Float32Array(n * k).fill(Infinity) };
  const shards = splitEven(n, Math.min(opts.knnShards ?? pool.size, Math.max(1, Math.floor(n / 64))));
  const dir = opts.indexPath ? mkdtempSync(join(tmpdir(), 'winnow-knn-')) : null;
  const work = shards.reduce((sum, [a, b]) => sum + INSERT_COST * (b - a) + n, 0);
  const doneBy = new Float64Array(shards.length);
  const report = opts.onGraphProgress;
  const onShard = (w: number) => report && ((data: unknown) => {
    const p = data as KnnShardProgress;
    doneBy[w] = INSERT_COST * p.added + p.queried;
    report(doneBy.reduce((a, b) => a + b, 0) / work);
  });
  try {
    const lists = await Promise.all(
      shards.map(([a, b], w) =>
        pool.run(w % pool.size, {
          kind: 'knnShard',
          y: pca.y,
          dim: pca.yDim,
          space,
          start: a,
          end: b,
          k: kq,
          params: { ...params, ef: Math.max(params.ef, kq + 1) },
          saveTo: dir ? join(dir, `shard${w}.bin`) : undefined,
        }, { onProgress: onShard(w) }),
      ),
    );
    // Merging the shards' lists and packing the index file are a second each at a million
    // points: on the workers, side by side, so the core's thread answers the renderer meanwhile.
    const t1 = performance.now();
    const [merged] = await Promise.all([
      lists.length === 1
        ? lists[0]!
        : pool.run(0, { kind: 'merge', lists, n, k: kq }, { transfer: lists.flatMap((l) => [l.indices.buffer as ArrayBuffer, l.distances.buffer as ArrayBuffer]) }),
      dir && opts.indexPath
        ? pool.run(1, { kind: 'packIndex', path: opts.indexPath, dim, space, pca: pca.model, params, files: shards.map((_, w) => join(dir, `shard${w}.bin`)) })
            .then(() => { timings.knnSave = performance.now() - t1; })
        : null,
    ]);
    timings.knn = t1 - t0;
    await nextTurn();
    if (!rerank) {
      toCosine(merged.distances, space);
      return pad({ n, k: kq, indices: merged.indices, distances: merged.distances }, k);
    }
    const t2 = performance.now();
    const cand = new Int32Array(new SharedArrayBuffer(n * kq * 4));
    cand.set(merged.indices);
    const outIdx = new Int32Array(new SharedArrayBuffer(n * kk * 4));
    const outDist = new Float32Array(new SharedArrayBuffer(n * kk * 4));
    await Promise.all(
      splitEven(n, pool.size).map(([a, b], w) =>
        pool.run(w, { kind: 'rerank', x, dim, candidates: cand, kc: kq, k: kk, start: a, end: b, outIdx, outDist }),
      ),
    );
    timings.rerank = performance.now() - t2;
    return pad({ n, k: kk, indices: outIdx.slice(), distances: outDist.slice() }, k);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Widens a graph with fewer than k columns (tiny inputs) with -1 entries. */
function pad(g: KnnGraph, k: number): KnnGraph {
  if (g.k === k) return g;
  const indices = new Int32Array(g.n * k).fill(-1);
  const distances = new Float32Array(g.n * k).fill(Infinity);
  for (let i = 0; i < g.n; i++) {
    indices.set(g.indices.subarray(i * g.k, i * g.k + g.k), i * k);
    distances.set(g.distances.subarray(i * g.k, i * g.k + g.k), i * k);
  }
  return { n: g.n, k, indices, distances };
}

/** [start, end) pairs splitting n items into `parts` near-equal contiguous ranges. */
export function splitEven(n: number, parts: number): [number, number][] {
  const p = Math.max(1, Math.min(parts, n || 1));
  return Array.from({ length: p }, (_, i) => [Math.floor((i * n) / p), Math.floor(((i + 1) * n) / p)]);
}

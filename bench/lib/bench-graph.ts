// The k-NN graph the curation benches score on: HNSW (M 16, efConstruction 100, ef 64) over
// unit rows by inner product, self excluded, cached as a file when a path is given (building it
// for 70,000 rows takes minutes on 2 cores).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import hnswlib from 'hnswlib-node';
import { fileURLToPath } from 'node:url';
import type { KnnGraph } from '../../src-shared/model/knn';
import type { DatasetName } from '../../src-main/testing/curation/datasets';

const DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));

/** Neighbours the label-noise benches keep per row (they score on the first 15). */
export const SCORING_QUERY_K = 30;

/** The label-noise benches' graph of a set's 70,000 vectors (the fast or the accurate model's), cached in bench/.data; logs its build time when it was built. */
export function scoringGraph(name: DatasetName, vectors: Float32Array, dim: number, accurate: boolean, log: (s: string) => void): KnnGraph {
  const { graph, buildMs } = benchGraph(vectors, dim, SCORING_QUERY_K, `${DATA_DIR}${name}${accurate ? '-accurate' : ''}-graph-${SCORING_QUERY_K}.bin`);
  if (!Number.isNaN(buildMs)) log(`${name}: graph built in ${(buildMs / 1000).toFixed(0)} s`);
  return graph;
}

export function benchGraph(v: Float32Array, dim: number, k: number, cacheFile?: string): { graph: KnnGraph; buildMs: number } {
  const n = v.length / dim;
  if (cacheFile && existsSync(cacheFile)) {
    const b = readFileSync(cacheFile);
    const indices = new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + n * k * 4));
    const distances = new Float32Array(b.buffer.slice(b.byteOffset + n * k * 4, b.byteOffset + n * k * 8));
    return { graph: { n, k, indices, distances }, buildMs: NaN };
  }
  const t0 = performance.now();
  const index = new hnswlib.HierarchicalNSW('ip', dim);
  index.initIndex(n, 16, 100, 100);
  for (let i = 0; i < n; i++) index.addPoint(Array.from(v.subarray(i * dim, i * dim + dim)), i);
  index.setEf(64);
  const indices = new Int32Array(n * k).fill(-1);
  const distances = new Float32Array(n * k).fill(2);
  for (let i = 0; i < n; i++) {
    const res = index.searchKnn(Array.from(v.subarray(i * dim, i * dim + dim)), k + 1);
    const order = res.neighbors.map((_, t) => t).sort((a, b) => res.distances[a] - res.distances[b]);
    let t = 0;
    for (const o of order) {
      if (res.neighbors[o] === i || t >= k) continue;
      indices[i * k + t] = res.neighbors[o];
      distances[i * k + t] = Math.max(0, res.distances[o]);
      t++;
    }
  }
  const buildMs = performance.now() - t0;
  if (cacheFile) writeFileSync(cacheFile, Buffer.concat([Buffer.from(indices.buffer), Buffer.from(distances.buffer)]));
  return { graph: { n, k, indices, distances }, buildMs };
}

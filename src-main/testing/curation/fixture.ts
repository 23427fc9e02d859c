// A small real dataset for the curate tests: the first 3,000 MNIST training digits (pixels
// L2-normalised, PCA to 64-d, re-normalised) with an exact 15-NN graph, plus 2,000 test digits
// for 1-NN evaluation on raw pixels. Built once per test process.
import type { KnnGraph } from '../../../src-shared/model/knn';
import { applyPca, fitRandomizedPca } from '../../core/curate/engine/pca';
import { bruteKnn } from './brute-knn';
import { l2NormalizeRows, loadMnist, normalizedPixels } from './mnist';

export interface Fixture {
  n: number;
  dim: number;
  vectors: Float32Array;
  graph: KnnGraph;
  labels: Int32Array;
  classNames: string[];
  pixels: Uint8Array;
  /** L2-normalised raw pixels of the pool and of the test digits. */
  poolPixels: Float32Array;
  testPixels: Float32Array;
  testLabels: Int32Array;
}

let cached: Fixture | undefined;

export function mnistFixture(): Fixture {
  if (cached) return cached;
  const train = loadMnist('train', 3000);
  const test = loadMnist('test', 2000);
  const poolPixels = normalizedPixels(train.pixels);
  const dim = 64;
  const vectors = l2NormalizeRows(applyPca(poolPixels, fitRandomizedPca(poolPixels, 784, dim, { seed: 1 })), dim);
  cached = {
    n: train.n,
    dim,
    vectors,
    graph: bruteKnn(vectors, dim, 15),
    labels: train.labels,
    classNames: Array.from({ length: 10 }, (_, c) => String(c)),
    pixels: train.pixels,
    poolPixels,
    testPixels: normalizedPixels(test.pixels),
    testLabels: test.labels,
  };
  return cached;
}

/** The fixture as a CurateInput (labels optional). */
export function fixtureInput(withLabels = true) {
  const f = mnistFixture();
  return {
    vectors: f.vectors,
    dim: f.dim,
    graph: f.graph,
    labels: withLabels ? f.labels : undefined,
    classNames: f.classNames,
  };
}

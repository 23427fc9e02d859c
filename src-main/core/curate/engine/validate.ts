// Shape checks at the engine's edge, so a bad array fails with a typed error instead of
// producing NaNs (or reading out of bounds) deep inside a scoring loop.
import type { KnnGraph } from '../../../../src-shared/model/knn';
import { CurateError } from './errors';
import type { CurateInput, ScoreInput } from './types';
import { vectorRowCount } from './vector-rows';

export function validateGraph(graph: KnnGraph, n?: number): void {
  const { k } = graph;
  if (!Number.isInteger(graph.n) || graph.n < 0 || !Number.isInteger(k) || k < 1) {
    throw new CurateError('INVALID_INPUT', `Graph has invalid n=${graph.n} or k=${k}.`);
  }
  if (n !== undefined && graph.n !== n) {
    throw new CurateError('INVALID_INPUT', `Graph has ${graph.n} rows but the dataset has ${n} samples.`);
  }
  if (graph.indices.length !== graph.n * k || graph.distances.length !== graph.n * k) {
    throw new CurateError('INVALID_INPUT', `Graph arrays must hold n*k = ${graph.n * k} entries.`);
  }
  const { indices } = graph;
  for (let t = 0; t < indices.length; t++) {
    const j = indices[t];
    if (j < -1 || j >= graph.n) {
      throw new CurateError('INVALID_INPUT', `Graph row ${Math.floor(t / k)} points at ${j}, outside 0..${graph.n - 1}.`);
    }
  }
}

export function validateLabels(labels: Int32Array, n: number, numClasses: number): void {
  if (labels.length !== n) throw new CurateError('INVALID_INPUT', `labels has ${labels.length} entries for ${n} samples.`);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y < -1 || y >= numClasses) {
      throw new CurateError('INVALID_INPUT', `Sample ${i} has label ${y}, outside -1..${numClasses - 1}.`);
    }
  }
}

/** Number of classes: classNames.length if given, else 1 + the largest label. */
export function classCount(input: Pick<CurateInput, 'labels' | 'classNames'>): number {
  if (input.classNames) return input.classNames.length;
  let max = -1;
  if (input.labels) for (const y of input.labels) if (y > max) max = y;
  return max + 1;
}

export function hasLabels(labels: Int32Array | undefined): labels is Int32Array {
  if (!labels) return false;
  for (const y of labels) if (y >= 0) return true;
  return false;
}

/** The number of samples; without vectors (let go, ScoreInput), the graph's rows. */
export function validateInput(input: ScoreInput): number {
  const { dim, vectors } = input;
  if (!Number.isInteger(dim) || dim < 1) throw new CurateError('INVALID_INPUT', `dim must be a positive integer, got ${dim}.`);
  if (vectors instanceof Float32Array && vectors.length % dim !== 0) {
    throw new CurateError('INVALID_INPUT', `vectors has ${vectors.length} floats, not a multiple of dim=${dim}.`);
  }
  const n = vectors ? vectorRowCount(vectors, dim) : input.graph.n;
  validateGraph(input.graph, n);
  if (input.labels) validateLabels(input.labels, n, classCount(input));
  if (input.hashes && input.hashes.length !== n) {
    throw new CurateError('INVALID_INPUT', `hashes has ${input.hashes.length} entries for ${n} samples.`);
  }
  for (const [name, col] of Object.entries(input.metadata ?? {})) {
    const len = col.kind === 'categorical' ? col.codes.length : col.values.length;
    if (len !== n) throw new CurateError('INVALID_INPUT', `Metadata field "${name}" has ${len} entries for ${n} samples.`);
  }
  for (const key of ['signatures', 'tiles'] as const) {
    const per = input[key];
    if (per && per.length !== n) throw new CurateError('INVALID_INPUT', `${key} has ${per.length} entries for ${n} samples.`);
  }
  if (input.space && input.space.data.length !== n * input.space.dim) {
    throw new CurateError('INVALID_INPUT', `space must hold n*dim = ${n * input.space.dim} floats.`);
  }
  return n;
}

// Feature grouping for balance: a metadata field, or k-means clusters of the embedding when
// the dataset has no metadata worth balancing over.
import { CurateError } from './errors';
import { featureBalance, metadataGrouping, type Grouping } from './balance';
import { kmeans } from './kmeans';
import { projectForClustering } from './pca';
import { classCount, validateInput } from './validate';
import type { CurateInput, FeatureBalance, FeatureSource } from './types';
import { allVectors, vectorRowCount } from './vector-rows';

export function featureGrouping(input: CurateInput, source: FeatureSource, seed = 0): Grouping {
  if ('field' in source) return metadataGrouping(input, source.field);
  const n = vectorRowCount(input.vectors, input.dim);
  const k = source.clusters;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new CurateError('INVALID_REQUEST', `clusters must be an integer in 1..${n}, got ${k}.`);
  }
  const space = input.space ?? projectForClustering(allVectors(input.vectors), input.dim, { seed });
  const km = kmeans(space.data, space.dim, k, undefined, { seed });
  return { codes: km.assign, names: Array.from({ length: km.k }, (_, c) => `cluster ${c}`) };
}

/** Balance of a metadata field or of embedding clusters, cross-tabulated with the labels. */
export function computeFeatureBalance(input: CurateInput, source: FeatureSource, seed = 0): FeatureBalance {
  validateInput(input);
  const g = featureGrouping(input, source, seed);
  return featureBalance(g, input.labels, input.labels ? classCount(input) : 0);
}

// The two 28×28 grey validation sets by name, so tests and benches can run on either.
import { loadFashion, FASHION_CLASSES } from './fashion';
import { loadMnist, type Digits } from './mnist';

export type DatasetName = 'mnist' | 'fashion';
export const DATASETS: readonly DatasetName[] = ['mnist', 'fashion'];
export const DATASET_TITLE: Record<DatasetName, string> = { mnist: 'MNIST', fashion: 'Fashion-MNIST' };

export function loadDataset(name: DatasetName, split: 'train' | 'test', limit?: number): Digits {
  return name === 'mnist' ? loadMnist(split, limit) : loadFashion(split, limit);
}

/** The labels of all 70,000 images, training then test (the benches' row order). */
export function allLabels(name: DatasetName): Int32Array {
  const train = loadDataset(name, 'train').labels, test = loadDataset(name, 'test').labels;
  const labels = new Int32Array(train.length + test.length);
  labels.set(train, 0);
  labels.set(test, train.length);
  return labels;
}

export function classNamesOf(name: DatasetName): string[] {
  return name === 'mnist' ? Array.from({ length: 10 }, (_, c) => String(c)) : [...FASHION_CLASSES];
}

// The two 28×28 grey validation sets by name, so tests and benches can run on either.
import { loadFashion, FASHION_CLASSES } from './fashion';
import { loadMnist, type Digits } from './mnist';

export type DatasetName = 'mnist' | 'fashion';
export const DATASETS: readonly DatasetName[] = ['mnist', 'fashion'];
export const DATASET_TITLE: Record<DatasetName, string> = { mnist: 'MNIST', fashion: 'Fashion-MNIST' };

export function loadDataset(name: DatasetName, split: 'train' | 'test', limit?: number): Digits {
  return name === 'mnist' ? loadMnist(split, limit) : loadFashion(split, limit);
}

export function classNamesOf(name: DatasetName): string[] {
  return name === 'mnist' ? Array.from({ length: 10 }, (_, c) => String(c)) : [...FASHION_CLASSES];
}

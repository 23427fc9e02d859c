// Fashion-MNIST from Debian's dataset-fashion-mnist package (gzipped IDX files under
// /usr/share/datasets/fashion-mnist/), for tests and benches only. Same shape as MNIST
// (28×28 grey, 60,000 training + 10,000 test, 10 classes), so it returns the MNIST loader's type.
import { DEMO_SETS, demoSetMissing } from '../../core/import/idx';
import { loadDemo, type Digits } from './mnist';

export const FASHION_DIR = DEMO_SETS['fashion-mnist'].dir();

export const FASHION_CLASSES = DEMO_SETS['fashion-mnist'].classes!;

/** Undefined when all four files are present, else why not (for a skip message). */
export function fashionMissing(): string | undefined {
  return demoSetMissing('fashion-mnist');
}

/** The 60,000 training images or the 10,000 test images; `limit` keeps the first rows. */
export function loadFashion(split: 'train' | 'test', limit?: number): Digits {
  return loadDemo('fashion-mnist', split, limit);
}

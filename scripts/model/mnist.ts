// The validation sets for the model scripts, in the shape they use (count, size), read by the
// one loader of the test fixtures (src-main/testing/curation).
import { fashionMissing, loadFashion } from '../../src-main/testing/curation/fashion';
import { loadMnist as loadDigits, type Digits as Rows } from '../../src-main/testing/curation/mnist';

export interface Digits {
  count: number;
  /** count * 28 * 28 grey bytes */
  pixels: Uint8Array;
  labels: Int32Array;
  size: 28;
}

const shaped = (d: Rows): Digits => ({ count: d.n, pixels: d.pixels, labels: d.labels, size: 28 });

/** The first `count` digits of the 10,000-digit test set (or the 60,000 training set). */
export function loadMnist(set: 'test' | 'train' = 'test', count?: number): Digits {
  return shaped(loadDigits(set, count));
}

/** Debian's dataset-fashion-mnist; null when it is not installed. */
export function loadFashionMnist(set: 'test' | 'train' = 'test', count?: number): Digits | null {
  return fashionMissing() ? null : shaped(loadFashion(set, count));
}

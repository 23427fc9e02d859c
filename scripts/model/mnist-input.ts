// MNIST digits as model input batches, through the same preprocess the app uses.
import { preprocess } from '../../src-main/core/embed/model/preprocess';
import type { ModelSpec } from '../../src-main/core/embed/model/spec';
import type { Digits } from './mnist';

/** Digits [from, from+count) preprocessed for `spec`, back to back. */
export function digitBatch(d: Digits, from: number, count: number, spec: ModelSpec): Float32Array {
  const per = 3 * spec.inputSize.width * spec.inputSize.height;
  const out = new Float32Array(per * count);
  for (let i = 0; i < count; i++) {
    const px = d.pixels.subarray((from + i) * 784, (from + i + 1) * 784);
    out.set(preprocess(px, 28, 28, 1, spec), i * per);
  }
  return out;
}

// Turns a label or score column into the one float per point that the colour attribute holds:
// a category index, or a score mapped to [0, 1]; -1 marks "no colour" (0xFFFF, NaN).
import { NO_CATEGORY } from './constants';

/** Writes categories into `out`; returns one more than the largest category present. */
export function encodeCategories(values: Uint16Array, out: Float32Array): number {
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === NO_CATEGORY) {
      out[i] = -1;
    } else {
      out[i] = v;
      if (v > max) max = v;
    }
  }
  return max + 1;
}

/** Finite minimum and maximum, or [0, 1] when there are no finite values. */
export function scoreDomain(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Writes scores mapped from `domain` to [0, 1] (clamped) into `out`; NaN becomes -1. */
export function encodeScores(values: Float32Array, out: Float32Array, domain: [number, number]): void {
  const [lo, hi] = domain;
  const inv = hi > lo ? 1 / (hi - lo) : 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      out[i] = -1;
      continue;
    }
    // A constant column (hi == lo) sits mid-map rather than at one end.
    const t = inv === 0 ? 0.5 : (v - lo) * inv;
    out[i] = t < 0 ? 0 : t > 1 ? 1 : t;
  }
}

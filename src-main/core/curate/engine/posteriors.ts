// A sample's class probabilities as the label-noise vote keeps them: sparse, at most S classes
// each, so memory is O(n·S) even with thousands of classes.

export interface Posteriors {
  /** At most S classes per sample: cls[i*S+t] (-1 = empty) with probability p[i*S+t], sorted by p. */
  S: number;
  cls: Int32Array;
  p: Float32Array;
  /** Probability of any class not stored for the sample. */
  floor: Float32Array;
}

/** p(c | x) of sample i: its stored entry for c, else the floor. */
export function probabilityOf(post: Posteriors, i: number, c: number): number {
  const { S, cls, p } = post;
  for (let t = 0; t < S; t++) {
    const e = cls[i * S + t];
    if (e === c) return p[i * S + t];
    if (e < 0) break;
  }
  return post.floor[i];
}

// The 'noise-rates' label-noise score: the probability that a sample's label is wrong, given
// how often each given label hides each true class.
//
// Where labels go wrong depends on the class: annotators swap shirts and T-shirts, rarely
// trousers and bags. The confident joint (Northcutt et al. 2021) estimates how often each given
// label y hides each true class c: Q(c | y) = CJ[y][c] / Σ_c CJ[y][c], with CJ[y][c] counting
// the samples labelled y whose most probable class above its threshold t_c is c (one
// pseudo-count per cell). Bayes' rule then turns the posterior p(c | x) into the probability
// that the sample's true class is its label, given that label:
//
//   P(c | x, y) ∝ p(c | x) · Q(c | y) / π(c),   π(c) = the estimated share of true class c
//
// and the score is 1 − P(y | x, y). Under uniform noise this is the self-confidence again;
// under noise between look-alike classes a sample of a class that is rarely mislabelled needs
// much stronger evidence to rank high than one of a class that often is.
//
// What a cell counts. A sample labelled y and predicted c is either a flipped label (a typical
// c, which the classifier trained on the rest calls c as surely as it calls c's own members) or
// a confusion (a y that looks like c, called c barely above t_c). Counted one each, as cleanlab
// counts, the confusions between look-alike classes pose as noise between them, and Bayes' rule
// then pushes every ambiguous sample of those classes up the ranking, under uniform noise too.
// Counted 'typical', each sample weighs the share of class c's own confident members (labelled
// c, predicted c) that are no more confident than it: a flip of a typical c weighs about ½, like
// c's own members, and a confusion just above the threshold about 0. No constant: the weight is
// a rank within the class, so it holds whatever the classifier's calibration.
import type { Posteriors } from './posteriors';

/** How a sample counts in the confident joint: by how typical its confidence is of the class ('typical'), or one each ('one'). */
export type JointCounts = 'typical' | 'one';

export interface NoiseRateOptions {
  /** Power on the factor Q(c | y) / π(c): 1 = Bayes' rule as it stands, 0 = self-confidence. */
  power: number;
  counts: JointCounts;
}

/** Each labelled sample's most probable class among those at or above their threshold (−1: none), and that probability. */
function confidentClasses(post: Posteriors, labels: Int32Array, thresholds: Float32Array): { best: Int32Array; bestP: Float32Array } {
  const { S, cls, p } = post;
  const n = labels.length;
  const best = new Int32Array(n).fill(-1);
  const bestP = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (labels[i] < 0) continue;
    for (let e = 0; e < S; e++) {
      const c = cls[i * S + e];
      if (c < 0) break;
      const pc = p[i * S + e];
      if (pc >= thresholds[c] && (best[i] < 0 || pc > bestP[i])) { bestP[i] = pc; best[i] = c; }
    }
  }
  return { best, bestP };
}

/**
 * The confident joint, C × C (row = given label, column = confident class), with one
 * pseudo-count per cell; 'typical' weighs each sample by the share of its confident class's own
 * members that are no more confident (see the header).
 */
export function confidentJoint(post: Posteriors, labels: Int32Array, thresholds: Float32Array, C: number, counts: JointCounts): Float64Array {
  const { best, bestP } = confidentClasses(post, labels, thresholds);
  const n = labels.length;
  let weight = (_i: number) => 1;
  if (counts === 'typical') {
    const own: number[][] = Array.from({ length: C }, () => []);
    for (let i = 0; i < n; i++) if (best[i] >= 0 && best[i] === labels[i]) own[best[i]].push(bestP[i]);
    const sorted = own.map((v) => Float32Array.from(v).sort());
    weight = (i: number) => {
      const a = sorted[best[i]];
      if (a.length === 0) return 1;
      let lo = 0, hi = a.length;
      while (lo < hi) { const m = (lo + hi) >> 1; if (a[m] <= bestP[i]) lo = m + 1; else hi = m; }
      return lo / a.length;
    };
  }
  const cj = new Float64Array(C * C).fill(1);
  for (let i = 0; i < n; i++) if (best[i] >= 0) cj[labels[i] * C + best[i]] += weight(i);
  return cj;
}

/** Writes the 'noise-rates' score of every labelled sample into `score` (see the header). */
export function noiseRateScores(post: Posteriors, labels: Int32Array, thresholds: Float32Array, C: number, score: Float32Array, opts: NoiseRateOptions): void {
  const { S, cls, p } = post;
  const n = labels.length;
  const cj = confidentJoint(post, labels, thresholds, C, opts.counts);
  const prior = new Float64Array(C);
  let total = 0;
  for (let y = 0; y < C; y++) for (let c = 0; c < C; c++) { prior[c] += cj[y * C + c]; total += cj[y * C + c]; }
  const q = new Float64Array(C * C);
  for (let y = 0; y < C; y++) {
    let row = 0;
    for (let c = 0; c < C; c++) row += cj[y * C + c];
    for (let c = 0; c < C; c++) q[y * C + c] = Math.pow(cj[y * C + c] / row / (prior[c] / total), opts.power);
  }
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y < 0) continue;
    let z = 0, own = post.floor[i] * q[y * C + y];
    let ownSeen = false;
    for (let e = 0; e < S; e++) {
      const c = cls[i * S + e];
      if (c < 0) break;
      const w = p[i * S + e] * q[y * C + c];
      z += w;
      if (c === y) { own = w; ownSeen = true; }
    }
    if (!ownSeen) z += own;
    score[i] = z > 0 ? 1 - own / z : 0;
  }
}

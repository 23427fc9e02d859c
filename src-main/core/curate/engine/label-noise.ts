// Label-noise scores from the k-NN graph, in the spirit of confident learning (Northcutt et al.
// 2021) with a neighbour vote as the out-of-sample classifier:
//
// 1. Out-of-sample posterior. A sample never votes for itself (the graph excludes i), so the
//    vote is an honest held-out prediction. Voters are i's neighbours and, by default, the
//    samples that list i as a neighbour (reverse edges: on MNIST with 10 % flipped labels they
//    lift precision@K from 0.964 to 0.971). Votes are distance-weighted with a per-sample
//    scale, w_ij = exp(-d_ij / σ_i), σ_i = mean distance to i's neighbours, so the nearest
//    count more without one exact duplicate dominating.
// 2. Class-prior correction. A class's votes are scaled by (π̄ / π_c)^γ (π_c its label
//    frequency, π̄ the mean), so a small class is not out-voted merely for being small.
//    Then p_ic = (u_ic + α/C) / (Σ_c u_ic + α): a half-vote of uniform smoothing keeps a
//    sample with few voters from looking certain.
// 3. Per-class thresholds t_c = mean p_ic over samples labelled c. A sample labelled y is
//    off-diagonal in the confident joint (likely mislabelled) when the class
//    argmax_{c : p_ic ≥ t_c} p_ic exists and is not y.
// 4. Iteration. In later rounds, voters flagged in the previous round, and unlabelled voters,
//    vote with their estimated distribution instead of their label, so flipped labels stop
//    propping each other up.
//
// Score = (1 - p_iy + λ·max_{c≠y} p_ic) / (1 + λ), λ = 0.05: self-confidence, with ties (many
// flipped samples have p_iy at the smoothing floor) broken towards a confident alternative.
// Self-confidence beat the normalised margin on MNIST (0.960 vs 0.947 precision@K at 10 %):
// a flipped sample from an ambiguous region has no vote for its label but a split
// alternative, which the margin under-rates. Posteriors are stored sparsely, at most
// `maxEntries` classes per sample, so memory is O(n·k) even with thousands of classes.
import type { KnnGraph } from '../../../../src-shared/model/knn';
import type { LabelNoise } from './types';
import { noiseRateScores, type JointCounts } from './noise-rates';
import { probabilityOf, type Posteriors } from './posteriors';
import { validateGraph, validateLabels } from './validate';

export interface LabelNoiseOptions {
  /** Voting rounds; rounds after the first use cleaned neighbour labels (default 3). */
  rounds?: number;
  /** Strength of the class-prior correction, 0 = none, 1 = full (default 1). */
  priorCorrection?: number;
  /** Pseudo-votes of uniform smoothing (default 0.5). */
  smoothing?: number;
  /**
   * 'self-confidence' (default): 1 - p_iy, ties broken by the best alternative; 'margin':
   * (1 - p_iy + max_{c≠y} p_ic) / 2; 'noise-rates': 1 − P(true class = y | x, given y), with
   * the noise rates estimated by the confident joint (see noiseRateScores).
   */
  score?: 'margin' | 'self-confidence' | 'noise-rates';
  /** Power on the noise-rate factor Q(c | y) / π(c) of the 'noise-rates' score (default 1: Bayes' rule as it stands). */
  noiseRatePower?: number;
  /**
   * How a sample counts in the confident joint that estimates the noise rates (noise-rates.ts):
   * 'typical' (default) by how typical its confidence is of the class's own members, 'one' one
   * each as in cleanlab (kept to measure against).
   */
  jointCounts?: JointCounts;
  /** Weight of the best alternative's probability added to the self-confidence score (default 0.05). */
  altWeight?: number;
  /** Also count votes from samples that list this one as a neighbour (default true). */
  reverse?: boolean;
  /** Classes kept per sample (default 32). */
  maxEntries?: number;
  /**
   * Out-of-sample class probabilities from a model (n × C, rows summing to 1; NaN rows = no
   * prediction): a linear probe on the embedding (probe.ts) or the user's own model's
   * predictions. Mixed into the vote's posterior in every round, so cleaned re-votes use it too.
   */
  model?: Float32Array;
  /**
   * How the vote and the model are mixed: 'linear' (default) (1 − w)·vote + w·model, or
   * 'geometric' ∝ vote^(1 − w)·model^w (a product of experts: both must agree on a class).
   */
  mix?: 'linear' | 'geometric';
  /** Weight of `model` in the mix, 0..1, one for all or one per sample (default 0.5). */
  modelWeight?: number | Float32Array;
}

export function computeLabelNoise(graph: KnnGraph, labels: Int32Array, numClasses: number, opts: LabelNoiseOptions = {}): LabelNoise {
  validateGraph(graph, labels.length);
  validateLabels(labels, graph.n, numClasses);
  const { n, k, indices, distances } = graph;
  const C = Math.max(1, numClasses);
  const rounds = Math.max(1, opts.rounds ?? 3);
  const gamma = opts.priorCorrection ?? 1;
  const alpha = opts.smoothing ?? 0.5;
  const S = Math.max(1, Math.min(C, opts.maxEntries ?? 32));
  const reverse = opts.reverse ?? true;
  const model = opts.model;
  if (model && model.length !== n * C) throw new RangeError(`model probabilities: ${model.length} values, expected ${n} × ${C}`);
  const geometric = opts.mix === 'geometric';
  const weightOf = (i: number) => {
    if (!model) return 0;
    const w = opts.modelWeight;
    return Math.min(1, Math.max(0, (typeof w === 'number' ? w : w ? w[i] : undefined) ?? 0.5));
  };

  const counts = new Float64Array(C);
  let labelled = 0;
  for (let i = 0; i < n; i++) if (labels[i] >= 0) { counts[labels[i]]++; labelled++; }
  let present = 0;
  for (let c = 0; c < C; c++) if (counts[c] > 0) present++;
  const factor = new Float64Array(C).fill(1);
  if (labelled > 0 && present > 0) {
    const mean = labelled / present;
    for (let c = 0; c < C; c++) if (counts[c] > 0) factor[c] = Math.pow(mean / counts[c], gamma);
  }

  const sigma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0, c = 0;
    for (let t = 0; t < k; t++) if (indices[i * k + t] >= 0) { s += Math.max(0, distances[i * k + t]); c++; }
    sigma[i] = (c > 0 ? s / c : 1) + 1e-6;
  }

  // Voters of each sample: its out-neighbours, plus (optionally) the samples that list it as a neighbour.
  const deg = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j < 0) continue;
      deg[i]++;
      if (reverse) deg[j]++;
    }
  }
  const rowStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowStart[i + 1] = rowStart[i] + deg[i];
  const edgeTo = new Int32Array(rowStart[n]);
  const edgeW = new Float32Array(rowStart[n]);
  const fill = rowStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      if (j < 0) continue;
      const d = Math.max(0, distances[i * k + t]);
      edgeTo[fill[i]] = j;
      edgeW[fill[i]++] = Math.exp(-d / sigma[i]);
      if (reverse) {
        edgeTo[fill[j]] = i;
        edgeW[fill[j]++] = Math.exp(-d / sigma[j]);
      }
    }
  }

  let post: Posteriors = { S, cls: new Int32Array(n * S).fill(-1), p: new Float32Array(n * S), floor: new Float32Array(n) };
  const soft = new Uint8Array(n); // 1 = vote with the estimated distribution, not the given label
  const flagged = new Uint8Array(n);
  const thresholds = new Float32Array(C);
  const acc = new Float64Array(C);
  // The classes a row's voters touched (each once: `seen`), in a typed array sorted by hand
  // below (at most C entries): a growing number[] sorted with a comparator per row made the
  // rounds about 10 % slower at a million rows (a scratch micro-bench: the same scores).
  const touched = new Int32Array(C);
  const seen = new Uint8Array(C);

  for (let round = 0; round < rounds; round++) {
    const next: Posteriors = { S, cls: new Int32Array(n * S).fill(-1), p: new Float32Array(n * S), floor: new Float32Array(n) };
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
        const j = edgeTo[e];
        const w = edgeW[e];
        const y = labels[j];
        if (round > 0 && soft[j]) {
          for (let t = 0; t < S; t++) {
            const c = post.cls[j * S + t];
            if (c < 0) break;
            if (!seen[c]) { seen[c] = 1; touched[m++] = c; }
            acc[c] += w * post.p[j * S + t];
          }
        } else if (y >= 0) {
          if (!seen[y]) { seen[y] = 1; touched[m++] = y; }
          acc[y] += w;
        }
      }
      let U = 0;
      for (let t = 0; t < m; t++) { const c = touched[t]; acc[c] *= factor[c]; U += acc[c]; }
      const denom = U + alpha;
      let floor = alpha / C / denom;
      const mw = weightOf(i);
      if (mw > 0 && !Number.isNaN(model![i * C])) {
        // Mixed posterior over every class: (1 - w)·vote + w·model, kept as the top S.
        for (let t = 0; t < m; t++) acc[touched[t]] /= denom;
        let z = 0;
        for (let c = 0; c < C; c++) {
          const pc = geometric
            ? Math.exp((1 - mw) * Math.log(acc[c] + floor) + mw * Math.log(Math.max(model![i * C + c], 1e-4)))
            : (1 - mw) * (acc[c] + floor) + mw * model![i * C + c];
          if (!seen[c] && pc > 0) { seen[c] = 1; touched[m++] = c; }
          acc[c] = pc;
          z += pc;
        }
        if (geometric) for (let t = 0; t < m; t++) acc[touched[t]] /= z;
        floor = 0;
      } else {
        for (let t = 0; t < m; t++) acc[touched[t]] = acc[touched[t]] / denom + floor;
      }
      next.floor[i] = floor;
      // Insertion sort: most probable first, ties by class.
      for (let t = 1; t < m; t++) {
        const c = touched[t], pc = acc[c];
        let u = t - 1;
        while (u >= 0 && (acc[touched[u]] < pc || (acc[touched[u]] === pc && touched[u] > c))) { touched[u + 1] = touched[u]; u--; }
        touched[u + 1] = c;
      }
      const keep = Math.min(S, m);
      for (let e = 0; e < keep; e++) {
        const c = touched[e];
        next.cls[i * S + e] = c;
        next.p[i * S + e] = acc[c];
      }
      for (let t = 0; t < m; t++) { acc[touched[t]] = 0; seen[touched[t]] = 0; }
    }
    post = next;

    // Confident-learning thresholds and the off-diagonal flag.
    const sum = new Float64Array(C);
    for (let i = 0; i < n; i++) if (labels[i] >= 0) sum[labels[i]] += probabilityOf(post, i, labels[i]);
    for (let c = 0; c < C; c++) thresholds[c] = counts[c] > 0 ? sum[c] / counts[c] : 1;
    for (let i = 0; i < n; i++) {
      const y = labels[i];
      flagged[i] = 0;
      if (y < 0) continue;
      let best = -1, bestP = -1;
      for (let e = 0; e < S; e++) {
        const c = post.cls[i * S + e];
        if (c < 0) break;
        const pc = post.p[i * S + e];
        if (pc >= thresholds[c] && pc > post.floor[i] && pc > bestP) { bestP = pc; best = c; }
      }
      if (best >= 0 && best !== y) flagged[i] = 1;
    }
    for (let i = 0; i < n; i++) soft[i] = labels[i] < 0 || flagged[i] ? 1 : 0;
  }

  const score = new Float32Array(n);
  const suggested = new Int32Array(n).fill(-1);
  const confidence = new Float32Array(n);
  const selfConfidence = new Float32Array(n);
  let issueCount = 0;
  const useMargin = opts.score === 'margin';
  const lam = opts.altWeight ?? 0.05;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    // Entries are sorted by probability, so the first entry that is not y is the best alternative.
    let alt = -1, altP = post.floor[i];
    for (let e = 0; e < S; e++) {
      const c = post.cls[i * S + e];
      if (c < 0) break;
      if (c !== y) { alt = c; altP = post.p[i * S + e]; break; }
    }
    if (y < 0) {
      suggested[i] = post.cls[i * S];
      confidence[i] = suggested[i] >= 0 ? post.p[i * S] : 0;
      selfConfidence[i] = NaN;
      continue;
    }
    const py = probabilityOf(post, i, y);
    selfConfidence[i] = py;
    suggested[i] = alt;
    confidence[i] = alt >= 0 ? altP : 0;
    score[i] = useMargin ? (1 - py + altP) / 2 : (1 - py + lam * altP) / (1 + lam);
    if (flagged[i]) issueCount++;
  }
  if (opts.score === 'noise-rates') noiseRateScores(post, labels, thresholds, C, score, { power: opts.noiseRatePower ?? 1, counts: opts.jointCounts ?? 'typical' });
  return { score, suggested, confidence, selfConfidence, likelyMislabeled: flagged, thresholds, issueCount };
}

// Out-of-fold class probabilities from a linear probe on the embedding: the model half of
// confident learning (Northcutt et al. 2021; Cleanlab's find_label_issues takes the same
// out-of-fold predicted probabilities). A k-NN vote sees only a sample's neighbourhood; a linear
// probe sees the whole class, so where two classes overlap (shirt and T-shirt) it still knows
// which side of the boundary a sample is on. Combined with the vote (labelNoise.ts) it finds
// flips the vote alone misses.
//
// The probe is ridge regression to one-hot targets, solved in closed form per fold:
// W_f = (G − G_f + λI)⁻¹ (B − B_f), with G_f = Σ_{i∈f} x̃ᵢx̃ᵢᵀ and B_f = Σ_{i∈f} x̃ᵢ e_{yᵢ}ᵀ over the
// fold's rows (x̃ = centred x with a bias 1). Every sample is predicted by the model of its own
// fold, which never saw it: an honest held-out prediction, like the vote. The Gram matrices
// are the cost (rows × d²); at most `maxTrain` labelled rows train (a linear model on a few
// hundred dimensions stops improving long before 60,000 rows), while every row is predicted.
// Scores become probabilities through a softmax whose temperature is fitted to the
// out-of-fold labels (maximum likelihood, one parameter), so the probe's confidence is on the
// same footing as the vote's.
import { createRng } from '../../../../src-shared/random';
import { dotRows } from './linalg';

export interface ProbeOptions {
  /** Folds (default 5). */
  folds?: number;
  /**
   * Ridge strength relative to the mean diagonal of the Gram matrix.
   * Default: the value of `ridgeGrid` whose model best predicts one held-out fold's given
   * labels (log-likelihood after the temperature fit), so the data sets it, not a constant.
   */
  ridge?: number;
  /** Candidate relative ridge strengths for the held-out choice (default RIDGE_GRID). */
  ridgeGrid?: readonly number[];
  /** Labelled rows used for training, sampled evenly (default 20,000). */
  maxTrain?: number;
  seed?: number;
}

export interface ProbeResult {
  numClasses: number;
  /** n × C out-of-fold probabilities (unlabelled rows: the mean of the fold models). */
  probs: Float32Array;
  /** Fitted softmax temperature (multiplier on the ridge scores). */
  temperature: number;
  /** Share of labelled rows whose argmax is their given label. */
  agreement: number;
  /** Relative ridge strength used. */
  ridge: number;
}

/** Classes above this are not probed (the probabilities are dense, n × C). */
export const MAX_PROBE_CLASSES = 256;
/**
 * Relative ridge strengths tried when none is given, half-decades. Large datasets choose near
 * the old fixed 1e-3 (Fashion-MNIST: 3e-3 to 1e-2); a few hundred rows in 544 dimensions need
 * 0.1 or more, where 1e-3 nearly interpolates its folds (BENCHMARKS.md, curate: label noise).
 */
export const RIDGE_GRID: readonly number[] = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];

export function linearProbe(vectors: Float32Array, dim: number, labels: Int32Array, numClasses: number, opts: ProbeOptions = {}): ProbeResult {
  const n = labels.length;
  const C = numClasses;
  const K = Math.max(2, opts.folds ?? 5);
  const E = dim; // features before the bias
  const D = E + 1;
  const rng = createRng(opts.seed ?? 0);

  // Folds: labelled rows in a random order, dealt round-robin so every fold has about n/K.
  const labelled: number[] = [];
  for (let i = 0; i < n; i++) if (labels[i] >= 0) labelled.push(i);
  for (let t = labelled.length - 1; t > 0; t--) {
    const u = Math.floor(rng() * (t + 1));
    [labelled[t], labelled[u]] = [labelled[u], labelled[t]];
  }
  const fold = new Int8Array(n).fill(-1);
  labelled.forEach((i, t) => (fold[i] = t % K));
  const maxTrain = Math.max(K, opts.maxTrain ?? 20000);
  const train = labelled.slice(0, Math.min(labelled.length, maxTrain));

  // Feature rows: the embedding centred by the training rows' mean, then a bias 1. (Measured
  // and dropped, issue 15: appearance tiles appended to the embedding, +0.003 precision@K on
  // Fashion-MNIST for 2.5× the probe's time; cleanlab-style pruning of off-diagonal training
  // rows before a refit, 0.003–0.011 worse once mixed with the vote.)
  const mean = new Float64Array(E);
  const meanRows = train.length ? train : labelled.length ? labelled : Array.from({ length: n }, (_, i) => i);
  for (const i of meanRows) for (let j = 0; j < E; j++) mean[j] += vectors[i * dim + j];
  for (let j = 0; j < E; j++) mean[j] /= Math.max(1, meanRows.length);
  const fillRow = (i: number, out: Float32Array, o: number) => {
    for (let j = 0; j < E; j++) out[o + j] = vectors[i * dim + j] - mean[j];
    out[o + E] = 1;
  };

  // Per-fold Gram and target sums over the training rows, batched so the kernel reads each row once.
  const Gf = Array.from({ length: K }, () => new Float64Array(D * D));
  const Bf = Array.from({ length: K }, () => new Float64Array(D * C));
  for (let f = 0; f < K; f++) gramInto(train.filter((i) => fold[i] === f), fillRow, labels, D, C, Gf[f], Bf[f], 1);

  const Gall = new Float64Array(D * D);
  const Ball = new Float64Array(D * C);
  for (let f = 0; f < K; f++) {
    for (let a = 0; a < D * D; a++) Gall[a] += Gf[f][a];
    for (let a = 0; a < D * C; a++) Ball[a] += Bf[f][a];
  }
  // The ridge is relative to the features' mean diagonal, so it means the same at any scale.
  let diag = 0;
  for (let j = 0; j < E; j++) diag += Gall[j * D + j];
  diag = Math.max(1e-12, diag / Math.max(1, E));
  const solveFold = (f: number, rel: number): Float32Array => {
    const A = new Float64Array(D * D);
    const B = new Float64Array(D * C);
    for (let a = 0; a < D * D; a++) A[a] = Gall[a] - (f < K ? Gf[f][a] : 0);
    for (let a = 0; a < D * C; a++) B[a] = Ball[a] - (f < K ? Bf[f][a] : 0);
    for (let j = 0; j < E; j++) A[j * D + j] += Math.max(1e-9, rel * diag); // the bias is not shrunk
    A[E * D + E] += 1e-9;
    const X = choleskySolve(A, D, B, C);
    // Stored transposed (C × D) so scoring is dotRows(x̃, W).
    const Wt = new Float32Array(C * D);
    for (let j = 0; j < D; j++) for (let c = 0; c < C; c++) Wt[c * D + j] = X[j * C + c];
    return Wt;
  };

  // The ridge: the candidate whose fold-0 model best predicts fold 0's training rows.
  let ridge = opts.ridge ?? NaN;
  if (!Number.isFinite(ridge)) {
    const grid = opts.ridgeGrid?.length ? opts.ridgeGrid : RIDGE_GRID;
    const held = train.filter((i) => fold[i] === 0);
    const s = new Float32Array(held.length * C);
    let best = Infinity;
    for (const rel of grid) {
      scoreRows(held, solveFold(0, rel), fillRow, D, C, s, (t) => t * C);
      const nll = fitTemperature(s, Int32Array.from(held, (i) => labels[i]), C).nll;
      if (nll < best) { best = nll; ridge = rel; }
    }
    if (!Number.isFinite(ridge)) ridge = 1e-3;
  }

  // Raw scores of every row under its own fold's model (the all-data model for unlabelled rows).
  const scores = new Float32Array(n * C);
  const rowsOf: number[][] = Array.from({ length: K + 1 }, () => []);
  for (let i = 0; i < n; i++) rowsOf[fold[i] >= 0 ? fold[i] : K].push(i);
  for (let f = 0; f <= K; f++) if (rowsOf[f].length) scoreRows(rowsOf[f], solveFold(f, ridge), fillRow, D, C, scores, (t) => rowsOf[f][t] * C);
  const temperature = fitTemperature(scores, labels, C).beta;

  const probs = new Float32Array(n * C);
  let agree = 0, count = 0;
  for (let i = 0; i < n; i++) {
    softmaxInto(scores, i * C, C, temperature, probs);
    if (labels[i] >= 0) {
      count++;
      let best = 0;
      for (let c = 1; c < C; c++) if (probs[i * C + c] > probs[i * C + best]) best = c;
      if (best === labels[i]) agree++;
    }
  }
  return { numClasses: C, probs, temperature, agreement: count ? agree / count : NaN, ridge };
}

const BATCH = 256;

/** Adds sign × (Σ x̃x̃ᵀ, Σ x̃ e_yᵀ) over `rows` to G (D × D, full) and B (D × C). */
function gramInto(rows: number[], fillRow: (i: number, out: Float32Array, o: number) => void, labels: Int32Array, D: number, C: number, G: Float64Array, B: Float64Array, sign: number): void {
  const BLOCK = 64;
  const tmp = new Float64Array(BLOCK * D);
  const row = new Float32Array(D);
  const Xb = new Float32Array(D * BATCH);
  for (let s = 0; s < rows.length; s += BATCH) {
    const m = Math.min(BATCH, rows.length - s);
    for (let t = 0; t < m; t++) {
      const i = rows[s + t];
      fillRow(i, row, 0);
      for (let j = 0; j < D; j++) {
        Xb[j * m + t] = row[j];
        B[j * C + labels[i]] += sign * row[j];
      }
    }
    // Upper triangle only, in row blocks: half the multiply-adds of the full product.
    for (let a0 = 0; a0 < D; a0 += BLOCK) {
      const a1 = Math.min(D, a0 + BLOCK), rowsA = a1 - a0, cols = D - a0;
      dotRows(Xb.subarray(a0 * m, a1 * m), rowsA, Xb.subarray(a0 * m, D * m), cols, m, tmp);
      for (let a = 0; a < rowsA; a++) for (let b = a; b < cols; b++) {
        const v = sign * tmp[a * cols + b];
        G[(a0 + a) * D + a0 + b] += v;
        if (b > a) G[(a0 + b) * D + a0 + a] += v;
      }
    }
  }
}

/** Raw scores x̃ᵢ·W of `rows` into out at at(t), batched. */
function scoreRows(rows: number[], Wt: Float32Array, fillRow: (i: number, out: Float32Array, o: number) => void, D: number, C: number, out: Float32Array, at: (t: number) => number): void {
  const xb = new Float32Array(BATCH * D);
  const res = new Float32Array(BATCH * C);
  for (let s = 0; s < rows.length; s += BATCH) {
    const m = Math.min(BATCH, rows.length - s);
    for (let t = 0; t < m; t++) fillRow(rows[s + t], xb, t * D);
    dotRows(xb, m, Wt, C, D, res);
    for (let t = 0; t < m; t++) out.set(res.subarray(t * C, t * C + C), at(s + t));
  }
}

/** Softmax of β·scores[o..o+C) into out[o..o+C). */
function softmaxInto(scores: Float32Array, o: number, C: number, beta: number, out: Float32Array): void {
  let mx = -Infinity;
  for (let c = 0; c < C; c++) mx = Math.max(mx, scores[o + c]);
  let z = 0;
  for (let c = 0; c < C; c++) z += (out[o + c] = Math.exp(beta * (scores[o + c] - mx)));
  for (let c = 0; c < C; c++) out[o + c] /= z;
}

/**
 * β maximising the mean log-likelihood of the given labels under softmax(β·s) (golden section
 * on log β), and that mean negative log-likelihood.
 */
function fitTemperature(scores: Float32Array, labels: Int32Array, C: number): { beta: number; nll: number } {
  const rows: number[] = [];
  for (let i = 0; i < labels.length && rows.length < 20000; i++) if (labels[i] >= 0) rows.push(i);
  if (!rows.length) return { beta: 1, nll: NaN };
  const nll = (logBeta: number) => {
    const beta = Math.exp(logBeta);
    let s = 0;
    for (const i of rows) {
      const o = i * C;
      let mx = -Infinity;
      for (let c = 0; c < C; c++) mx = Math.max(mx, scores[o + c]);
      let z = 0;
      for (let c = 0; c < C; c++) z += Math.exp(beta * (scores[o + c] - mx));
      s += Math.log(z) - beta * (scores[o + labels[i]] - mx);
    }
    return s / rows.length;
  };
  let a = Math.log(0.1), b = Math.log(1000);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a), x2 = a + g * (b - a);
  let f1 = nll(x1), f2 = nll(x2);
  for (let it = 0; it < 40; it++) {
    if (f1 < f2) { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = nll(x1); }
    else { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = nll(x2); }
  }
  const logBeta = (a + b) / 2;
  return { beta: Math.exp(logBeta), nll: nll(logBeta) };
}

/** Solves A X = B for symmetric positive definite A (D × D) and B (D × C), row-major. */
export function choleskySolve(A: Float64Array, D: number, B: Float64Array, C: number): Float64Array {
  const L = Float64Array.from(A);
  for (let j = 0; j < D; j++) {
    let d = L[j * D + j];
    for (let k = 0; k < j; k++) d -= L[j * D + k] * L[j * D + k];
    d = Math.sqrt(Math.max(d, 1e-300));
    L[j * D + j] = d;
    for (let i = j + 1; i < D; i++) {
      let s = L[i * D + j];
      for (let k = 0; k < j; k++) s -= L[i * D + k] * L[j * D + k];
      L[i * D + j] = s / d;
    }
  }
  const X = Float64Array.from(B);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < D; i++) {
      let s = X[i * C + c];
      for (let k = 0; k < i; k++) s -= L[i * D + k] * X[k * C + c];
      X[i * C + c] = s / L[i * D + i];
    }
    for (let i = D - 1; i >= 0; i--) {
      let s = X[i * C + c];
      for (let k = i + 1; k < D; k++) s -= L[k * D + i] * X[k * C + c];
      X[i * C + c] = s / L[i * D + i];
    }
  }
  return X;
}

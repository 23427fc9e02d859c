// Which metric should pick a sample's neighbours? Issue #15 items 3 and 8: whitening the
// embedding (fitted on the project's own vectors) raised Fashion-MNIST's 5-NN by 2 points in
// scripts/model's probe. This bench measures it where it would act in the product, the k-NN
// graph that the vote, the scores and the map read, against the graph as the map builds it
// today, in one run, on MNIST and Fashion-MNIST (the built-in model's 70,000 vectors each):
//   - pca50: the map's graph (PCA-50 fitted on 10,000 rows, HNSW L2), distances exact cosine;
//   - pca50-shrink: its 4k nearest as candidates, the k kept by cosine after the top 50
//     principal directions are shrunk part way (p = 0.5) to the mean variance of the rest: a
//     partial whitening that costs one full dot product per candidate;
//   - pca128-whiten: PCA-128 whitened (variance^−p/2, p = 0.5), rows re-normalised, HNSW;
//   - full-whiten: all 544 directions whitened (p = 0.5), rows re-normalised, HNSW by cosine.
// Each graph's LOO 5-NN accuracy and the label-noise precision@K of computeScores on it (the
// probe on the stored vectors, as the app runs it) with the curate-noise bench's flips; and a
// synthetic set whose largest-variance directions are the class-separating ones, where evening
// the directions out must lose.
//   npx tsx bench/graph-metric.ts [--datasets mnist,fashion] [--variants pca50,…] [--no-write]
// With --vectors FILE --dim D (70,000 × D float32 rows of one data set, in the benches' row order:
// scripts/model/explore-tta.py WRITE=…, or the accurate model's cache: bench/lib/dataset-vectors.ts --model accurate) it reads those vectors instead of the built-in model's, for
// a candidate embedding (issue 15 item 8); the variant 'full' is a graph on those rows as they are
// (HNSW by cosine, no PCA). Such a run prints its rows and writes nothing.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import hnswlib from 'hnswlib-node';
import { createRng, Xorshift32 } from '../src-shared/random';
import type { KnnGraph } from '../src-shared/model/knn';
import { computeScores } from '../src-main/core/curate/engine';
import { fitExactPca, projectRows, type PcaModel } from '../src-main/core/map/engine/pca';
import { allLabels, classNamesOf, DATASET_TITLE, type DatasetName } from '../src-main/testing/curation/datasets';
import { flipLabels, flipPairs, precisionAtK } from '../src-main/testing/curation/eval';
import { PAIR_SETS } from './lib/noise-pairs';
import { builtinVectors } from './lib/dataset-vectors';
import { writeSection } from './lib/report';
import { useNativeRowProducts } from '../src-main/core/native/gemm';

// The engines' dense products as the app's threads make them (onnxruntime's GEMM).
useNativeRowProducts();

const { values } = parseArgs({ options: { datasets: { type: 'string', default: 'mnist,fashion' }, variants: { type: 'string' }, vectors: { type: 'string' }, dim: { type: 'string' }, 'no-write': { type: 'boolean', default: false } } });
const DATASETS = values.datasets!.split(',') as DatasetName[];
if (values.vectors && (DATASETS.length !== 1 || !values.dim)) throw new Error('--vectors needs one data set (--datasets) and --dim');
const K = 15, P = 0.5, CANDIDATES = 4 * K;
// The curate-noise bench's look-alike pairs (bench/lib/noise-pairs.ts) and seeds.
const log = (s: string) => process.stderr.write(`${s}\n`);

function dot(x: Float32Array, dim: number, i: number, j: number): number {
  let s = 0;
  for (let t = 0; t < dim; t++) s += x[i * dim + t] * x[j * dim + t];
  return s;
}

/** HNSW over rows of y (n×d), `want` nearest of each row (self excluded). */
function hnswLists(y: Float32Array, d: number, space: 'l2' | 'ip', want: number): Int32Array[] {
  const n = y.length / d;
  const index = new hnswlib.HierarchicalNSW(space, d);
  index.initIndex(n, 16, 200, 100);
  for (let i = 0; i < n; i++) index.addPoint(Array.from(y.subarray(i * d, i * d + d)), i);
  index.setEf(Math.max(64, want + 1));
  return Array.from({ length: n }, (_, i) => Int32Array.from(index.searchKnn(Array.from(y.subarray(i * d, i * d + d)), want + 1).neighbors.filter((j) => j !== i).slice(0, want)));
}

/** The graph of lists chosen by `key` (smaller = nearer), written nearest first by exact cosine. */
function graphOf(x: Float32Array, dim: number, lists: Int32Array[], key?: (i: number, j: number, cos: number) => number): KnnGraph {
  const n = lists.length;
  const indices = new Int32Array(n * K).fill(-1), distances = new Float32Array(n * K).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const scored = Array.from(lists[i], (j) => { const c = 1 - dot(x, dim, i, j); return { j, c, k: key ? key(i, j, c) : c }; });
    const kept = scored.sort((a, b) => a.k - b.k).slice(0, K).sort((a, b) => a.c - b.c);
    kept.forEach((e, t) => { indices[i * K + t] = e.j; distances[i * K + t] = e.c; });
  }
  return { n, k: K, indices, distances };
}

/** Rows whitened on `model`'s directions (variance^(−p/2)), re-normalised; directions without variance (dead channels) are dropped, not blown up. */
function whitened(x: Float32Array, dim: number, model: PcaModel, p: number): Float32Array {
  const n = x.length / dim, d = model.outDim;
  const y = new Float32Array(n * d);
  projectRows(x, model, 0, n, y, 0);
  const top = model.variances[0]!;
  const scale = Float64Array.from(model.variances, (v) => (v > 1e-9 * top ? (v / top) ** (-p / 2) : 0));
  for (let i = 0; i < n; i++) {
    let q = 0;
    for (let c = 0; c < d; c++) { const v = (y[i * d + c] *= scale[c]!); q += v * v; }
    q = Math.sqrt(q) || 1;
    for (let c = 0; c < d; c++) y[i * d + c] /= q;
  }
  return y;
}

/** Neighbours chosen by cosine of the centred rows with the model's directions shrunk to the rest's mean variance, part way (p). */
function shrinkKey(x: Float32Array, dim: number, model: PcaModel, p: number): (i: number, j: number, cos: number) => number {
  const n = x.length / dim, d = model.outDim;
  const y = new Float32Array(n * d);
  projectRows(x, model, 0, n, y, 0);
  const tail = (model.totalVariance - model.variances.reduce((a, v) => a + v, 0)) / (dim - d);
  const shrink = Float64Array.from(model.variances, (v) => Math.min(1, (v / tail) ** -p) - 1);
  let mm = 0;
  for (let t = 0; t < dim; t++) mm += model.mean[t] ** 2;
  const xm = new Float64Array(n), norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0, q = 0;
    for (let t = 0; t < dim; t++) a += x[i * dim + t] * model.mean[t];
    q = dot(x, dim, i, i) - 2 * a + mm;
    for (let c = 0; c < d; c++) q += shrink[c] * y[i * d + c] ** 2;
    xm[i] = a; norm[i] = Math.sqrt(Math.max(q, 1e-20));
  }
  return (i, j, cos) => {
    let q = 1 - cos - xm[i] - xm[j] + mm;
    for (let c = 0; c < d; c++) q += shrink[c] * y[i * d + c] * y[j * d + c];
    return 1 - q / (norm[i] * norm[j]);
  };
}

type Variant = 'pca50' | 'pca50-shrink' | 'pca128-whiten' | 'full-whiten' | 'full';
const VARIANTS = (values.variants?.split(',') ?? ['pca50', 'pca50-shrink', 'pca128-whiten', 'full-whiten']) as Variant[];

function graphFor(variant: Variant, x: Float32Array, dim: number): KnnGraph {
  if (variant === 'full') return graphOf(x, dim, hnswLists(x, dim, 'ip', K));
  if (variant === 'full-whiten') {
    // Every direction, fitted on every other row.
    const m = fitExactPca(x, dim, dim, x.length / dim / 2);
    return graphOf(x, dim, hnswLists(whitened(x, dim, m, P), dim, 'ip', K));
  }
  if (variant === 'pca128-whiten') {
    const m = fitExactPca(x, dim, 128, 10000);
    return graphOf(x, dim, hnswLists(whitened(x, dim, m, P), 128, 'l2', K));
  }
  const m = fitExactPca(x, dim, 50, 10000);
  const y = new Float32Array((x.length / dim) * 50);
  projectRows(x, m, 0, x.length / dim, y, 0);
  return variant === 'pca50' ? graphOf(x, dim, hnswLists(y, 50, 'l2', K)) : graphOf(x, dim, hnswLists(y, 50, 'l2', CANDIDATES), shrinkKey(x, dim, m, P));
}

/** 70,000 rows of `dim` float32 from a file (--vectors). */
function givenVectors(file: string, dim: number): { vectors: Float32Array; dim: number } {
  const b = readFileSync(file);
  const vectors = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  if (vectors.length !== 70000 * dim) throw new Error(`${file}: ${vectors.length} values, expected 70,000 × ${dim}`);
  return { vectors, dim };
}

function fiveNn(g: KnnGraph, labels: ArrayLike<number>, classes: number): number {
  let ok = 0;
  for (let i = 0; i < g.n; i++) {
    const votes = new Int32Array(classes);
    for (let e = 0; e < 5; e++) votes[labels[g.indices[i * g.k + e]]]++;
    let best = 0;
    for (let c = 1; c < classes; c++) if (votes[c] > votes[best]) best = c;
    if (best === labels[i]) ok++;
  }
  return ok / g.n;
}

const rows: string[] = [];
for (const name of DATASETS) {
  const { vectors, dim } = values.vectors ? givenVectors(values.vectors, Number(values.dim)) : await builtinVectors(name, log);
  const labels = allLabels(name);
  const classNames = classNamesOf(name);
  const flips = [
    flipLabels(labels, 10, 0.1, createRng(100)),
    flipPairs(labels, PAIR_SETS[name].A, 0.1, createRng(11)),
    flipPairs(labels, PAIR_SETS[name].B, 0.1, createRng(12)),
  ];
  for (const variant of VARIANTS) {
    const t0 = performance.now();
    const g = graphFor(variant, vectors, dim);
    const ms = performance.now() - t0;
    const at = flips.map((f) => precisionAtK(computeScores({ vectors, dim, graph: g, labels: f.labels, classNames }).noise!.score, f.flipped, f.count));
    const row = `| ${DATASET_TITLE[name]} | ${variant} | ${(fiveNn(g, labels, 10) * 100).toFixed(2)} % | ${at.map((v) => v.toFixed(3)).join(' | ')} | ${(ms / 1000).toFixed(0)} s |`;
    log(row);
    rows.push(row);
  }
}

// Synthetic: 6 classes whose centres differ most along the largest-variance directions, 2
// nuisance directions of σ 3, 40 class directions (centres σ 0.35, spread σ 0.3), in 96-d.
const syn = (() => {
  const rng = new Xorshift32(4), n = 3000, dim = 96, NUIS = 2, SIG = 40;
  const basis = new Float64Array((NUIS + SIG) * dim).map(() => rng.normal() / Math.sqrt(dim));
  const centres = new Float64Array(6 * SIG).map(() => 0.35 * rng.normal());
  const x = new Float32Array(n * dim), labels = new Int32Array(n), z = new Float64Array(NUIS + SIG);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 6;
    for (let a = 0; a < NUIS; a++) z[a] = 3 * rng.normal();
    for (let a = 0; a < SIG; a++) z[NUIS + a] = centres[labels[i] * SIG + a] + 0.3 * rng.normal();
    let q = 0;
    for (let j = 0; j < dim; j++) { let s = 0.02 * rng.normal(); for (let a = 0; a < NUIS + SIG; a++) s += z[a] * basis[a * dim + j]; x[i * dim + j] = s; q += s * s; }
    for (let j = 0; j < dim; j++) x[i * dim + j] /= Math.sqrt(q);
  }
  const m = fitExactPca(x, dim, 20, 10000);
  const y = new Float32Array(n * 20);
  projectRows(x, m, 0, n, y, 0);
  const plain = graphOf(x, dim, hnswLists(y, 20, 'l2', CANDIDATES));
  const shrunk = graphOf(x, dim, hnswLists(y, 20, 'l2', CANDIDATES), shrinkKey(x, dim, m, P));
  return { plain: fiveNn(plain, labels, 6), shrunk: fiveNn(shrunk, labels, 6) };
})();
log(`synthetic: plain ${syn.plain}, shrunk ${syn.shrunk}`);

const body = [
  `Vectors: the built-in model's, all 70,000 images of each set (bench/lib/dataset-vectors.ts). k = ${K}; HNSW M 16, efConstruction 200, ef ≥ 64. Whitening exponent p = ${P}; pca50-shrink re-scores ${CANDIDATES} candidates. Label noise: computeScores on each graph with the stored (unwhitened) vectors for the probe, flips as bench/curate-noise.ts makes them (10 % symmetric, seed 100; pairs A and B, seeds 11 and 12). Time: the graph, one thread, wall on the shared machine.`,
  '',
  '| set | graph | LOO 5-NN | P@K 10 % symmetric | P@K pairs A | P@K pairs B | graph time |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Synthetic (6 classes separated along the largest-variance directions, 3,000 rows, 96-d, PCA-20): LOO 5-NN plain ${(syn.plain * 100).toFixed(1)} % vs shrunk ${(syn.shrunk * 100).toFixed(1)} %.`,
  '',
  'Reading it: whitening all 544 directions is the one variant near the #15 label-noise targets on Fashion-MNIST, and it wins on MNIST too; the cheap shrink of the top 50 directions recovers part of it. None ships as the map\'s metric: evening the directions out loses wherever the largest-variance directions are the ones that separate the classes (the synthetic row), so the choice would have to be made per project from its own data (for example by the labels\' agreement with each graph on a sample), and the full variant needs every row projected on every direction and a 544-d index (at a million samples, minutes more than the map\'s 4-minute target allows).',
].join('\n');
console.log(body);
if (!values['no-write'] && !values.vectors) writeSection('graph metric (whitening)', `npx tsx bench/graph-metric.ts${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`, body);

// The review loop, simulated (issue 12): a reviewer goes through a queue of samples with 10 %
// of the labels flipped and accepts the suggested label whenever it equals the truth (else keeps
// or would type the label). What matters is how many labels get corrected per 100 reviewed in
// the order the queue follows: highest label noise first (the mislabelled slice's default), the
// dataset's own id order (what the queue did before), or highest sparseness first.
//
//   npx tsx bench/review.ts [--datasets mnist,fashion] [--n 10000]
//
// Vectors: the built-in model's, of the first N training images of each set (bench/lib/
// dataset-vectors.ts builtinVectorsOf, cached in bench/.data; a subset keeps the run to minutes
// on two shared cores). Graph: bench/lib/bench-graph.ts (HNSW, k = 15, cached). Scores: computeScores,
// exactly as the app computes them (k-NN vote + out-of-fold linear probe, noise-rates score).
import { fileURLToPath } from 'node:url';
import { createRng } from '../src-shared/random';
import { computeScores } from '../src-main/core/curate/engine';
import { classNamesOf, DATASET_TITLE, loadDataset, type DatasetName } from '../src-main/testing/curation/datasets';
import { flipLabels } from '../src-main/testing/curation/eval';
import { benchGraph } from './lib/bench-graph';
import { builtinVectorsOf } from './lib/dataset-vectors';
import { writeSection } from './lib/report';
import { useNativeRowProducts } from '../src-main/core/native/gemm';

// The engines' dense products as the app's threads make them (onnxruntime's GEMM).
useNativeRowProducts();

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const DATASETS = (arg('datasets') ?? 'mnist,fashion').split(',') as DatasetName[];
const N = Number(arg('n') ?? 10000);
const K = 15, RATE = 0.1;
const REVIEWED = [100, 500, 1000];
const THRESHOLDS = [0.95, 0.9, 0.8, 0.5];
const DATA_DIR = fileURLToPath(new URL('./.data/', import.meta.url));
const log = (s: string) => console.log(s);

type Order = 'noise' | 'id' | 'sparseness';
const ORDERS: Order[] = ['noise', 'sparseness', 'id'];

interface Result {
  flips: number;
  /** [order][R] → { corrected, found } among the first R reviewed. */
  at: Record<Order, Record<number, { corrected: number; found: number }>>;
  /** Reviewing as many samples as there are flips, in noise order. */
  atFlips: { corrected: number; found: number };
  bulk: Array<{ t: number; count: number; right: number; broken: number }>;
  scoreSeconds: number;
  embedSeconds: number;
}

function queueOf(order: Order, n: number, noise: Float32Array, sparseness: Float32Array): Int32Array {
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  if (order === 'id') return ids;
  const key = order === 'noise' ? noise : sparseness;
  const val = (i: number) => (Number.isFinite(key[i]) ? key[i]! : -Infinity);
  return ids.sort((a, b) => val(b) - val(a) || a - b);
}

async function benchDataset(name: DatasetName): Promise<Result> {
  const data = loadDataset(name, 'train', N);
  const t0 = performance.now();
  const vectors = await builtinVectorsOf(data.pixels);
  const dim = vectors.length / data.n;
  const embedSeconds = (performance.now() - t0) / 1000;
  log(`${name}: ${data.n} vectors (${dim}-d) in ${embedSeconds.toFixed(0)} s`);
  const { graph, buildMs } = benchGraph(vectors, dim, K, `${DATA_DIR}${name}-review-${data.n}-graph-${K}.bin`);
  if (!Number.isNaN(buildMs)) log(`${name}: graph built in ${(buildMs / 1000).toFixed(0)} s`);
  const truth = data.labels;
  const { labels: noisy, flipped, count } = flipLabels(truth, 10, RATE, createRng(12));
  const t1 = performance.now();
  const scores = computeScores({ vectors, dim, graph, labels: noisy, classNames: classNamesOf(name) });
  const scoreSeconds = (performance.now() - t1) / 1000;
  const noise = scores.noise!;
  // The reviewer accepts the suggestion when it is the truth; a suggestion for a correct label is
  // never the truth (it is the best other class), so every accept corrects a flip.
  const corrects = (i: number) => flipped[i] === 1 && noise.suggested[i] === truth[i];
  const walk = (queue: Int32Array, r: number) => {
    let corrected = 0, found = 0;
    for (let t = 0; t < Math.min(r, queue.length); t++) {
      const i = queue[t]!;
      if (flipped[i]) found++;
      if (corrects(i)) corrected++;
    }
    return { corrected, found };
  };
  const at = {} as Result['at'];
  for (const order of ORDERS) {
    const q = queueOf(order, data.n, noise.score, scores.sparseness);
    at[order] = Object.fromEntries(REVIEWED.map((r) => [r, walk(q, r)]));
  }
  const atFlips = walk(queueOf('noise', data.n, noise.score, scores.sparseness), count);
  // Accept-all above a threshold: how many suggestions it takes, how many are right, how many correct labels it would break.
  const bulk = THRESHOLDS.map((t) => {
    let n = 0, right = 0, broken = 0;
    for (let i = 0; i < data.n; i++) {
      if (!(noise.score[i]! >= t) || noise.suggested[i]! < 0) continue;
      n++;
      if (noise.suggested[i] === truth[i]) right++;
      if (!flipped[i]) broken++;
    }
    return { t, count: n, right, broken };
  });
  return { flips: count, at, atFlips, bulk, scoreSeconds, embedSeconds };
}

const t0 = performance.now();
const results = new Map<DatasetName, Result>();
for (const name of DATASETS) {
  const r = await benchDataset(name);
  results.set(name, r);
  for (const order of ORDERS) log(`${name} ${order}: ${REVIEWED.map((R) => `${R}: ${r.at[order][R]!.corrected} corrected / ${r.at[order][R]!.found} flips seen`).join(', ')}`);
}
const wall = (performance.now() - t0) / 1000;

const per100 = (v: number, r: number) => ((v / r) * 100).toFixed(1);
const head = DATASETS.map((d) => DATASET_TITLE[d]).join(' | ');
const rows: string[] = [];
for (const R of REVIEWED) {
  for (const order of ORDERS) {
    const cells = DATASETS.map((d) => {
      const x = results.get(d)!.at[order][R]!;
      return `${order === 'noise' ? '**' : ''}${per100(x.corrected, R)}${order === 'noise' ? '**' : ''} (${per100(x.found, R)})`;
    });
    rows.push(`| ${R} | ${order === 'noise' ? 'highest noise first (default for the mislabelled slice)' : order === 'id' ? 'id order (before)' : 'highest sparseness first'} | ${cells.join(' | ')} |`);
  }
}
const ratio = (R: number) => DATASETS.map((d) => {
  const r = results.get(d)!;
  const idc = r.at.id[R]!.corrected;
  return idc > 0 ? `${(r.at.noise[R]!.corrected / idc).toFixed(0)}×` : `∞ (${r.at.noise[R]!.corrected} vs 0)`;
}).join(' | ');
const bulkRows = THRESHOLDS.map((t, j) => `| ≥ ${t} | ${DATASETS.map((d) => {
  const b = results.get(d)!.bulk[j]!;
  return `${b.count} | ${b.count ? ((b.right / b.count) * 100).toFixed(1) : '–'} % | ${b.broken}`;
}).join(' | ')} |`);

const body = `
A simulated reviewer on the first ${N.toLocaleString('en')} training images of each set with ${RATE * 100} % of the labels flipped uniformly at random (seed 12), who accepts the suggested label whenever it equals the true label. Scores as the app computes them (computeScores: k-NN vote on a k = ${K} HNSW graph of the built-in model's vectors, mixed with the out-of-fold linear probe). ${N < 60000 ? `A ${N.toLocaleString('en')}-image subset keeps the run short on two shared cores (embedding is most of it; vectors and graph are cached in bench/.data).` : ''} Run time ${wall.toFixed(0)} s, of which loading or embedding the vectors ${DATASETS.map((d) => results.get(d)!.embedSeconds.toFixed(0)).join(' + ')} s (the first run embeds, ≈ 3–4 min per set here; later runs read the cache) and computing the scores ${DATASETS.map((d) => results.get(d)!.scoreSeconds.toFixed(0)).join(' + ')} s.

**Labels corrected per 100 reviewed** (in brackets: flipped labels seen per 100, i.e. what a reviewer who also types labels could fix):

| reviewed | queue order | ${head} |
|---|---|${DATASETS.map(() => '---|').join('')}
${rows.join('\n')}

Noise order against id order, first 100 reviewed: ${ratio(100)}; first 500: ${ratio(500)}; first 1000: ${ratio(1000)} (${head}).
Flipped labels: ${DATASETS.map((d) => results.get(d)!.flips).join(' | ')}; reviewing that many in noise order corrects ${DATASETS.map((d) => { const r = results.get(d)!; return `${r.atFlips.corrected} (${((r.atFlips.corrected / r.flips) * 100).toFixed(1)} %)`; }).join(' | ')} of them by one-key accepts.

**Accept all suggestions above noise T** (review.acceptAll): suggestions taken, share equal to the truth, correct labels it would overwrite:

| T | ${DATASETS.map((d) => `${DATASET_TITLE[d]} taken | right | broken`).join(' | ')} |
|---|${DATASETS.map(() => '---|---|---|').join('')}
${bulkRows.join('\n')}
`;
log(body);
writeSection('review', `npx tsx bench/review.ts${args.length ? ` ${args.join(' ')}` : ''}`, body);

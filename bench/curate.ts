// Curation engine on MNIST 70k: label-noise precision@K, representative subsets (1-NN on raw
// pixels vs random), edge cases (error rate vs a random slice), injected near duplicates,
// time for scores + one curate run, peak RSS.
//
//   npx tsx bench/curate.ts [--vectors FILE.f32 --dim D] [--label NAME] [--probe-builtin] [--cache DIR]
//   npx tsx bench/curate.ts --write-dups FILE.u8
//
// Rows are the 60,000 training digits, then the 10,000 test digits, then 500 injected copies
// of random digits shifted 1–2 px with Gaussian noise (σ = 8 grey levels), then 500 control
// copies with the same noise but no shift (all deterministic). Without --vectors the vectors
// are the L2-normalised raw pixels. With --vectors, FILE holds float32 rows in that order
// (71,000 rows; or 70,000, which skips the near-duplicate part); --write-dups writes the
// injected copies' pixels (1,000 × 784 bytes, same order) so they can be embedded, and exits.
// The results go to the BENCHMARKS.md section `curate (NAME)`; NAME defaults to "raw pixels"
// without --vectors, else to the file name.
//
// The built-in embedding file (section `curate (built-in embedding)`):
//   node bin/winnow.mjs vectors --project MNIST.winnow --out mnist.npy   (all 70,000 embedded)
//   npx tsx bench/curate.ts --write-dups dups.u8
//   npx tsx bench/lib/builtin-vectors.ts --npy mnist.npy --dups dups.u8 --out mnist-builtin.f32
//   npx tsx bench/curate.ts --vectors mnist-builtin.f32 --dim 544 --label "built-in embedding" --probe-builtin
// --probe-builtin (built-in embedding only) also embeds edited copies of 300 digits (noise,
// JPEG, brightness, shifts) to show how far each edit moves a digit next to the natural
// nearest-neighbour distances: the scale the near-duplicate threshold has to fit.
// Near duplicates are measured for both of the app's rules: appearance signatures (from the
// pixels, so in every mode) and k-NN graph edges in the embedding (needs the copies' rows).
// The k-NN graph is built with hnswlib-node (inner product on unit vectors = cosine).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import type { KnnGraph } from '../src-shared/model/knn';
import { linearProbe } from '../src-main/core/curate/engine/probe';
import { NOISE_SCORE, PROBE_WEIGHT } from '../src-main/core/curate/engine/scores';
import { computeScores, curate, computeLabelNoise, findNearDuplicates, projectForClustering, DEFAULT_NEAR_DUPLICATE_THRESHOLD } from '../src-main/core/curate/engine';
import { createRng, sampleIndices } from '../src-shared/random';
import { normalizedPixels, shiftedCopy } from '../src-main/testing/curation/mnist';
import { DATASETS, DATASET_TITLE, classNamesOf, loadDataset, type DatasetName } from '../src-main/testing/curation/datasets';
import { builtinVectors, builtinVectorsOf } from './lib/dataset-vectors';
import { flipLabels, flipPairs, oneNnAccuracy, plainVote, precisionAtK, sliceErrorRate, subgraph, suggestedAccuracy } from '../src-main/testing/curation/eval';
import { PAIR_SETS, pairNames } from './lib/noise-pairs';
import { benchGraph } from './lib/bench-graph';
import { peakRssMiB, writeSection } from './lib/report';
import { findAppearanceDuplicates, mergeGroups, signatureDistance, DEFAULT_APPEARANCE_THRESHOLD, DEFAULT_APPEARANCE_WEIGHT, type DuplicateGroups } from '../src-main/core/curate/engine';
import { digitSignatures, digitTiles, groupsAt, nearestFromPairs, pairsAmongFirst, pairsWithin, scoreGroups, type GroupScore } from './lib/appearance-eval';
import { useNativeRowProducts } from '../src-main/core/native/gemm';

// The engines' dense products as the app's threads make them (onnxruntime's GEMM).
useNativeRowProducts();

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const K = 15; // graph degree used for scoring
const QUERY_K = 30; // neighbours fetched, so that filtered graphs still have K
const DUPS = 500; // per injected set: shifted, then unshifted control
const log = (s: string) => console.log(s);

// ---- data -----------------------------------------------------------------------------
// --dataset fashion: Fashion-MNIST (Debian's dataset-fashion-mnist) in the same row layout.
const DATASET = (arg('dataset') ?? 'mnist') as DatasetName;
if (!DATASETS.includes(DATASET)) throw new Error(`--dataset must be one of ${DATASETS.join(', ')}`);
const train = loadDataset(DATASET, 'train');
const test = loadDataset(DATASET, 'test');
const NTRAIN = train.n, NTEST = test.n, NREAL = NTRAIN + NTEST;
const pixels = new Uint8Array((NREAL + 2 * DUPS) * 784);
pixels.set(train.pixels, 0);
pixels.set(test.pixels, NTRAIN * 784);
const labels = new Int32Array(NREAL);
labels.set(train.labels, 0);
labels.set(test.labels, NTRAIN);
const dupRng = createRng(7);
const dupSource = sampleIndices(NREAL, DUPS, dupRng);
const SHIFTS = [-2, -1, 1, 2];
for (let t = 0; t < DUPS; t++) {
  // Each copy moves 1–2 px along at least one axis.
  let dx = 0, dy = 0;
  while (dx === 0 && dy === 0) {
    dx = dupRng() < 0.5 ? 0 : SHIFTS[Math.floor(dupRng() * 4)];
    dy = dupRng() < 0.5 ? 0 : SHIFTS[Math.floor(dupRng() * 4)];
  }
  pixels.set(shiftedCopy(pixels, dupSource[t], dx, dy, 8, dupRng), (NREAL + t) * 784);
}
const controlSource = sampleIndices(NREAL, DUPS, dupRng);
for (let t = 0; t < DUPS; t++) pixels.set(shiftedCopy(pixels, controlSource[t], 0, 0, 8, dupRng), (NREAL + DUPS + t) * 784);
const dupsFile = arg('write-dups');
if (dupsFile) {
  // Export only: the copies are embedded elsewhere (bench/lib/builtin-vectors.ts), then the
  // bench is run on the resulting vectors.
  writeFileSync(dupsFile, pixels.subarray(NREAL * 784));
  log(`wrote ${2 * DUPS} injected copies (${2 * DUPS} × 784 bytes) to ${dupsFile}`);
  process.exit(0);
}

const pixelVectors = normalizedPixels(pixels);
let vectors = pixelVectors;
let dim = 784;
let source = 'raw pixels (784-d, L2-normalised)';
let vectorsFile = arg('vectors');
if (args.includes('--builtin')) {
  // The built-in embedding of the whole set (cached in bench/.data) and of the injected copies.
  const base = await builtinVectors(DATASET, log);
  const copies = await builtinVectorsOf(pixels.subarray(NREAL * 784));
  dim = base.dim;
  vectors = new Float32Array(base.vectors.length + copies.length);
  vectors.set(base.vectors, 0);
  vectors.set(copies, base.vectors.length);
  vectorsFile = base.file;
  source = `the built-in model's vectors of the ${DATASET_TITLE[DATASET]} images and the injected copies (${dim}-d; bench/lib/dataset-vectors.ts embeds them the way the app embeds grey pixels and caches them in bench/.data)`;
} else if (vectorsFile) {
  dim = Number(arg('dim'));
  const buf = readFileSync(vectorsFile);
  vectors = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4).slice();
  const sha = createHash('sha1').update(buf).digest('hex').slice(0, 12);
  source = `\`${vectorsFile}\` (${dim}-d float32 rows, SHA-1 ${sha}…)`;
}
const label = arg('label') ?? (args.includes('--builtin') ? 'built-in embedding' : vectorsFile ? basename(vectorsFile) : 'raw pixels');
const rows = vectors.length / dim;
if (rows !== NREAL && rows !== NREAL + 2 * DUPS) throw new Error(`--vectors must hold ${NREAL} or ${NREAL + 2 * DUPS} rows, found ${rows}.`);
const withDups = rows === NREAL + 2 * DUPS;

// ---- graph ----------------------------------------------------------------------------
function buildGraph(v: Float32Array, d: number): { graph: KnnGraph; buildMs: number } {
  const n = v.length / d;
  const cacheDir = arg('cache');
  const key = createHash('sha1').update(new Uint8Array(v.buffer, v.byteOffset, Math.min(v.byteLength, 1 << 22))).update(`${n}:${d}:${QUERY_K}`).digest('hex').slice(0, 12);
  const file = cacheDir ? join(cacheDir, `curate-graph-${key}.bin`) : undefined;
  if (file) mkdirSync(cacheDir!, { recursive: true });
  return benchGraph(v, d, QUERY_K, file);
}

log(`vectors: ${source}, ${rows} rows`);
const { graph: full, buildMs } = buildGraph(vectors, dim);
log(`graph: ${Number.isNaN(buildMs) ? 'from cache' : `${(buildMs / 1000).toFixed(1)} s`}`);

function remap(keep: (i: number) => boolean): { rows: Int32Array; newIndex: Int32Array } {
  const newIndex = new Int32Array(full.n).fill(-1);
  const kept: number[] = [];
  for (let i = 0; i < full.n; i++) if (keep(i)) { newIndex[i] = kept.length; kept.push(i); }
  return { rows: Int32Array.from(kept), newIndex };
}
const real = remap((i) => i < NREAL);
const g70 = subgraph(full, real.rows, real.newIndex, K);
const g70wide = subgraph(full, real.rows, real.newIndex, QUERY_K);
const trainOnly = remap((i) => i < NTRAIN);
const gTrain = subgraph(full, trainOnly.rows, trainOnly.newIndex, K);
const v70 = vectors.subarray(0, NREAL * dim);
const vTrain = vectors.subarray(0, NTRAIN * dim);
const classNames = classNamesOf(DATASET);

// ---- timing: scores + one curate run at 70k -----------------------------------------------
// Wall time is reported with CPU time of this thread: the bench machine is shared, so wall
// time can include waiting for a core.
function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const value = fn();
  return { value, wall: performance.now() - w0, cpu: (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000 };
}
const fmtT = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(0)} ms | ${t.cpu.toFixed(0)} ms`;
// Appearance signatures of every image (real digits and the injected copies); the app computes
// them once per sample in the map job and keeps them in the project, so scoring reads them back.
const tSignatures = timed(() => digitSignatures(pixels));
const signatures = tSignatures.value;
// Appearance tiles, computed by the app in the same pass as the signatures and stored beside them.
const tTiles = timed(() => digitTiles(pixels, NREAL));
const tiles = tTiles.value;
const input70 = { vectors: v70, dim, graph: g70, labels, classNames, signatures: signatures.slice(0, NREAL), tiles };
const tScores = timed(() => computeScores(input70));
const scores70 = tScores.value;
const tSpace = timed(() => projectForClustering(v70, dim, { seed: 0 }));
const tRep = timed(() => curate({ ...input70, space: tSpace.value }, scores70, { mode: 'representative', n: 1000, seed: 0 }));
const timing: string[] = [
  `| appearance signatures of the 71,000 images (once per sample, on the first scoring; stored in the project) | ${fmtT(tSignatures)} |`,
  `| appearance tiles of the 70,000 digits (same pass, stored beside the signatures) | ${fmtT(tTiles)} |`,
  `| computeScores (70k, k=${K}: sparseness, label noise, near duplicates by embedding and appearance, class balance) | ${fmtT(tScores)} |`,
  `| projectForClustering of the embedding (PCA to 32-d; the app computes it once in the map job and stores it with the map) | ${fmtT(tSpace)} |`,
  `| curate representative N=1,000 (given the embedding's projection; includes the tiles' PCA) | ${fmtT(tRep)} |`,
  `| **scores + projection + representative N=1,000** | **${(tScores.wall + tSpace.wall + tRep.wall).toFixed(0)} ms** | **${(tScores.cpu + tSpace.cpu + tRep.cpu).toFixed(0)} ms** |`,
];
for (const req of [
  { mode: 'edge-cases', n: 1000 },
  { mode: 'mislabeled', n: 1000 },
  { mode: 'custom', n: 1000, weights: { sparseness: 1, noise: 1, class: 1 } },
] as const) {
  timing.push(`| curate ${req.mode} N=1,000 | ${fmtT(timed(() => curate(input70, scores70, req)))} |`);
}
log(`scores ${fmtT(tScores)}, projection ${fmtT(tSpace)}, representative N=1000 ${fmtT(tRep)}`);

// ---- label noise --------------------------------------------------------------------------
const noiseRows: string[] = [];
const noiseAt: Record<string, number> = {};
// Look-alike class pairs (bench/lib/noise-pairs.ts), flipped both ways at 10 % of each class's
// samples: sets A (the targets) and B.
const pairName = (pairs: Array<[number, number]>) => pairNames(pairs, classNames);
const NOISE_SETTINGS: Array<{ key: string; name: string; flip: () => ReturnType<typeof flipLabels> }> = [
  ...[0.05, 0.1, 0.2].map((rate) => ({ key: `sym${rate}`, name: `${rate * 100} % symmetric`, flip: () => flipLabels(labels, 10, rate, createRng(Math.round(rate * 1000))) })),
  ...(['A', 'B'] as const).map((set) => ({ key: `pairs${set}`, name: `10 % along pairs ${set}`, flip: () => flipPairs(labels, PAIR_SETS[DATASET][set], 0.1, createRng(set === 'A' ? 11 : 12)) })),
];
for (const setting of NOISE_SETTINGS) {
  const { labels: noisy, flipped, count } = setting.flip();
  // As computeScores runs it: the out-of-fold probe, then the vote with the probe mixed in.
  const tProbe = timed(() => linearProbe(v70, dim, noisy, 10));
  const probe = tProbe.value;
  const tLn = timed(() => computeLabelNoise(g70, noisy, 10, { ...NOISE_SCORE, model: probe.probs, modelWeight: PROBE_WEIGHT }));
  const ln = tLn.value;
  const p = precisionAtK(ln.score, flipped, count);
  noiseAt[setting.key] = p;
  const vote = computeLabelNoise(g70, noisy, 10);
  const pVote = precisionAtK(vote.score, flipped, count);
  const probeScore = new Float32Array(NREAL);
  for (let i = 0; i < NREAL; i++) probeScore[i] = 1 - probe.probs[i * 10 + noisy[i]];
  const pProbe = precisionAtK(probeScore, flipped, count);
  const pBase = precisionAtK(plainVote(g70, noisy, 10), flipped, count);
  const suggestedAcc = (res: typeof ln) => suggestedAccuracy(res, flipped, labels, count);
  let flaggedTrue = 0;
  for (let i = 0; i < NREAL; i++) if (ln.likelyMislabeled[i] && flipped[i]) flaggedTrue++;
  noiseRows.push(
    `| ${setting.name} | ${count} | **${p.toFixed(3)}** | ${pVote.toFixed(3)} | ${pProbe.toFixed(3)} | ${pBase.toFixed(3)} | ${ln.issueCount} (${(flaggedTrue / Math.max(1, ln.issueCount)).toFixed(3)} / ${(flaggedTrue / count).toFixed(3)}) | ${suggestedAcc(ln).toFixed(3)} (vote alone ${suggestedAcc(vote).toFixed(3)}) | ${(probe.agreement * 100).toFixed(1)} % | ${fmtT(tProbe)} | ${fmtT(tLn)} |`,
  );
  log(`noise ${setting.name}: P@K ${p.toFixed(3)} (vote alone ${pVote.toFixed(3)}, probe alone ${pProbe.toFixed(3)}, plain 10-NN ${pBase.toFixed(3)}), flagged ${ln.issueCount}, probe ${fmtT(tProbe)}`);
}

// ---- representative subsets -----------------------------------------------------------------
const trainPix = pixelVectors.subarray(0, NTRAIN * 784);
const testPix = pixelVectors.subarray(NTRAIN * 784, NREAL * 784);
const testLabels = labels.subarray(NTRAIN, NREAL);
const trainLabels = labels.subarray(0, NTRAIN);
const inputTrain = { vectors: vTrain, dim, graph: gTrain, labels: Int32Array.from(trainLabels), classNames, tiles: tiles.slice(0, NTRAIN) };
const scoresTrain = computeScores(inputTrain);
const spaceTrain = projectForClustering(vTrain, dim, { seed: 0 });
// With --vectors the same subsets are also scored by 1-NN on those vectors, the space they
// were curated in (the targets are on raw pixels).
const ownSpace = vectorsFile !== undefined;
const vTest = vectors.subarray(NTRAIN * dim, NREAL * dim);
const ownAcc = (picks: ArrayLike<number>) => oneNnAccuracy(vTrain, picks, trainLabels, vTest, testLabels, dim);
const repRows: string[] = [];
const repSummary: Record<number, { rep: number; rand: number; embeddingAlone: number }> = {};
for (const N of [100, 1000]) {
  const accs: number[] = [];
  const embOnly: number[] = [];
  let repOwn = NaN;
  for (const seed of [0, 1, 2, 3, 4]) {
    const res = curate({ ...inputTrain, space: spaceTrain }, scoresTrain, { mode: 'representative', n: N, seed });
    accs.push(oneNnAccuracy(trainPix, res.picks.map((p) => p.index), trainLabels, testPix, testLabels, 784));
    if (ownSpace && seed === 0) repOwn = ownAcc(res.picks.map((p) => p.index));
    const alone = curate({ ...inputTrain, space: spaceTrain }, scoresTrain, { mode: 'representative', n: N, seed, appearanceWeight: 0 });
    embOnly.push(oneNnAccuracy(trainPix, alone.picks.map((p) => p.index), trainLabels, testPix, testLabels, 784));
  }
  const unl = curate({ ...inputTrain, labels: undefined, space: spaceTrain }, computeScores({ ...inputTrain, labels: undefined }), { mode: 'representative', n: N, seed: 0 });
  const accUnl = oneNnAccuracy(trainPix, unl.picks.map((p) => p.index), trainLabels, testPix, testLabels, 784);
  const rand: number[] = [];
  const randOwn: number[] = [];
  for (let s = 0; s < 5; s++) {
    const picks = sampleIndices(NTRAIN, N, createRng(100 + s));
    rand.push(oneNnAccuracy(trainPix, picks, trainLabels, testPix, testLabels, 784));
    if (ownSpace) randOwn.push(ownAcc(picks));
  }
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  const pct = (a: number) => `${(a * 100).toFixed(1)} %`;
  // Headline: the mean over five seeds, like the random baseline beside it (one seed moves it by ±0.8 pts).
  repSummary[N] = { rep: mean(accs), rand: mean(rand), embeddingAlone: mean(embOnly) };
  repRows.push(
    `| ${N} | **${pct(mean(accs))}** | ${accs.map((a) => (a * 100).toFixed(1)).join(' / ')} | ${pct(mean(embOnly))} (${embOnly.map((a) => (a * 100).toFixed(1)).join(' / ')}) | ${pct(accUnl)} | ${pct(mean(rand))} (min ${(Math.min(...rand) * 100).toFixed(1)}, max ${(Math.max(...rand) * 100).toFixed(1)}) | +${((mean(accs) - mean(rand)) * 100).toFixed(1)} pts |${ownSpace ? ` ${pct(repOwn)} vs ${pct(mean(randOwn))} (+${((repOwn - mean(randOwn)) * 100).toFixed(1)} pts) |` : ''}`,
  );
  log(`representative N=${N}: ${accs.map((a) => a.toFixed(3)).join(' ')} embedding alone ${mean(embOnly).toFixed(3)} unlabelled ${accUnl.toFixed(3)} random ${mean(rand).toFixed(3)}${ownSpace ? `; 1-NN on the vectors: ${repOwn.toFixed(3)} vs random ${mean(randOwn).toFixed(3)}` : ''}`);
}

// ---- appearance weight on a validation split --------------------------------------------------
// How DEFAULT_APPEARANCE_WEIGHT was chosen, without looking at the test split: picks from the
// first 50,000 training digits, scored by 1-NN on raw pixels of the last 10,000.
const NPOOL = 50000;
const SWEEP = [0, 0.75, 1, 1.5, 2, 3];
const pool = remap((i) => i < NPOOL);
const inputPool = { vectors: vectors.subarray(0, NPOOL * dim), dim, graph: subgraph(full, pool.rows, pool.newIndex, K), labels: labels.slice(0, NPOOL), classNames, tiles: tiles.slice(0, NPOOL) };
const scoresPool = computeScores(inputPool);
const spacePool = projectForClustering(inputPool.vectors, dim, { seed: 0 });
const sweepRows: string[] = [];
for (const w of SWEEP) {
  const cells: string[] = [];
  for (const N of [100, 1000]) {
    let sum = 0;
    for (const seed of [0, 1]) {
      const res = curate({ ...inputPool, space: spacePool }, scoresPool, { mode: 'representative', n: N, seed, appearanceWeight: w });
      sum += oneNnAccuracy(pixelVectors, res.picks.map((p) => p.index), inputPool.labels, pixelVectors.subarray(NPOOL * 784, NTRAIN * 784), labels.slice(NPOOL, NTRAIN), 784);
    }
    cells.push(`${((sum / 2) * 100).toFixed(1)} %`);
  }
  const name = w === DEFAULT_APPEARANCE_WEIGHT ? `**${w} (default)**` : w === 0 ? '0 (vectors alone)' : String(w);
  sweepRows.push(`| ${name} | ${cells.join(' | ')} |`);
  log(`appearance weight ${w} on the validation split: ${cells.join(' / ')}`);
}

// ---- edge cases ------------------------------------------------------------------------------
const edgeRows: string[] = [];
const edgeRatio: Record<string, number> = {};
const SLICE = 1000;
const randomErr: number[] = [];
for (let s = 0; s < 5; s++) randomErr.push(sliceErrorRate(g70wide, labels, sampleIndices(NREAL, SLICE, createRng(200 + s))));
const randErr = randomErr.reduce((a, b) => a + b, 0) / randomErr.length;
for (const [name, req] of [
  ['edge-cases (rare + ambiguous)', { mode: 'edge-cases', n: SLICE, seed: 0 }],
  ['edge-cases, excluding likely mislabelled', { mode: 'edge-cases', n: SLICE, seed: 0, excludeMislabeled: true }],
  ['rare for its class only (edge-cases, criteria rare)', { mode: 'edge-cases', n: SLICE, seed: 0, criteria: 'rare' }],
  ['ambiguous only (edge-cases, criteria ambiguous)', { mode: 'edge-cases', n: SLICE, seed: 0, criteria: 'ambiguous' }],
  ['rare only (custom, sparseness weight)', { mode: 'custom', n: SLICE, seed: 0, weights: { sparseness: 1 } }],
] as const) {
  const res = curate(input70, scores70, req);
  const err = sliceErrorRate(g70wide, labels, res.picks.map((p) => p.index));
  const reasons = new Map<string, number>();
  for (const p of res.picks) reasons.set(p.reason, (reasons.get(p.reason) ?? 0) + 1);
  edgeRatio[name] = err / randErr;
  edgeRows.push(`| ${name} | ${(err * 100).toFixed(1)} % | **${(err / randErr).toFixed(1)}×** | ${[...reasons].map(([r, c]) => `${r} ${c}`).join(', ')} |`);
  log(`${name}: error ${(err * 100).toFixed(1)} % vs random ${(randErr * 100).toFixed(2)} % → ${(err / randErr).toFixed(1)}×`);
}

// ---- near duplicates ---------------------------------------------------------------------------
// Natural grouping: how much of the real data (no copies) each threshold puts in a group; the
// default threshold has to stay below the point where dense classes start to chain together.
const DUP_THRESHOLDS = [0.002, 0.003, 0.004, 0.005, 0.01, 0.02, 0.05, 0.1];
const naturalRows: string[] = [];
for (const thr of [...new Set([...DUP_THRESHOLDS, DEFAULT_NEAR_DUPLICATE_THRESHOLD])].sort((a, b) => a - b)) {
  const nd = findNearDuplicates(g70, thr);
  let grouped = 0;
  for (let i = 0; i < NREAL; i++) if (nd.groupOf[i] >= 0) grouped++;
  const largest = nd.groups.reduce((a, x) => Math.max(a, x.length), 0);
  naturalRows.push(`| ${thr}${thr === DEFAULT_NEAR_DUPLICATE_THRESHOLD ? ' (default)' : ''} | ${grouped} (${((100 * grouped) / NREAL).toFixed(2)} %) | ${nd.groups.length} | ${largest} |`);
}
const nn1 = Array.from({ length: NREAL }, (_, i) => g70.distances[i * g70.k]).sort((a, b) => a - b);
const nn1Line = `Cosine distance from each of the 70,000 digits to its nearest neighbour: ${[0.01, 0.05, 0.1, 0.5].map((p) => `${p === 0.5 ? 'median' : `p${p * 100}`} ${nn1[Math.floor(p * (NREAL - 1))].toFixed(4)}`).join(', ')}.`;

const dupRows: string[] = [];
const dupTarget: { atDefault?: { recall: number; precision: number }; bestPAtR?: number; bestRAtP?: number } = {};
/** The embedding rule's groups at its default, per injected set (first row → groups), for the combined rule below. */
const embeddingAtDefault = new Map<number, DuplicateGroups>();
if (withDups) {
  for (const [setName, first, src] of [['shifted 1–2 px + noise', NREAL, dupSource], ['control: noise only', NREAL + DUPS, controlSource]] as const) {
    // Only this set's copies are counted; the other set's rows are left out of the graph.
    const other = first === NREAL ? NREAL + DUPS : NREAL;
    const keep = remap((i) => i < other || i >= other + DUPS);
    const g = subgraph(full, keep.rows, keep.newIndex, K);
    embeddingAtDefault.set(first, findNearDuplicates(g, DEFAULT_NEAR_DUPLICATE_THRESHOLD));
    const isCopyOrSource = new Uint8Array(g.n);
    for (let t = 0; t < DUPS; t++) { isCopyOrSource[keep.newIndex[first + t]] = 1; isCopyOrSource[src[t]] = 1; }
    let inList = 0, inK = 0;
    const dists: number[] = [];
    for (let t = 0; t < DUPS; t++) {
      const c = keep.newIndex[first + t];
      for (let e = 0; e < g.k; e++) if (g.indices[c * g.k + e] === src[t]) { inK++; break; }
      const cf = first + t;
      for (let e = 0; e < full.k; e++) if (full.indices[cf * full.k + e] === src[t]) { inList++; dists.push(full.distances[cf * full.k + e]); break; }
    }
    dists.sort((a, b) => a - b);
    const evaluate = (thr: number, ratio: number) => {
      const t = timed(() => findNearDuplicates(g, thr, ratio));
      const nd = t.value;
      let found = 0, grouped = 0, good = 0;
      for (let u = 0; u < DUPS; u++) {
        const gid = nd.groupOf[keep.newIndex[first + u]];
        if (gid >= 0 && gid === nd.groupOf[src[u]]) found++;
      }
      for (let i = 0; i < g.n; i++) if (nd.groupOf[i] >= 0) { grouped++; good += isCopyOrSource[i]; }
      const largest = nd.groups.reduce((a, x) => Math.max(a, x.length), 0);
      return { recall: found / DUPS, precision: grouped ? good / grouped : NaN, groups: nd.groups.length, largest, wall: t.wall };
    };
    dupRows.push(`**${setName}**: the source is among the copy's ${QUERY_K} nearest neighbours for ${inList} / ${DUPS} copies (among its ${K}, which bounds the recall of any threshold: ${inK} / ${DUPS}); median cosine distance copy → source ${dists.length ? dists[Math.floor(dists.length / 2)].toFixed(4) : '–'} (90th percentile ${dists.length ? dists[Math.floor(dists.length * 0.9)].toFixed(4) : '–'}).`);
    dupRows.push('');
    dupRows.push('| threshold (cosine distance) | density guard | recall | precision | groups | largest group | time |');
    dupRows.push('|---|---|---|---|---|---|---|');
    const f3 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));
    if (first === NREAL) {
      const r = evaluate(DEFAULT_NEAR_DUPLICATE_THRESHOLD, Infinity);
      dupTarget.atDefault = { recall: r.recall, precision: Number.isNaN(r.precision) ? 0 : r.precision };
    }
    for (const [thr, ratio] of [...DUP_THRESHOLDS.map((t) => [t, Infinity]), [0.02, 0.3], [0.05, 0.3], [0.1, 0.3]]) {
      const r = evaluate(thr, ratio);
      dupRows.push(`| ${thr}${thr === DEFAULT_NEAR_DUPLICATE_THRESHOLD && ratio === Infinity ? ' (default)' : ''} | ${ratio === Infinity ? 'off' : `maxRatio ${ratio}`} | ${r.recall.toFixed(3)} | ${f3(r.precision)} | ${r.groups} | ${r.largest} | ${r.wall.toFixed(0)} ms |`);
      log(`near-dup ${setName} thr ${thr} ratio ${ratio}: recall ${r.recall.toFixed(3)} precision ${f3(r.precision)} groups ${r.groups} largest ${r.largest}`);
    }
    // The whole curve on a fine grid, summarised: can any threshold meet both targets?
    const grid = Array.from({ length: 41 }, (_, t) => 0.001 * 200 ** (t / 40));
    const parts: string[] = [];
    for (const ratio of [Infinity, 0.3, 0.5, 1]) {
      let bestF = { f: -1, thr: 0, recall: 0, precision: 0 };
      let maxPAtR = NaN, maxRAtP = NaN;
      for (const thr of grid) {
        const r = evaluate(thr, ratio);
        const p = Number.isNaN(r.precision) ? 0 : r.precision;
        const f = p + r.recall > 0 ? (2 * p * r.recall) / (p + r.recall) : 0;
        if (f > bestF.f) bestF = { f, thr, recall: r.recall, precision: p };
        if (r.recall >= 0.95 && !(p <= maxPAtR)) maxPAtR = p;
        if (p >= 0.95 && !(r.recall <= maxRAtP)) maxRAtP = r.recall;
      }
      if (first === NREAL) {
        // Best over the grids of every density-guard setting, for the targets table.
        if (!Number.isNaN(maxPAtR) && !(maxPAtR <= (dupTarget.bestPAtR ?? -1))) dupTarget.bestPAtR = maxPAtR;
        if (!Number.isNaN(maxRAtP) && !(maxRAtP <= (dupTarget.bestRAtP ?? -1))) dupTarget.bestRAtP = maxRAtP;
      }
      const guard = ratio === Infinity ? 'off' : `maxRatio ${ratio}`;
      if (bestF.f <= 0) { parts.push(`density guard ${guard}: no copy grouped with its source correctly at any threshold`); continue; }
      parts.push(`density guard ${guard}: best F1 ${bestF.f.toFixed(3)} at ${bestF.thr.toPrecision(2)} (recall ${bestF.recall.toFixed(3)}, precision ${bestF.precision.toFixed(3)}); highest precision with recall ≥ 0.95: ${Number.isNaN(maxPAtR) ? 'none reaches that recall' : maxPAtR.toFixed(3)}; highest recall with precision ≥ 0.95: ${Number.isNaN(maxRAtP) ? 'none reaches that precision' : maxRAtP.toFixed(3)}`);
    }
    dupRows.push('');
    dupRows.push(`Over 41 thresholds from 0.001 to 0.2 (log-spaced): ${parts.join('; ')}.`);
    log(`near-dup ${setName} curve: ${parts.join(' | ')}`);
    dupRows.push('');
  }
}

// ---- near duplicates by appearance (signature.ts) ------------------------------------------------
// Independent of the vectors: signatures come from the pixels, so this runs in every mode. One
// exact pair search up to APP_MAX per set, then union-find per threshold.
const APP_MAX = 0.01;
const APP_THRESHOLDS = [...new Set([0.001, 0.0015, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.0075, 0.01, DEFAULT_APPEARANCE_THRESHOLD])].sort((a, b) => a - b);
const appRows: string[] = [];
const appTarget: { alone?: GroupScore; either?: GroupScore; window?: [number, number] } = {};
let appNatural = '';
for (const [setName, first, src] of [['shifted 1–2 px + noise', NREAL, dupSource], ['control: noise only', NREAL + DUPS, controlSource]] as const) {
  const other = first === NREAL ? NREAL + DUPS : NREAL;
  const keep = remap((i) => i < other || i >= other + DUPS);
  const sigs = Array.from(keep.rows, (i) => signatures[i]);
  const copies = Array.from({ length: DUPS }, (_, t) => keep.newIndex[first + t]);
  const good = new Uint8Array(keep.rows.length);
  for (let t = 0; t < DUPS; t++) { good[copies[t]] = 1; good[src[t]] = 1; }
  const tGroup = timed(() => findAppearanceDuplicates(sigs));
  const pairs = pairsWithin(sigs, APP_MAX);
  if (first === NREAL) {
    // The real digits alone: the rows before the copies.
    const nn = Array.from(nearestFromPairs(NREAL, pairs)).sort((a, b) => a - b);
    const pct = (p: number) => { const v = nn[Math.floor(p * (NREAL - 1))]; return Number.isFinite(v) ? v.toFixed(4) : `> ${APP_MAX}`; };
    const natural = APP_THRESHOLDS.map((thr) => {
      const r = scoreGroups(groupsAt(NREAL, pairsAmongFirst(pairs, NREAL), thr), [], [], new Uint8Array(NREAL));
      return `| ${thr}${thr === DEFAULT_APPEARANCE_THRESHOLD ? ' (default)' : ''} | ${r.grouped} (${((100 * r.grouped) / NREAL).toFixed(2)} %) | ${r.groups} | ${r.largest} |`;
    });
    appNatural = `Correlation distance from each of the 70,000 digits to its nearest other digit: p0.01 ${pct(0.0001)}, p0.1 ${pct(0.001)}, p0.5 ${pct(0.005)}, p1 ${pct(0.01)}, p5 ${pct(0.05)}, median ${pct(0.5)} (pairs are searched up to ${APP_MAX}). Real digits put in a group (no copies):

| threshold | digits in a group | groups | largest group |
|---|---|---|---|
${natural.join('\n')}`;
  }
  const d = Array.from({ length: DUPS }, (_, t) => signatureDistance(sigs[copies[t]], sigs[src[t]])).sort((a, b) => a - b);
  const q = (p: number) => d[Math.floor(p * (DUPS - 1))].toFixed(5);
  appRows.push(`**${setName}**: correlation distance copy → source median ${q(0.5)}, p90 ${q(0.9)}, p95 ${q(0.95)}, p99 ${q(0.99)}. Grouping these ${sigs.length.toLocaleString('en-US')} signatures at the default: ${fmtT(tGroup)} (wall | CPU).`);
  appRows.push('');
  appRows.push('| threshold (correlation distance) | recall | precision | grouped | groups | largest group |');
  appRows.push('|---|---|---|---|---|---|');
  const f3 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));
  for (const thr of APP_THRESHOLDS) {
    const r = scoreGroups(groupsAt(sigs.length, pairs, thr), copies, src, good);
    appRows.push(`| ${thr}${thr === DEFAULT_APPEARANCE_THRESHOLD ? ' (default)' : ''} | ${r.recall.toFixed(3)} | ${f3(r.precision)} | ${r.grouped} | ${r.groups} | ${r.largest} |`);
    log(`appearance ${setName} thr ${thr}: recall ${r.recall.toFixed(3)} precision ${f3(r.precision)} grouped ${r.grouped}`);
  }
  const alone = scoreGroups(tGroup.value.groupOf, copies, src, good);
  // The product's rule: a pair is a near duplicate when either the embedding or the appearance rule says so.
  const emb = embeddingAtDefault.get(first);
  const either = emb ? scoreGroups(mergeGroups(sigs.length, emb, tGroup.value).groupOf, copies, src, good) : undefined;
  const grid = Array.from({ length: 41 }, (_, t) => 0.0005 * 20 ** (t / 40));
  const both = grid.filter((thr) => { const r = scoreGroups(groupsAt(sigs.length, pairs, thr), copies, src, good); return r.recall >= 0.95 && r.precision >= 0.95; });
  const window: [number, number] | undefined = both.length ? [both[0], both[both.length - 1]] : undefined;
  if (first === NREAL) Object.assign(appTarget, { alone, either, window });
  appRows.push('');
  appRows.push(`At the default ${DEFAULT_APPEARANCE_THRESHOLD}: recall ${alone.recall.toFixed(3)}, precision ${f3(alone.precision)}. ${either ? `Either rule (the product's near duplicates: appearance ≤ ${DEFAULT_APPEARANCE_THRESHOLD} or embedding ≤ ${DEFAULT_NEAR_DUPLICATE_THRESHOLD}): recall ${either.recall.toFixed(3)}, precision ${f3(either.precision)}, ${either.grouped} grouped. ` : ''}Over 41 thresholds from 0.0005 to 0.01 (log-spaced), recall ≥ 0.95 and precision ≥ 0.95 together: ${window ? `from ${window[0].toPrecision(2)} to ${window[1].toPrecision(2)}` : 'at none'}.`);
  if (first === NREAL) appRows.push('');
  log(`appearance ${setName}: default recall ${alone.recall.toFixed(3)} precision ${f3(alone.precision)}${either ? `; either rule recall ${either.recall.toFixed(3)} precision ${f3(either.precision)}` : ''}; both ≥ 0.95 ${window ? window.map((x) => x.toPrecision(2)).join('–') : 'nowhere'}`);
}

// Measured before the probe, which loads the ONNX model.
const rss = peakRssMiB();
log(`peak RSS ${rss.toFixed(0)} MiB`);

// ---- edits in the built-in embedding (--probe-builtin) ---------------------------------------
let probeRows: string[] = [];
const PROBE_THRESHOLDS = [...new Set([0.002, 0.003, 0.004, DEFAULT_NEAR_DUPLICATE_THRESHOLD, 0.005, 0.01, 0.02])].sort((a, b) => a - b);
if (args.includes('--probe-builtin')) {
  const { probeEdits } = await import('./lib/dup-probe');
  const nn1Of = new Float32Array(NREAL);
  for (let i = 0; i < NREAL; i++) nn1Of[i] = g70.distances[i * g70.k];
  probeRows = await probeEdits(pixels, vectors, dim, nn1Of, sampleIndices(NREAL, 300, createRng(99)), PROBE_THRESHOLDS);
  for (const r of probeRows) log(`probe ${r}`);
}
const APP_PROBE_THRESHOLDS = [...new Set([0.001, DEFAULT_APPEARANCE_THRESHOLD, 0.005])].sort((a, b) => a - b);
const appProbeRows = await (await import('./lib/dup-probe')).probeAppearance(pixels, sampleIndices(NREAL, 300, createRng(99)), APP_PROBE_THRESHOLDS);
for (const r of appProbeRows) log(`appearance probe ${r}`);

// ---- targets ------------------------------------------------------------------------------------
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
function nearDuplicateTargets(): string[] {
  const rp = (r: GroupScore) => `${r.recall.toFixed(3)} / ${(Number.isNaN(r.precision) ? 0 : r.precision).toFixed(3)}`;
  const met = (r: GroupScore) => yes(r.recall >= 0.95 && r.precision >= 0.95);
  const rows: string[] = [];
  const { either, alone, window } = appTarget;
  if (either) rows.push(`| near duplicates, shifted copies, as the app groups them (appearance ≤ ${DEFAULT_APPEARANCE_THRESHOLD} or embedding ≤ ${DEFAULT_NEAR_DUPLICATE_THRESHOLD}): recall / precision | ≥ 0.95 / ≥ 0.95 | ${rp(either)} | ${met(either)} |`);
  if (alone) rows.push(`| … appearance rule alone at its default ${DEFAULT_APPEARANCE_THRESHOLD} (thresholds meeting both: ${window ? `${window[0].toPrecision(2)}–${window[1].toPrecision(2)}` : 'none'}) | ≥ 0.95 / ≥ 0.95 | ${rp(alone)} | ${met(alone)} |`);
  if (withDups && dupTarget.atDefault) {
    rows.push(`| … embedding rule alone at its default ${DEFAULT_NEAR_DUPLICATE_THRESHOLD} | ≥ 0.95 / ≥ 0.95 | ${dupTarget.atDefault.recall.toFixed(3)} / ${dupTarget.atDefault.precision.toFixed(3)} | ${yes(dupTarget.atDefault.recall >= 0.95 && dupTarget.atDefault.precision >= 0.95)} |`);
    rows.push(`| … embedding rule alone, best over any threshold 0.001–0.2 and density guard: precision at recall ≥ 0.95 / recall at precision ≥ 0.95 | ≥ 0.95 / ≥ 0.95 | ${dupTarget.bestPAtR?.toFixed(3) ?? 'recall never ≥ 0.95'} / ${dupTarget.bestRAtP?.toFixed(3) ?? 'precision never ≥ 0.95'} | ${yes((dupTarget.bestPAtR ?? 0) >= 0.95)} |`);
  } else rows.push(`| … embedding rule | ≥ 0.95 / ≥ 0.95 | not measured (no copies in the vectors file) | – |`);
  return rows;
}
const totalWall = tScores.wall + tSpace.wall + tRep.wall;
const targetRows = [
  `| label noise precision@K, 10 % symmetric flips | ≥ 0.93 | ${noiseAt['sym0.1'].toFixed(3)} | ${yes(noiseAt['sym0.1'] >= 0.93)} |`,
  `| label noise precision@K, 10 % flips along look-alike pairs (A: ${pairName(PAIR_SETS[DATASET].A)}) | ≥ 0.85 | ${noiseAt.pairsA.toFixed(3)} (pairs B: ${noiseAt.pairsB.toFixed(3)}) | ${yes(noiseAt.pairsA >= 0.85)} |`,
  `| representative N=100, 1-NN on raw pixels, mean of 5 seeds (random: ${(repSummary[100].rand * 100).toFixed(1)} %; vectors alone: ${(repSummary[100].embeddingAlone * 100).toFixed(1)} %) | ≥ 85 % | ${(repSummary[100].rep * 100).toFixed(1)} % | ${yes(repSummary[100].rep >= 0.85)} |`,
  `| representative N=1,000, 1-NN on raw pixels, mean of 5 seeds (random: ${(repSummary[1000].rand * 100).toFixed(1)} %; vectors alone: ${(repSummary[1000].embeddingAlone * 100).toFixed(1)} %) | ≥ 94 % | ${(repSummary[1000].rep * 100).toFixed(1)} % | ${yes(repSummary[1000].rep >= 0.94)} |`,
  `| edge-cases error vs random slice | ≥ 10× | ${edgeRatio['edge-cases (rare + ambiguous)'].toFixed(1)}× (rare for its class only: ${edgeRatio['rare for its class only (edge-cases, criteria rare)'].toFixed(1)}×, target ≥ 4×) | ${yes(edgeRatio['edge-cases (rare + ambiguous)'] >= 10)} |`,
  ...nearDuplicateTargets(),
  `| scores + projection + representative N=1,000, wall | ≤ 5 s | ${(totalWall / 1000).toFixed(2)} s | ${yes(totalWall <= 5000)} |`,
];

const body = `
Vectors: ${source}.${vectorsFile ? ' How the built-in embedding file is made: see the header of bench/curate.ts (project vectors from `winnow vectors`, plus the injected copies embedded with the built-in model on the CPU, batches of 64, by bench/lib/builtin-vectors.ts).' : ''} k-NN graph: hnswlib-node HNSW (M 16, efConstruction 100, ef 64), k = ${K} for scoring${Number.isNaN(buildMs) ? ' (graph loaded from cache)' : `, built in ${(buildMs / 1000).toFixed(0)} s (not counted below)`}.

### Targets
| measure | target | this run | met |
|---|---|---|---|
${targetRows.join('\n')}

### Time and memory (70,000 samples, graph given)
| step | wall | CPU |
|---|---|---|
${timing.join('\n')}

Peak RSS of the whole bench: ${rss.toFixed(0)} MiB${probeRows.length ? ' (before --probe-builtin loads the model)' : ''}.

### Label noise (70,000 images, labels flipped to another class)
precision@K with K = number flipped. Default = what computeScores does: the out-of-fold linear probe on the vectors (core/curate/engine/probe.ts: 5 folds, ridge, softmax temperature fitted to the given labels) mixed into the k-NN vote with weight ${PROBE_WEIGHT} (labelNoise.ts: 3 rounds, reverse edges, distance weights, class-prior correction, per-class confident-learning thresholds), ranked by the 'noise-rates' score (the confident joint's class-to-class noise rates, each sample counted in the joint by how typical its confidence is of the class it is called: engine/noise-rates.ts). "Vote alone" = the same without the probe; "probe alone" = 1 − the probe's probability of the given label; "plain 10-NN" = unweighted vote, fraction of the 10 nearest neighbours that disagree (baseline, same graph). Flagged = off-diagonal of the confident joint (precision / recall of the flag). Suggested = share of the flipped samples in the top K whose suggested label is the true one. Probe agreement = share of samples whose out-of-fold argmax is their (noisy) label. Pairs A: ${pairName(PAIR_SETS[DATASET].A)}; pairs B: ${pairName(PAIR_SETS[DATASET].B)}; each sample of a paired class moves to its partner with probability 0.1.

| flipped | K | precision@K (default) | vote alone | probe alone | plain 10-NN | flagged (P / R) | suggested correct | probe agreement | probe wall / CPU | vote wall / CPU |
|---|---|---|---|---|---|---|---|---|---|---|
${noiseRows.join('\n')}

### Representative subset (curated from the 60,000 training digits; 1-NN on raw pixels, tested on the 10,000 test digits)
As the app runs it: clustered on the vectors and, beside them, the digits' 16×16 appearance tiles at the default weight ${DEFAULT_APPEARANCE_WEIGHT} (chosen on a validation split of the training digits, see core/curate/engine/modes/joint-space.ts). "Vectors alone" is the same mode with appearanceWeight 0.

| N | representative, mean of seeds 0–4 | seeds 0 / 1 / 2 / 3 / 4 | vectors alone (weight 0), mean (seeds 0–4) | without labels (seed 0) | random, mean of 5 seeds | gain |${ownSpace ? ' 1-NN on the vectors instead: representative (seed 0) vs random |' : ''}
|---|---|---|---|---|---|---|${ownSpace ? '---|' : ''}
${repRows.join('\n')}

How the default weight was chosen (validation split: picks from the first 50,000 training digits, 1-NN on raw pixels of the last 10,000; mean of seeds 0–1; the test split plays no part):

| appearance weight | N=100 | N=1,000 |
|---|---|---|
${sweepRows.join('\n')}

### Edge cases (70,000 digits, slice of ${SLICE}; error of 1-NN over the graph, trained on the samples outside the slice)
Random slice of the same size: ${(randErr * 100).toFixed(2)} % error (mean of 5).

| slice | error | vs random | reasons |
|---|---|---|---|
${edgeRows.join('\n')}

Note: the "ambiguous" criterion and the evaluation classifier share the same neighbourhoods (this run's graph), so the rare-only row is the less circular measure.

### Near duplicates (${DUPS} injected copies of random digits, noise σ = 8 grey levels; each set evaluated on its own)
The app groups a pair as near duplicates when either rule does: appearance signatures within DEFAULT_APPEARANCE_THRESHOLD = ${DEFAULT_APPEARANCE_THRESHOLD}, or k-NN graph edges within DEFAULT_NEAR_DUPLICATE_THRESHOLD = ${DEFAULT_NEAR_DUPLICATE_THRESHOLD} in the embedding. Recall = copies grouped with their source; precision = grouped samples that are a copy or a source (natural near-identical MNIST digits count against it).

#### By appearance (core/curate/engine/signature.ts: 16×16 grey, centred on the content's centroid, blurred; correlation distance; exact pair search)
Signatures of all ${signatures.length.toLocaleString('en-US')} images (28×28): ${fmtT(tSignatures)} (wall | CPU). ${appNatural}

The edits of the embedding probe below, measured on the signatures (the same 300 digits): correlation distance to the source and share within each threshold:

| edit | median distance | p90 | ${APP_PROBE_THRESHOLDS.map((t) => `≤ ${t}${t === DEFAULT_APPEARANCE_THRESHOLD ? ' (default)' : ''}`).join(' | ')} |
|---|---|---|${APP_PROBE_THRESHOLDS.map(() => '---|').join('')}
${appProbeRows.join('\n')}

${appRows.join('\n')}

#### In the embedding
Default threshold (DEFAULT_NEAR_DUPLICATE_THRESHOLD): ${DEFAULT_NEAR_DUPLICATE_THRESHOLD}. ${nn1Line} Real digits put in a group (70,000 digits, no copies; union-find chains make the largest group grow fast once a dense class connects):

| threshold | digits in a group | groups | largest group |
|---|---|---|---|
${naturalRows.join('\n')}

${probeRows.length ? `How far common edits move a digit in the built-in embedding (300 random digits, each edited copy embedded like the app embeds grey pixels): cosine distance to the source, share of copies within each threshold, and share closer to the source than the source's nearest natural neighbour (a necessary condition for any threshold to group them without grouping distinct digits):

| edit | median distance | p90 | ${PROBE_THRESHOLDS.map((t) => `≤ ${t}${t === DEFAULT_NEAR_DUPLICATE_THRESHOLD ? ' (default)' : ''}`).join(' | ')} | closer than the nearest natural neighbour |
|---|---|---|${PROBE_THRESHOLDS.map(() => '---|').join('')}---|
${probeRows.join('\n')}

` : ''}${withDups ? dupRows.join('\n') : 'Skipped: the vectors file has no rows for the injected copies.'}
`;
writeSection(DATASET === 'mnist' ? `curate (${label})` : `curate (${label}, ${DATASET_TITLE[DATASET]})`, `npx tsx bench/curate.ts${args.map((a) => ' ' + (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join('')}`, body);
log(`representative summary: ${JSON.stringify(repSummary)}`);

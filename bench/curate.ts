// Curation engine on MNIST 70k: label-noise precision@K, representative subsets (1-NN on raw
// pixels vs random), edge cases (error rate vs a random slice), injected near duplicates,
// time for scores + one curate run, peak RSS.
//
//   npx tsx bench/curate.ts [--vectors FILE.f32 --dim D] [--cache DIR] [--write-dups FILE.u8]
//
// Rows are the 60,000 training digits, then the 10,000 test digits, then 500 injected copies
// of random digits shifted 1–2 px with Gaussian noise (σ = 8 grey levels), then 500 control
// copies with the same noise but no shift (all deterministic). Without --vectors the vectors
// are the L2-normalised raw pixels. With --vectors, FILE holds float32 rows in that order
// (71,000 rows; or 70,000, which skips the near-duplicate part); --write-dups writes the
// injected copies' pixels (1,000 × 784 bytes, same order) so they can be embedded.
// The k-NN graph is built with hnswlib-node (inner product on unit vectors = cosine).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import hnswlib from 'hnswlib-node';
import type { KnnGraph } from '../src-shared/model/knn';
import { computeScores, curate, computeLabelNoise, findNearDuplicates, projectForClustering } from '../src-main/core/curate';
import { createRng, sampleIndices } from '../src-main/core/curate/rng';
import { loadMnist, normalizedPixels, shiftedCopy } from '../src-main/core/curate/testing/mnist';
import { flipLabels, oneNnAccuracy, precisionAtK, sliceErrorRate, subgraph } from '../src-main/core/curate/testing/eval';
import { peakRssMiB, writeSection } from './lib/report';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const K = 15; // graph degree used for scoring
const QUERY_K = 30; // neighbours fetched, so that filtered graphs still have K
const DUPS = 500; // per injected set: shifted, then unshifted control
const log = (s: string) => console.log(s);

function ms(t0: number): number {
  return performance.now() - t0;
}

// ---- data -----------------------------------------------------------------------------
const train = loadMnist('train');
const test = loadMnist('test');
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
if (dupsFile) writeFileSync(dupsFile, pixels.subarray(NREAL * 784));

const pixelVectors = normalizedPixels(pixels);
let vectors = pixelVectors;
let dim = 784;
let source = 'raw pixels (784-d, L2-normalised)';
const vectorsFile = arg('vectors');
if (vectorsFile) {
  dim = Number(arg('dim'));
  const buf = readFileSync(vectorsFile);
  vectors = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4).slice();
  source = `${vectorsFile} (${dim}-d)`;
}
const rows = vectors.length / dim;
if (rows !== NREAL && rows !== NREAL + 2 * DUPS) throw new Error(`--vectors must hold ${NREAL} or ${NREAL + 2 * DUPS} rows, found ${rows}.`);
const withDups = rows === NREAL + 2 * DUPS;

// ---- graph ----------------------------------------------------------------------------
function buildGraph(v: Float32Array, d: number): { graph: KnnGraph; buildMs: number } {
  const n = v.length / d;
  const cacheDir = arg('cache');
  const key = createHash('sha1').update(new Uint8Array(v.buffer, v.byteOffset, Math.min(v.byteLength, 1 << 22))).update(`${n}:${d}:${QUERY_K}`).digest('hex').slice(0, 12);
  const file = cacheDir ? join(cacheDir, `curate-graph-${key}.bin`) : undefined;
  if (file && existsSync(file)) {
    const buf = readFileSync(file);
    const indices = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + n * QUERY_K * 4));
    const distances = new Float32Array(buf.buffer.slice(buf.byteOffset + n * QUERY_K * 4, buf.byteOffset + n * QUERY_K * 8));
    return { graph: { n, k: QUERY_K, indices, distances }, buildMs: NaN };
  }
  const t0 = performance.now();
  const index = new hnswlib.HierarchicalNSW('ip', d);
  index.initIndex(n, 16, 100, 100);
  for (let i = 0; i < n; i++) index.addPoint(Array.from(v.subarray(i * d, i * d + d)), i);
  index.setEf(64);
  const indices = new Int32Array(n * QUERY_K).fill(-1);
  const distances = new Float32Array(n * QUERY_K).fill(2);
  for (let i = 0; i < n; i++) {
    const res = index.searchKnn(Array.from(v.subarray(i * d, i * d + d)), QUERY_K + 1);
    const order = res.neighbors.map((_, t) => t).sort((a, b) => res.distances[a] - res.distances[b]);
    let t = 0;
    for (const o of order) {
      if (res.neighbors[o] === i || t >= QUERY_K) continue;
      indices[i * QUERY_K + t] = res.neighbors[o];
      distances[i * QUERY_K + t] = Math.max(0, res.distances[o]);
      t++;
    }
  }
  const buildMs = ms(t0);
  if (file) {
    mkdirSync(cacheDir!, { recursive: true });
    writeFileSync(file, Buffer.concat([Buffer.from(indices.buffer), Buffer.from(distances.buffer)]));
  }
  return { graph: { n, k: QUERY_K, indices, distances }, buildMs };
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
const classNames = Array.from({ length: 10 }, (_, c) => String(c));

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
const input70 = { vectors: v70, dim, graph: g70, labels, classNames };
const tScores = timed(() => computeScores(input70));
const scores70 = tScores.value;
const tSpace = timed(() => projectForClustering(v70, dim, { seed: 0 }));
const tRep = timed(() => curate({ ...input70, space: tSpace.value }, scores70, { mode: 'representative', n: 1000, seed: 0 }));
const timing: string[] = [
  `| computeScores (70k, k=${K}: sparseness, label noise, near duplicates, class balance) | ${fmtT(tScores)} |`,
  `| projectForClustering (PCA to 32-d; the map step's PCA can be passed in instead) | ${fmtT(tSpace)} |`,
  `| curate representative N=1,000 (given the projection) | ${fmtT(tRep)} |`,
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
/** The baseline: unweighted k-NN vote, score = fraction of neighbours that disagree. */
function plainVote(graph: KnnGraph, y: Int32Array, k: number): Float32Array {
  const s = new Float32Array(graph.n);
  for (let i = 0; i < graph.n; i++) {
    let agree = 0, c = 0;
    for (let e = 0; e < Math.min(k, graph.k); e++) {
      const j = graph.indices[i * graph.k + e];
      if (j < 0) continue;
      c++;
      if (y[j] === y[i]) agree++;
    }
    s[i] = c ? 1 - agree / c : 0;
  }
  return s;
}
const noiseRows: string[] = [];
for (const rate of [0.05, 0.1, 0.2]) {
  const { labels: noisy, flipped, count } = flipLabels(labels, 10, rate, createRng(Math.round(rate * 1000)));
  const tLn = timed(() => computeLabelNoise(g70, noisy, 10));
  const ln = tLn.value;
  const p = precisionAtK(ln.score, flipped, count);
  const p1 = precisionAtK(computeLabelNoise(g70, noisy, 10, { rounds: 1 }).score, flipped, count);
  const pNoRev = precisionAtK(computeLabelNoise(g70, noisy, 10, { reverse: false }).score, flipped, count);
  const pBase = precisionAtK(plainVote(g70, noisy, 10), flipped, count);
  let flaggedTrue = 0, suggestedRight = 0, flippedFound = 0;
  const order = Array.from({ length: NREAL }, (_, i) => i).sort((a, b) => ln.score[b] - ln.score[a] || a - b);
  for (let t = 0; t < count; t++) {
    const i = order[t];
    if (flipped[i]) { flippedFound++; if (ln.suggested[i] === labels[i]) suggestedRight++; }
  }
  for (let i = 0; i < NREAL; i++) if (ln.likelyMislabeled[i] && flipped[i]) flaggedTrue++;
  noiseRows.push(
    `| ${rate * 100} % | ${count} | **${p.toFixed(3)}** | ${pNoRev.toFixed(3)} | ${p1.toFixed(3)} | ${pBase.toFixed(3)} | ${ln.issueCount} (${(flaggedTrue / Math.max(1, ln.issueCount)).toFixed(3)} / ${(flaggedTrue / count).toFixed(3)}) | ${(suggestedRight / Math.max(1, flippedFound)).toFixed(3)} | ${fmtT(tLn)} |`,
  );
  log(`noise ${rate}: P@K ${p.toFixed(3)} (no reverse ${pNoRev.toFixed(3)}, 1 round ${p1.toFixed(3)}, plain 10-NN ${pBase.toFixed(3)}), flagged ${ln.issueCount}`);
}

// ---- representative subsets -----------------------------------------------------------------
const trainPix = pixelVectors.subarray(0, NTRAIN * 784);
const testPix = pixelVectors.subarray(NTRAIN * 784, NREAL * 784);
const testLabels = labels.subarray(NTRAIN, NREAL);
const trainLabels = labels.subarray(0, NTRAIN);
const inputTrain = { vectors: vTrain, dim, graph: gTrain, labels: Int32Array.from(trainLabels), classNames };
const scoresTrain = computeScores(inputTrain);
const spaceTrain = projectForClustering(vTrain, dim, { seed: 0 });
const repRows: string[] = [];
const repSummary: Record<number, { rep: number; rand: number }> = {};
for (const N of [100, 1000]) {
  const accs: number[] = [];
  for (const seed of [0, 1, 2]) {
    const res = curate({ ...inputTrain, space: spaceTrain }, scoresTrain, { mode: 'representative', n: N, seed });
    accs.push(oneNnAccuracy(trainPix, res.picks.map((p) => p.index), trainLabels, testPix, testLabels, 784));
  }
  const unl = curate({ ...inputTrain, labels: undefined, space: spaceTrain }, computeScores({ ...inputTrain, labels: undefined }), { mode: 'representative', n: N, seed: 0 });
  const accUnl = oneNnAccuracy(trainPix, unl.picks.map((p) => p.index), trainLabels, testPix, testLabels, 784);
  const rand: number[] = [];
  for (let s = 0; s < 5; s++) rand.push(oneNnAccuracy(trainPix, sampleIndices(NTRAIN, N, createRng(100 + s)), trainLabels, testPix, testLabels, 784));
  const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  repSummary[N] = { rep: accs[0], rand: mean(rand) };
  repRows.push(
    `| ${N} | **${(accs[0] * 100).toFixed(1)} %** | ${(mean(accs) * 100).toFixed(1)} % (${accs.map((a) => (a * 100).toFixed(1)).join(' / ')}) | ${(accUnl * 100).toFixed(1)} % | ${(mean(rand) * 100).toFixed(1)} % (min ${(Math.min(...rand) * 100).toFixed(1)}, max ${(Math.max(...rand) * 100).toFixed(1)}) | +${((accs[0] - mean(rand)) * 100).toFixed(1)} pts |`,
  );
  log(`representative N=${N}: ${accs.map((a) => a.toFixed(3)).join(' ')} unlabelled ${accUnl.toFixed(3)} random ${mean(rand).toFixed(3)}`);
}

// ---- edge cases ------------------------------------------------------------------------------
const edgeRows: string[] = [];
const SLICE = 1000;
const randomErr: number[] = [];
for (let s = 0; s < 5; s++) randomErr.push(sliceErrorRate(g70wide, labels, sampleIndices(NREAL, SLICE, createRng(200 + s))));
const randErr = randomErr.reduce((a, b) => a + b, 0) / randomErr.length;
for (const [name, req] of [
  ['edge-cases (rare + ambiguous)', { mode: 'edge-cases', n: SLICE, seed: 0 }],
  ['edge-cases, excluding likely mislabelled', { mode: 'edge-cases', n: SLICE, seed: 0, excludeMislabeled: true }],
  ['rare only (custom, sparseness weight)', { mode: 'custom', n: SLICE, seed: 0, weights: { sparseness: 1 } }],
] as const) {
  const res = curate(input70, scores70, req);
  const err = sliceErrorRate(g70wide, labels, res.picks.map((p) => p.index));
  const reasons = new Map<string, number>();
  for (const p of res.picks) reasons.set(p.reason, (reasons.get(p.reason) ?? 0) + 1);
  edgeRows.push(`| ${name} | ${(err * 100).toFixed(1)} % | **${(err / randErr).toFixed(1)}×** | ${[...reasons].map(([r, c]) => `${r} ${c}`).join(', ')} |`);
  log(`${name}: error ${(err * 100).toFixed(1)} % vs random ${(randErr * 100).toFixed(2)} % → ${(err / randErr).toFixed(1)}×`);
}

// ---- near duplicates ---------------------------------------------------------------------------
const dupRows: string[] = [];
if (withDups) {
  for (const [setName, first, src] of [['shifted 1–2 px + noise', NREAL, dupSource], ['control: noise only', NREAL + DUPS, controlSource]] as const) {
    // Only this set's copies are counted; the other set's rows are left out of the graph.
    const other = first === NREAL ? NREAL + DUPS : NREAL;
    const keep = remap((i) => i < other || i >= other + DUPS);
    const g = subgraph(full, keep.rows, keep.newIndex, K);
    const isCopyOrSource = new Uint8Array(g.n);
    for (let t = 0; t < DUPS; t++) { isCopyOrSource[keep.newIndex[first + t]] = 1; isCopyOrSource[src[t]] = 1; }
    let inList = 0;
    const dists: number[] = [];
    for (let t = 0; t < DUPS; t++) {
      const c = first + t;
      for (let e = 0; e < full.k; e++) if (full.indices[c * full.k + e] === src[t]) { inList++; dists.push(full.distances[c * full.k + e]); break; }
    }
    dists.sort((a, b) => a - b);
    dupRows.push(`**${setName}**: the source is among the copy's ${QUERY_K} nearest neighbours for ${inList} / ${DUPS} copies; median cosine distance copy → source ${dists.length ? dists[Math.floor(dists.length / 2)].toFixed(4) : '–'} (90th percentile ${dists.length ? dists[Math.floor(dists.length * 0.9)].toFixed(4) : '–'}).`);
    dupRows.push('');
    dupRows.push('| threshold (cosine distance) | density guard | recall | precision | groups | largest group | time |');
    dupRows.push('|---|---|---|---|---|---|---|');
    for (const [thr, ratio] of [[0.005, Infinity], [0.01, Infinity], [0.02, Infinity], [0.05, Infinity], [0.1, Infinity], [0.02, 0.3], [0.05, 0.3], [0.1, 0.3]]) {
      const t = timed(() => findNearDuplicates(g, thr, ratio));
      const nd = t.value;
      let found = 0, grouped = 0, good = 0;
      for (let u = 0; u < DUPS; u++) {
        const gid = nd.groupOf[keep.newIndex[first + u]];
        if (gid >= 0 && gid === nd.groupOf[src[u]]) found++;
      }
      for (let i = 0; i < g.n; i++) if (nd.groupOf[i] >= 0) { grouped++; good += isCopyOrSource[i]; }
      const largest = nd.groups.reduce((a, x) => Math.max(a, x.length), 0);
      dupRows.push(`| ${thr} | ${ratio === Infinity ? 'off' : `maxRatio ${ratio}`} | ${(found / DUPS).toFixed(3)} | ${grouped ? (good / grouped).toFixed(3) : '–'} | ${nd.groups.length} | ${largest} | ${t.wall.toFixed(0)} ms |`);
      log(`near-dup ${setName} thr ${thr} ratio ${ratio}: recall ${(found / DUPS).toFixed(3)} precision ${grouped ? (good / grouped).toFixed(3) : '-'} groups ${nd.groups.length}`);
    }
    dupRows.push('');
  }
}

const rss = peakRssMiB();
log(`peak RSS ${rss.toFixed(0)} MiB`);

const body = `
Vectors: ${source}. k-NN graph: hnswlib-node HNSW (M 16, efConstruction 100, ef 64), k = ${K} for scoring${Number.isNaN(buildMs) ? ' (graph loaded from cache)' : `, built in ${(buildMs / 1000).toFixed(0)} s (not counted below)`}.

### Time and memory (70,000 samples, graph given)
| step | wall | CPU |
|---|---|---|
${timing.join('\n')}

Peak RSS of the whole bench: ${rss.toFixed(0)} MiB.

### Label noise (70,000 digits, labels flipped uniformly to another class)
precision@K with K = number flipped. Default = 3 rounds, reverse edges, distance weights, self-confidence score; "no reverse" = without votes from samples that list the sample as a neighbour; "1 round" = without the cleaned re-votes; "plain 10-NN" = unweighted vote, score = fraction of the 10 nearest neighbours that disagree (baseline, same graph). Flagged = confident-learning off-diagonal count (precision / recall of the flag). Suggested = share of the flipped samples in the top K whose suggested label is the true one.

| flipped | K | precision@K (default) | no reverse | 1 round | plain 10-NN | flagged (P / R) | suggested correct | wall | CPU |
|---|---|---|---|---|---|---|---|---|---|
${noiseRows.join('\n')}

### Representative subset (curated from the 60,000 training digits; 1-NN on raw pixels, tested on the 10,000 test digits)
| N | representative (seed 0) | mean of seeds 0/1/2 | without labels | random, mean of 5 seeds | gain |
|---|---|---|---|---|---|
${repRows.join('\n')}

### Edge cases (70,000 digits, slice of ${SLICE}; error of 1-NN over the graph, trained on the samples outside the slice)
Random slice of the same size: ${(randErr * 100).toFixed(2)} % error (mean of 5).

| slice | error | vs random | reasons |
|---|---|---|---|
${edgeRows.join('\n')}

Note: with raw pixels the "ambiguous" criterion and the evaluation classifier share the same neighbourhoods, so the rare-only row is the less circular measure.

### Near duplicates (${DUPS} injected copies of random digits, noise σ = 8 grey levels; each set evaluated on its own)
${withDups ? `Recall = copies grouped with their source; precision = grouped samples that are a copy or a source (natural near-identical MNIST digits count against it).

${dupRows.join('\n')}` : 'Skipped: the vectors file has no rows for the injected copies.'}
`;
writeSection('curate', `npx tsx bench/curate.ts${args.length ? ' ' + args.join(' ') : ''}`, body);
log(`representative summary: ${JSON.stringify(repSummary)}`);

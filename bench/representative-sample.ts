// What clustering a representative subset on a sample of each class costs in accuracy
// (core/curate/engine/modes/representative.ts, DEFAULT_SAMPLING): picks from the 60,000 training
// images of MNIST and Fashion-MNIST, scored by 1-NN on the raw pixels of the 10,000 test images
// and by 1-NN on the built-in model's vectors, mean of seeds 0–4, for each cap on the rows
// clustered per pick, forced on these classes (the app samples only classes of more than
// DEFAULT_SAMPLING.above rows: a million samples, not these). N = 100 is where a cap reaches
// them: about 590 eligible rows per pick against 60 at N = 1,000; at a million samples and
// N = 1,000 there are about 1,000 per pick (bench/scale-curate.ts times that run). Beside them,
// every row clustered with the exclusion of the sparsest samples moved from 2 % to 2.5 %: how
// far any small change of the rows clustered moves the same mean.
//
//   npx tsx bench/representative-sample.ts [--caps all,512,256,128] [--n 100]
import { parseArgs } from 'node:util';
import { classNamesOf, DATASETS, DATASET_TITLE } from '../src-main/testing/curation/datasets';
import { computeScores, projectForClustering } from '../src-main/core/curate/engine';
import { makeContext } from '../src-main/core/curate/engine/modes/context';
import { representative, DEFAULT_SAMPLING } from '../src-main/core/curate/engine/modes/representative';
import { normalizedPixels } from '../src-main/testing/curation/mnist';
import { oneNnAccuracy } from '../src-main/testing/curation/eval';
import { splitWithVectors } from './lib/dataset-vectors';
import { benchGraph } from './lib/bench-graph';
import { digitTiles } from './lib/appearance-eval';
import { writeSection } from './lib/report';
import { useNativeRowProducts } from '../src-main/core/native/gemm';

// The engines' dense products as the app's threads make them (onnxruntime's GEMM).
useNativeRowProducts();

const { values } = parseArgs({ options: { caps: { type: 'string', default: 'all,512,256,128' }, n: { type: 'string', default: '100' } } });
// Each cap forced on every class; NaN: every row, with the sparsest 2.5 % left out instead of 2 %.
const caps = [...values.caps.split(',').map((c) => (c === 'all' ? Infinity : Number(c))), NaN];
const N = Number(values.n);
const SEEDS = [0, 1, 2, 3, 4];
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const pct = (a: number) => `${(a * 100).toFixed(1)} %`;

// results[cap][dataset] = { pixels, own, secondsPerRun }
const results = new Map<number, Record<string, { pixels: number; own: number; seconds: number }>>();
for (const name of DATASETS) {
  const { train, test, dim, vTrain, vTest } = await splitWithVectors(name);
  const input = { vectors: vTrain, dim, graph: benchGraph(vTrain, dim, 15).graph, labels: Int32Array.from(train.labels), classNames: classNamesOf(name), tiles: digitTiles(train.pixels, train.n) };
  const scores = computeScores(input);
  const space = projectForClustering(vTrain, dim, { seed: 0 });
  const trainPix = normalizedPixels(train.pixels), testPix = normalizedPixels(test.pixels);
  for (const cap of caps) {
    const pixels: number[] = [], own: number[] = [];
    const t0 = performance.now();
    let picking = 0;
    for (const seed of SEEDS) {
      const p0 = performance.now();
      const request = { mode: 'representative' as const, n: N, ...(Number.isNaN(cap) ? { excludeExtremes: 0.025 } : {}) };
      const sampling = { rowsPerPick: Number.isNaN(cap) ? Infinity : cap, above: 0 };
      const picks = representative(makeContext({ ...input, space }, scores, train.n, seed), request, N, sampling).map((p) => p.index);
      picking += performance.now() - p0;
      pixels.push(oneNnAccuracy(trainPix, picks, train.labels, testPix, test.labels, 784));
      own.push(oneNnAccuracy(vTrain, picks, train.labels, vTest, test.labels, dim));
    }
    const row = { pixels: mean(pixels), own: mean(own), seconds: picking / SEEDS.length / 1000 };
    results.set(cap, { ...results.get(cap), [name]: row });
    console.log(`${name} N=${N} rows per pick ${cap}: pixels ${pct(row.pixels)} (${pixels.map((a) => (a * 100).toFixed(1)).join(' / ')}), vectors ${pct(row.own)}, ${row.seconds.toFixed(2)} s per run (${((performance.now() - t0) / 1000).toFixed(0)} s with scoring)`);
  }
}

const capName = (c: number) => (Number.isNaN(c) ? 'every row, sparsest 2.5 % left out (not 2 %)' : c === Infinity ? 'every row (as the app clusters these sets)' : c === DEFAULT_SAMPLING.rowsPerPick ? `**${c} (the app's, past ${DEFAULT_SAMPLING.above.toLocaleString('en-US')} rows in a class)**` : String(c));
const header = `| rows clustered per pick | ${DATASETS.map((d) => `${DATASET_TITLE[d]}: 1-NN on pixels | on the vectors | picking, s per run`).join(' | ')} |`;
const rows = [...results].map(([cap, r]) => `| ${capName(cap)} | ${DATASETS.map((d) => `${pct(r[d].pixels)} | ${pct(r[d].own)} | ${r[d].seconds.toFixed(2)}`).join(' | ')} |`);
writeSection(
  'curate: representative from a sample (MNIST, Fashion-MNIST)',
  `npx tsx bench/representative-sample.ts --caps ${values.caps} --n ${N}`,
  `Representative N=${N} from the 60,000 training images, as the app picks it (the built-in model's vectors, the appearance tiles at the default weight, the embedding's clustering projection given), with each class clustered on at most the given rows per pick (a seeded uniform sample of its eligible rows), forced here: the app samples only classes of more than ${DEFAULT_SAMPLING.above.toLocaleString('en-US')} rows, so it clusters these sets whole. Accuracy: 1-NN on the 10,000 test images, mean of seeds 0–4. About 590 rows per pick are eligible here; at a million samples and N = 1,000 (about 1,000 per pick) the app's cap clusters about half the rows (BENCHMARKS "1M" times that run). The last row changes the rows clustered in another way (the sparsest 2.5 % left out instead of 2 %): the same mean moves about as much, so a cap near the rows there are is within what any such change does.

${header}
|---|${DATASETS.map(() => '---|---|---').join('|')}|
${rows.join('\n')}`,
);

// Issue 15 item 5, as it asks to be reported: a representative subset read three ways, on MNIST
// and Fashion-MNIST side by side. Picks from the 60,000 training images as the app makes them
// (the built-in model's vectors, the appearance tiles at the default look weight, the
// embedding's clustering projection given), beside the same mode with the look weight 0 (the
// embedding alone) and random subsets; each scored on the 10,000 test images by
//   - 1-NN on the raw pixels,
//   - a softmax (multinomial logistic) classifier on the raw pixels (testing/curation/eval.ts),
//   - 1-NN on the built-in model's vectors: the embedding's own space, where the look weight must
//     not cost accuracy (the issue: "not below the look-weight-0 result in the embedding's own
//     space").
// N = 100 and 1,000, seeds 0–4 (random: seeds 100–104, as bench/curate.ts draws them).
//
//   npx tsx bench/representative-eval.ts [--weights default,0] [--n 100,1000] [--no-softmax] [--no-write]
import { parseArgs } from 'node:util';
import { classNamesOf, DATASETS, DATASET_TITLE } from '../src-main/testing/curation/datasets';
import { computeScores, projectForClustering } from '../src-main/core/curate/engine';
import { makeContext } from '../src-main/core/curate/engine/modes/context';
import { representative } from '../src-main/core/curate/engine/modes/representative';
import { DEFAULT_APPEARANCE_WEIGHT } from '../src-shared/model/slice';
import { normalizedPixels } from '../src-main/testing/curation/mnist';
import { oneNnAccuracy, softmaxAccuracy } from '../src-main/testing/curation/eval';
import { createRng, sampleIndices } from '../src-shared/random';
import { splitWithVectors } from './lib/dataset-vectors';
import { benchGraph } from './lib/bench-graph';
import { digitTiles } from './lib/appearance-eval';
import { writeSection } from './lib/report';
import { useNativeRowProducts } from '../src-main/core/native/gemm';

// The engines' dense products as the app's threads make them (onnxruntime's GEMM).
useNativeRowProducts();

const { values } = parseArgs({ options: { weights: { type: 'string', default: 'default,0' }, n: { type: 'string', default: '100,1000' }, 'no-softmax': { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false } } });
// undefined: the app's default weight (whatever the mode chooses when the request names none).
// 'default': the app's rule; 'no-swaps': the same without its prototype swaps (modes/prototype-swaps.ts, the rule before them); a number: that look weight.
const weights = values.weights.split(',').map((w) => (w === 'default' ? undefined : w === 'no-swaps' ? ('no-swaps' as const) : Number(w)));
const sizes = values.n.split(',').map(Number);
const SEEDS = [0, 1, 2, 3, 4];
type Reading = { pixels: number; softmax: number; own: number };
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const pct = (a: number) => `${(a * 100).toFixed(1)} %`;
const methodName = (w: number | 'no-swaps' | undefined) => (w === undefined ? `representative (look weight ${DEFAULT_APPEARANCE_WEIGHT}, the default)` : w === 'no-swaps' ? `representative without its prototype swaps (look weight ${DEFAULT_APPEARANCE_WEIGHT})` : w === 0 ? 'representative, look weight 0 (the embedding alone)' : `representative, look weight ${w}`);

// results[dataset][N][method] = the mean over the seeds of each reading, and the seeds' values
const results: Record<string, Record<number, Map<string, { mean: Reading; seeds: Reading[] }>>> = {};
for (const name of DATASETS) {
  const { train, test, dim, vTrain, vTest } = await splitWithVectors(name);
  const labels = Int32Array.from(train.labels), testLabels = Int32Array.from(test.labels);
  const classNames = classNamesOf(name);
  const input = { vectors: vTrain, dim, graph: benchGraph(vTrain, dim, 15).graph, labels, classNames, tiles: digitTiles(train.pixels, train.n) };
  const scores = computeScores(input);
  const space = projectForClustering(vTrain, dim, { seed: 0 });
  const trainPix = normalizedPixels(train.pixels), testPix = normalizedPixels(test.pixels);
  const read = (picks: ArrayLike<number>): Reading => ({
    pixels: oneNnAccuracy(trainPix, picks, labels, testPix, testLabels, 784),
    softmax: values['no-softmax'] ? NaN : softmaxAccuracy(trainPix, picks, labels, testPix, testLabels, 784, classNames.length),
    own: oneNnAccuracy(vTrain, picks, labels, vTest, testLabels, dim),
  });
  results[name] = {};
  for (const N of sizes) {
    const byMethod = new Map<string, { mean: Reading; seeds: Reading[] }>();
    const add = (key: string, seeds: Reading[]) => {
      byMethod.set(key, { seeds, mean: { pixels: mean(seeds.map((r) => r.pixels)), softmax: mean(seeds.map((r) => r.softmax)), own: mean(seeds.map((r) => r.own)) } });
      const m = byMethod.get(key)!.mean;
      console.log(`${name} N=${N} ${key}: 1-NN pixels ${pct(m.pixels)}, softmax pixels ${pct(m.softmax)}, 1-NN vectors ${pct(m.own)}`);
    };
    for (const w of weights) {
      const request = { mode: 'representative' as const, n: N, ...(w === undefined ? {} : w === 'no-swaps' ? { prototypeSwaps: false } : { appearanceWeight: w }) };
      add(methodName(w), SEEDS.map((seed) => read(representative(makeContext({ ...input, space }, scores, train.n, seed), request, N).map((p) => p.index))));
    }
    add('random', SEEDS.map((s) => read(sampleIndices(train.n, N, createRng(100 + s)))));
    results[name][N] = byMethod;
  }
}

if (!values['no-write']) {
  const readings: Array<[keyof Reading, string]> = [['pixels', '1-NN on pixels'], ['softmax', 'softmax on pixels'], ['own', '1-NN on the vectors']];
  const tables = sizes.map((N) => {
    const methods = [...results[DATASETS[0]!]![N]!.keys()];
    const rows = methods.map((m) => `| ${m} | ${DATASETS.map((d) => {
      const r = results[d]![N]!.get(m)!, rnd = results[d]![N]!.get('random')!;
      return readings.map(([k]) => (m === 'random' ? pct(r.mean[k]) : `${pct(r.mean[k])} (${r.mean[k] >= rnd.mean[k] ? '+' : ''}${((r.mean[k] - rnd.mean[k]) * 100).toFixed(1)})`)).join(' | ');
    }).join(' | ')} |`);
    return `#### N = ${N.toLocaleString('en-US')}

| subset | ${DATASETS.map((d) => readings.map(([, t]) => `${DATASET_TITLE[d]}: ${t}`).join(' | ')).join(' | ')} |
|---|${DATASETS.map(() => readings.map(() => '---').join('|')).join('|')}|
${rows.join('\n')}`;
  });
  writeSection(
    'curate: representative, three readings (MNIST, Fashion-MNIST)',
    `npx tsx bench/representative-eval.ts --weights ${values.weights} --n ${values.n}`,
    `Issue 15 item 5. Representative subsets of the 60,000 training images, as the app picks them (the built-in model's vectors, the appearance tiles, the embedding's clustering projection given; k-NN graph k = 15 as bench/lib/bench-graph.ts builds it), beside the same mode with the look weight 0 and random subsets. Each is read on the 10,000 test images three ways: 1-NN on the raw pixels (L2-normalised), a softmax classifier on the raw pixels (multinomial logistic regression with a bias, L2 penalty 1e-3, 300 full-batch Nesterov steps: \`softmaxAccuracy\`, src-main/testing/curation/eval.ts), and 1-NN on the built-in model's vectors (the embedding's own space). Mean of seeds 0–4 (random: seeds 100–104); in brackets, points over random.

${tables.join('\n\n')}

Reading it (stop 43, this run): the default look weight is now 0.5 (1.5 before), and the prototype swaps (core/curate/engine/modes/prototype-swaps.ts: after the clustering, each pick may give way to another of its cluster's most typical members when that labels more of a 10,000-row pool of the data right by nearest pick) count a row labelled right in the embedding twice, a row in the look once (EMBEDDING_COUNT), over 60 candidates and 4 passes at N = 100 (20 and 2 before; at N = 1,000 the pool allows ten candidates a pick, and the passes are bounded by SWAP_JUDGEMENTS to 3 to keep the job within 5 s). These were chosen on validation splits of both sets, not on this test split (picks from the first 50,000 training images, read on the last 10,000; the tables are in joint-space.ts and prototype-swaps.ts): the largest pixel reading whose reading in the embedding's own space stays at the look-weight-0 rule's. Against the stop-40 default (weight 1.5, both spaces counted alike) on this test split, pixels / own space: N = 100, MNIST 90.2 / 95.3 → 89.3 / 96.0 %, Fashion-MNIST 77.3 / 81.2 → 76.8 / 83.2 %; N = 1,000, MNIST 94.4 / 97.2 → 94.0 / 97.3 %, Fashion-MNIST 81.1 / 84.0 → 80.3 / 85.1 %; softmax on pixels within 0.4 point (N = 100: 85.7 → 85.5 %, 77.3 → 77.0 %). Against item 5 (N = 100): on 1-NN pixels the default is +16.7 points over random on MNIST and +12.3 on Fashion-MNIST (target +12: met), and in the embedding's own space it is level with the look-weight-0 rule on MNIST (96.0 % both) and 0.1 point above it on Fashion-MNIST (83.2 against 83.1 %; 0.6 / 2.0 points below at stop 40): met as measured, by margins within the seeds' noise (the validation split had MNIST 0.06 below, Fashion-MNIST 0.3 above). At N = 1,000 it is 0.1 below on MNIST and level on Fashion-MNIST (0.2 / 1.1 below at stop 40). With 40 candidates and 3 passes at N = 100 (an intermediate step, same run conditions) it was 95.8 / 82.7 % against 95.9 / 83.0 %; counting the embedding three times reached Fashion-MNIST 76.3 / 83.0 % and MNIST 88.6 / 96.0 % (scratch): the pixels below +12. The cost: 0.4–0.9 point of the pixel reading against the stop-40 default, and at N = 100 0.6–1.0 s more per run (scratch, one thread, medians of 3 in back-to-back pairs: the stop-40 rule against 40 candidates and 3 passes, Fashion-MNIST 1.7 → 2.2 s and MNIST 1.9 → 2.2 s; that against 60 and 4, later on a busier machine, 2.3 → 2.6 s and 2.4 → 2.9 s); at N = 1,000 2.7 → 3.4 s (MNIST) and 3.1 → 3.7 s (Fashion-MNIST), the job 4.68 / 4.72 s (BENCHMARKS "curate (project end to end)"). With 10 % of the training labels flipped (scratch, 40 candidates and 3 passes, one flip seed, each pick read with its given label, N = 100) the own-space gap narrowed but stayed: Fashion-MNIST 80.2 % against the weight-0 rule's 81.9 % with the stop-40 rule, 81.6 % against 82.3 % (pixels 76.1 → 75.2 %); MNIST 95.4 against 95.9 %, then 95.7 against 95.9 % (pixels 89.8 → 88.8 %). Stop 40: the swaps themselves raised both readings at once on both sets (at weight 1.5, N = 100: MNIST 89.6 / 93.1 → 90.2 / 95.3 %, Fashion-MNIST 75.2 / 76.5 → 77.3 / 81.2 %), and with 10 % of the labels flipped they still gained on both (Fashion-MNIST 72.7 / 74.2 → 75.8 / 79.8 %, MNIST 89.1 / 93.3 → 90.0 / 95.1 %; the pool is drawn from the rows not flagged likely mislabelled, as the picks are).`,
  );
}

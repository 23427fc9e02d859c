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

Reading it (stop 43, this run): the default look weight is now 0.5 (1.5 before), and the prototype swaps (core/curate/engine/modes/prototype-swaps.ts: after the clustering, each pick may give way to another of its cluster's most typical members when that labels more of a 10,000-row pool of the data right by nearest pick) count a row labelled right in the embedding twice, a row in the look once (EMBEDDING_COUNT), over 40 candidates and 3 passes (20 and 2 before). Both were chosen on validation splits of both sets, not on this test split (picks from the first 50,000 training images, read on the last 10,000; the table is in joint-space.ts and prototype-swaps.ts): the largest pixel reading whose reading in the embedding's own space stays at the look-weight-0 rule's. Against the stop-40 default (weight 1.5, both spaces counted alike) on this test split, pixels / own space: N = 100, MNIST 90.2 / 95.3 → 89.3 / 95.8 %, Fashion-MNIST 77.3 / 81.2 → 76.7 / 82.7 %; N = 1,000, MNIST 94.4 / 97.2 → 94.0 / 97.3 %, Fashion-MNIST 81.1 / 84.0 → 80.3 / 85.1 %; softmax on pixels within 0.5 point (N = 100: 85.7 → 85.4 %, 77.3 → 76.8 %). Against item 5: on 1-NN pixels at N = 100 the default is +16.7 points over random on MNIST and +12.1 on Fashion-MNIST (target +12: met). In the embedding's own space it is 0.1 / 0.3 point below the look-weight-0 rule at N = 100 (MNIST / Fashion-MNIST; 0.6 / 2.0 at stop 40) and 0.1 / 0.0 at N = 1,000 (0.2 / 1.1): about the spread between the validation and the test split (on the validation split Fashion-MNIST was 0.2 point above, MNIST 0.15 below), but not above it, so that half of item 5 is still not met to the letter. Counting the embedding three times (scratch, this test split, N = 100) reached Fashion-MNIST 76.3 / 83.0 % and MNIST 88.6 / 96.0 %: the own space at the weight-0 rule's, the pixels below +12. The cost: 0.4–0.9 point of the pixel reading against the stop-40 default, and 0.2–0.5 s more per run at N = 100 (scratch, back to back, one thread: Fashion-MNIST 1.6 → 2.1 s, MNIST 2.0 → 2.3 s), about the same at N = 1,000 (3.0 → 3.2 s and 3.2 → 2.9 s). Stop 40: the swaps themselves raised both readings at once on both sets (at weight 1.5, N = 100: MNIST 89.6 / 93.1 → 90.2 / 95.3 %, Fashion-MNIST 75.2 / 76.5 → 77.3 / 81.2 %), and with 10 % of the training labels flipped at random they still gained on both (Fashion-MNIST 72.7 / 74.2 → 75.8 / 79.8 %, MNIST 89.1 / 93.3 → 90.0 / 95.1 %; the pool is drawn from the rows not flagged likely mislabelled, as the picks are). With 10 % flipped (scratch, stop 43, one flip seed, each pick read with its given label, N = 100), the own-space gap to the look-weight-0 rule narrows there too but stays: Fashion-MNIST 80.2 % against 81.9 % with the stop-40 rule, 81.6 % against 82.3 % now (pixels 76.1 → 75.2 %); MNIST 95.4 against 95.9 %, now 95.7 against 95.9 % (pixels 89.8 → 88.8 %).`,
  );
}

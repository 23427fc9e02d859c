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
const methodName = (w: number | 'no-swaps' | undefined) => (w === undefined ? `representative (look weight ${DEFAULT_APPEARANCE_WEIGHT}, the default)` : w === 'no-swaps' ? `representative without its prototype swaps (look weight ${DEFAULT_APPEARANCE_WEIGHT}; the default before them)` : w === 0 ? 'representative, look weight 0 (the embedding alone)' : `representative, look weight ${w}`);

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

Reading it (stop 40, this run): the prototype swaps (core/curate/engine/modes/prototype-swaps.ts: after the clustering, each pick may give way to another of its cluster's most typical members when that labels more of a 10,000-row pool of the data right by nearest pick, the embedding's count and the look's added) raise both readings at once, on both sets: at N = 100 MNIST 89.6 → 90.2 % on pixels and 93.1 → 95.3 % in its own space, Fashion-MNIST 75.2 → 77.3 % and 76.5 → 81.2 %; at N = 1,000 MNIST 94.4 → 94.4 % and 96.8 → 97.2 %, Fashion-MNIST 80.1 → 81.1 % and 82.6 → 84.0 %; the softmax reading moves by at most 0.4 point. Against item 5: on 1-NN pixels at N = 100 the default is +12.7 points over random on Fashion-MNIST (target +12: met; +10.6 before) and +17.6 on MNIST. In the embedding's own space it is now above the look-weight-0 subsets this bench measured before the swaps (Fashion-MNIST 81.2 % against 80.9 %, MNIST 95.3 % against 95.2 %), but the swaps lift the look-weight-0 rule too (83.2 % and 95.9 %: its swaps count the embedding alone), so against the same rule at weight 0 the default is still 2.0 / 0.6 points below at N = 100 and 1.1 / 0.2 at N = 1,000: that half of item 5 is not met. A sweep of the weight with the swaps (scratch, N = 100, the same seeds): from 0.5 to 3 the pixel reading stays at 77.0–77.3 % (Fashion-MNIST) and 89.6–90.2 % (MNIST) while the own-space reading falls from 82.6 to 80.9 % and from 95.6 to 95.2 %; with the clustering in the embedding alone and the look only in the swaps' count (weight 0.01), 76.2 / 82.5 % and 88.3 / 95.7 %. So no weight above 0 reaches the weight-0 own-space reading, and the default (1.5, chosen for pixels on an MNIST validation split, joint-space.ts) is kept: choosing it again from these test-split readings would tune it to the test split. Before the swaps (stop 35) the weight only traded one reading for the other and Fashion-MNIST's pixel reading peaked at +10.6 whatever the weight; the picks' cost at 70,000 samples is in BENCHMARKS "curate (project end to end)". With 10 % of the training labels flipped at random (scratch, the same seeds, N = 100, each pick read with its given label), the swaps still gain on both sets: Fashion-MNIST 72.7 / 74.2 → 75.8 / 79.8 %, MNIST 89.1 / 93.3 → 90.0 / 95.1 % (pixels / embedding; the pool is drawn from the rows not flagged likely mislabelled, as the picks are).`,
  );
}

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

Reading it (stop 35, this run): the look weight trades one reading for the other, on both sets and at both sizes, and no weight measured (0 to 1.5) meets both item-5 targets on Fashion-MNIST. In the embedding's own space the default (1.5) is below the look-weight-0 subset everywhere: MNIST −2.1 / −0.6 points, Fashion-MNIST −4.4 / −1.8 (N = 100 / 1,000), so the issue's "not below the look-weight-0 result in the embedding's own space" is not met by the default. On 1-NN pixels the default is the best of the weights measured: MNIST +17.0 over random at N = 100 (target +12: met), Fashion-MNIST +10.6 (not met, and no lower weight comes nearer). Weight 0.25 keeps the own-space reading within 0.3 point of weight 0 on both sets and sizes and still gains 0.6–1.3 points on pixels over it; 0.75 gives MNIST nearly the default's pixel readings (−0.4 / −0.1) for +1.0 / +0.4 points in its own space. The softmax reading follows 1-NN on pixels with smaller gaps (at N = 1,000 every subset is within 2 points of random there: a linear model on 1,000 images needs no careful picks). The default was chosen for pixels on an MNIST validation split (core/curate/engine/modes/joint-space.ts) and is kept: a lower one wins the own-space reading and loses the pixel one on both sets. Heavier looks do not reach the pixel target either (stop 36, N = 100, same seeds, \`--weights 3,10 --n 100 --no-softmax\`): weight 3 / 10 gives MNIST 89.4 / 89.6 % on pixels and 92.7 / 91.9 % in its own space, Fashion-MNIST 74.9 / 74.4 % and 74.3 / 72.4 %, so on Fashion-MNIST this rule's pixel reading peaks at the default (+10.6 over random) and +12 needs another pick rule, not another weight. Choosing the weight per set from the labels, as the issue suggests (scratch: the weight whose joint space's 10 nearest neighbours agree best with the labels on a 3,000-row sample, from 0 / 0.1 / 0.25 / 0.5 / 0.75 / 1 / 1.5 / 3), gives 0.25 on MNIST (agreement 0.935 against 0.928 at 0 and 0.899 at 1.5) and 0.5 on Fashion-MNIST (0.799 against 0.785 and 0.774): on MNIST that meets both item-5 conditions (+14.1 on pixels, own space equal to weight 0), on Fashion-MNIST neither (72.9 % on pixels; 80.1 % in its own space against 80.9 %), and on both sets it gives up 2–3 points of pixels for 2–4 of own space. It is a trade, not a win on both sets, so it was not shipped.`,
  );
}

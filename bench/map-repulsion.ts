// How faithful the 2-D map is to its own k-NN graph, at the old repulsion (umap-learn's 1) and the
// default (DEFAULT_REPULSION), on the built-in embedding of MNIST and Fashion-MNIST (issue 15
// item 7). Per dataset: one k-NN graph and one PCA initial layout (computeMap's own), then each
// repulsion lays out the same graph from the same start and seed, so only the repulsion differs.
// --sizes lays out seeded random subsets too (small projects: does the push still pay?).
//   npx tsx bench/map-repulsion.ts [--datasets mnist,fashion] [--repulsions 1,20] [--sizes 500,70000] [--epochs 200,500] [--negatives 5,15] [--model accurate] [--no-write]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { computeMap } from '../src-main/core/map/compute-map';
import { DEFAULT_REPULSION, defaultEpochs, layoutGraph, TSNE_STEPS } from '../src-main/core/map/layout';
import { graphLabelAgreement, labelAgreement, trustworthiness } from '../src-main/core/map/engine/quality';
import { DATASET_TITLE, loadDataset, type DatasetName } from '../src-main/testing/curation/datasets';
import { accurateVectors, builtinVectors } from './lib/dataset-vectors';
import { writeSection } from './lib/report';

const { values } = parseArgs({ options: { datasets: { type: 'string', default: 'mnist,fashion' }, repulsions: { type: 'string', default: `1,${DEFAULT_REPULSION}` }, sizes: { type: 'string', default: '70000' }, epochs: { type: 'string' }, negatives: { type: 'string' }, refine: { type: 'string' }, model: { type: 'string', default: 'fast' }, 'no-write': { type: 'boolean', default: false } } });
/** --model accurate: the accurate built-in model's vectors (whitened as the embed job whitens them), in a section of their own. */
const accurate = values.model === 'accurate';
const datasets = values.datasets.split(',') as DatasetName[];
const repulsions = values.repulsions.split(',').map(Number);
const sizes = values.sizes.split(',').map(Number);
/** Layout epochs to try (default: the layout's own for the size). */
const epochList: Array<number | undefined> = values.epochs ? values.epochs.split(',').map(Number) : [undefined];
/** Negative samples per edge to try (default: the layout's own). */
const negativeList: Array<number | undefined> = values.negatives ? values.negatives.split(',').map(Number) : [undefined];
/** t-SNE steps after the SGD to try (default: the layout's own, TSNE_STEPS). */
const refineList: Array<number | undefined> = values.refine ? values.refine.split(',').map(Number) : [undefined];

/** `n` rows drawn without replacement (seeded), in ascending order; all rows when n ≥ total. */
function subsetRows(total: number, n: number, seed: number): Int32Array {
  if (n >= total) return Int32Array.from({ length: total }, (_, i) => i);
  const rows = Int32Array.from({ length: total }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    const j = i + ((s >>> 0) % (total - i));
    const t = rows[i]!; rows[i] = rows[j]!; rows[j] = t;
  }
  return rows.subarray(0, n).sort();
}

function labelsOf(ds: DatasetName): Int32Array {
  const tr = loadDataset(ds, 'train');
  const te = loadDataset(ds, 'test');
  const all = new Int32Array(tr.n + te.n);
  all.set(tr.labels, 0);
  all.set(te.labels, tr.n);
  return all;
}

const rows: string[] = [];
for (const ds of datasets) {
  const all = await (accurate ? accurateVectors : builtinVectors)(ds);
  const allLabels = labelsOf(ds);
  for (const size of sizes) {
    const dim = all.dim;
    const pick = subsetRows(allLabels.length, size, 11);
    const vectors = new Float32Array(pick.length * dim);
    const labels = new Int32Array(pick.length);
    pick.forEach((r, i) => { vectors.set(all.vectors.subarray(r * dim, (r + 1) * dim), i * dim); labels[i] = allLabels[r]!; });
    let init: Float32Array | null = null;
    const t0 = performance.now();
    const base = await computeMap(vectors, dim, { seed: 42, onProgress: (p, epoch) => { if (epoch === 0 && !init) init = p.slice(); } });
    console.log(`${ds} ${pick.length}: graph + default layout ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const graphAgree = graphLabelAgreement(base.graph, labels, 10);
    for (const repulsion of repulsions) for (const epochs of epochList) for (const negativeRate of negativeList) for (const refineSteps of refineList) {
      const t = performance.now();
      const pos = await layoutGraph(base.graph, init!, { seed: 42, repulsion, epochs, negativeRate, refineSteps });
      const ms = performance.now() - t;
      const agree = labelAgreement(pos, labels, 10);
      const trust = trustworthiness(vectors, dim, pos, { k: 10, sample: Math.min(500, pick.length), seed: 7 });
      const line = `| ${DATASET_TITLE[ds]} | ${pick.length.toLocaleString('en-US')} | ${repulsion}${repulsion === DEFAULT_REPULSION ? ' (default)' : ''} | ${epochs ?? defaultEpochs(pick.length)}${negativeRate ? `, ${negativeRate} negatives` : ''} | ${refineSteps ?? TSNE_STEPS}${(refineSteps ?? TSNE_STEPS) === TSNE_STEPS ? ' (default)' : ''} | ${agree.toFixed(3)} | ${graphAgree.toFixed(3)} | ${(graphAgree - agree).toFixed(3)} | ${trust.toFixed(3)} | ${(ms / 1000).toFixed(1)} s |`;
      console.log(line);
      rows.push(line);
    }
  }
}

const body = [
  `Vectors: the ${accurate ? 'accurate built-in model\'s embedding (builtin-accurate, 1,024-d, whitened as the embed job whitens it)' : 'built-in embedding'} of the 70,000 images of each set (bench/lib/dataset-vectors.ts), or a seeded random subset of them (points). Per set and size one k-NN graph (k = 15) and one PCA start, as computeMap makes them; each repulsion lays out that same graph from the same start with seed 42 (the SGD: 500 epochs up to 10,000 points, else 200; 2 threads), then takes the t-SNE steps (layout.ts TSNE_STEPS; 0 = none), whose result is kept only where it keeps more of the graph's 10 nearest neighbours among the 10 nearest on the map (engine/quality.ts graphNeighbourRecall). Agreement = mean share of a point\'s 10 nearest 2-D neighbours with its label; the graph\'s own = the same over its first 10 graph neighbours (what a faithful map can reach); trustworthiness@10 from 500 random queries against all points. Target (issue 15 item 7): the map within 0.03 of the graph.`,
  '',
  '| set | points | repulsion | epochs | t-SNE steps | 10-NN agreement (map) | graph\'s own | gap | trustworthiness@10 | layout |',
  '|---|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Load average ${loadavg()[0].toFixed(1)} when written; layout times are wall times on the shared machine.`,
].join('\n');
if (!values['no-write']) writeSection(`map faithfulness (${values.refine ? 't-SNE steps' : 'repulsion'})${accurate ? ', accurate model' : ''}`, `npx tsx bench/map-repulsion.ts ${process.argv.slice(2).join(' ')}`.trim(), body);

// How faithful the 2-D map is to its own k-NN graph, at the old repulsion (umap-learn's 1) and the
// default (DEFAULT_REPULSION), on the built-in embedding of MNIST and Fashion-MNIST (issue 15
// item 7). Per dataset: one k-NN graph and one PCA initial layout (computeMap's own), then each
// repulsion lays out the same graph from the same start and seed, so only the repulsion differs.
//   npx tsx bench/map-repulsion.ts [--datasets mnist,fashion] [--repulsions 1,20] [--no-write]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { computeMap } from '../src-main/core/map/compute-map';
import { DEFAULT_REPULSION, layoutGraph } from '../src-main/core/map/layout';
import { graphLabelAgreement, labelAgreement, trustworthiness } from '../src-main/core/map/engine/quality';
import { DATASET_TITLE, loadDataset, type DatasetName } from '../src-main/testing/curation/datasets';
import { builtinVectors } from './lib/dataset-vectors';
import { machineLine, writeSection } from './lib/report';

const { values } = parseArgs({ options: { datasets: { type: 'string', default: 'mnist,fashion' }, repulsions: { type: 'string', default: `1,${DEFAULT_REPULSION}` }, 'no-write': { type: 'boolean', default: false } } });
const datasets = values.datasets.split(',') as DatasetName[];
const repulsions = values.repulsions.split(',').map(Number);

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
  const { vectors, dim } = await builtinVectors(ds);
  const labels = labelsOf(ds);
  let init: Float32Array | null = null;
  const t0 = performance.now();
  const base = await computeMap(vectors, dim, { seed: 42, onProgress: (p, epoch) => { if (epoch === 0 && !init) init = p.slice(); } });
  console.log(`${ds}: graph + default layout ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const graphAgree = graphLabelAgreement(base.graph, labels, 10);
  for (const repulsion of repulsions) {
    const t = performance.now();
    const pos = await layoutGraph(base.graph, init!, { seed: 42, repulsion });
    const ms = performance.now() - t;
    const agree = labelAgreement(pos, labels, 10);
    const trust = trustworthiness(vectors, dim, pos, { k: 10, sample: 500, seed: 7 });
    const line = `| ${DATASET_TITLE[ds]} | ${repulsion}${repulsion === DEFAULT_REPULSION ? ' (default)' : ''} | ${agree.toFixed(3)} | ${graphAgree.toFixed(3)} | ${(graphAgree - agree).toFixed(3)} | ${trust.toFixed(3)} | ${(ms / 1000).toFixed(1)} s |`;
    console.log(line);
    rows.push(line);
  }
}

const body = [
  machineLine(),
  '',
  'Vectors: the built-in embedding of all 70,000 images of each set (bench/lib/dataset-vectors.ts). Per set one k-NN graph (k = 15) and one PCA start, as computeMap makes them; each repulsion lays out that same graph from the same start with seed 42 (200 epochs, 2 threads). Agreement = mean share of a point\'s 10 nearest 2-D neighbours with its label; the graph\'s own = the same over its first 10 graph neighbours (what a faithful map can reach); trustworthiness@10 from 500 random queries against all points. Target (issue 15 item 7): the map within 0.03 of the graph.',
  '',
  '| set | repulsion | 10-NN agreement (map) | graph\'s own | gap | trustworthiness@10 | layout |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Load average ${loadavg()[0].toFixed(1)} when written; layout times are wall times on the shared machine.`,
].join('\n');
if (!values['no-write']) writeSection('map faithfulness (repulsion)', `npx tsx bench/map-repulsion.ts ${process.argv.slice(2).join(' ')}`.trim(), body);

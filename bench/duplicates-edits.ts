// Near duplicates under edits no rule was chosen on (issue 15: "other held-out data and
// protocols will also be used"): two edits in a row (a shift or a crop, then a JPEG or a
// contrast change; a rescale, then brightness), crops smaller and larger than the issue's
// 5–10 %, shifts of up to 4 px where the issue says 3, and JPEG quality 30. MNIST and
// Fashion-MNIST (70,000 each) with injected copies, grouped as the app groups them: the
// signature rule, then the aligned stage with the embedding's k-NN graph (one thread; the app's
// workers find the same pairs, bench/duplicates.ts checks it). bench/duplicates.ts measures the
// issue's own edits on the same footing.
//   npx tsx bench/duplicates-edits.ts [--copies 100]
import { alignedDuplicatePairs, appearanceSignature, findAppearanceDuplicates, joinAlignedPairs, type DuplicateGroups } from '../src-main/core/curate/engine';
import { DATASET_TITLE, DATASETS, type DatasetName } from '../src-main/testing/curation/datasets';
import { brighter, contrasted, cropped, greyImages, jpeg, mapGraph, resized, score, setAside, shifted, vectorsWithCopies, withCopies, type Edit, type Score, type SetAside } from './lib/copy-edits';
import { writeSection } from './lib/report';

const argv = process.argv.slice(2);
const COPIES = Number(argv[argv.indexOf('--copies') + 1] ?? 100) || 100;
const SEED = 31;
const log = (s: string) => process.stderr.write(`${s}\n`);

const EDITS: [string, Edit][] = [
  ['shift 1–3 px, then noise σ = 4', (s, r) => shifted(s, r, 3, 4)],
  ['shift 1–3 px, then JPEG quality 75', (s, r) => jpeg(shifted(s, r, 3), 75)],
  ['crop 5–10 %, then JPEG quality 75', async (s, r) => jpeg(await cropped(s, r, 0.05, 0.1), 75)],
  ['crop 5–10 %, then contrast ×0.8–1.2', async (s, r) => contrasted(await cropped(s, r, 0.05, 0.1), r)],
  ['rescaled to 36 px, then brightness ×0.8–1.2', async (s, r) => brighter(await resized(s, 36, 36), r)],
  ['crop 2–5 %', (s, r) => cropped(s, r, 0.02, 0.05)],
  ['crop 10–15 % (beyond the issue\'s 10 %)', (s, r) => cropped(s, r, 0.1, 0.15)],
  ['shift 1–4 px (beyond the issue\'s 3)', (s, r) => shifted(s, r, 4)],
  ['JPEG quality 30', (s) => jpeg(s, 30)],
];

// What the table shows, from the run in BENCHMARKS.md.
const READING = 'Reading it (stop 55): two edits in a row cost little where each alone is found: a shift then noise or a JPEG, a rescale then brightness, a crop then a contrast change stay at 0.91–1.00 on both sets. A crop then a JPEG at quality 75 loses most on Fashion-MNIST (0.830, against 0.935 for crops alone in bench:duplicates): the pixel test excuses what a JPEG\'s making explains or what resampling explains, each from its own estimate, and a copy that went through both is left with more of a distance than either. Beyond the issue\'s ranges the stage is weaker, as its search is bounded: crops of 10–15 % (a zoom of 1.11–1.18; the zoomed pattern is made at 1.08 and the pixels are searched over zooms of 1.02–1.14) 0.660 on Fashion-MNIST and 0.910 on MNIST, shifts of 4 px (the search reaches 11 % of the side, 3 px at 28) 0.800 and 0.930. Measured and not shipped (scratch, 100 copies per edit of another draw): the zoom search widened to 1.08 ± 0.10, crops of 10–15 % 0.77 → 0.78 for 1.5× the comparisons\' time and 34 more pairs among the originals, the issue\'s crops 0.935 → 0.930. With the set\'s own near duplicates set aside the precision is 0.999 (MNIST) and 0.995 (Fashion-MNIST).';

/** The app's grouping: the signature rule, then the aligned stage over the embedding's graph. */
function grouped(signatures: Uint8Array[], grey: ReturnType<typeof greyImages>, graph: { indices: Int32Array; k: number }): DuplicateGroups {
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images: grey, groupOf: base.groupOf, neighbours: graph });
  return joinAlignedPairs(base, pairs.a, pairs.b);
}

async function run(set: DatasetName): Promise<Score & { own: SetAside }> {
  const injected = await withCopies(set, EDITS, COPIES, SEED);
  const { n, imgs } = injected;
  const grey = greyImages(imgs);
  const signatures = imgs.map((i) => appearanceSignature(i.px, i.w, i.h, 1));
  const { all, dim } = await vectorsWithCopies(set, grey, n, log);
  const t0 = performance.now();
  const groups = grouped(signatures, grey, await mapGraph(all, dim));
  const result = score(groups, injected, EDITS.length, performance.now() - t0);
  // The set's own near duplicates (the same rule on the originals alone), set aside as bench/duplicates.ts sets them aside.
  const own = grouped(signatures.slice(0, n), grey.slice(0, n), await mapGraph(all.subarray(0, n * dim), dim));
  log(`${set}: ${JSON.stringify(result)}`);
  return { ...result, own: setAside(groups, injected.good, own) };
}

const results: [DatasetName, Score & { own: SetAside }][] = [];
for (const set of DATASETS) results.push([set, await run(set)]);
const f3 = (x: number) => x.toFixed(3);
const lines = [
  `${COPIES} copies per edit injected into the 70,000 images of each set (seed ${SEED}; bench/duplicates.ts uses another seed and the issue's edits), grouped as the app groups them: the signature rule at its default, then the aligned stage with the built-in model's k-NN graph over the originals and copies, as the map builds it. Recall: a copy in its source's group; precision as bench/duplicates.ts counts it, and with the set's own near duplicates set aside (rows the same rule groups among the 70,000 originals alone).`,
  '',
  `| edit | ${results.map(([set]) => DATASET_TITLE[set]).join(' | ')} |`,
  `|---|${results.map(() => '---|').join('')}`,
  ...EDITS.map(([name], e) => `| recall: ${name} | ${results.map(([, r]) => f3(r.recall[e]!)).join(' | ')} |`),
  `| recall: all these edits | ${results.map(([, r]) => f3(r.recall.reduce((a, b) => a + b, 0) / r.recall.length)).join(' | ')} |`,
  `| precision (grouped rows that are a copy or its source) | ${results.map(([, r]) => f3(r.precision)).join(' | ')} |`,
  `| precision with the set's own near duplicates set aside | ${results.map(([, r]) => f3(r.own.precision)).join(' | ')} |`,
  `| grouping time (one thread, signatures given) | ${results.map(([, r]) => `${(r.ms / 1000).toFixed(1)} s`).join(' | ')} |`,
  ...(READING ? ['', READING] : []),
];
console.log(lines.join('\n'));
writeSection('duplicates under other edits', `npx tsx bench/duplicates-edits.ts${argv.length ? ` ${argv.join(' ')}` : ''}`, lines.join('\n'));

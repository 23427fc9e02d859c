// Leak check (issue #18 item 1) on real projects: MNIST and Fashion-MNIST as shipped (all
// 70,000, train/test as published), then with copies of train images planted in test (exact,
// shifted 1–2 px, noise σ = 8, both), one in each kind in turn. Recall: planted (source, copy)
// pairs reported; precision: planted pairs found / pairs that planting added (pairs reported
// after planting and not before). Baseline in the same run: the check by content hash alone,
// which is what an identical-file check finds.
//   npx tsx bench/leaks.ts [--copies 400] [--datasets mnist,fashion]
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRng, sampleIndices } from '../src-shared/random';
import { Catalog, type NewSample } from '../src-main/core/catalog/catalog';
import { createProjectDb } from '../src-main/core/catalog/db';
import { classNamesOf, DATASET_TITLE, loadDataset, type DatasetName } from '../src-main/testing/curation/datasets';
import { fashionMissing } from '../src-main/testing/curation/fashion';
import { shiftedCopy } from '../src-main/testing/curation/mnist';
import { checkLeaks } from '../src-main/core/splits/leak-check';
import type { LeakReport } from '../src-shared/contract/splits';
import { peakRssMiB, writeSection } from './lib/report';

const argv = process.argv.slice(2);
const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const COPIES = Number(flag('--copies') ?? 400) || 400;
const WANTED = (flag('--datasets') ?? 'mnist,fashion').split(',') as DatasetName[];
const KINDS = ['exact', 'shifted', 'noised', 'shifted+noised'] as const;
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Result {
  name: DatasetName;
  shipped: LeakReport; shippedSeconds: number; repeatSeconds: number;
  recall: number; precision: number; byKind: Record<string, { found: number; planted: number }>;
  added: number; hashRecall: number; hashPrecision: number;
}

function blob(relPath: string, pixels: Uint8Array, label: string, split: string): NewSample {
  return {
    relPath, source: 'blob', width: 28, height: 28, channels: 1, contentHash: createHash('sha256').update(pixels).digest('hex'),
    label, split, metadata: {}, image: { kind: 'full', format: 'gray8', width: 28, height: 28, data: pixels },
  };
}

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
const allPairs = async (catalog: Catalog) => {
  const first = await checkLeaks(catalog, { limit: 0 });
  const r = await checkLeaks(catalog, { limit: first.pairs });
  return { report: r, pairs: new Set(r.page.map((p) => pairKey(p.a.id, p.b.id))), exact: new Set(r.page.filter((p) => p.exact).map((p) => pairKey(p.a.id, p.b.id))) };
};

async function run(name: DatasetName, dir: string): Promise<Result> {
  const names = classNamesOf(name);
  const path = join(dir, `${name}.winnow`);
  const catalog = new Catalog(createProjectDb(path), path);
  const datasetId = catalog.findOrCreateDataset('folder', `/bench/${name}`, DATASET_TITLE[name]);
  const parts = { train: loadDataset(name, 'train'), test: loadDataset(name, 'test') };
  for (const split of ['train', 'test'] as const) {
    const d = parts[split];
    for (let s = 0; s < d.n; s += 2000) {
      const rows: NewSample[] = [];
      for (let i = s; i < Math.min(d.n, s + 2000); i++) rows.push(blob(`${split}/${String(i).padStart(5, '0')}.png`, d.pixels.slice(i * 784, (i + 1) * 784), names[d.labels[i]!]!, split));
      catalog.insertSamples(datasetId, rows);
    }
  }
  const byPath = catalog.db.prepare('SELECT id FROM samples WHERE dataset_id = ? AND rel_path = ?').pluck();
  const idOf = (rel: string) => byPath.get(datasetId, rel) as number;
  log(`${name}: ${parts.train.n} + ${parts.test.n} samples stored`);

  let t = performance.now();
  const shipped = await allPairs(catalog);
  const shippedSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await checkLeaks(catalog, { offset: 0, limit: 10 });
  const repeatSeconds = (performance.now() - t) / 1000;
  log(`${name} as shipped: ${shipped.report.pairs} pairs (${shipped.report.exactPairs} exact) in ${shippedSeconds.toFixed(1)} s`);

  // Plant copies of distinct train images in test.
  const rng = createRng(name === 'mnist' ? 18 : 81);
  const sources = sampleIndices(parts.train.n, COPIES, rng);
  const planted: Array<{ source: number; rel: string; kind: (typeof KINDS)[number] }> = [];
  const rows: NewSample[] = [];
  sources.forEach((src, k) => {
    const kind = KINDS[k % KINDS.length]!;
    const dx = kind === 'noised' || kind === 'exact' ? 0 : (rng() < 0.5 ? -1 : 1) * (1 + Math.floor(rng() * 2));
    const dy = kind === 'noised' || kind === 'exact' ? 0 : (rng() < 0.5 ? -1 : 1) * Math.floor(rng() * 2);
    const px = kind === 'exact' ? parts.train.pixels.slice(src * 784, (src + 1) * 784) : shiftedCopy(parts.train.pixels, src, dx, dy, kind === 'shifted' ? 0 : 8, rng);
    const rel = `planted/${String(k).padStart(4, '0')}-${kind}.png`;
    rows.push(blob(rel, px, names[parts.train.labels[src]!]!, 'test'));
    planted.push({ source: src, rel, kind });
  });
  catalog.insertSamples(datasetId, rows);
  const after = await allPairs(catalog);
  const added = [...after.pairs].filter((p) => !shipped.pairs.has(p));
  const addedExact = [...after.exact].filter((p) => !shipped.exact.has(p));
  const byKind: Record<string, { found: number; planted: number }> = {};
  let found = 0, hashFound = 0;
  for (const p of planted) {
    const key = pairKey(idOf(`train/${String(p.source).padStart(5, '0')}.png`), idOf(p.rel));
    const k = (byKind[p.kind] ??= { found: 0, planted: 0 });
    k.planted++;
    if (after.pairs.has(key)) { found++; k.found++; }
    if (after.exact.has(key)) hashFound++;
  }
  catalog.close();
  return {
    name, shipped: shipped.report, shippedSeconds, repeatSeconds, byKind, added: added.length,
    recall: found / planted.length, precision: added.length ? found / added.length : 1,
    hashRecall: hashFound / planted.length, hashPrecision: addedExact.length ? hashFound / addedExact.length : 1,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'winnow-bench-leaks-'));
const results: Result[] = [];
try {
  for (const name of WANTED) {
    if (name === 'fashion' && fashionMissing()) { log(`skipping Fashion-MNIST: ${fashionMissing()}`); continue; }
    results.push(await run(name, dir));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const col = (f: (r: Result) => string) => results.map(f).join(' | ');
const head = `| | ${results.map((r) => DATASET_TITLE[r.name]).join(' | ')} |\n|---|${results.map(() => '---').join('|')}|`;
const topClasses = (r: Result) => [...r.shipped.byClass].sort((a, b) => b.samples - a.samples).slice(0, 3).map((c) => `${c.label} ${c.samples}`).join(', ');
const body = `Leak check = duplicate groups (exact content hash, appearance signature at the default threshold, copies across splits by aligned pixels, and the embedding's stored scores when a map exists; none here) whose members are in different splits. Real projects (SQLite, pixels stored as the MNIST import stores them). ${COPIES} copies of distinct train images planted in test, the four kinds in turn.

**As shipped (train 60,000 / test 10,000)**

${head}
| leak pairs train ↔ test | ${col((r) => String(r.shipped.pairs))} |
| of them exact (identical pixels) | ${col((r) => String(r.shipped.exactPairs))} |
| samples with a copy in the other split | ${col((r) => String(r.shipped.samples))} |
| classes with most leaking samples | ${col(topClasses)} |
| pairs with different labels | ${col((r) => String(r.shipped.mixedLabelPairs))} |
| pairs confirmed by the aligned rule | ${col((r) => String(r.shipped.sources.alignedPairs))} |
| first check (signatures computed and stored) | ${col((r) => `${r.shippedSeconds.toFixed(1)} s`)} |
| check again (nothing changed: cached) | ${col((r) => `${(r.repeatSeconds * 1000).toFixed(0)} ms`)} |

**Planted copies (${COPIES} per dataset)**

${head}
| recall of planted pairs | ${col((r) => `**${pct(r.recall)}**`)} |
| precision (planted found / pairs added by planting) | ${col((r) => `**${pct(r.precision)}** (${r.added} added)`)} |
${KINDS.map((k) => `| recall, ${k} copies | ${col((r) => `${r.byKind[k]?.found ?? 0}/${r.byKind[k]?.planted ?? 0}`)} |`).join('\n')}
| baseline: content hash only, recall / precision | ${col((r) => `${pct(r.hashRecall)} / ${pct(r.hashPrecision)}`)} |
| recall vs the hash-only baseline | ${col((r) => `${(r.recall / Math.max(r.hashRecall, 1e-9)).toFixed(2)}×`)} |

Targets (issue #18): recall ≥ 0.95 and precision ≥ 0.95 of planted pairs: ${col((r) => (r.recall >= 0.95 && r.precision >= 0.95 ? 'met' : '**not met**'))}.

Reading it: exact copies come from the content hash and most edited copies from the appearance signature (bench:duplicates). On Fashion-MNIST items fill the frame, so a shift cuts content off and the centred signature no longer lines up (bench:duplicates' "shift 1–3 px" row: 0.53); the cross-split aligned rule (core/splits/engine/aligned-copies.ts: each sample of the smaller split, its 10 nearest in the other splits by signature, pixels compared over the overlap at the best shift of ±3 px, d₁ ≤ 0.04 and d₁ ≤ 0.35 × the next candidate's) is what finds those. "Pairs added by planting" that are not planted pairs are copies that joined a group with a near twin of their source, or a ratio test that changed with the new images. The three Fashion-MNIST pairs with different labels, as shipped, are one test shirt with a dense print grouped by the signature rule with three plainer long-sleeved train items (two coats, a pullover); the print reads as pixel noise to the noise allowance (signature.ts), which excuses their distance. They are not copies: a known false positive of that allowance on dense textures (the aligned stage adds no pair with different labels here, with or without its crop search; scratch). Since stop 32 the aligned stage compares whole objects too (bench:duplicates): on MNIST it found no leak the other rules missed, as shipped or planted, and the first check went from 32.0 to 42.9 s (the digits' pixels read and compared).

Peak RSS ${peakRssMiB().toFixed(0)} MiB.`;
process.stdout.write(`${body}\n`);
writeSection('leaks', `npx tsx bench/leaks.ts${argv.length ? ` ${argv.join(' ')}` : ''}`, body);

// A million samples on one machine, end to end, through the real contract (the in-memory
// transport pair the handler tests use, so every call is what the renderer would send):
// open, info, a query, map (first positions and all), scores, each curate mode, a review-queue
// page, an export of 10,000, with the peak RSS of each step.
//
//   npx tsx bench/scale-1m.ts [--n 1000000] [--dim 64] [--dir DIR] [--keep] [--no-write] [--layout-sample M]
// --dir keeps the project there and reuses it on the next run (the build is skipped; its score and
// near-duplicate-group caches are emptied, so the map job still pays a first scoring).
//
// The project holds N samples without N files: MNIST digits repeated (digit i mod 70,000) with
// a few pixels changed per copy, stored as pixels in the project like the built-in demo, with
// the MNIST label (2 % changed to another digit, so there is label noise to find). Its vectors
// come in through `winnow vectors import` (core/embed/import-vectors.ts) from a .npy + ids CSV:
// a fixed random projection of the digit's pixels to 64-d (--dim; the built-in model's vectors
// are 544-d, so --dim 544 is a project embedded in the app) plus noise per copy, L2-normalised,
// so neighbours mostly share a label as with a real embedding. Embedding N images is not timed
// (days on 2 cores; see the Dask example for how that is spread out).
//
// Peak RSS per step: /proc/self/clear_refs is written before each step, so VmHWM is that
// step's own peak (Linux); the whole run's peak is process.resourceUsage().maxRSS.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { contract, type Contract, type Events } from '../src-shared/contract';
import { createClient } from '../src-shared/rpc/client';
import { createMemoryPair } from '../src-shared/rpc/memory-transport';
import type { JobFinished } from '../src-shared/model/job';
import type { MapJobResult } from '../src-shared/model/map';
import { Xorshift32 } from '../src-shared/random';
import { composeApp } from '../src-main/core/compose';
import type { NewSample } from '../src-main/core/catalog/catalog';
import { readDemoPart } from '../src-main/core/import/idx';
import { importVectors } from '../src-main/core/embed/import-vectors';
import { importLooks } from '../src-main/core/import/import-looks';
import { writeNpy } from '../src-main/core/embed/npy';
import { peakRssMiB, writeSection } from './lib/report';
import { cpuNow, resetPeak, stallMonitor, stepPeakMiB } from './lib/step-usage';

const { values } = parseArgs({ options: { n: { type: 'string', default: '1000000' }, dir: { type: 'string' }, keep: { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false }, 'layout-sample': { type: 'string' }, dim: { type: 'string', default: '64' } } });
const N = Number(values.n);
const DIM = Number(values.dim);
/** Noise per coordinate of a copy: the same share of the vector's length at any width. */
const COPY_NOISE = 0.05 * Math.sqrt(64 / DIM);
const BATCH = 10_000;
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'winnow-bench-1m-'));
mkdirSync(dir, { recursive: true });
const projectPath = join(dir, 'scale.winnow');

// ---- per-step measurement -------------------------------------------------------------------
interface Step { name: string; ms: number; cpuMs: number; peakMiB: number; /** The event loop's longest stall in the step: how long a renderer request waited at worst. */ stallMs: number; note: string; target?: string }
const stalls = stallMonitor();
const steps: Step[] = [];
async function step<T>(name: string, fn: () => Promise<T> | T, note: (r: T, ms: number) => string = () => '', target?: string): Promise<T> {
  resetPeak();
  stalls.reset();
  const c0 = cpuNow();
  const t0 = performance.now();
  const r = await fn();
  const ms = performance.now() - t0;
  const s: Step = { name, ms, cpuMs: cpuNow() - c0, peakMiB: stepPeakMiB(), stallMs: stalls.maxMs(), note: note(r, ms), target };
  steps.push(s);
  if (progressFacts) report(progressFacts, false);
  console.log(`${name}: ${fmt(ms)} (CPU ${fmt(s.cpuMs)}), peak RSS ${s.peakMiB.toFixed(0)} MiB, longest stall ${fmt(s.stallMs)}${s.note ? `; ${s.note}` : ''}; load ${loadavg()[0].toFixed(1)}`);
  return r;
}
const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

// ---- the core, as the app composes it ----------------------------------------------------------
const { core, dispatcher } = composeApp({ transport: 'memory' });
const [server, clientSide] = createMemoryPair();
dispatcher.attach(server);
const api = createClient<Contract, Events>(contract, clientSide);
const finished = new Map<string, (f: JobFinished) => void>();
const done = new Map<string, JobFinished>();
api.on('job.finished', (f) => { const w = finished.get(f.jobId); if (w) w(f); else done.set(f.jobId, f); });
function waitJob(jobId: string): Promise<JobFinished> {
  const f = done.get(jobId);
  if (f) return Promise.resolve(f);
  return new Promise((resolve) => finished.set(jobId, resolve));
}
async function job<R>(start: Promise<{ jobId: string }>): Promise<R> {
  const f = await waitJob((await start).jobId);
  if (f.state !== 'done') throw new Error(`${f.kind} job ${f.state}: ${f.error}`);
  return f.result as R;
}

// ---- building the project (timed, but not one of the targets) --------------------------------
function projection(): Float32Array {
  const rng = new Xorshift32(7);
  return Float32Array.from({ length: 784 * DIM }, () => rng.normal());
}

async function build(): Promise<void> {
  await api.call('project.create', { path: projectPath });
  const parts = [readDemoPart('mnist', 'train'), readDemoPart('mnist', 'test')];
  const digits = parts.reduce((s, p) => s + p.count, 0);
  const pixelsOf = (d: number) => { const p = d < parts[0]!.count ? parts[0]! : parts[1]!; const j = d < parts[0]!.count ? d : d - parts[0]!.count; return { part: p, pixels: p.images.subarray(j * 784, (j + 1) * 784), label: p.labels[j]! }; };
  const catalog = core.project.catalog;
  const datasetId = catalog.findOrCreateDataset('mnist', null, 'MNIST ×' + Math.ceil(N / digits));
  await step('build: insert samples (pixels in the project)', async () => {
    const rng = new Xorshift32(3);
    for (let start = 0; start < N; start += BATCH) {
      const rows: NewSample[] = [];
      for (let i = start; i < Math.min(N, start + BATCH); i++) {
        const d = i % digits;
        const copy = Math.floor(i / digits);
        const { part, pixels, label } = pixelsOf(d);
        const data = pixels.slice();
        if (copy > 0) for (let t = 0; t < 12; t++) data[rng.below(784)] = rng.below(256);
        const noisy = rng.float() < 0.02;
        rows.push({
          relPath: `copy${copy}/${part.split}/${String(d).padStart(5, '0')}.png`, source: 'blob', width: 28, height: 28, channels: 1,
          contentHash: createHash('sha256').update(data).digest('hex'),
          label: String(noisy ? (label + 1 + rng.below(9)) % 10 : label), split: part.split, metadata: {},
          image: { kind: 'full', format: 'gray8', width: 28, height: 28, data },
        });
      }
      catalog.insertSamples(datasetId, rows);
      await new Promise((r) => setImmediate(r));
    }
  }, () => `${N.toLocaleString('en-US')} samples`);
  // An import's last phase, as the demo and folder imports run it (core/import/import-looks.ts).
  const ctx = { jobId: 'bench-build', signal: new AbortController().signal, progress: () => {} };
  await step('build: the looks of every image (the import\'s last phase)', () => importLooks(catalog, datasetId, ctx), (r) => `${r.toLocaleString('en-US')} looks`);
  const npy = join(dir, 'vectors.npy');
  await step('build: synthetic vectors (.npy + ids CSV)', () => {
    const P = projection();
    const base = new Float32Array(digits * DIM);
    for (let d = 0; d < digits; d++) {
      const px = pixelsOf(d).pixels;
      let s = 0;
      for (let c = 0; c < DIM; c++) {
        let v = 0;
        for (let j = 0; j < 784; j++) if (px[j]) v += px[j]! * P[j * DIM + c]!;
        base[d * DIM + c] = v;
        s += v * v;
      }
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let c = 0; c < DIM; c++) base[d * DIM + c]! *= inv;
    }
    const rng = new Xorshift32(5);
    const out = new Float32Array(N * DIM);
    const paths: string[] = ['path'];
    for (let i = 0; i < N; i++) {
      const d = i % digits;
      const copy = Math.floor(i / digits);
      let s = 0;
      for (let c = 0; c < DIM; c++) {
        const v = base[d * DIM + c]! + (copy > 0 ? COPY_NOISE * rng.normal() : 0);
        out[i * DIM + c] = v;
        s += v * v;
      }
      for (let c = 0; c < DIM; c++) out[i * DIM + c]! /= Math.sqrt(s);
      paths.push(`copy${copy}/${pixelsOf(d).part.split}/${String(d).padStart(5, '0')}.png`);
    }
    writeNpy(npy, out, N, DIM);
    writeFileSync(npy.replace(/\.npy$/, '.ids.csv'), paths.join('\n') + '\n');
  });
  await step('build: winnow vectors import', () => importVectors(catalog, { source: npy, modelName: `synthetic-${DIM}` }), (r) => `${r.imported.toLocaleString('en-US')} vectors`);
  await api.call('project.close', {});
}

// ---- the measured steps -------------------------------------------------------------------------
/** Set while the measured steps run: each step then rewrites the section with what is known. */
let progressFacts: Record<string, unknown> | null = null;

async function measure(): Promise<Record<string, unknown>> {
  const facts: Record<string, unknown> = {};
  progressFacts = facts;
  await step('open: project.open + samples.columns + map.get', async () => {
    await api.call('project.open', { path: projectPath });
    const cols = await api.call('samples.columns', {});
    const map = await api.call('map.get', {});
    return { cols, map };
  }, (r) => `${r.cols.ids.length.toLocaleString('en-US')} rows of columns, ${r.map ? 'a map' : 'no map yet'}`, '≤ 2 s');
  await step('info: dataset.overview', () => api.call('dataset.overview', {}), (r) => `${r.total.toLocaleString('en-US')} samples, ${r.byLabel.length} labels`);
  await step('query: label = 3 (no scores yet)', () => api.call('samples.query', { query: 'label = 3' }), (r) => `${r.ids.length.toLocaleString('en-US')} ids`, '≤ 1 s');
  const similarTo = (await api.call('samples.query', { query: 'label = 7' })).ids[0]!;
  await step('similar images: similar.query by a sample (the first reads the set\'s vectors)', () => api.call('similar.query', { id: similarTo, k: 20 }), (r) => `${r.hits.length} hits`, '≤ 1 s');
  await step('similar images again (the vectors already read)', () => api.call('similar.query', { id: similarTo, k: 20 }), (r) => `${r.hits.length} hits`, '≤ 1 s');

  let firstMs = -1;
  let finalMs = -1;
  let t0 = 0;
  const offProgress = api.on('map.progress', (p) => {
    if (firstMs < 0) firstMs = performance.now() - t0;
    if (p.epoch === p.totalEpochs) finalMs = performance.now() - t0;
  });
  const map = await step('map: map.start → job done (k-NN, layout, then scores)', async () => {
    t0 = performance.now();
    return job<MapJobResult>(api.call('map.start', values['layout-sample'] ? { layoutSample: Number(values['layout-sample']) } : {}));
  }, (r) => `first positions after ${fmt(firstMs)}, final positions drawn after ${fmt(finalMs)} (the scores follow in the same job); ${r.laidOut !== undefined && r.laidOut < r.n ? `${r.laidOut.toLocaleString('en-US')} laid out, the rest placed` : 'all laid out'}; PCA ${fmt(r.timings.pca ?? 0)}, k-NN ${fmt(r.timings.knn ?? 0)}, sample graph ${fmt(r.timings.sampleGraph ?? 0)}, layout ${fmt((r.timings.fuzzy ?? 0) + (r.timings.layout ?? 0))}, placing ${fmt(r.timings.place ?? 0)}, scores ${fmt(r.timings.scores ?? 0)}`, '≤ 4 min, first positions ≤ 10 s');
  offProgress();
  facts.map = map;
  facts.firstPositionsMs = firstMs;
  await step('map.get (positions for the renderer)', () => api.call('map.get', {}), (r) => `${r?.ids.length.toLocaleString('en-US')} points`);
  await step('scores.get (score columns for the renderer)', () => api.call('scores.get', {}));
  await step('query: noise > 0.8 (scores)', () => api.call('samples.query', { query: 'noise > 0.8' }), (r) => `${r.ids.length.toLocaleString('en-US')} ids`, '≤ 1 s');
  await api.call('project.close', {});
  await step('reopen with a map: project.open + samples.columns + map.get + scores.get', async () => {
    await api.call('project.open', { path: projectPath });
    await api.call('samples.columns', {});
    await api.call('map.get', {});
    await api.call('scores.get', {});
  }, () => '', '≤ 2 s');

  for (const mode of ['representative', 'edge-cases', 'mislabeled', 'custom'] as const) {
    await step(`curate ${mode} (n 1,000; the map job's scores reused)`, () => job<{ seconds: number; picks: unknown[] }>(api.call('curate.run', { mode, n: 1000, name: `bench-${mode}`, seed: 1 })), (r) => `${r.picks.length} picks`, '≤ 60 s with the first scoring');
  }
  const page = await step('review page: slices.members + 60 thumbnails', async () => {
    const m = await api.call('slices.members', { ref: 'bench-mislabeled' });
    const t = await api.call('samples.thumbnails', { ids: m.members.slice(0, 60).map((x) => x.sampleId) });
    return { m, t };
  }, (r) => `${r.m.members.length} members, ${r.t.items.length} thumbnails`);
  facts.pageMembers = page.m.members.length;
  const ids = Array.from((await api.call('samples.query', { query: 'label = 7' })).ids.slice(0, 10_000));
  await step('export 10,000 (selection, imagefolder)', () => job<{ exported?: number }>(api.call('export.start', { source: { kind: 'selection', ids }, out: join(dir, 'export') })), (r) => `${(r as { exported?: number }).exported ?? JSON.stringify(r).slice(0, 80)} exported`);
  await api.call('project.close', {});
  return facts;
}

/** The section from the steps measured so far; rewritten after every step, so a run stopped early still leaves its figures. */
function report(facts: Record<string, unknown>, final: boolean): string {
  // clear_refs resets the process's high-water mark too, so the run's peak is the largest step's
  const peak = Math.max(peakRssMiB(), ...steps.map((s) => s.peakMiB));
  const map = facts.map as MapJobResult | undefined;
  const md = `
${final ? '' : `**Partial: the run had got this far (${steps.length} steps) when this was written.**\n\n`}${N.toLocaleString('en-US')} samples: MNIST digits repeated with a few pixels changed per copy, stored in the project (28×28 grey), MNIST labels with 2 % changed; ${DIM}-d synthetic vectors (a fixed random projection of the digit's pixels plus noise per copy) imported with \`winnow vectors import\` from a .npy + ids CSV. Every step goes through the real contract (in-memory transport), as the renderer calls it; a job's time runs from its start call to its \`job.finished\` event. Peak RSS is each step's own (VmHWM reset before the step, so it includes what the step found resident: garbage not yet collected from the step before counts too); the longest event-loop stall is the longest the core's thread went without turning during the step (a 10 ms timer's largest gap): what a request of the renderer waited at worst; the whole run's peak: **${peak.toFixed(0)} MiB**. The machine was shared (load average ${loadavg()[0].toFixed(0)} on 2 cores when written): wall times are upper bounds, CPU times (all threads of this process) the steadier figure.

| step | wall | CPU | peak RSS (MiB) | longest event-loop stall | target | notes |
|---|---|---|---|---|---|---|
${steps.map((s) => `| ${s.name} | ${fmt(s.ms)} | ${fmt(s.cpuMs)} | ${s.peakMiB.toFixed(0)} | ${fmt(s.stallMs)} | ${s.target ?? ''} | ${s.note.replace(/\|/g, '/')} |`).join('\n')}
${map ? `
Map: ${map.n.toLocaleString('en-US')} samples, ${(map.laidOut ?? map.n).toLocaleString('en-US')} laid out by the SGD (default above 300,000: a 200,000 sample), the rest placed at the weighted geometric median of their laid-out k-NN neighbours; scores and curation use the full k = ${map.k} graph. First positions (the PCA preview) after ${fmt(facts.firstPositionsMs as number)}.
` : ''}
The renderer's first frame from this project: see "1M (first frame)" (bench/scale-1m-frame.ts).
`;
  if (!values['no-write']) writeSection('1M', `npx tsx bench/scale-1m.ts${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`, md);
  return md;
}

try {
  if (!existsSync(projectPath)) await build();
  else {
    // A project kept by --dir from an earlier run: its score and near-duplicate-group caches are
    // emptied, so the map job's scoring is a first scoring, as on a new project.
    const db = new Database(projectPath);
    db.exec('DELETE FROM score_cache; DELETE FROM appearance_groups;');
    db.close();
  }
  const facts = await measure();
  console.log(`peak RSS of the whole run ${Math.max(peakRssMiB(), ...steps.map((s) => s.peakMiB)).toFixed(0)} MiB`);
  console.log(report(facts, true));
} finally {
  await core.closeProject().catch(() => false);
  if (values.dir) rmSync(join(dir, 'export'), { recursive: true, force: true });
  if (!values.keep && !values.dir) rmSync(dir, { recursive: true, force: true });
}

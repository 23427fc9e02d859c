// Scores and each curate mode on a big project (made by bench/scale-1m.ts), timed through the
// real contract with the peak RSS of each step: the issue-16 target is "scores + any curate mode
// ≤ 60 s, peak RSS ≤ 4 GB" at 1,000,000 samples on 2 cores.
//
//   npx tsx bench/scale-curate.ts --project /tmp/scale/p1m/scale.winnow [--work DIR] [--no-write] [--label TEXT]
//     [--modes representative,edge-cases,...] [--timeline steps.json (with --cpu-prof: cut the profile by step)]
//     [--warm: keep the copy's appearance groups too; only the score cache is emptied]
//     [--looks-at-scoring: empty the looks too, as in a project imported before imports made them]
//
// The project is copied first (a file copy: it must not be open for writing elsewhere) and never
// touched itself. Steps, in order:
//   scores, first time   the score and appearance-group caches emptied: what the map job's
//                        scores step does on a new project, whose import made the looks
//                        (the near-duplicate search, then everything scored); with
//                        --looks-at-scoring the looks are emptied too and decoded first;
//   scores, after an edit one label changed: the appearance is read back, the scores recomputed;
//   curate <mode>        one label changed before each, so each run rescored first (the usual
//                        loop: fix labels, curate again), then the mode picks 1,000;
//   curate <mode>, cached no edit before it: what a run costs when the scores are reused.
// Peak RSS: /proc/self/clear_refs is written before each step, so VmHWM is that step's own peak.
import { closeSync, cpSync, existsSync, fsyncSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { contract, type Contract, type Events } from '../src-shared/contract';
import { createClient } from '../src-shared/rpc/client';
import { createMemoryPair } from '../src-shared/rpc/memory-transport';
import type { JobFinished } from '../src-shared/model/job';
import { composeApp } from '../src-main/core/compose';
import { writeSection } from './lib/report';
import { cpuNow, resetPeak, stallMonitor, stepPeakMiB } from './lib/step-usage';

const { values } = parseArgs({ options: { project: { type: 'string' }, work: { type: 'string' }, 'no-write': { type: 'boolean', default: false }, timeline: { type: 'string' }, warm: { type: 'boolean', default: false }, 'looks-at-scoring': { type: 'boolean', default: false }, label: { type: 'string', default: '' }, modes: { type: 'string', default: 'representative,edge-cases,mislabeled,custom' } } });
if (!values.project || !existsSync(values.project)) throw new Error('--project PATH: a project made by bench/scale-1m.ts (with a map)');
const work = values.work ?? mkdtempSync(join(tmpdir(), 'winnow-scale-curate-'));
const projectPath = join(work, basename(values.project));
const modes = values.modes.split(',') as Array<'representative' | 'edge-cases' | 'mislabeled' | 'custom'>;

interface Step { name: string; ms: number; cpuMs: number; peakMiB: number; /** The event loop's longest stall in the step (ms): how long a renderer request waited at worst. */ stallMs: number; note: string; /** Monotonic µs, the clock of V8's CPU profiles (to cut a --cpu-prof run by step). */ fromUs: number; toUs: number }
const steps: Step[] = [];
const stalls = stallMonitor();
const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
async function step<T>(name: string, fn: () => Promise<T>, note: (r: T) => string = () => ''): Promise<T> {
  (globalThis as { gc?: () => void }).gc?.();
  resetPeak();
  stalls.reset();
  const c0 = cpuNow();
  const t0 = performance.now();
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const r = await fn();
  const s: Step = { name, ms: performance.now() - t0, cpuMs: cpuNow() - c0, peakMiB: stepPeakMiB(), stallMs: stalls.maxMs(), note: note(r), fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
  steps.push(s);
  console.log(`${name}: ${fmt(s.ms)} (CPU ${fmt(s.cpuMs)}), peak RSS ${s.peakMiB.toFixed(0)} MiB, longest stall ${fmt(s.stallMs)}${s.note ? `; ${s.note}` : ''}; load ${loadavg()[0].toFixed(1)}`);
  return r;
}

// ---- a private copy of the project, caches emptied ------------------------------------------
await step('copy the project', async () => {
  // A file copy (with its WAL): SQLite's online backup restarts whenever the source is written
  // and crawls on a loaded machine; the source must not be open for writing.
  // A WAL left in the work folder by an interrupted run would be replayed onto the new copy (SQLite
  // does not check whose WAL it is): it is removed first.
  for (const ext of ['-wal', '-shm']) rmSync(projectPath + ext, { force: true });
  for (const ext of ['', '-wal', '-shm']) if (existsSync(values.project + ext)) cpSync(values.project + ext, projectPath + ext);
  if (existsSync(values.project + '.index')) cpSync(values.project + '.index', projectPath + '.index', { recursive: true });
  const db = new Database(projectPath);
  db.exec(values.warm ? 'DELETE FROM score_cache;' : `${values['looks-at-scoring'] ? 'DELETE FROM signatures; ' : ''}DELETE FROM score_cache; DELETE FROM appearance_groups;`);
  db.close();
  // Written back before the steps: a fresh copy leaves gigabytes of dirty pages that the kernel
  // flushes while the first scoring reads (the map's row took 1.6 s right after a copy, 0.2 s
  // once written back), and the app's scoring never follows such a copy.
  for (const ext of ['', '-wal']) if (existsSync(projectPath + ext)) { const fd = openSync(projectPath + ext, 'r+'); fsyncSync(fd); closeSync(fd); }
});

const { core, dispatcher } = composeApp({ transport: 'memory' });
const [server, clientSide] = createMemoryPair();
dispatcher.attach(server);
const api = createClient<Contract, Events>(contract, clientSide);
const done = new Map<string, JobFinished>();
const waiting = new Map<string, (f: JobFinished) => void>();
api.on('job.finished', (f) => { const w = waiting.get(f.jobId); if (w) w(f); else done.set(f.jobId, f); });
async function job<R>(start: Promise<{ jobId: string }>): Promise<R> {
  const { jobId } = await start;
  const f = done.get(jobId) ?? await new Promise<JobFinished>((resolve) => waiting.set(jobId, resolve));
  if (f.state !== 'done') throw new Error(`${f.kind} job ${f.state}: ${f.error}`);
  return f.result as R;
}

try {
  await api.call('project.open', { path: projectPath });
  const n = (await api.call('dataset.overview', {})).total;
  // Each edit moves one more sample's label, so every run's score key is new.
  const labelled = (await api.call('samples.query', { query: 'label = 3' })).ids;
  let edits = 0;
  const edit = () => api.call('labels.set', { ids: [labelled[edits++]!], label: '5' });
  const first = values.warm ? 'scores, near-duplicate groups kept' : values['looks-at-scoring'] ? 'scores, first time (the looks of every image decoded first)' : 'scores, first time (looks made at import; near-duplicate search)';
  await step(first, () => core.project.rescore(), (r) => (r.reused ? 'reused (?)' : 'computed'));
  await edit();
  await step('scores, after one label edit', () => core.project.rescore(), (r) => (r.reused ? 'reused (?)' : 'computed'));
  for (const mode of modes) {
    await edit();
    await step(`curate ${mode} (one label edited first: rescored + 1,000 picks)`, () => job<{ picks: unknown[] }>(api.call('curate.run', { mode, n: 1000, name: `bench-${mode}`, seed: 1 })), (r) => `${r.picks.length} picks`);
  }
  for (const mode of modes) {
    await step(`curate ${mode}, scores cached`, () => job<{ picks: unknown[] }>(api.call('curate.run', { mode, n: 1000, name: `bench-${mode}-cached`, seed: 1 })), (r) => `${r.picks.length} picks`);
  }
  await api.call('project.close', {});
  const peak = Math.max(...steps.map((s) => s.peakMiB));
  if (values.timeline) writeFileSync(values.timeline, JSON.stringify(steps, null, 1));
  console.log(`peak RSS of the run ${peak.toFixed(0)} MiB`);
  const md = `
${values.label ? `${values.label}\n\n` : ''}${n.toLocaleString('en-US')} samples (a project made by \`bench/scale-1m.ts\`: 64-d vectors, k = 15 graph, 28×28 grey pixels stored in the project), copied, with the score and appearance-group caches emptied${values['looks-at-scoring'] ? ' and the looks too' : ' (the looks kept: an import makes them)'}. Every step goes through the real contract (in-memory transport); a job's time runs from its start call to its \`job.finished\` event. Peak RSS is each step's own (VmHWM reset before it); the longest event-loop stall is the longest the core's thread went without turning during the step (a 10 ms timer's largest gap): what a request of the renderer waited at worst; the run's peak: **${peak.toFixed(0)} MiB**. Load average ${loadavg()[0].toFixed(1)} on 2 cores when written: wall times are upper bounds, CPU times (all threads) the steadier figure. Target (issue 16): scores + any curate mode ≤ 60 s, peak RSS ≤ 4 GB at 1,000,000.

| step | wall | CPU | peak RSS (MiB) | longest event-loop stall | notes |
|---|---|---|---|---|---|
${steps.map((s) => `| ${s.name} | ${fmt(s.ms)} | ${fmt(s.cpuMs)} | ${s.peakMiB.toFixed(0)} | ${fmt(s.stallMs)} | ${s.note} |`).join('\n')}
`;
  if (!values['no-write']) writeSection(`scale: scores and curate (${n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`})`, `npx tsx bench/scale-curate.ts ${process.argv.slice(2).join(' ')}`, md);
} finally {
  await core.closeProject().catch(() => false);
  if (!values.work) rmSync(work, { recursive: true, force: true });
}

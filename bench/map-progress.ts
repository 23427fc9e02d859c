// What the jobs bar says during a big map job: the progress and ETA the job reports (the same
// events the renderer's jobs tray shows), sampled about every 5 s, against the time the job
// actually had left. A full map of an existing project (k-NN, layout, then its scoring).
//
//   npx tsx bench/map-progress.ts --project /tmp/sc1m-s16/scale.winnow [--first-scoring] [--no-write] [--then-curate MODE]
//
// The project is opened for writing (a new map is saved in it), so it must not be open elsewhere.
// Its looks and near-duplicate groups are normally cached by an earlier scoring, so the scoring
// here is a rescoring; --first-scoring empties the score and near-duplicate-group caches first
// (the project's copy is changed), so the job ends with what a new project's first scoring does
// when its import made the looks: the near-duplicate search, then the rest. --then-curate runs
// one curate job of that mode (N = 1,000, seed 1, the job's scores reused) once the map job is
// done, and reports its time with a digest of its picks: issue 16's "scores + any curate mode",
// read as the one wait of a new project's first scoring and its first curate run.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import type { JobParams } from '../src-shared/contract/job-map';
import type { JobProgress } from '../src-shared/model/job';
import { ProjectSession } from '../src-main/core/project-session';
import { progressPhase } from '../src-main/core/jobs/job-manager';
import { writeSection } from './lib/report';

const { values } = parseArgs({ options: { project: { type: 'string' }, 'first-scoring': { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false }, 'then-curate': { type: 'string' } } });
if (!values.project || !existsSync(values.project)) throw new Error('--project PATH: a mapped project (bench/scale-1m.ts makes one)');

const SAMPLE_MS = 5000;
const t0 = Date.now();
const seen: Array<{ at: number; done: number; eta: number | null; message: string }> = [];
let last = -Infinity;
let phase = '';
const project = ProjectSession.open(values.project, {
  progress: (p: JobProgress) => {
    // The map job's events only (not those of a curate job run after it).
    if (p.kind !== 'map') return;
    const now = Date.now();
    const message = p.message ?? '';
    // Every new phase, and otherwise one event per SAMPLE_MS.
    const current = progressPhase(message);
    if (current === phase && now - last < SAMPLE_MS) return;
    phase = current;
    last = now;
    seen.push({ at: (now - t0) / 1000, done: (100 * p.done) / p.total, eta: p.etaSeconds, message });
  },
  finished: () => {},
});
if (values['first-scoring']) project.catalog.db.exec('DELETE FROM score_cache; DELETE FROM appearance_groups;');
const n = project.catalog.overview().total;
const job = await project.jobs.wait(project.startMap({ full: true }));
const end = (Date.now() - t0) / 1000;
if (job.state !== 'done') throw new Error(`map job ${job.state}: ${job.error}`);
const scoringStart = seen.find((s) => s.message.startsWith('scores'))?.at;
let curateLine = '';
if (values['then-curate']) {
  const mode = values['then-curate'] as JobParams<'curate'>['mode'];
  const c0 = Date.now();
  const run = await project.jobs.wait(project.startCurate({ mode, n: 1000, seed: 1, name: `map-progress-${mode}-${c0}` }));
  const seconds = (Date.now() - c0) / 1000;
  if (run.state !== 'done') throw new Error(`curate job ${run.state}: ${run.error}`);
  const picks = (run.result as { picks: unknown[] }).picks;
  const digest = createHash('sha256').update(JSON.stringify(picks)).digest('hex').slice(0, 12);
  curateLine = `Then a curate job, ${mode} N = 1,000 (seed 1, the job's scores reused): ${seconds.toFixed(1)} s (${picks.length} picks, digest ${digest}). The job's scoring (from its first "scores" event to its end) and this run, as one wait: ${scoringStart === undefined ? '–' : `${(end - scoringStart).toFixed(1)} + ${seconds.toFixed(1)} = ${(end - scoringStart + seconds).toFixed(1)} s`}.`;
}
await project.close();

const rows = seen.map((s) => `| ${s.at.toFixed(1)} s | ${s.done.toFixed(1)} % | ${s.eta === null ? '–' : `${s.eta.toFixed(0)} s`} | ${(end - s.at).toFixed(0)} s | ${s.message.replace(/\|/g, '/')} |`);
const md = `
A full map job on ${n.toLocaleString('en-US')} samples (${values.project}${values['first-scoring'] ? ', score and near-duplicate-group caches emptied first: its scoring is a first scoring on looks made at import' : ''}), ${end.toFixed(1)} s from its start call to its end (load average ${loadavg()[0].toFixed(1)} on 2 cores when written). Each row is a progress event the job sent (what the jobs tray shows): the first of each phase, then one about every ${SAMPLE_MS / 1000} s. "ETA" is the job's own estimate (the remaining share at the pace of the last 5 s), "actual" the time the job really had left.

| at | progress | ETA | actual | message |
|---|---|---|---|---|
${rows.join('\n')}
${curateLine ? `\n${curateLine}\n` : ''}`;
console.log(md);
if (!values['no-write']) writeSection('map job progress (1M)', `npx tsx bench/map-progress.ts ${process.argv.slice(2).join(' ')}`, md);

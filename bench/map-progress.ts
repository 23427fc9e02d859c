// What the jobs bar says during a big map job: the progress and ETA the job reports (the same
// events the renderer's jobs tray shows), sampled about every 5 s, against the time the job
// actually had left. A full map of an existing project (k-NN, layout, then its scoring).
//
//   npx tsx bench/map-progress.ts --project /tmp/sc1m-s16/scale.winnow [--first-scoring] [--no-write]
//
// The project is opened for writing (a new map is saved in it), so it must not be open elsewhere.
// Its looks and near-duplicate groups are normally cached by an earlier scoring, so the scoring
// here is a rescoring; --first-scoring empties the score and near-duplicate-group caches first
// (the project's copy is changed), so the job ends with what a new project's first scoring does
// when its import made the looks: the near-duplicate search, then the rest.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { JobProgress } from '../src-shared/model/job';
import { ProjectSession } from '../src-main/core/project-session';
import { progressPhase } from '../src-main/core/jobs/job-manager';
import { writeSection } from './lib/report';

const { values } = parseArgs({ options: { project: { type: 'string' }, 'first-scoring': { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false } } });
if (!values.project || !existsSync(values.project)) throw new Error('--project PATH: a mapped project (bench/scale-1m.ts makes one)');

const SAMPLE_MS = 5000;
const t0 = Date.now();
const seen: Array<{ at: number; done: number; eta: number | null; message: string }> = [];
let last = -Infinity;
let phase = '';
const project = ProjectSession.open(values.project, {
  progress: (p: JobProgress) => {
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
await project.close();
if (job.state !== 'done') throw new Error(`map job ${job.state}: ${job.error}`);

const rows = seen.map((s) => `| ${s.at.toFixed(1)} s | ${s.done.toFixed(1)} % | ${s.eta === null ? '–' : `${s.eta.toFixed(0)} s`} | ${(end - s.at).toFixed(0)} s | ${s.message.replace(/\|/g, '/')} |`);
const md = `
A full map job on ${n.toLocaleString('en-US')} samples (${values.project}${values['first-scoring'] ? ', score and near-duplicate-group caches emptied first: its scoring is a first scoring on looks made at import' : ''}), ${end.toFixed(1)} s from its start call to its end (load average ${loadavg()[0].toFixed(1)} on 2 cores when written). Each row is a progress event the job sent (what the jobs tray shows): the first of each phase, then one about every ${SAMPLE_MS / 1000} s. "ETA" is the job's own estimate (the remaining share at the pace of the last 5 s), "actual" the time the job really had left.

| at | progress | ETA | actual | message |
|---|---|---|---|---|
${rows.join('\n')}
`;
console.log(md);
if (!values['no-write']) writeSection('map job progress (1M)', `npx tsx bench/map-progress.ts ${process.argv.slice(2).join(' ')}`, md);

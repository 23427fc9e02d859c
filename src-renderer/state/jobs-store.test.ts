import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import type { JobInfo } from '../../src-shared/model/job';
import { beginStart, isBusy, jobFinished, jobProgress, latestJob, linkStart, resetJobs, seedJobs, useJobs } from './jobs-store';

beforeEach(resetJobs);

it('keeps a job that failed before its start call returned, and links it to its kind', () => {
  assert.equal(beginStart('import'), true);
  jobFinished({ jobId: 'j1', kind: 'import', state: 'failed', error: 'folder not found: /nope', result: null });
  const entry = linkStart('import', 'j1');
  assert.equal(entry.state, 'failed');
  assert.equal(latestJob(useJobs.getState(), 'import')?.error, 'folder not found: /nope');
  assert.equal(isBusy(useJobs.getState(), 'import'), false);
});

it('refuses a second start of a kind while the first is starting or running', () => {
  assert.equal(beginStart('curate'), true);
  assert.equal(beginStart('curate'), false);
  linkStart('curate', 'c1');
  jobProgress({ jobId: 'c1', kind: 'curate', done: 1, total: 3, rate: 0, etaSeconds: null, message: 'picking' });
  assert.equal(beginStart('curate'), false);
  jobFinished({ jobId: 'c1', kind: 'curate', state: 'done', error: null, result: {} });
  assert.equal(beginStart('curate'), true);
});

it('ignores progress that arrives after the end', () => {
  linkStart('embed', 'e1');
  jobFinished({ jobId: 'e1', kind: 'embed', state: 'cancelled', error: null, result: null });
  jobProgress({ jobId: 'e1', kind: 'embed', done: 5, total: 10, rate: 1, etaSeconds: 5, message: 'late' });
  assert.equal(latestJob(useJobs.getState(), 'embed')?.state, 'cancelled');
});

it('picks up jobs already running when the window (re)connects, and forgets a closed project\'s jobs', () => {
  const info = (id: string, state: JobInfo['state']): JobInfo => ({ id, kind: 'embed', state, done: 300, total: 2000, message: 'MobileNetV2 on CPU', error: null, params: {}, result: null, createdAt: '2026-12-03T08:00:00Z', updatedAt: '2026-12-03T08:01:00Z' });
  seedJobs([info('old', 'done'), info('now', 'running')]);
  const s = useJobs.getState();
  assert.deepEqual(s.jobs.map((j) => j.jobId), ['now']);
  assert.equal(latestJob(s, 'embed')?.done, 300);
  assert.equal(isBusy(s, 'embed'), true);
  resetJobs();
  jobFinished({ jobId: 'now', kind: 'embed', state: 'cancelled', error: null, result: null });
  assert.deepEqual(useJobs.getState().jobs, []);
});

// Resuming a job hands its runner the stored params only when they are the JobMap's shape for
// that kind: a row written in an older shape (the CLI used to store its own export options) is
// refused with a typed error instead of being run with what the runner cannot read.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { JobParams } from '../../../src-shared/contract/job-map';
import type { RpcError } from '../../../src-shared/rpc/errors';
import { createProjectDb } from '../catalog/db';
import { tempDir } from '../../testing/temp';
import { JobManager } from './job-manager';
import { JobStore } from './job-store';

const quiet = { progress: () => {}, finished: () => {} };

test('resume runs a stored job with its parsed params and refuses a row of another shape', async () => {
  const db = createProjectDb(join(tempDir(), 'p.winnow'));
  const store = new JobStore(db);
  const seen: Array<JobParams<'export'>> = [];
  const jobs = new JobManager(store, {
    export: async (params) => {
      seen.push(params);
      throw new Error('stop here');
    },
  }, quiet);

  const good: JobParams<'export'> = { source: { kind: 'slice', ref: 'starter@2' }, out: '/tmp/x', layout: 'flat', mode: 'merge', link: 'copy' };
  store.create('good', 'export', good);
  store.finish('good', 'interrupted', null, undefined);
  // What `winnow export --slice starter` stored before exports went through the session's runner.
  store.create('old', 'export', { out: '/tmp/x', layout: 'imagefolder', mode: 'new', link: 'copy', source: { kind: 'slice', name: 'starter', version: 2 }, count: 3 });
  store.finish('old', 'interrupted', null, undefined);

  await assert.rejects(async () => jobs.resume('old'), (e: RpcError) => e.code === 'bad_request' && /cannot resume/.test(e.message));
  assert.equal(store.get('old').state, 'interrupted', 'a refused row stays as it was');

  jobs.resume('good');
  assert.equal((await jobs.wait('good')).state, 'failed');
  assert.deepEqual(seen, [good]);
  db.close();
});

test('a second pass over the items (fewer done than before) gets a time left from its own pace', async () => {
  const db = createProjectDb(join(tempDir(), 'p.winnow'));
  const etas: Array<{ message: string | null; eta: number | null }> = [];
  const jobs = new JobManager(new JobStore(db), {
    import: async (_params, ctx) => {
      // A resumed import: half its files were in before; then the looks, a pass of their own.
      ctx.progress(50, 100, 'files');
      await new Promise((r) => setTimeout(r, 10));
      ctx.progress(100, 100, 'files done');
      ctx.progress(0, 100, 'looks begin');
      await new Promise((r) => setTimeout(r, 10));
      ctx.progress(10, 100, 'looks go on');
      return { datasetId: 1, added: 0, skippedExisting: 0, failedCount: 0, failed: [], warnings: [] };
    },
  }, { progress: (p) => etas.push({ message: p.message, eta: p.etaSeconds }), finished: () => {} });
  await jobs.wait(jobs.start('import', { kind: 'mnist' }));
  const last = etas.find((e) => e.message === 'looks go on');
  // Measured over both passes the pace was negative (10 done now, 50 at the start): no time left at all.
  assert.ok(last && last.eta !== null && last.eta > 0, JSON.stringify(etas));
  db.close();
});

// Scoring and curate runs on the scoring thread (score-thread.ts) against the same runs on the
// core's thread, on one real project: the same stored scores and picks, progress forwarded,
// errors with their codes, and a cancel that leaves the project as it was and writable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { JobContext } from '../jobs/job-manager';
import { mappedShapesProject } from '../../testing/mapped-project';
import { ProjectSession } from '../project-session';
import { runCurate } from './run-curate';
import { refreshScoresOffThread } from './score-thread';

describe('scoring on a worker thread', async () => {
  const { project, path } = await mappedShapesProject({ perClass: 15, k: 8, seed: 1 });
  const db = project.catalog.db;
  const scoreRows = () => db.prepare('SELECT sample_id, sparseness, noise, suggested_label, dup_group, exact_dup_group FROM scores ORDER BY sample_id').all();
  const forget = () => db.exec('DELETE FROM score_cache; DELETE FROM appearance_groups; DELETE FROM scores');
  const context = (signal = new AbortController().signal): JobContext & { messages: string[] } => {
    const messages: string[] = [];
    return { jobId: 'test', signal, progress: (_d, _t, m) => { if (m) messages.push(m); }, messages };
  };
  const refresh = (thread: boolean, run: { signal?: AbortSignal; progress?: (share: number, message: string) => void } = {}) =>
    refreshScoresOffThread(project.catalog, project.embeddings, project.maps, {}, { ...run, thread });

  it('stores the same scores as the core thread, with its progress', async () => {
    forget();
    assert.equal((await refresh(false)).reused, false);
    const here = scoreRows();
    forget();
    const messages: string[] = [];
    const r = await refresh(true, { progress: (_s, m) => messages.push(m) });
    assert.equal(r.reused, false);
    assert.equal(r.mapId, project.maps.latestId());
    assert.deepEqual(scoreRows(), here);
    assert.equal(here.length, 45);
    assert.ok(messages.includes('scores: stored'), messages.join(' | '));
    assert.equal((await refresh(true)).reused, true, 'the worker stored the key the core reads');
  });

  it('scores from vectors already in shared memory, as a map job hands them over, as from the file, on either thread', async () => {
    forget();
    await refresh(false);
    const fromFile = scoreRows();
    const active = project.embeddings.requireActive();
    const shared = project.embeddings.load(active.id, { shared: true });
    assert.ok(shared.vectors.buffer instanceof SharedArrayBuffer);
    for (const thread of [true, false]) {
      forget();
      const handOver = { table: shared };
      await refreshScoresOffThread(project.catalog, project.embeddings, project.maps, {}, { thread, vectors: handOver });
      assert.deepEqual(scoreRows(), fromFile, `thread ${thread}`);
      assert.equal(handOver.table, undefined, 'taken: the giver holds them no longer');
    }
    // They are what the scoring reads: every vector alike leaves the probe nothing to learn, and
    // the label-noise scores change; another set's vectors are not used.
    const flat = { ...shared, vectors: new Float32Array(shared.vectors.length).fill(1 / Math.sqrt(shared.dim)) };
    forget();
    await refreshScoresOffThread(project.catalog, project.embeddings, project.maps, {}, { thread: true, vectors: { table: flat } });
    assert.notDeepEqual(scoreRows(), fromFile);
    forget();
    await refreshScoresOffThread(project.catalog, project.embeddings, project.maps, {}, { thread: true, vectors: { table: { ...flat, setId: active.id + 1 } } });
    assert.deepEqual(scoreRows(), fromFile);
  });

  it('a curate run picks the same samples with the same reasons', async () => {
    for (const mode of ['representative', 'mislabeled', 'edge-cases'] as const) {
      const params = { mode, n: 6, name: `t-${mode}`, seed: 2 };
      const ctx = context();
      const there = await runCurate(project.catalog, project.embeddings, project.maps, project.slices, params, ctx, { thread: true });
      const here = await runCurate(project.catalog, project.embeddings, project.maps, project.slices, params, context(), { thread: false });
      assert.deepEqual(there.picks, here.picks, mode);
      assert.deepEqual(there.warnings, here.warnings, mode);
      assert.equal(there.slice.version + 1, here.slice.version);
      assert.ok(ctx.messages.includes(`picking 6 (${mode})`), ctx.messages.join(' | '));
    }
  });

  it('an error comes back with its code and words', async () => {
    const params = { mode: 'custom' as const, n: 5, name: 'by', by: 'nope' };
    const failure = async (thread: boolean) => {
      try {
        await runCurate(project.catalog, project.embeddings, project.maps, project.slices, params, context(), { thread });
      } catch (err) {
        return err;
      }
      assert.fail('the run should fail');
    };
    const there = await failure(true), here = await failure(false);
    assert.ok(there instanceof RpcError, String(there));
    assert.ok(here instanceof RpcError);
    assert.equal(there.code, here.code);
    assert.equal(there.message, here.message);
    assert.match(there.message, /no metadata field "nope"/);
  });

  it('a cancel ends the worker, keeps the stored scores and leaves the project writable', async () => {
    const before = scoreRows();
    db.exec('DELETE FROM score_cache; DELETE FROM appearance_groups');
    const abort = new AbortController();
    const run = refresh(true, { signal: abort.signal, progress: () => abort.abort() });
    await assert.rejects(run, (err: Error) => err.name === 'AbortError');
    assert.deepEqual(scoreRows(), before);
    db.prepare("UPDATE samples SET label = 'square' WHERE id = (SELECT MIN(id) FROM samples)").run();
    assert.equal((await refresh(true)).reused, false, 'scored again after the cancel');
  });

  it('a read-only session scores on the core thread, so nothing is written', async () => {
    db.exec('DELETE FROM score_cache');
    const readOnly = ProjectSession.open(path, { progress: () => {}, finished: () => {} }, () => {}, { readOnly: true });
    try {
      await assert.rejects(readOnly.rescore({}, { thread: true }));
    } finally {
      await readOnly.close();
    }
    assert.equal(db.prepare('SELECT COUNT(*) FROM score_cache').pluck().get(), 0);
  });

  it('closes', async () => {
    await project.close();
  });
});

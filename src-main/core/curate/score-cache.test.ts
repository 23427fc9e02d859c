// The map job's scores are reused by the next scores/curate run while nothing they depend on
// changed, and recomputed as soon as a label, an exclusion, the predictions, the options or the
// map change: on a real project (folder import, built-in model, map, SQLite).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CurateJobResult } from '../../../src-shared/model/slice';
import { FIXTURE_CLASSES } from '../../testing/fixture-images';
import { mappedShapesProject } from '../../testing/mapped-project';
import type { ScoreSet } from './engine';
import { decodeScoreSet, encodeScoreSet } from './score-cache';
import { refreshScores, scoreProject } from './score-store';

describe('score cache', async () => {
  const { dir, project } = await mappedShapesProject({ perClass: 15, k: 8, seed: 1 });
  const { catalog, embeddings, maps } = project;
  const refresh = (opts = {}) => refreshScores(catalog, embeddings, maps, opts);
  const score = (opts = {}) => scoreProject(catalog, embeddings, maps, opts);
  const ids = () => catalog.db.prepare('SELECT id FROM samples ORDER BY id').pluck().all() as number[];
  const noiseOf = (id: number) => catalog.db.prepare('SELECT noise FROM scores WHERE map_id = ? AND sample_id = ?').pluck().get(maps.latestId(), id) as number;
  const circle = catalog.db.prepare("SELECT id FROM samples WHERE rel_path = 'circle/circle_0003.png'").pluck().get() as number;

  it('a ScoreSet survives the cache byte for byte (typed arrays, groups, NaN and infinities)', async () => {
    const s = (await score()).scores;
    assert.deepStrictEqual(decodeScoreSet(encodeScoreSet(s)), s);
    const odd: ScoreSet = { ...s, classBalance: { ...s.classBalance!, imbalanceRatio: Infinity, missing: 0 }, knnDistance: Float32Array.of(NaN, -Infinity, 1.5) };
    assert.deepStrictEqual(decodeScoreSet(encodeScoreSet(odd)), odd);
    assert.throws(() => decodeScoreSet(Buffer.from('not a cache entry')));
  });

  it('after the map job, scores and curate reuse its scores, which equal freshly computed ones', async () => {
    assert.deepEqual(await refresh(), { mapId: maps.latestId(), reused: true });
    const reused = await score();
    assert.equal(reused.reused, true);
    catalog.db.prepare('DELETE FROM score_cache').run();
    const fresh = await score();
    assert.equal(fresh.reused, false);
    assert.deepStrictEqual(reused.scores, fresh.scores);
    assert.equal((await score()).reused, true);
  });

  it('a label edit, its undo and an exclusion each make the next run recompute; the stored rows follow', async () => {
    const before = noiseOf(circle);
    project.labels.setField([circle], 'label', 'stripes', 'relabel one circle');
    assert.equal((await refresh()).reused, false);
    assert.ok(noiseOf(circle) > before, `a circle labelled stripes scores noisier (${noiseOf(circle)} vs ${before})`);
    assert.equal((await refresh()).reused, true);
    project.labels.undo();
    assert.equal((await refresh()).reused, false);
    assert.equal(noiseOf(circle), before);
    project.labels.setField([circle], 'excluded', '1', 'exclude one circle');
    assert.equal((await score()).reused, false);
    assert.equal((await score()).reused, true);
    project.labels.undo();
    assert.equal((await refresh()).reused, false);
  });

  it('other score options miss; the same options again hit', async () => {
    assert.equal((await refresh()).reused, true);
    assert.equal((await refresh({ nearDuplicateThreshold: 0.2 })).reused, false);
    assert.equal((await refresh({ nearDuplicateThreshold: 0.2 })).reused, true);
    assert.equal((await refresh()).reused, false);
    assert.equal((await refresh({ appearanceThreshold: 0.3 })).reused, false);
    assert.equal((await refresh()).reused, false);
  });

  it('imported predictions are scored at once, and a changed import again', async () => {
    const rows = catalog.db.prepare('SELECT rel_path, label FROM samples ORDER BY id').all() as Array<{ rel_path: string; label: string }>;
    const csv = (p: number) => ['path,' + FIXTURE_CLASSES.join(','), ...rows.map((r) => `${r.rel_path},${FIXTURE_CLASSES.map((c) => (c === r.label ? p : (1 - p) / 2)).join(',')}`)].join('\n');
    const file = join(dir, 'preds.csv');
    writeFileSync(file, csv(0.8));
    assert.equal((await project.importPredictions(file)).rescored, true);
    const withPredictions = catalog.db.prepare('SELECT COUNT(*) FROM scores WHERE model_disagree IS NOT NULL').pluck().get();
    assert.equal(withPredictions, ids().length);
    assert.equal((await refresh()).reused, true);
    writeFileSync(file, csv(0.7));
    await project.importPredictions(file);
    assert.equal((await refresh()).reused, true, 'the import itself rescored');
    catalog.db.prepare('DELETE FROM predictions WHERE sample_id = ?').run(circle);
    assert.equal((await refresh()).reused, false);
  });

  let first: number | null = null;
  it('a new map is scored by its job, and a curate run after it reuses those scores', async () => {
    first = maps.latestId();
    assert.equal((await project.jobs.wait(project.startMap({ k: 6, seed: 2 }))).state, 'done');
    assert.notEqual(maps.latestId(), first);
    assert.equal(catalog.db.prepare('SELECT COUNT(*) FROM score_cache WHERE map_id = ?').pluck().get(maps.latestId()), 1);
    assert.equal((await score()).reused, true);
    const job = await project.jobs.wait(project.startCurate({ mode: 'representative', n: 6, name: 'cached', seed: 1 }));
    assert.equal(job.state, 'done', job.error ?? '');
    assert.equal((job.result as CurateJobResult).picks.length, 6);
  });

  it('the cache row goes with its map', () => {
    assert.equal(catalog.db.prepare('SELECT COUNT(*) FROM score_cache WHERE map_id = ?').pluck().get(first), 1);
    catalog.db.prepare('DELETE FROM maps WHERE id = ?').run(first);
    assert.equal(catalog.db.prepare('SELECT COUNT(*) FROM score_cache WHERE map_id = ?').pluck().get(first), 0);
  });

  it('closes', async () => {
    await project.close();
  });
});

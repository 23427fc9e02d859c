// scores.get reads one blob per map (migration 13) written with the score rows; what it returns
// always equals the rows (queries, review and export read those): after the map job, a rescore
// after an edit, imported predictions, rows written elsewhere, a map scored before the blob
// existed, and in a read-only session. A real project (folder import, built-in model, map, SQLite).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ScoreColumns } from '../../../src-shared/contract/curate';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { FIXTURE_CLASSES } from '../../testing/fixture-images';
import { mappedShapesProject } from '../../testing/mapped-project';
import { writeSyntheticScores } from '../../testing/synthetic-scores';
import { readScoreColumns } from './score-columns';
import { refreshScores } from './score-store';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

describe('score columns kept as a blob', async () => {
  const shapes = await mappedShapesProject({ perClass: 25, k: 6, seed: 1 });
  const { dir, path } = shapes;
  let { project } = shapes;
  const kept = (mapId: number | null) => project.catalog.db.prepare('SELECT COUNT(*) FROM score_columns WHERE map_id = ?').pluck().get(mapId) as number;
  /** The columns as the rows give them: the blob dropped first, so the rows are read (and it is kept again). */
  const fromRows = (): ScoreColumns | null => {
    project.catalog.db.prepare('DELETE FROM score_columns').run();
    return readScoreColumns(project.catalog, project.maps.latestId());
  };
  const served = () => {
    const mapId = project.maps.latestId();
    assert.equal(kept(mapId), 1, 'the scores of the map have their blob');
    return readScoreColumns(project.catalog, mapId);
  };
  const circle = project.catalog.db.prepare("SELECT id FROM samples WHERE rel_path LIKE 'circle/%' ORDER BY id LIMIT 1").pluck().get() as number;

  it('the map job keeps the columns of the rows it wrote', () => {
    const cols = served();
    assert.ok(cols);
    assert.equal(cols.ids.length, FIXTURE_CLASSES.length * 25, '75 rows: a whole INSERT of 64 and a rest of 11');
    assert.ok(cols.noise.some((v) => v > 0), 'there are noise scores');
    assert.ok(cols.modelDisagrees.every((v) => Number.isNaN(v)), 'no predictions: NaN');
    assert.deepStrictEqual(cols, fromRows());
    assert.deepStrictEqual(served(), cols, 'the blob read back from the rows equals the map job\'s');
  });

  it('a rescore after a label edit and its undo rewrites them with the rows', async () => {
    const before = served();
    project.labels.setField([circle], 'label', 'stripes', 'relabel one circle');
    assert.equal((await refreshScores(project.catalog, project.embeddings, project.maps)).reused, false);
    const after = served();
    assert.notDeepStrictEqual(after!.noise, before!.noise, 'the rescore changed the noise column');
    assert.deepStrictEqual(after, fromRows());
    project.labels.undo();
    await refreshScores(project.catalog, project.embeddings, project.maps);
    assert.deepStrictEqual(served(), before);
  });

  it('imported predictions reach the model column', async () => {
    const rows = project.catalog.db.prepare('SELECT rel_path, label FROM samples ORDER BY id').all() as Array<{ rel_path: string; label: string }>;
    const file = join(dir, 'preds.csv');
    writeFileSync(file, ['path,' + FIXTURE_CLASSES.join(','), ...rows.map((r) => `${r.rel_path},${FIXTURE_CLASSES.map((c) => (c === r.label ? 0.7 : 0.3 / (FIXTURE_CLASSES.length - 1))).join(',')}`)].join('\n'));
    assert.equal((await project.importPredictions(file)).rescored, true);
    const cols = served();
    assert.ok(cols!.modelDisagrees.every((v) => Math.abs(v - 0.3) < 1e-6), 'one minus the probability of the label');
    assert.deepStrictEqual(cols, fromRows());
  });

  it('rows written by other code replace the blob; the blob goes with its map', () => {
    const mapId = project.maps.latestId()!;
    writeSyntheticScores(project.catalog, mapId, 3);
    assert.equal(kept(mapId), 0);
    const synthetic = readScoreColumns(project.catalog, mapId);
    assert.deepStrictEqual(synthetic, fromRows());
    assert.equal(kept(mapId), 1);
    project.catalog.db.prepare('DELETE FROM maps WHERE id = ?').run(mapId);
    assert.equal(kept(mapId), 0);
    assert.equal(readScoreColumns(project.catalog, project.maps.latestId()), null, 'no map, no scores');
  });

  it('a map scored before the blob existed is read from its rows; a read-only session keeps no blob', async () => {
    assert.equal((await project.jobs.wait(project.startMap({ k: 6, seed: 2 }))).state, 'done');
    const cols = served();
    project.catalog.db.prepare('DELETE FROM score_columns').run();
    await project.close();
    const ro = ProjectSession.open(path, quiet, () => {}, { readOnly: true });
    assert.deepStrictEqual(readScoreColumns(ro.catalog, ro.maps.latestId()), cols);
    assert.equal(ro.catalog.db.prepare('SELECT COUNT(*) FROM score_columns').pluck().get(), 0);
    await ro.close();
    project = ProjectSession.open(path, quiet);
    assert.deepStrictEqual(readScoreColumns(project.catalog, project.maps.latestId()), cols);
    assert.deepStrictEqual(served(), cols);
    await project.close();
  });
});

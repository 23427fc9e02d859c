// The leak check and the leak-free split on a real project: MNIST digits imported from PNG
// files, with copies planted in "test" of digits in "train".
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RpcError } from '../../../src-shared/rpc/errors';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { runQuery } from '../query/run-query';
import { leakFixtureSplit, makeLeakFolder } from '../../testing/leak-fixture';
import { tempDir } from '../../testing/temp';
import { checkLeaks } from './leak-check';
import { splitGroups } from './split-groups';
import { Catalog } from '../catalog/catalog';
import { openProjectDb } from '../catalog/db';
import { makeSplit } from './make-split';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

describe('leaks and splits in a project', async () => {
  const dir = tempDir();
  const planted = await makeLeakFolder(join(dir, 'digits'), 300, 12);
  const project = ProjectSession.create(join(dir, 'p.winnow'), quiet);
  await project.jobs.wait(project.startImport({ kind: 'folder', path: join(dir, 'digits') }));
  const db = project.catalog.db;
  const idOf = (path: string) => db.prepare('SELECT id FROM samples WHERE rel_path = ?').pluck().get(path) as number;
  const pathOf = new Map((db.prepare('SELECT id, rel_path FROM samples').raw().all() as Array<[number, string]>).map(([id, p]) => [id, p]));
  const ids = project.catalog.columns().ids;
  const splits = (q: string) => Array.from(runQuery(project.catalog, q));

  it('refuses to check a dataset without splits, and the query field before any check', async () => {
    await assert.rejects(checkLeaks(project.catalog), (e: RpcError) => e.code === 'precondition' && /no splits/.test(e.message));
    assert.throws(() => runQuery(project.catalog, 'leaks = true'), /needs a leak check first/);
  });

  it('finds every planted copy across the splits, and nothing else', async () => {
    const splitOf = leakFixtureSplit(planted);
    project.labels.setField(ids, 'split', (id) => splitOf(pathOf.get(id)!), 'fixture splits');
    const report = await checkLeaks(project.catalog, { limit: 1000 });
    const found = new Set(report.page.map((p) => [p.a.path, p.b.path].sort().join(' ')));
    for (const p of planted) assert.ok(found.has([p.source, p.copy].sort().join(' ')), `missed the ${p.kind} copy ${p.copy}`);
    assert.equal(report.pairs, planted.length, `unexpected pairs: ${[...found].join('; ')}`);
    assert.equal(report.exactPairs, planted.filter((p) => p.kind === 'exact').length);
    assert.deepEqual(report.bySplitPair.map((c) => [c.a, c.b, c.pairs]), [['test', 'train', planted.length]]);
    assert.equal(report.byClass.reduce((a, c) => a + c.pairs, 0), planted.length);
    assert.equal(report.mixedLabelPairs, 0);
    assert.equal(report.leakingIds.length, 2 * planted.length);
    assert.ok(report.sources.appearance >= 300);
    // The query field agrees with the report, and follows the splits as they change.
    assert.deepEqual(splits('leaks = true'), Array.from(report.leakingIds));
    assert.equal(splits('leaks = false').length, ids.length - report.leakingIds.length);
    const copy = idOf(planted[0]!.copy);
    project.labels.setField([copy], 'split', 'train', 'move a copy');
    assert.ok(!splits('leaks = true').includes(copy));
    assert.equal((await checkLeaks(project.catalog)).pairs, planted.length - 1, 'the cached check notices the edit');
    project.labels.undo();
    const page = await checkLeaks(project.catalog, { offset: 3, limit: 2 });
    assert.deepEqual(page.page, report.page.slice(3, 5));
  });

  it('a read-only session groups by the signatures the import stored, as a writable one does', async () => {
    const readOnly = new Catalog(openProjectDb(join(dir, 'p.winnow'), { readOnly: true }), join(dir, 'p.winnow'));
    try {
      const [mine, theirs] = [await splitGroups(project.catalog), await splitGroups(readOnly)];
      assert.deepEqual(theirs.groupOf, mine.groupOf);
      assert.ok(theirs.sources.appearance >= 300, `appearance pairs: ${theirs.sources.appearance}`);
    } finally {
      readOnly.db.close();
    }
  });

  it('a leak-free split keeps every copy with its source, stratified, in one undoable edit', async () => {
    const before = splits('split = test');
    const historyOf = (id: number) => project.labels.history(id).filter((h) => h.field === 'split').length;
    const copyHistory = historyOf(idOf(planted[0]!.copy));
    const shares = [{ name: 'train', ratio: 0.8 }, { name: 'val', ratio: 0.2 }];
    const made = await makeSplit(project.catalog, project.labels, { shares, seed: 4 });
    assert.equal(made.leaksAfter, 0);
    assert.ok(made.maxClassDeviation <= 1, `deviation ${made.maxClassDeviation}`);
    assert.equal(made.parts.reduce((a, p) => a + p.samples, 0), ids.length);
    for (const p of planted) assert.equal(db.prepare('SELECT split FROM samples WHERE id = ?').pluck().get(idOf(p.source)), db.prepare('SELECT split FROM samples WHERE id = ?').pluck().get(idOf(p.copy)));
    assert.equal(splits('split = val').length, made.parts[1]!.samples);
    const report = await checkLeaks(project.catalog);
    assert.equal(report.pairs, 0);
    assert.deepEqual(report.splits.map((s) => s.name), ['train', 'val']);
    // The same seed again changes nothing; the history holds one row per changed sample.
    const again = await makeSplit(project.catalog, project.labels, { shares, seed: 4 });
    assert.equal(again.edit.editId, null);
    assert.equal(historyOf(idOf(planted[0]!.copy)), copyHistory + 1);
    const undone = project.labels.undo();
    assert.match(undone.description ?? '', /split train=0.8,val=0.2 \(seed 4\)/);
    assert.deepEqual(splits('split = test'), before);
    assert.equal(splits('split = val').length, 0);
  });

  it('groups by a metadata field too, and refuses bad input without changing anything', async () => {
    const snapshot = () => db.prepare('SELECT id, split FROM samples ORDER BY id').raw().all();
    const was = snapshot();
    const edits = db.prepare('SELECT COUNT(*) FROM edits').pluck().get();
    const bad: Array<[Parameters<typeof makeSplit>[2], RegExp]> = [
      [{ shares: [{ name: 'train', ratio: 0.8 }, { name: 'val', ratio: 0.3 }] }, /sum to 1, got 1.1/],
      [{ shares: [{ name: 'train', ratio: 1 }] }, /at least two parts/],
      [{ shares: [{ name: 'train', ratio: 0.5 }, { name: 'val', ratio: 0.5 }], groupBy: 'camera' }, /no metadata field "camera"/],
    ];
    for (const [params, message] of bad) await assert.rejects(makeSplit(project.catalog, project.labels, params), (e: RpcError) => e.code === 'bad_request' && message.test(e.message));
    assert.deepEqual(snapshot(), was);
    assert.equal(db.prepare('SELECT COUNT(*) FROM edits').pluck().get(), edits);
    // A metadata field (as a labels CSV adds): "writer" = the file number / 30.
    db.prepare(`UPDATE samples SET metadata = json_object('writer', CAST(substr(rel_path, 3, 5) AS INTEGER) / 30)`).run();
    project.catalog.registerMetadataFields(['writer']);
    const made = await makeSplit(project.catalog, project.labels, { shares: [{ name: 'a', ratio: 0.5 }, { name: 'b', ratio: 0.5 }], seed: 2, groupBy: 'writer' });
    const sides = db.prepare(`SELECT json_extract(metadata, '$.writer') AS w, COUNT(DISTINCT split) AS n FROM samples GROUP BY w`).all() as Array<{ w: number; n: number }>;
    assert.ok(sides.length >= 8);
    for (const s of sides) assert.equal(s.n, 1, `writer ${s.w} on ${s.n} sides`);
    assert.equal(made.leaksAfter, 0);
    project.labels.undo();
  });
});

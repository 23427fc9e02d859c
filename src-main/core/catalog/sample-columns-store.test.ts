// The samples' columns and the overview's counts are served from a kept row (migration 13) while
// it is current, and never stale: every edit (label, exclusion, review, split, undo), an import, a
// raw write, a project made by an older Winnow and a read-only session, on real project files.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { tempDir } from '../../testing/temp';
import { FLAG_EXCLUDED, FLAG_RELABELLED, FLAG_REVIEWED } from '../../../src-shared/model/sample';
import type { Catalog, NewSample } from './catalog';
import { projectAtSchema } from '../../testing/old-project';
import { countSamples, readSampleCounts, scanSampleColumns } from './sample-columns-store';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

function samples(from: number, n: number): NewSample[] {
  return Array.from({ length: n }, (_, k) => ({
    relPath: `s${String(from + k).padStart(4, '0')}.png`, source: 'file' as const, width: 8, height: 8, channels: 1,
    contentHash: `h${from + k}`, label: (from + k) % 5 === 4 ? null : ['cat', 'dog', 'owl'][(from + k) % 3]!, split: null, metadata: {},
  }));
}

const kept = (c: Catalog) => c.db.prepare('SELECT COUNT(*) FROM sample_columns').pluck().get() as number;

/** What the renderer gets, read twice: the second answer comes from the blob the first kept. */
function columnsTwice(c: Catalog) {
  const first = c.columns();
  assert.deepStrictEqual(first, scanSampleColumns(c.db), 'the answer equals the rows');
  assert.equal(kept(c), 1, 'the answer is kept');
  assert.deepStrictEqual(c.columns(), first, 'the kept answer equals the rows');
  assert.deepStrictEqual(readSampleCounts(c.db), countSamples(c.db), 'the kept counts equal the rows\'');
  assert.equal(c.overview().total, first.ids.length);
  return first;
}

describe('sample columns kept as a blob', () => {
  const dir = tempDir();

  it('are served from the blob and follow every edit, undo, import and raw write', async () => {
    const s = ProjectSession.create(join(dir, 'edits.winnow'), quiet);
    const c = s.catalog;
    const ds = c.findOrCreateDataset('folder', dir, 'd');
    c.insertSamples(ds, samples(0, 40));
    const before = columnsTwice(c);
    assert.equal(before.ids.length, 40);
    const at = (cols: ReturnType<Catalog['columns']>, id: number) => cols.ids.indexOf(id);
    const [a, b, d] = [before.ids[3]!, before.ids[7]!, before.ids[11]!];

    s.labels.setLabel([a], 'zebra');
    assert.equal(kept(c), 0, 'a label edit drops the blob');
    let now = columnsTwice(c);
    assert.equal(now.labelNames[now.labels[at(now, a)]!], 'zebra');
    assert.equal(now.flags[at(now, a)]! & FLAG_RELABELLED, FLAG_RELABELLED);

    s.labels.setExcluded([b], true);
    now = columnsTwice(c);
    assert.equal(now.flags[at(now, b)]! & FLAG_EXCLUDED, FLAG_EXCLUDED);

    s.labels.setFields([d], [{ field: 'reviewed', value: '1' }], 'keep');
    now = columnsTwice(c);
    assert.equal(now.flags[at(now, d)]! & FLAG_REVIEWED, FLAG_REVIEWED);

    s.labels.setField([a, b], 'split', 'val', 'to val');
    assert.equal(kept(c), 0, 'a split edit drops the kept counts');
    columnsTwice(c);
    assert.deepStrictEqual(c.overview().bySplit, [{ value: null, count: 38 }, { value: 'val', count: 2 }]);

    for (let k = 0; k < 4; k++) s.labels.undo();
    assert.deepStrictEqual(columnsTwice(c), before, 'undoing every edit gives the first columns back');
    assert.deepStrictEqual(c.overview().bySplit, [{ value: null, count: 40 }]);

    c.insertSamples(ds, samples(40, 5));
    now = columnsTwice(c);
    assert.equal(now.ids.length, 45, 'an import adds its rows');
    const other = c.findOrCreateDataset('folder', join(dir, 'other'), 'other');
    c.insertSamples(other, samples(100, 3));
    now = columnsTwice(c);
    assert.deepStrictEqual(c.overview().datasets.map((x) => x.sampleCount), [45, 3]);
    assert.equal(c.overview().byLabel.find((e) => e.value === null)?.count, 9, 'unlabelled samples are counted too');

    c.db.prepare('UPDATE samples SET original_label = ? WHERE id = ?').run('owl', now.ids[0]);
    const raw = columnsTwice(c);
    assert.notDeepStrictEqual(raw.flags, now.flags, 'a write outside the edit path drops the blob too');
    await s.close();
  });

  it('rebuilds an unreadable blob', async () => {
    const s = ProjectSession.create(join(dir, 'broken.winnow'), quiet);
    const c = s.catalog;
    c.insertSamples(c.findOrCreateDataset('folder', dir, 'd'), samples(0, 10));
    const good = columnsTwice(c);
    c.db.prepare('UPDATE sample_columns SET data = ?').run(Buffer.from('not columns'));
    assert.deepStrictEqual(c.columns(), good);
    assert.deepStrictEqual(columnsTwice(c), good);
    await s.close();
  });

  it('a project made before the blob existed opens with the same columns, and edits still show', async () => {
    const path = join(dir, 'old.winnow');
    const old = projectAtSchema(path, 12);
    const ds = Number(old.prepare("INSERT INTO datasets (name, kind, root) VALUES ('d', 'folder', ?)").run(dir).lastInsertRowid);
    const put = old.prepare("INSERT INTO samples (dataset_id, rel_path, source, width, height, channels, content_hash, label, original_label, excluded) VALUES (?, ?, 'file', 8, 8, 1, ?, ?, ?, ?)");
    for (const [i, r] of samples(0, 12).entries()) put.run(ds, r.relPath, r.contentHash, r.label, i === 2 ? 'dog' : r.label, i === 5 ? 1 : 0);
    old.close();

    const s = ProjectSession.open(path, quiet);
    const cols = columnsTwice(s.catalog);
    assert.equal(cols.ids.length, 12);
    assert.equal(cols.flags[2]! & FLAG_RELABELLED, FLAG_RELABELLED);
    assert.equal(cols.flags[5], FLAG_EXCLUDED);
    s.labels.setExcluded([cols.ids[5]!], false);
    assert.equal(columnsTwice(s.catalog).flags[5], 0);
    await s.close();
  });

  it('a read-only session serves the rows without writing a blob, and a kept one when there is', async () => {
    const path = join(dir, 'shared.winnow');
    const s = ProjectSession.create(path, quiet);
    s.catalog.insertSamples(s.catalog.findOrCreateDataset('folder', dir, 'd'), samples(0, 8));
    await s.close();
    const ro = ProjectSession.open(path, quiet, () => {}, { readOnly: true });
    const fromRows = ro.catalog.columns();
    assert.equal(kept(ro.catalog), 0);
    await ro.close();
    const rw = ProjectSession.open(path, quiet);
    assert.deepStrictEqual(columnsTwice(rw.catalog), fromRows);
    await rw.close();
    const ro2 = ProjectSession.open(path, quiet, () => {}, { readOnly: true });
    assert.equal(kept(ro2.catalog), 1);
    assert.deepStrictEqual(ro2.catalog.columns(), fromRows);
    await ro2.close();
  });
});

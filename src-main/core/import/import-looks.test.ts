import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { appearanceOf, ensureAppearance, readSignatures, readTiles } from '../curate/appearance-store';
import { makeFixtureFolder, writeSamplePng } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';
import { LOOKS_MESSAGE } from './import-looks';

describe('an import makes the looks of what it brings in', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: 8, bad: true });
  const seen: Array<{ done: number; total: number; message: string | null }> = [];
  const events: JobEvents = { progress: (p) => { if (p.kind === 'import') seen.push({ done: p.done, total: p.total, message: p.message }); }, finished: () => {} };
  const project = ProjectSession.create(join(dir, 'p.winnow'), events);
  const ids = () => Int32Array.from(project.catalog.columns().ids);
  const looksPass = () => seen.filter((p) => p.message === LOOKS_MESSAGE);

  it('a folder: each decode worker makes its images\' looks, as the scoring would from the thumbnail; no second pass', async () => {
    const job = await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
    assert.equal(job.state, 'done', job.error ?? '');
    const all = ids();
    assert.equal(all.length, fixture.good);
    assert.deepEqual(await ensureAppearance(project.catalog, all), { computed: 0 }, 'nothing left for the first scoring');
    const signatures = readSignatures(project.catalog, all), tiles = readTiles(project.catalog, all);
    const thumbs = project.catalog.thumbnails(Array.from(all));
    for (let t = 0; t < all.length; t++) {
      const look = await appearanceOf(thumbs[t]!);
      assert.ok(look, `sample ${all[t]} decodes`);
      assert.deepEqual(signatures[t], look.signature);
      assert.deepEqual(tiles[t], look.tile);
    }
    assert.deepEqual(looksPass(), [], 'the last pass found nothing to do');
  });

  it('the last pass makes the looks still missing (a project whose looks were lost), counted as a pass over those images', async () => {
    project.catalog.db.exec('DELETE FROM signatures');
    seen.length = 0;
    await writeSamplePng(join(fixture.root, 'circle', 'late.png'), 'circle', 4242);
    const job = await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
    assert.equal(job.state, 'done', job.error ?? '');
    // The new file's look came from its worker; the pass made the other images'.
    const pass = looksPass();
    assert.ok(pass.length > 0 && pass.every((p, i) => p.total === fixture.good && (i === 0 || p.done >= pass[i - 1]!.done)), JSON.stringify(seen));
    assert.equal(pass.at(-1)!.done, fixture.good);
    assert.deepEqual(await ensureAppearance(project.catalog, ids()), { computed: 0 });
    await project.close();
  });

  it('a demo set (pixels stored, nothing decoded): the last pass makes every look, on a bar of its own', async () => {
    seen.length = 0;
    const demo = ProjectSession.create(join(dir, 'demo.winnow'), events);
    const job = await demo.jobs.wait(demo.startImport({ kind: 'mnist' }));
    assert.equal(job.state, 'done', job.error ?? '');
    const pass = looksPass();
    assert.ok(pass.every((p, i) => p.total === 70_000 && (i === 0 || p.done >= pass[i - 1]!.done)), JSON.stringify(pass.slice(0, 5)));
    assert.equal(pass.at(-1)?.done, 70_000);
    assert.equal(demo.catalog.db.prepare('SELECT COUNT(*) FROM signatures WHERE data IS NOT NULL').pluck().get(), 70_000);
    await demo.close();
  });

  it('cancelled during its last pass: the images stay, the looks made so far stay, the scoring makes the rest', async () => {
    const session: { project?: ProjectSession } = {};
    let cancelled = false;
    const cancelling: JobEvents = {
      progress: (p) => { if (p.kind === 'import' && p.message === LOOKS_MESSAGE && p.done > 0 && !cancelled) { cancelled = true; session.project!.jobs.cancel(p.jobId); } },
      finished: () => {},
    };
    const demo = (session.project = ProjectSession.create(join(dir, 'cancel.winnow'), cancelling));
    const job = await demo.jobs.wait(demo.startImport({ kind: 'mnist' }));
    assert.equal(job.state, 'cancelled');
    assert.equal(demo.catalog.overview().total, 70_000, 'every image imported before the pass stays');
    const made = demo.catalog.db.prepare('SELECT COUNT(*) FROM signatures').pluck().get() as number;
    assert.ok(made > 0 && made < 70_000, `${made} looks made before the cancel`);
    const all = Int32Array.from(demo.catalog.columns().ids);
    assert.equal((await ensureAppearance(demo.catalog, all)).computed, 70_000 - made);
    await demo.close();
  });
});

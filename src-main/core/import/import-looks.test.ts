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

  it('every imported image has its look, as the scoring would compute it from the thumbnail, counted as a second pass over the images', async () => {
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
    // The files, then the looks: each pass moves forward only, and the looks end with every new image.
    const first = seen.findIndex((p) => p.message === LOOKS_MESSAGE);
    assert.ok(first > 0, JSON.stringify(seen));
    const files = seen.slice(0, first), looks = seen.slice(first).filter((p) => p.message !== 'done');
    for (const pass of [files, looks]) assert.ok(pass.every((p, i) => i === 0 || p.done >= pass[i - 1]!.done), JSON.stringify(seen));
    assert.ok(looks.every((p) => p.message === LOOKS_MESSAGE && p.total === fixture.good), JSON.stringify(looks));
    assert.equal(looks.at(-1)?.done, fixture.good);
  });

  it('a re-import computes the looks of the new files only', async () => {
    seen.length = 0;
    await writeSamplePng(join(fixture.root, 'circle', 'late.png'), 'circle', 4242);
    const job = await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
    assert.equal(job.state, 'done', job.error ?? '');
    const looks = seen.filter((p) => p.message === LOOKS_MESSAGE);
    assert.deepEqual([looks.at(-1)?.done, looks.at(-1)?.total], [1, 1], JSON.stringify(seen));
    assert.deepEqual(await ensureAppearance(project.catalog, ids()), { computed: 0 });
    await project.close();
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { atlasProblem } from '../../../src-shared/model/atlas';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { makeFixtureFolder } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';
import { packAtlas } from './atlas';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

it('packs thumbnails (PNG and built-in grey) into a well-formed atlas with the given rows', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'd'), { perClass: 2 });
  const project = ProjectSession.create(join(dir, 'p.winnow'), quiet);
  await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
  const ids = Array.from(project.catalog.columns().ids);
  const atlas = await packAtlas(project.catalog, ids, ids.map((_, i) => 100 + i), 32);
  assert.equal(atlasProblem(atlas), null);
  assert.deepEqual([...atlas.entries.index], ids.map((_, i) => 100 + i));
  assert.equal(atlas.cell, 32);
  // The first cell holds a circle: yellow in the centre, dark blue at the corner.
  const px = (x: number, y: number) => Array.from(atlas.rgba.subarray((y * atlas.width + x) * 4, (y * atlas.width + x) * 4 + 4));
  const centre = px(atlas.entries.u[0]! + 16, atlas.entries.v[0]! + 16);
  assert.ok(centre[0]! > 150 && centre[1]! > 150 && centre[2]! < 120, `centre ${centre}`);
  assert.equal(px(atlas.entries.u[0]!, atlas.entries.v[0]!)[3], 255);
  await project.close();
});

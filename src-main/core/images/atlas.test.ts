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

it('refuses atlas requests that would take gigabytes: repeated ids, too many cells for the cell size', async () => {
  const { datasetContract } = await import('../../../src-shared/contract/dataset');
  const schema = datasetContract['samples.atlas'].args;
  const req = (ids: number[], cell?: number) => schema.safeParse({ ids, rows: ids.map((_, i) => i), cell });
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  // The report's case: 4,096 repeats of one id at 256 px took 3 GB.
  const repeated = req(new Array(4096).fill(7), 256);
  assert.equal(repeated.success, false);
  assert.match(String(repeated.error?.issues[0]?.message), /at most 256 samples per atlas at 256 px/);
  assert.match(String(req([1, 2, 1], 64).error?.issues[0]?.message), /sample 1 is asked for more than once/);
  assert.equal(req(range(256), 256).success, true);
  assert.equal(req(range(257), 256).success, false);
  assert.equal(req(range(4096)).success, true);
  assert.equal(req(range(4096), 64).success, true);
  assert.equal(req(range(1025), 128).success, false);
});

it('packAtlas itself refuses what the contract refuses, whoever calls it', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'd'), { perClass: 1 });
  const project = ProjectSession.create(join(dir, 'p.winnow'), quiet);
  await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
  const id = project.catalog.columns().ids[0]!;
  await assert.rejects(packAtlas(project.catalog, new Array(4096).fill(id), new Array(4096).fill(0), 256), (e: { code?: string }) => e.code === 'bad_request');
  await assert.rejects(packAtlas(project.catalog, [id, id], [0, 1], 32), /more than once/);
  await project.close();
});

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { MapProgress } from '../../../src-shared/model/map';
import type { JobEvents } from '../jobs/job-manager';
import { projectForClustering } from '../curate/engine';
import { buildCurateInput } from '../curate/curate-input';
import { ProjectSession } from '../project-session';
import { writeSamplePng } from '../../testing/fixture-images';
import { mappedShapesProject } from '../../testing/mapped-project';
import { tempDir } from '../../testing/temp';
import { TSNE_STEPS } from './layout';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

for (const n of [1, 2, 40]) {
  it(`maps a project of ${n} sample(s), pushing layouts as events, and stores scores`, async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'd', 'a'), { recursive: true });
    mkdirSync(join(dir, 'd', 'b'), { recursive: true });
    for (let i = 0; i < n; i++) await writeSamplePng(join(dir, 'd', i % 2 ? 'a' : 'b', `${i}.png`), i % 2 ? 'circle' : 'stripes', i);
    const events: MapProgress[] = [];
    const project = ProjectSession.create(join(dir, 'p.winnow'), quiet, (name, payload) => { if (name === 'map.progress') events.push(payload as MapProgress); });
    await project.jobs.wait(project.startImport({ kind: 'folder', path: join(dir, 'd') }));
    await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
    const job = await project.jobs.wait(project.startMap({ seed: 7 }));
    assert.equal(job.state, 'done', job.error ?? '');
    const map = project.maps.require().data;
    assert.equal(map.ids.length, n);
    // map.get reads the positions without the graph: the same data
    assert.deepEqual(project.maps.latestData(), map);
    assert.equal(project.maps.requireId(), map.mapId);
    assert.ok([...map.x, ...map.y].every(Number.isFinite));
    assert.ok(events.length >= 1);
    assert.equal(events[0]!.ids.length, n);
    const scored = project.catalog.db.prepare('SELECT COUNT(*) FROM scores WHERE map_id = ?').pluck().get(map.mapId);
    assert.equal(scored, n);
    // The clustering projection curation uses is stored with the map, and curation reads it.
    const table = project.embeddings.load(map.setId);
    const space = project.maps.clusterSpace(map.mapId)!;
    assert.deepEqual(space, projectForClustering(table.vectors, table.dim, { seed: 0 }));
    assert.equal(buildCurateInput(project.catalog, project.embeddings, project.maps).input.space?.data.length, n * space.dim);
    await project.close();
  });
}

it('adds newly imported samples to the saved index and places them without a new layout', async () => {
  const { project, fixture } = await mappedShapesProject({ name: 'd', projectFile: 'p.winnow', perClass: 15, k: 6 });
  const before = project.maps.require().data;
  const { existsSync } = await import('node:fs');
  const { indexPathFor } = await import('./run-map');
  assert.ok(existsSync(indexPathFor(project.catalog.path, before.setId)), 'index saved beside the project');

  for (let i = 0; i < 4; i++) await writeSamplePng(join(fixture.root, 'stripes', `new_${i}.png`), 'stripes', 500 + i);
  await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
  await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
  const job = await project.jobs.wait(project.startMap({}));
  assert.equal(job.state, 'done', job.error ?? '');
  const r = job.result as { incremental: boolean; added: number };
  assert.deepEqual([r.incremental, r.added], [true, 4]);
  const after = project.maps.require().data;
  assert.equal(after.ids.length, 49);
  assert.equal(project.maps.clusterSpace(after.mapId)!.data.length, 49 * 32, 'an extended map gets its projection too');
  assert.deepEqual([...after.x.subarray(0, 45)], [...before.x], 'existing points keep their place');
  // Each new stripes image lands nearer the stripes points than the other classes' points.
  const rows = (label: string) => [...before.ids].map((id, i) => [id, i] as const).filter(([id]) => project.catalog.sample(id).label === label).map(([, i]) => i);
  const centre = (rs: number[]) => [rs.reduce((s, i) => s + before.x[i]!, 0) / rs.length, rs.reduce((s, i) => s + before.y[i]!, 0) / rs.length];
  const [sx, sy] = centre(rows('stripes'));
  const [cx, cy] = centre(rows('circle'));
  for (let i = 45; i < 49; i++) assert.ok(Math.hypot(after.x[i]! - sx!, after.y[i]! - sy!) < Math.hypot(after.x[i]! - cx!, after.y[i]! - cy!));

  const full = await project.jobs.wait(project.startMap({ full: true }));
  assert.equal((full.result as { incremental: boolean }).incremental, false);
  await project.close();
});

it('reports its phases to the end: graph, then layout, then scores, each one shown', async () => {
  const dir = tempDir();
  for (const c of ['a', 'b']) mkdirSync(join(dir, 'd', c), { recursive: true });
  for (let i = 0; i < 30; i++) await writeSamplePng(join(dir, 'd', i % 2 ? 'a' : 'b', `${i}.png`), i % 2 ? 'circle' : 'stripes', i);
  const messages: string[] = [];
  let mapJob = '';
  const events: JobEvents = { progress: (p) => { if (p.jobId === mapJob && p.message) messages.push(p.message); }, finished: () => {} };
  const project = ProjectSession.create(join(dir, 'p.winnow'), events);
  await project.jobs.wait(project.startImport({ kind: 'folder', path: join(dir, 'd') }));
  await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
  mapJob = project.startMap({ seed: 3 });
  assert.equal((await project.jobs.wait(mapJob)).state, 'done');
  const phases = [...new Set(messages.map((m) => m.split(':')[0]))];
  assert.deepEqual(phases, ['graph', 'layout', 'scores']);
  // The layout's last word is its t-SNE steps' own count, not an epoch past the SGD's.
  const layout = messages.filter((m) => m.startsWith('layout'));
  assert.equal(layout.at(-1), `layout: t-SNE step ${TSNE_STEPS} of ${TSNE_STEPS}`);
  for (const m of layout) {
    const [, , done, of] = /^layout: (epoch|t-SNE step) (\d+) of (\d+)$/.exec(m) ?? [];
    assert.ok(done !== undefined && Number(done) <= Number(of), m);
  }
  assert.match(messages.at(-1)!, /^scores/);
  await project.close();
});

it('scores in reported stages within its last share of progress (70–100), and a cancel while it scores ends the job at once, the map kept', async () => {
  const dir = tempDir();
  for (const c of ['a', 'b']) mkdirSync(join(dir, 'd', c), { recursive: true });
  for (let i = 0; i < 30; i++) await writeSamplePng(join(dir, 'd', i % 2 ? 'a' : 'b', `${i}.png`), i % 2 ? 'circle' : 'stripes', i);
  const scoring: Array<{ done: number; message: string }> = [];
  let cancelWhileScoring = false;
  const session: { project?: ProjectSession } = {};
  const events: JobEvents = {
    progress: (p) => {
      if (p.kind !== 'map' || !p.message?.startsWith('scores')) return;
      scoring.push({ done: p.done, message: p.message });
      if (cancelWhileScoring) session.project!.jobs.cancel(p.jobId);
    },
    finished: () => {},
  };
  const project = (session.project = ProjectSession.create(join(dir, 'p.winnow'), events));
  await project.jobs.wait(project.startImport({ kind: 'folder', path: join(dir, 'd') }));
  await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
  // The import made the 30 looks, so the first map's scoring starts at the appearance search
  // (its groups are not cached yet), then the rest, stored; each stage shown, in order, between
  // 70 and 100 of the job's progress (SCORES_AT).
  assert.equal(project.catalog.db.prepare('SELECT COUNT(*) FROM signatures WHERE data IS NOT NULL').pluck().get(), 30);
  const first = await project.jobs.wait(project.startMap({ seed: 3 }));
  assert.equal(first.state, 'done', first.error ?? '');
  const stages = scoring.map((s) => s.message);
  for (const stage of ['scores: near duplicates by appearance', 'scores: label noise and rarity', 'scores: stored']) assert.ok(stages.includes(stage), `${stage} in ${stages.join(' / ')}`);
  assert.ok(!stages.some((m) => m.startsWith('scores: the looks')), `no looks computed: ${stages.join(' / ')}`);
  assert.ok(stages.indexOf('scores: near duplicates by appearance') < stages.indexOf('scores: label noise and rarity'));
  assert.ok(scoring.every((s, i) => s.done >= 70 && s.done <= 100 && (i === 0 || s.done >= scoring[i - 1]!.done)), JSON.stringify(scoring));
  assert.equal(scoring.at(-1)!.done, 100);
  const firstMap = project.maps.requireId();

  // Cancelled as its scoring starts: the job ends cancelled rather than scoring on to 'done', the
  // new map (saved before its scoring) stays, and its scores are computed when next asked for.
  cancelWhileScoring = true;
  const second = await project.jobs.wait(project.startMap({ full: true }));
  assert.equal(second.state, 'cancelled');
  const mapId = project.maps.requireId();
  assert.ok(mapId > firstMap, 'the new map is kept');
  const rows = () => project.catalog.db.prepare('SELECT COUNT(*) FROM scores WHERE map_id = ?').pluck().get(mapId);
  assert.equal(rows(), 0);
  cancelWhileScoring = false;
  assert.equal((await project.rescore()).reused, false);
  assert.equal(rows(), 30);
  await project.close();
});

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import type { MapProgress } from '../../../src-shared/model/map';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { writeSamplePng } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';

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
    assert.ok([...map.x, ...map.y].every(Number.isFinite));
    assert.ok(events.length >= 1);
    assert.equal(events[0]!.ids.length, n);
    const scored = project.catalog.db.prepare('SELECT COUNT(*) FROM scores WHERE map_id = ?').pluck().get(map.mapId);
    assert.equal(scored, n);
    await project.close();
  });
}

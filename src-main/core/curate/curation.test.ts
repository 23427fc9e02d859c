import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CurateJobResult } from '../../../src-shared/model/slice';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { runQuery } from '../query/run-query';
import { makeFixtureFolder } from '../../testing/fixture-images';
import { mappedShapesProject } from '../../testing/mapped-project';
import { tempDir } from '../../testing/temp';
import { BUILTIN_DIR } from '../embed/model-source';
import type { JobParams } from '../../../src-shared/contract/job-map';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

async function ready(dir: string, name: string, opts: { unlabelled?: boolean } = {}) {
  const unlabel = (project: ProjectSession) => project.catalog.db.exec('UPDATE samples SET label = NULL, original_label = NULL');
  return (await mappedShapesProject({ dir, name, perClass: 15, k: 8, seed: 1, afterImport: opts.unlabelled ? unlabel : undefined })).project;
}

async function curate(project: ProjectSession, params: JobParams<'curate'>) {
  return project.jobs.wait(project.startCurate(params));
}

describe('auto-curate on a project', async () => {
  const dir = tempDir();
  const project = await ready(dir, 'shapes');

  it('stores queryable scores with the map', () => {
    assert.equal(runQuery(project.catalog, 'noise >= 0').length, 45);
    assert.equal(runQuery(project.catalog, 'sparseness > 0').length, 45);
  });

  it('near duplicates by appearance reach the stored duplicate group', () => {
    // The fixture's stripes repeat every 8 samples (only the noise differs).
    const group = (path: string) => project.catalog.db.prepare('SELECT sc.dup_group FROM scores sc JOIN samples s ON s.id = sc.sample_id WHERE s.rel_path = ?').pluck().get(path);
    assert.notEqual(group('stripes/stripes_0000.png'), null);
    assert.equal(group('stripes/stripes_0000.png'), group('stripes/stripes_0008.png'));
    assert.notEqual(group('stripes/stripes_0000.png'), group('stripes/stripes_0001.png'));
    assert.equal(project.catalog.db.prepare('SELECT COUNT(*) FROM signatures WHERE data IS NOT NULL').pluck().get(), 45);
  });

  it('representative picks cover every class, with reasons, as a versioned slice', async () => {
    const job = await curate(project, { mode: 'representative', n: 6, name: 'train', seed: 3 });
    assert.equal(job.state, 'done', job.error ?? '');
    const r = job.result as CurateJobResult;
    assert.equal(r.picks.length, 6);
    assert.deepEqual(new Set(r.picks.map((p) => p.label)), new Set(['circle', 'square', 'stripes']));
    assert.ok(r.picks.every((p) => /typical/.test(p.reason)));
    assert.equal(r.slice.version, 1);
    const again = (await curate(project, { mode: 'representative', n: 6, name: 'train', seed: 3 })).result as CurateJobResult;
    assert.equal(again.slice.version, 2);
    assert.deepEqual(again.picks.map((p) => p.id), r.picks.map((p) => p.id), 'same seed, same picks');
    assert.equal(project.slices.members(r.slice.id).length, 6, 'version 1 kept');
    assert.equal(runQuery(project.catalog, 'slice = train').length, 6);
  });

  it('mislabeled finds a flipped label and suggests the right one', async () => {
    const victim = project.catalog.db.prepare("SELECT id FROM samples WHERE label = 'circle' ORDER BY id LIMIT 1").pluck().get() as number;
    project.labels.setLabel([victim], 'stripes');
    const r = (await curate(project, { mode: 'mislabeled', n: 3, name: 'fix' })).result as CurateJobResult;
    const hit = r.picks.find((p) => p.id === victim);
    assert.ok(hit, `flipped sample ${victim} not among ${r.picks.map((p) => p.id)}`);
    assert.equal(hit.suggestedLabel, 'circle');
    project.labels.undo();
  });

  it('edge-cases and custom modes run; N above the dataset is clamped with a warning', async () => {
    const edge = (await curate(project, { mode: 'edge-cases', n: 5, name: 'edge' })).result as CurateJobResult;
    assert.equal(edge.picks.length, 5);
    const custom = (await curate(project, { mode: 'custom', n: 1000, name: 'all', weights: { sparseness: 1, noise: 0.5 } })).result as CurateJobResult;
    assert.ok(custom.picks.length <= 45 && custom.picks.length > 0);
    assert.ok(custom.warnings.some((w) => /clamp|only|fewer|available/i.test(w)), custom.warnings.join('; '));
  });

  it('refuses bad requests with clear messages', async () => {
    const unknown = await curate(project, { mode: 'custom', n: 5, name: 'x', by: 'weather', weights: { feature: 1 } });
    assert.equal(unknown.state, 'failed');
    assert.match(unknown.error!, /weather/);
    const allZero = await curate(project, { mode: 'custom', n: 5, name: 'x', weights: { sparseness: 0 } });
    assert.equal(allZero.state, 'failed');
    assert.match(allZero.error!, /weight/i);
  });

  it('a map from another embedding set is refused, naming the step to run', async () => {
    const spec = JSON.parse(readFileSync(join(BUILTIN_DIR, 'builtin.json'), 'utf8'));
    spec.mean = [0.1, 0.1, 0.1];
    writeFileSync(join(dir, 'other.json'), JSON.stringify(spec));
    await project.jobs.wait(project.startEmbed({ device: 'cpu', model: join(BUILTIN_DIR, 'builtin.onnx'), spec: join(dir, 'other.json') }));
    const job = await curate(project, { mode: 'representative', n: 3, name: 'y' });
    assert.equal(job.state, 'failed');
    assert.match(job.error!, /compute the map again/);
    await project.close();
  });
});

describe('auto-curate preconditions', async () => {
  const dir = tempDir();

  it('without embeddings, map and curate name the step to run', async () => {
    const fixture = await makeFixtureFolder(join(dir, 'raw'), { perClass: 3 });
    const project = ProjectSession.create(join(dir, 'raw.winnow'), quiet);
    await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
    const map = await project.jobs.wait(project.startMap({}));
    assert.equal(map.state, 'failed');
    assert.match(map.error!, /compute embeddings first/);
    assert.throws(() => project.maps.require(), /compute the map first/);
    await project.close();
  });

  it('an unlabelled dataset: mislabeled is refused, representative falls back with a warning', async () => {
    const project = await ready(dir, 'nolabels', { unlabelled: true });
    const mis = await curate(project, { mode: 'mislabeled', n: 3, name: 'm' });
    assert.equal(mis.state, 'failed');
    assert.match(mis.error!, /label/i);
    const rep = await curate(project, { mode: 'representative', n: 4, name: 'r' });
    assert.equal(rep.state, 'done', rep.error ?? '');
    const r = rep.result as CurateJobResult;
    assert.equal(r.picks.length, 4);
    assert.ok(r.warnings.some((w) => /label/i.test(w)));
    await project.close();
  });
});

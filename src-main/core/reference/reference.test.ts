// End to end on a real project: real PNGs imported and embedded with the built-in ONNX model,
// a real map; a reference folder of circles only (drawn apart from the pool's) embedded with
// the same model, a validation set picked toward it, reports, and the bad inputs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type { JobInfo } from '../../../src-shared/model/job';
import type { SliceReport, ValidationSetResult } from '../../../src-shared/model/reference';
import type { ProjectSession } from '../project-session';
import { writeSamplePng } from '../../testing/fixture-images';
import { mappedShapesProject } from '../../testing/mapped-project';
import { tempDir } from '../../testing/temp';

const CLI = fileURLToPath(new URL('../../../bin/winnow.mjs', import.meta.url));
const PER_CLASS = 20;
const REFERENCE = 12;

function done(job: JobInfo): unknown {
  assert.equal(job.state, 'done', job.error ?? '');
  return job.result;
}

describe('validation sets toward a reference folder', async () => {
  const dir = tempDir();
  // Circles only, other draws than the pool's, in one unlabelled folder (classes are estimated).
  const refDir = join(dir, 'deployment', 'camera-1');
  mkdirSync(refDir, { recursive: true });
  await Promise.all(Array.from({ length: REFERENCE }, (_, i) => writeSamplePng(join(refDir, `shot_${i}.png`), 'circle', 500 + i)));
  const emptyDir = join(dir, 'empty');
  mkdirSync(emptyDir);
  writeFileSync(join(emptyDir, 'notes.txt'), 'no images here');

  // A camera column: the first 5 of each class from camera A, the other 15 from B.
  const labelsFile = join(dir, 'labels.csv');
  writeFileSync(labelsFile, ['path,label,camera', ...['circle', 'square', 'stripes'].flatMap((cls) =>
    Array.from({ length: PER_CLASS }, (_, i) => `${cls}/${cls}_${String(i).padStart(4, '0')}.png,${cls},${i < 5 ? 'A' : 'B'}`))].join('\n'));
  const { project, path } = await mappedShapesProject({ dir, name: 'pool', projectFile: 'p.winnow', perClass: PER_CLASS, labelsFile });
  const state = () => ({
    samples: project.catalog.overview().total,
    slices: project.slices.list().length,
    sets: project.embeddings.sets().map((s) => s.count),
  });
  after(() => project.close());

  it('picks N samples like the reference, stores them as a slice with reasons, and adds nothing to the dataset', async () => {
    const before = state();
    const r = done(await project.jobs.wait(project.startValidationSet({ reference: join(dir, 'deployment'), n: 10, name: 'val-target', seed: 1 }))) as ValidationSetResult;
    assert.equal(r.reference!.images, REFERENCE);
    assert.equal(r.slice.mode, 'target');
    assert.equal(r.slice.size, 10);
    assert.ok(r.mmd! < 0.5 * r.randomMmd!, `MMD ${r.mmd} vs random ${r.randomMmd}`);
    assert.deepEqual(r.classQuota, [{ label: 'circle', count: 10 }]);
    const { members } = { members: project.slices.members(r.slice.id) };
    const labels = members.map((m) => project.catalog.sample(m.sampleId).label);
    assert.deepEqual(new Set(labels), new Set(['circle']));
    const matching = members.filter((m) => /^matches reference cluster \d+ \([\d.]+ % of the reference, [\d.]+ % of the pool\)$/.test(m.reason));
    assert.ok(matching.length >= 8, members.map((m) => m.reason).join('; '));
    assert.deepEqual(state(), { ...before, slices: before.slices + 1 });
    // Same seed, same picks (a new version of the same slice).
    const again = done(await project.jobs.wait(project.startValidationSet({ reference: join(dir, 'deployment'), n: 10, name: 'val-target', seed: 1 }))) as ValidationSetResult;
    assert.equal(again.slice.version, 2);
    assert.deepEqual(project.slices.members(again.slice.id).map((m) => m.sampleId), members.map((m) => m.sampleId));
  });

  it('matches a metadata distribution instead of a folder: shares of a field\'s values', async () => {
    const r = done(await project.jobs.wait(project.startValidationSet({ match: { field: 'camera', shares: { A: 0.6, B: 0.4 } }, n: 20, name: 'val-cameras', seed: 2 }))) as ValidationSetResult;
    assert.equal(r.method, 'shares');
    assert.deepEqual(r.match!.values.map((v) => [v.value, v.count]), [['A', 12], ['B', 8]]);
    const members = project.slices.members(r.slice.id);
    const cameras = members.map((m) => (project.catalog.sample(m.sampleId).metadata as { camera: string }).camera);
    assert.equal(cameras.filter((c) => c === 'A').length, 12);
    assert.match(members[0]!.reason, /^camera = A \(target 60 % of the set\)$/);
    const job = await project.jobs.wait(project.startValidationSet({ match: { field: 'camera', shares: { A: 1 } }, n: 16, name: 'x' }));
    assert.match(job.error ?? '', /N = 16 is larger than the pool: 15 samples have one of the target's values/);
    const unknown = await project.jobs.wait(project.startValidationSet({ match: { field: 'lens', shares: { A: 1 } }, n: 5, name: 'x' }));
    assert.match(unknown.error ?? '', /no metadata field "lens"; fields: camera/);
  });

  it('reports a slice: class mix, cluster coverage, MMD beside random, and the reference on the map', async () => {
    const target = done(await project.jobs.wait(project.startSliceReport({ slice: 'val-target', reference: join(dir, 'deployment') }))) as SliceReport;
    assert.equal(target.size, 10);
    assert.equal(target.poolSize, 3 * PER_CLASS);
    assert.ok(target.mmdToReference! < 0.5 * target.randomMmdToReference!);
    const circle = target.classMix!.find((c) => c.label === 'circle')!;
    assert.deepEqual([circle.slice, circle.reference], [1, 1]);
    assert.ok(Math.abs(circle.pool - 1 / 3) < 1e-9);
    assert.equal(target.coverage.referenceCovered, 1);
    const points = target.referencePoints!;
    assert.equal(points.mapId, project.maps.latestId());
    assert.equal(points.x.length, REFERENCE);
    const map = project.maps.require().data;
    const at = map.ids.indexOf(points.nearestIds[0]!);
    assert.deepEqual([points.x[0], points.y[0]], [map.x[at], map.y[at]]);
    assert.ok(points.nearestIds.every((id) => project.catalog.sample(id).label === 'circle'));

    // Without a reference: only the pool figures.
    const plain = done(await project.jobs.wait(project.startSliceReport({ slice: 'val-target' }))) as SliceReport;
    assert.equal(plain.mmdToReference, null);
    assert.equal(plain.referencePoints, null);
    assert.ok(plain.mmdToPool > plain.randomMmdToPool, 'a one-class slice is far from a three-class pool');
  });

  it('refuses a reference folder without images, a model mismatch and N over the pool, with nothing changed', async () => {
    const before = state();
    const fail = async (params: Parameters<ProjectSession['startValidationSet']>[0], pattern: RegExp) => {
      const job = await project.jobs.wait(project.startValidationSet(params));
      assert.equal(job.state, 'failed');
      assert.match(job.error ?? '', pattern);
    };
    await fail({ reference: emptyDir, n: 5, name: 'x' }, /no image files found in the reference folder/);
    await fail({ reference: refDir, n: 5, name: 'x', model: join(dir, 'other.onnx') }, /model mismatch: the project was embedded with/);
    await fail({ reference: refDir, n: 3 * PER_CLASS + 1, name: 'x' }, /N = 61 is larger than the pool: 60 samples/);
    await fail({ reference: join(dir, 'nowhere'), n: 5, name: 'x' }, /folder does not exist/);
    // A model file that is no longer the one the project was embedded with.
    const set = project.embeddings.activeSet()!;
    project.catalog.db.prepare('UPDATE embedding_sets SET model_sha256 = ? WHERE id = ?').run('0'.repeat(64), set.id);
    await fail({ reference: refDir, n: 5, name: 'x' }, /model mismatch: the model file .* changed since the project was embedded/);
    project.catalog.db.prepare('UPDATE embedding_sets SET model_sha256 = ? WHERE id = ?').run(set.modelSha256, set.id);
    assert.deepEqual(state(), before);
  });

  it('the CLI: report --json and a clear error for an empty reference folder', async () => {
    await project.close();
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    const report = run('report', '--project', path, '--slice', 'val-target@1', '--reference', refDir, '--json');
    assert.equal(report.status, 0, report.stderr);
    const r = JSON.parse(report.stdout) as SliceReport;
    assert.equal(r.slice.version, 1);
    assert.equal(r.reference!.images, REFERENCE);
    const bad = run('validation-set', '--project', path, '--reference', emptyDir, '--n', '5', '--name', 'y');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /winnow: validation set failed: no image files found in the reference folder/);
    const noN = run('validation-set', '--project', path, '--reference', refDir, '--name', 'y');
    assert.match(noN.stderr, /--n: N must be a whole number ≥ 1/);
    const both = run('validation-set', '--project', path, '--reference', refDir, '--match', 'camera=A:1', '--n', '3', '--name', 'y');
    assert.match(both.stderr, /--reference: give either a reference folder or a metadata distribution to match, not both/);
    const shares = run('validation-set', '--project', path, '--match', 'camera=A:0.5,B:0.5', '--n', '4', '--name', 'cams', '--json');
    assert.equal(shares.status, 0, shares.stderr);
    assert.deepEqual((JSON.parse(shares.stdout) as ValidationSetResult).match!.values.map((v) => v.count), [2, 2]);
  });
});

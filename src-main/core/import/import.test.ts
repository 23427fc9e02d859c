import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { ImportSummary } from '../../../src-shared/model/import';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { makeFixtureFolder, writeSamplePng } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };
const CLI = fileURLToPath(new URL('../../../bin/winnow.mjs', import.meta.url));

async function importAndWait(project: ProjectSession, source: Parameters<ProjectSession['startImport']>[0]) {
  const job = await project.jobs.wait(project.startImport(source));
  return job;
}

describe('folder import', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: 12, bad: true });

  it('imports good files with folder labels and lists each bad file with a reason', async () => {
    const project = ProjectSession.create(join(dir, 'p1.winnow'), quiet);
    const job = await importAndWait(project, { kind: 'folder', path: fixture.root });
    assert.equal(job.state, 'done');
    const summary = job.result as ImportSummary;
    assert.equal(summary.added, fixture.good);
    const failed = Object.fromEntries(summary.failed.map((f) => [f.path, f.reason]));
    assert.deepEqual(Object.keys(failed).sort(), [...fixture.badFiles].sort());
    assert.match(failed['circle/empty.png']!, /empty/);
    assert.match(failed['circle/notes.png']!, /not a readable image/);
    assert.match(failed['square/truncated.png']!, /damaged or truncated/);
    assert.match(failed['stripes/bomb.png']!, /30000×30000.*limit/);
    const ov = project.catalog.overview();
    assert.deepEqual(Object.fromEntries(ov.byLabel.map((e) => [e.value, e.count])), { circle: 12, square: 12, stripes: 12 });
    const thumbs = project.catalog.thumbnails(Array.from(project.catalog.columns().ids.slice(0, 3)));
    for (const t of thumbs) assert.equal(t?.format, 'png');
    await project.close();
  });

  it('re-importing the same folder adds only new files', async () => {
    const project = ProjectSession.create(join(dir, 'p2.winnow'), quiet);
    await importAndWait(project, { kind: 'folder', path: fixture.root });
    await writeSamplePng(join(fixture.root, 'circle', 'new_one.png'), 'circle', 5000);
    const job = await importAndWait(project, { kind: 'folder', path: fixture.root });
    const summary = job.result as ImportSummary;
    assert.equal(summary.added, 1);
    assert.equal(summary.skippedExisting, fixture.good);
    assert.equal(project.catalog.overview().total, fixture.good + 1);
    assert.equal(project.catalog.overview().datasets.length, 1);
    await project.close();
  });

  it('fails clearly on a folder that does not exist, and on an empty folder', async () => {
    const project = ProjectSession.create(join(dir, 'p3.winnow'), quiet);
    const missing = await importAndWait(project, { kind: 'folder', path: join(dir, 'nope') });
    assert.equal(missing.state, 'failed');
    assert.match(missing.error!, /folder does not exist/);
    mkdirSync(join(dir, 'empty'));
    const empty = await importAndWait(project, { kind: 'folder', path: join(dir, 'empty') });
    assert.equal(empty.state, 'failed');
    assert.match(empty.error!, /no image files found/);
    assert.equal(project.catalog.overview().total, 0);
    await project.close();
  });

  it('refuses a label with control characters but imports the rest', async () => {
    const root = join(dir, 'ctl');
    mkdirSync(join(root, 'ok'), { recursive: true });
    mkdirSync(join(root, 'bad\x07bell'), { recursive: true });
    await writeSamplePng(join(root, 'ok', 'a.png'), 'circle', 1);
    await writeSamplePng(join(root, 'bad\x07bell', 'b.png'), 'square', 2);
    const project = ProjectSession.create(join(dir, 'p4.winnow'), quiet);
    const summary = (await importAndWait(project, { kind: 'folder', path: root })).result as ImportSummary;
    assert.equal(summary.added, 1);
    assert.equal(summary.failed.length, 1);
    assert.match(summary.failed[0]!.reason, /control characters/);
    await project.close();
  });
});

describe('splits from the folder layout', async () => {
  const dir = tempDir();

  it('reads root/<split>/<label>/file as split and label when every top folder names a split', async () => {
    const root = join(dir, 'split-layout');
    for (const [split, label, i] of [['train', 'circle', 0], ['train', 'square', 1], ['val', 'circle', 2], ['Test', 'square', 3]] as const) {
      mkdirSync(join(root, split, label), { recursive: true });
      await writeSamplePng(join(root, split, label, `s${i}.png`), label, i);
    }
    await writeSamplePng(join(root, 'val', 'loose.png'), 'circle', 9);
    const project = ProjectSession.create(join(dir, 's1.winnow'), quiet);
    assert.equal((await importAndWait(project, { kind: 'folder', path: root })).state, 'done');
    const got = [...project.catalog.columns().ids].map((id) => project.catalog.sample(id)).map((s) => [s.relPath, s.split, s.label]).sort();
    assert.deepEqual(got, [['Test/square/s3.png', 'Test', 'square'], ['train/circle/s0.png', 'train', 'circle'], ['train/square/s1.png', 'train', 'square'], ['val/circle/s2.png', 'val', 'circle'], ['val/loose.png', 'val', null]]);
    await project.close();
  });

  it('keeps class folders as labels when only some are named like a split (a class called "test")', async () => {
    const root = join(dir, 'class-named-test');
    for (const [label, i] of [['test', 0], ['circle', 1]] as const) {
      mkdirSync(join(root, label), { recursive: true });
      await writeSamplePng(join(root, label, `c${i}.png`), 'circle', i);
    }
    const project = ProjectSession.create(join(dir, 's2.winnow'), quiet);
    assert.equal((await importAndWait(project, { kind: 'folder', path: root })).state, 'done');
    const got = [...project.catalog.columns().ids].map((id) => project.catalog.sample(id)).map((s) => [s.label, s.split]).sort();
    assert.deepEqual(got, [['circle', null], ['test', null]]);
    await project.close();
  });
});

describe('labels files', async () => {
  const dir = tempDir();
  const root = join(dir, 'flat');
  mkdirSync(root);
  for (let i = 0; i < 6; i++) await writeSamplePng(join(root, `img${i}.png`), i % 2 ? 'circle' : 'square', i);

  it('takes labels from CSV and keeps other columns as metadata', async () => {
    const csv = join(dir, 'labels.csv');
    writeFileSync(csv, 'path,label,camera,score\nimg0.png,square,"cam, A",0.5\nimg1.png,circle,camB,1\nimg2.png,a/b/../..,camA,2\nimg3.png,circle,camB,\nmissing.png,circle,camA,3\n../../etc/passwd,x,camA,4\n');
    const project = ProjectSession.create(join(dir, 'l1.winnow'), quiet);
    const job = await importAndWait(project, { kind: 'folder', path: root, labelsFile: csv });
    assert.equal(job.state, 'done', job.error ?? '');
    const summary = job.result as ImportSummary;
    assert.equal(summary.added, 4);
    const reasons = Object.fromEntries(summary.failed.map((f) => [f.path, f.reason]));
    assert.match(reasons['missing.png']!, /not found/);
    assert.match(reasons['../../etc/passwd']!, /escapes the dataset folder/);
    const ov = project.catalog.overview();
    assert.deepEqual(ov.metadataFields, ['camera', 'score']);
    const ids = [...project.catalog.columns().ids];
    const samples = ids.map((id) => project.catalog.sample(id));
    const s0 = samples.find((s) => s.relPath === 'img0.png')!;
    assert.deepEqual(s0.metadata, { camera: 'cam, A', score: 0.5 });
    // A label with slashes is data, kept verbatim; export makes it safe as a folder name.
    assert.equal(samples.find((s) => s.relPath === 'img2.png')!.label, 'a/b/../..');
    const byCamera = project.catalog.db.prepare(`SELECT COUNT(*) FROM samples WHERE json_extract(metadata, '$."camera"') = 'camB'`).pluck().get();
    assert.equal(byCamera, 2);
    await project.close();
  });

  it('takes a split column as the split, not as metadata; an unusable split is reported', async () => {
    const csv = join(dir, 'splits.csv');
    writeFileSync(csv, 'path,label,split,camera\nimg0.png,square,train,a\nimg1.png,circle,val,b\nimg2.png,square,,a\nimg3.png,circle,"te\u0007st",a\n');
    const project = ProjectSession.create(join(dir, 'l-split.winnow'), quiet);
    const job = await importAndWait(project, { kind: 'folder', path: root, labelsFile: csv });
    assert.equal(job.state, 'done', job.error ?? '');
    const summary = job.result as ImportSummary;
    assert.equal(summary.added, 3);
    assert.match(summary.failed.find((f) => f.path === 'img3.png')!.reason, /^split: /);
    assert.deepEqual(project.catalog.overview().metadataFields, ['camera']);
    const got = [...project.catalog.columns().ids].map((id) => project.catalog.sample(id)).map((s) => [s.relPath, s.split]).sort();
    assert.deepEqual(got, [['img0.png', 'train'], ['img1.png', 'val'], ['img2.png', null]]);
    await project.close();
  });

  it('fails with the missing column named', async () => {
    const csv = join(dir, 'nolabel.csv');
    writeFileSync(csv, 'path,klass\nimg0.png,square\n');
    const project = ProjectSession.create(join(dir, 'l2.winnow'), quiet);
    const job = await importAndWait(project, { kind: 'folder', path: root, labelsFile: csv });
    assert.equal(job.state, 'failed');
    assert.match(job.error!, /missing required column\(s\): label/);
    assert.equal(project.catalog.overview().total, 0);
    await project.close();
  });

  it('reads JSON labels files', async () => {
    const json = join(dir, 'labels.json');
    writeFileSync(json, JSON.stringify([{ path: 'img4.png', label: 'square', weather: 'rain' }, { path: 'img5.png', label: 'circle', weather: 'sun' }]));
    const project = ProjectSession.create(join(dir, 'l3.winnow'), quiet);
    const summary = (await importAndWait(project, { kind: 'folder', path: root, labelsFile: json })).result as ImportSummary;
    assert.equal(summary.added, 2);
    assert.deepEqual(project.catalog.overview().metadataFields, ['weather']);
    await project.close();
  });
});

describe('crash safety', async () => {
  const dir = tempDir();
  // Enough files for a dozen 128-file batches: the import takes well under a second once its
  // workers are up, so the watcher below must find it mid-way.
  const fixture = await makeFixtureFolder(join(dir, 'big'), { perClass: 500 });

  it('a process killed mid-import finishes on re-run without duplicates', async () => {
    const projectPath = join(dir, 'kill.winnow');
    const child = spawn(process.execPath, [CLI, 'import', fixture.root, '--project', projectPath], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    // Watch the project file from outside (WAL allows a concurrent reader) and kill the
    // importer once some batches are committed but not all.
    while (child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 5));
      if (!existsSync(projectPath)) continue;
      try {
        const db = new Database(projectPath, { readonly: true, fileMustExist: true });
        const n = db.prepare('SELECT COUNT(*) FROM samples').pluck().get() as number;
        db.close();
        if (n >= 1) { child.kill('SIGKILL'); break; }
      } catch { /* schema not created yet */ }
    }
    await exited;
    const partial = ProjectSession.open(projectPath, quiet);
    const before = partial.catalog.overview().total;
    const interrupted = partial.jobStore.list().filter((j) => j.state === 'interrupted');
    assert.ok(before > 0 && before < fixture.good, `expected a partial import, got ${before}`);
    assert.equal(interrupted.length, 1);
    await partial.close();

    const rerun = spawn(process.execPath, [CLI, 'import', fixture.root, '--project', projectPath, '--json'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    rerun.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise((r) => rerun.on('exit', r));
    assert.equal(code, 0);
    const result = JSON.parse(out) as ImportSummary & { total: number };
    assert.equal(result.total, fixture.good);
    assert.equal(result.added + result.skippedExisting, fixture.good);
    const done = ProjectSession.open(projectPath, quiet);
    assert.equal(done.catalog.integrityCheck(), 'ok');
    const dupes = done.catalog.db.prepare('SELECT COUNT(*) FROM (SELECT rel_path FROM samples GROUP BY dataset_id, rel_path HAVING COUNT(*) > 1)').pluck().get();
    assert.equal(dupes, 0);
    await done.close();
  });
});

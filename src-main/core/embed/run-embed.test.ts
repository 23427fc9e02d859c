import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { EmbedJobResult } from '../../../src-shared/model/embedding';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { makeFixtureFolder } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';
import { BUILTIN_DIR } from './model-source';
import { int8Exact } from './int8-support';
import { embedShard } from './embed-shard';
import { embedReference } from '../reference/embed-reference';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };
const CLI = fileURLToPath(new URL('../../../bin/winnow.mjs', import.meta.url));

async function imported(dir: string, name: string, perClass: number) {
  const fixture = await makeFixtureFolder(join(dir, `${name}-data`), { perClass });
  const project = ProjectSession.create(join(dir, `${name}.winnow`), quiet);
  await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
  return { project, fixture };
}

describe('embedding pipeline', async () => {
  const dir = tempDir();

  it('embeds every image into unit vectors; nearest neighbours share the class', async () => {
    const { project } = await imported(dir, 'a', 10);
    const job = await project.jobs.wait(project.startEmbed({ device: 'cpu', batch: 8 }));
    assert.equal(job.state, 'done', job.error ?? '');
    const r = job.result as EmbedJobResult;
    assert.equal(r.embedded, 30);
    assert.equal(r.provider, 'cpu');
    const table = project.embeddings.load(r.setId);
    assert.equal(table.ids.length, 30);
    for (let i = 0; i < 30; i++) {
      let n = 0;
      for (let j = 0; j < table.dim; j++) n += table.vectors[i * table.dim + j]! ** 2;
      assert.ok(Math.abs(Math.sqrt(n) - 1) < 1e-4);
    }
    let agree = 0;
    for (const id of table.ids) {
      const label = project.catalog.sample(id).label;
      const hits = (await project.similar.bySample(id, 3)).hits;
      agree += hits.filter((h) => project.catalog.sample(h.sampleId).label === label).length;
    }
    assert.ok(agree / 90 >= 0.9, `3-NN label agreement ${agree / 90}`);
    const again = await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
    assert.equal((again.result as EmbedJobResult).embedded, 0);
    await project.close();
  });

  it('records an image that fails to decode and goes on with the rest', async () => {
    const { project, fixture } = await imported(dir, 'b', 6);
    rmSync(join(fixture.root, 'square', 'square_0002.png'));
    writeFileSync(join(fixture.root, 'circle', 'circle_0001.png'), 'no longer an image');
    const job = await project.jobs.wait(project.startEmbed({ device: 'cpu', batch: 4 }));
    assert.equal(job.state, 'done', job.error ?? '');
    const r = job.result as EmbedJobResult;
    assert.equal(r.embedded, 16);
    assert.equal(r.failed.length, 2);
    assert.ok(r.failed.some((f) => /missing/.test(f.reason)));
    assert.ok(r.failed.some((f) => /cannot decode/.test(f.reason)));
    await project.close();
  });

  it('a different spec makes a new embedding set; sets are never mixed', async () => {
    const { project } = await imported(dir, 'c', 3);
    await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
    const spec = JSON.parse(readFileSync(join(BUILTIN_DIR, 'builtin.json'), 'utf8'));
    spec.mean = [0.5, 0.5, 0.5];
    const specPath = join(dir, 'variant.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const job = await project.jobs.wait(project.startEmbed({ device: 'cpu', model: join(BUILTIN_DIR, 'builtin.onnx'), spec: specPath }));
    assert.equal(job.state, 'done', job.error ?? '');
    const sets = project.embeddings.sets();
    assert.equal(sets.length, 2);
    assert.deepEqual(sets.map((s) => s.count), [9, 9]);
    assert.equal(project.embeddings.activeSet()?.id, sets[1]!.id);
    await project.close();
  });

  it('the built-in model is int8 by default (float where int8 saturates); a project embedded with one build keeps it until a model is named', async () => {
    const { project } = await imported(dir, 'int8-default', 3);
    const float = await project.jobs.wait(project.startEmbed({ device: 'cpu', model: 'builtin-float' }));
    assert.equal(float.state, 'done', float.error ?? '');
    assert.match((float.result as EmbedJobResult).model, /b12-2x2$/);
    // Nothing named: the float set goes on (no new set, nothing recomputed).
    const again = await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
    assert.equal((again.result as EmbedJobResult).embedded, 0);
    assert.equal(project.embeddings.sets().length, 1);
    // Named: the int8 build, in a set of its own, which the map and curation then use.
    const int8 = await project.jobs.wait(project.startEmbed({ device: 'cpu', model: 'builtin-int8' }));
    assert.match((int8.result as EmbedJobResult).model, /-int8$/);
    assert.equal((int8.result as EmbedJobResult).embedded, 9);
    assert.equal(project.embeddings.activeSet()?.modelName, (int8.result as EmbedJobResult).model);
    // Nothing named again: the int8 set goes on, whatever this CPU's default.
    const kept = await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
    assert.equal((kept.result as EmbedJobResult).embedded, 0);
    assert.equal(project.embeddings.sets().length, 2);
    await project.close();
    const fresh = await imported(dir, 'int8-fresh', 2);
    const job = await fresh.project.jobs.wait(fresh.project.startEmbed({ device: 'cpu' }));
    assert.match((job.result as EmbedJobResult).model, int8Exact() ? /-int8$/ : /b12-2x2$/);
    await fresh.project.close();
  });

  it('the accurate model whitens on the project\'s images; later images, a query image and a resume use the same whitening', async () => {
    const { project, fixture } = await imported(dir, 'accurate', 10);
    // An image that fails while the vectors are held back for the fit is recorded all the same.
    writeFileSync(join(fixture.root, 'circle', 'circle_0001.png'), 'no longer an image');
    const job = await project.jobs.wait(project.startEmbed({ device: 'cpu', batch: 8, model: 'builtin-accurate' }));
    assert.equal(job.state, 'done', job.error ?? '');
    const r = job.result as EmbedJobResult;
    assert.equal(r.embedded, 29);
    assert.equal(r.failed.length, 1);
    assert.match(r.failed[0]!.reason, /cannot decode/);
    assert.equal(r.dim, 1024);
    assert.match(r.model, /accurate/);
    const fitted = project.catalog.db.prepare('SELECT data FROM embedding_whitening WHERE set_id = ?').pluck().get(r.setId) as Buffer;
    assert.ok(fitted, 'the whitening is stored with the set');
    const table = project.embeddings.load(r.setId);
    let agree = 0;
    for (const id of table.ids) {
      const label = project.catalog.sample(id).label;
      agree += (await project.similar.bySample(id, 3)).hits.filter((h) => project.catalog.sample(h.sampleId).label === label).length;
    }
    // These drawn shapes are not what the accurate model is for: its own unwhitened features give
    // 0.80 here (bench/_proto measurement), the fast model 0.9 and more. The whitening, fitted on
    // these 30 images alone, must keep that structure (chance: 0.33).
    assert.ok(agree / 87 >= 0.7, `3-NN label agreement ${agree / 87}`);
    // More images later, no model named: the accurate set goes on with the whitening it has.
    const more = await makeFixtureFolder(join(dir, 'accurate-more'), { perClass: 13 });
    await project.jobs.wait(project.startImport({ kind: 'folder', path: more.root }));
    const again = await project.jobs.wait(project.startEmbed({ device: 'cpu', batch: 8 }));
    assert.equal(again.state, 'done', again.error ?? '');
    assert.equal((again.result as EmbedJobResult).setId, r.setId);
    assert.equal((again.result as EmbedJobResult).embedded, 39);
    assert.deepEqual(project.catalog.db.prepare('SELECT data FROM embedding_whitening WHERE set_id = ?').pluck().get(r.setId), fitted);
    // A reference folder is whitened as the samples were: each of its images lands on its own sample.
    const ref = await embedReference(project.catalog, project.embeddings, more.root, { signal: new AbortController().signal });
    assert.equal(ref.dim, 1024);
    const byPath = new Map((project.catalog.db.prepare('SELECT rel_path, id FROM samples WHERE dataset_id = (SELECT MAX(id) FROM datasets)').raw().all() as Array<[string, number]>));
    for (let i = 0; i < 6; i++) {
      const own = project.embeddings.vectorsOf(r.setId, [byPath.get(ref.files[i]!)!])[0]!;
      const cos = own.reduce((acc, x, j) => acc + x * ref.vectors[i * 1024 + j]!, 0);
      assert.ok(cos > 0.999, `${ref.files[i]}: cosine ${cos} to its own sample`);
    }
    // A query image is whitened as the samples were: the new file finds itself.
    const file = join(more.root, 'square', 'square_0012.png');
    const hit = (await project.similar.byImage(file, 1)).hits[0]!;
    assert.ok(hit.similarity > 0.999, `similarity ${hit.similarity}`);
    assert.match(project.catalog.sample(hit.sampleId).relPath, /square_0012\.png$/);
    await project.close();
  });

  it('the accurate model cannot embed a shard outside a project: it says why', async () => {
    const fixture = await makeFixtureFolder(join(dir, 'accurate-shard'), { perClass: 1 });
    const list = join(dir, 'accurate-shard.txt');
    writeFileSync(list, ['circle', 'square', 'stripes'].map((c) => join(fixture.root, c, `${c}_0000.png`)).join('\n'));
    await assert.rejects(embedShard({ files: list, index: 0, count: 1, out: join(dir, 'accurate-shards'), model: 'builtin-accurate', device: 'cpu' }), /whitens its vectors on the project's own images/);
    assert.equal(existsSync(join(dir, 'accurate-shards')), false);
  });

  it('fails cleanly when the disk fills while vectors are written, and resumes', async () => {
    const { project } = await imported(dir, 'd', 20);
    const db = project.catalog.db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    // SQLite's own size cap produces the same SQLITE_FULL error a full disk does.
    db.pragma(`max_page_count = ${pages + 12}`);
    const failed = await project.jobs.wait(project.startEmbed({ device: 'cpu', batch: 4 }));
    assert.equal(failed.state, 'failed');
    assert.match(failed.error!, /full/i);
    const partial = project.embeddings.sets()[0]!.count;
    assert.ok(partial > 0 && partial < 60, `partial count ${partial}`);
    assert.equal(project.catalog.integrityCheck(), 'ok');
    db.pragma('max_page_count = 1073741823');
    const resumed = await project.jobs.wait(project.jobs.resume(failed.id));
    assert.equal(resumed.state, 'done', resumed.error ?? '');
    assert.equal((resumed.result as EmbedJobResult).embedded, 60 - partial);
    await project.close();
  });

  it('a job that fails mid-run leaves nothing behind that keeps the process from exiting', async () => {
    const script = fileURLToPath(new URL('../../testing/embed-until-full.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(null); }, 60_000);
      child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
    });
    assert.equal(out.trim(), 'failed');
    assert.equal(code, 0, 'the process did not exit by itself');
  });

  it('after the process is killed, a re-run redoes nothing that was committed', async () => {
    const { project } = await imported(dir, 'e', 60);
    const path = project.catalog.path;
    await project.close();
    const child = spawn(process.execPath, [CLI, 'embed', '--project', path, '--device', 'cpu', '--batch', '8'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    let committed = 0;
    while (child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 20));
      if (!existsSync(path)) continue;
      const db = new Database(path, { readonly: true });
      committed = db.prepare('SELECT COUNT(*) FROM embeddings').pluck().get() as number;
      db.close();
      if (committed >= 16) { child.kill('SIGKILL'); break; }
    }
    await exited;
    const reopened = ProjectSession.open(path, quiet);
    const before = reopened.embeddings.sets()[0]!.count;
    assert.ok(before >= 16 && before < 180, `committed ${before}`);
    const job = await reopened.jobs.wait(reopened.startEmbed({ device: 'cpu', batch: 8 }));
    const r = job.result as EmbedJobResult;
    assert.equal(r.skipped, before);
    assert.equal(r.embedded, 180 - before);
    await reopened.close();
  });
});

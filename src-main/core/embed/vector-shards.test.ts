import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { EmbedJobResult } from '../../../src-shared/model/embedding';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { makeFixtureFolder } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';
import { embedShard } from './embed-shard';
import { importVectors } from './import-vectors';
import { writeNpy } from './npy';
import { shardFiles } from './vector-shards';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

/** Files of the fixture, relative to the dataset folder, in a list beside it. */
function writeList(root: string, listPath: string): string[] {
  const files: string[] = [];
  for (const cls of readdirSync(root)) for (const f of readdirSync(join(root, cls))) files.push(`${cls}/${f}`);
  files.sort();
  writeFileSync(listPath, `# one path per line\n${files.join('\n')}\n`);
  return files;
}

/** The project's vectors keyed by path inside the dataset. */
function vectorsByPath(project: ProjectSession): Map<string, Float32Array> {
  const set = project.embeddings.activeSet()!;
  const t = project.embeddings.load(set.id);
  const out = new Map<string, Float32Array>();
  t.ids.forEach((id, row) => out.set(project.catalog.sample(id).relPath, t.vectors.slice(row * t.dim, (row + 1) * t.dim)));
  return out;
}

function embeddingRows(project: ProjectSession): number {
  return project.embeddings.sets().reduce((n, s) => n + s.count + s.failed, 0);
}

describe('embedding shards and vectors import', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: 7 });
  const list = join(fixture.root, 'files.txt');
  const files = writeList(fixture.root, list);
  const shards = join(dir, 'shards');
  const results: Awaited<ReturnType<typeof embedShard>>[] = [];
  for (let i = 0; i < 3; i++) results.push(await embedShard({ files: list, index: i, count: 3, out: shards, device: 'cpu', batch: 4 }));

  const reference = ProjectSession.create(join(dir, 'reference.winnow'), quiet);
  await reference.jobs.wait(reference.startImport({ kind: 'folder', path: fixture.root }));
  const embedJob = await reference.jobs.wait(reference.startEmbed({ device: 'cpu', batch: 8 }));
  assert.equal(embedJob.state, 'done', embedJob.error ?? '');
  after(() => reference.close());

  async function freshProject(name: string): Promise<ProjectSession> {
    const p = ProjectSession.create(join(dir, `${name}.winnow`), quiet);
    await p.jobs.wait(p.startImport({ kind: 'folder', path: fixture.root }));
    return p;
  }

  it('splits the list into contiguous shards and writes each as .npy + .json', () => {
    assert.deepEqual(results.map((r) => r.rows), [7, 7, 7]);
    assert.equal(results.reduce((n, r) => n + r.embedded, 0), files.length);
    const meta = JSON.parse(readFileSync(shardFiles(shards, 1, 3).json, 'utf8'));
    assert.equal(meta.format, 'winnow-vectors/1');
    assert.deepEqual(meta.paths, files.slice(7, 14));
    assert.equal(meta.dim, (embedJob.result as EmbedJobResult).dim);
  });

  it('a shard already done is not embedded again', async () => {
    const again = await embedShard({ files: list, index: 2, count: 3, out: shards, device: 'cpu' });
    assert.equal(again.alreadyDone, true);
    assert.equal(again.embedded, 7);
  });

  it('merged shards equal a single-process embed of the same files within 1e-5', async () => {
    const project = await freshProject('merged');
    const r = importVectors(project.catalog, { source: shards });
    assert.equal(r.imported, files.length);
    assert.equal(r.shards, 3);
    const want = vectorsByPath(reference);
    const got = vectorsByPath(project);
    assert.equal(got.size, want.size);
    let worst = 0;
    for (const [path, v] of want) {
      const u = got.get(path)!;
      for (let j = 0; j < v.length; j++) worst = Math.max(worst, Math.abs(u[j]! - v[j]!));
    }
    assert.ok(worst < 1e-5, `largest difference ${worst}`);
    // The merged set is the project's model set: embedding again finds nothing left to do.
    const job = await project.jobs.wait(project.startEmbed({ device: 'cpu' }));
    assert.equal((job.result as EmbedJobResult).embedded, 0);
    await project.close();
  });

  it('refuses a missing shard, mixed models, wrong dimensions and duplicate rows, and leaves the project unchanged', async () => {
    const project = await freshProject('refused');
    const bad = (name: string) => {
      const d = join(dir, name);
      cpSync(shards, d, { recursive: true });
      return d;
    };
    const missing = bad('missing');
    rmSync(shardFiles(missing, 1, 3).json);
    assert.throws(() => importVectors(project.catalog, { source: missing }), /1 of 3 shards are missing .*shard 1\/3/);

    const otherModel = bad('other-model');
    const f = shardFiles(otherModel, 2, 3).json;
    const meta = JSON.parse(readFileSync(f, 'utf8'));
    meta.model.sha256 = 'f'.repeat(64);
    meta.model.key = 'e'.repeat(64);
    writeFileSync(f, JSON.stringify(meta));
    assert.throws(() => importVectors(project.catalog, { source: otherModel }), /embedded with model .*sets are never mixed/);

    const wrongDim = bad('wrong-dim');
    const npy = shardFiles(wrongDim, 0, 3).npy;
    writeNpy(npy, new Float32Array(7 * 5), 7, 5);
    assert.throws(() => importVectors(project.catalog, { source: wrongDim }), /has 5 dimensions/);

    const dup = bad('dup');
    const f0 = shardFiles(dup, 0, 3).json;
    const m0 = JSON.parse(readFileSync(f0, 'utf8'));
    m0.paths[6] = files[7];
    writeFileSync(f0, JSON.stringify(m0));
    assert.throws(() => importVectors(project.catalog, { source: dup }), /appears in more than one shard/);

    assert.throws(() => importVectors(project.catalog, { source: join(dir, 'nowhere') }), /no shard folder or \.npy file/);
    assert.equal(embeddingRows(project), 0);
    assert.equal(project.embeddings.sets().length, 0);
    await project.close();
  });

  it('refuses vectors for images the project lacks, and a project with images left out unless asked', async () => {
    const small = join(dir, 'small');
    mkdirSync(join(small, 'circle'), { recursive: true });
    for (const f of files.filter((x) => x.startsWith('circle/')).slice(0, 3)) copyFileSync(join(fixture.root, f), join(small, f));
    const project = ProjectSession.create(join(dir, 'small.winnow'), quiet);
    await project.jobs.wait(project.startImport({ kind: 'folder', path: small }));
    assert.throws(() => importVectors(project.catalog, { source: shards }), /not in the project .*import those images first/);
    assert.equal(embeddingRows(project), 0);
    await project.close();

    const partial = await freshProject('partial');
    const two = join(dir, 'one-shard');
    mkdirSync(two);
    // A one-shard run over part of the files: the project has more images than the vectors.
    const partList = join(fixture.root, 'part.txt');
    writeFileSync(partList, files.slice(0, 5).join('\n'));
    await embedShard({ files: partList, index: 0, count: 1, out: two, device: 'cpu' });
    assert.throws(() => importVectors(partial.catalog, { source: two }), /16 of the project's 21 samples have no vector .*--allow-missing/);
    assert.equal(embeddingRows(partial), 0);
    const r = importVectors(partial.catalog, { source: two, allowMissing: true });
    assert.deepEqual([r.imported, r.missing], [5, 16]);
    await partial.close();
  });

  it('imports a user\'s own .npy + ids CSV under a model name, and checks its shape', async () => {
    const project = await freshProject('external');
    const npy = join(dir, 'mine.npy');
    const rows = files.length;
    const data = Float32Array.from({ length: rows * 4 }, (_, i) => Math.sin(i));
    writeNpy(npy, data, rows, 4);
    writeFileSync(join(dir, 'mine.ids.csv'), `path,extra\n${files.map((f) => `${f},x`).join('\n')}\n`);
    assert.throws(() => importVectors(project.catalog, { source: npy }), /--model-name/);
    const r = importVectors(project.catalog, { source: npy, modelName: 'my-clip' });
    assert.deepEqual([r.imported, r.dim, r.model], [rows, 4, 'my-clip']);
    const set = project.embeddings.activeSet()!;
    assert.equal(set.spec, null);
    await assert.rejects(project.similar.byImage(join(fixture.root, files[0]!), 3), /made outside Winnow/);
    assert.equal((await project.similar.bySample(project.embeddings.load(set.id).ids[0]!, 3)).hits.length, 3);

    writeFileSync(join(dir, 'short.ids.csv'), `path\n${files.slice(1).join('\n')}\n`);
    assert.throws(() => importVectors(project.catalog, { source: npy, ids: join(dir, 'short.ids.csv'), modelName: 'x' }), /has 20 rows but .* has 21 vectors/);
    writeNpy(join(dir, 'wide.npy'), new Float32Array(rows * 6), rows, 6);
    assert.throws(() => importVectors(project.catalog, { source: join(dir, 'wide.npy'), ids: join(dir, 'mine.ids.csv'), modelName: 'my-clip' }), /has 4 dimensions, these vectors 6/);
    await project.close();
  });

});

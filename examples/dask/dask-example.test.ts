// The Dask example on a real LocalCluster with two worker processes: each task runs
// `winnow embed-shard`, then `winnow vectors import` merges the shards, and the project's
// vectors must equal a single-process embed of the same files. Debian's python3-distributed
// provides Dask (.ci/run installs it); the test fails, not skips, when it is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, it } from 'node:test';
import type { JobEvents } from '../../src-main/core/jobs/job-manager';
import { ProjectSession } from '../../src-main/core/project-session';
import { makeFixtureFolder } from '../../src-main/testing/fixture-images';
import { tempDir } from '../../src-main/testing/temp';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON = process.env.DASK_PYTHON ?? '/usr/bin/python3';
const quiet: JobEvents = { progress: () => {}, finished: () => {} };

function vectorsByPath(project: ProjectSession): Map<string, Float32Array> {
  const t = project.embeddings.load(project.embeddings.activeSet()!.id);
  return new Map(Array.from(t.ids, (id, row) => [project.catalog.sample(id).relPath, t.vectors.slice(row * t.dim, (row + 1) * t.dim)]));
}

it('embeds shards on a Dask LocalCluster (2 workers) and imports vectors equal to a single-process embed', async () => {
  const probe = spawnSync(PYTHON, ['-c', 'import distributed; print(distributed.__version__)'], { encoding: 'utf8' });
  assert.equal(probe.status, 0, `Dask is not importable by ${PYTHON} (apt-get install python3-distributed): ${probe.stderr}`);
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'data'), { perClass: 6 });
  const files: string[] = [];
  for (const cls of readdirSync(fixture.root)) for (const f of readdirSync(join(fixture.root, cls))) files.push(`${cls}/${f}`);
  const list = join(fixture.root, 'files.txt');
  writeFileSync(list, files.join('\n'));

  const distributed = ProjectSession.create(join(dir, 'dask.winnow'), quiet);
  await distributed.jobs.wait(distributed.startImport({ kind: 'folder', path: fixture.root }));
  await distributed.close();
  const run = spawnSync(PYTHON, [
    join(ROOT, 'examples/dask/embed_on_dask.py'), '--files', list, '--out', join(dir, 'shards'), '--shards', '4', '--local-workers', '2',
    '--winnow', `${process.execPath} ${join(ROOT, 'bin/winnow.mjs')}`, '--device', 'cpu', '--project', join(dir, 'dask.winnow'),
  ], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(run.status, 0, `the Dask example failed: ${run.stderr.slice(-2000)}`);
  const summary = JSON.parse(run.stdout) as { shards: number; embedded: number; import: { imported: number; shards: number } };
  assert.deepEqual([summary.shards, summary.embedded, summary.import.imported, summary.import.shards], [4, files.length, files.length, 4]);

  const single = ProjectSession.create(join(dir, 'single.winnow'), quiet);
  after(() => single.close());
  await single.jobs.wait(single.startImport({ kind: 'folder', path: fixture.root }));
  const job = await single.jobs.wait(single.startEmbed({ device: 'cpu' }));
  assert.equal(job.state, 'done', job.error ?? '');
  const merged = ProjectSession.open(join(dir, 'dask.winnow'), quiet);
  after(() => merged.close());
  const want = vectorsByPath(single);
  const got = vectorsByPath(merged);
  assert.equal(got.size, files.length);
  let worst = 0;
  for (const [path, v] of want) v.forEach((x, j) => { worst = Math.max(worst, Math.abs(got.get(path)![j]! - x)); });
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
});

// The hostile corpus (src-main/testing/hostile-corpus.ts) through import and export: every bad
// item reported with a reason, every good one imported, nothing written outside the project
// and the export folder.
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ImportSummary } from '../../../src-shared/model/import';
import { exportSamples } from '../export';
import { parseCsv } from './csv';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { allFailures } from './failures';
import { makeHostileCorpus, removeHostileCorpus } from '../../testing/hostile-corpus';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

/** Every entry under `dir` (links not followed) with its size and mtime; unreadable folders as such. */
function snapshot(dir: string, rel = '', into = new Map<string, string>()): Map<string, string> {
  let names: string[];
  try { names = readdirSync(join(dir, rel)); } catch (err) { into.set(`${rel}/`, `unreadable ${(err as NodeJS.ErrnoException).code}`); return into; }
  for (const name of names) {
    const r = rel ? `${rel}/${name}` : name;
    try {
      const st = lstatSync(join(dir, r));
      into.set(r, `${st.mode} ${st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) snapshot(dir, r, into);
    } catch (err) {
      into.set(r, `unreadable ${(err as NodeJS.ErrnoException).code}`);
    }
  }
  return into;
}

describe('hostile corpus', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'winnow-hostile-'));
  const work = mkdtempSync(join(tmpdir(), 'winnow-hostile-work-'));
  after(() => { removeHostileCorpus(dir); removeHostileCorpus(work); });
  const corpus = await makeHostileCorpus(dir, { slowImage: true });
  const before = snapshot(dir);

  it('folder import: every bad item reported with a reason, every good one imported', async () => {
    const project = ProjectSession.create(join(work, 'folder.winnow'), quiet);
    const jobId = project.startImport({ kind: 'folder', path: corpus.root, decodeTimeoutSeconds: 1, maxMegapixels: 200 });
    const job = await project.jobs.wait(jobId);
    assert.equal(job.state, 'done', job.error ?? '');
    const summary = job.result as ImportSummary;
    const failures = new Map([...allFailures(project.catalog, jobId)].map((f) => [f.path, f.reason]));
    const imported = new Set(project.catalog.db.prepare('SELECT rel_path FROM samples').pluck().all() as string[]);
    for (const [path, want] of corpus.expected) {
      if (want === 'import') assert.ok(imported.has(path), `${JSON.stringify(path)} should be imported (failed: ${failures.get(path) ?? 'not seen'})`);
      else {
        assert.ok(failures.has(path), `${JSON.stringify(path)} should be reported`);
        assert.match(failures.get(path)!, want, `reason for ${JSON.stringify(path)}`);
      }
    }
    const expectedImports = [...corpus.expected].filter(([, w]) => w === 'import').map(([p]) => p).sort();
    assert.deepEqual([...imported].sort(), expectedImports, 'nothing else imported (no .txt, no hidden file)');
    assert.deepEqual([...failures.keys()].sort(), [...corpus.expected].filter(([, w]) => w !== 'import').map(([p]) => p).sort(), 'nothing else reported');
    assert.equal(summary.added, expectedImports.length);
    assert.equal(summary.failedCount, failures.size);

    // Export it all: every imported sample arrives, the CSV carries no formula cell.
    const out = join(work, 'export');
    const ids = project.catalog.db.prepare('SELECT id FROM samples ORDER BY id').pluck().all() as number[];
    const exp = await exportSamples(project.catalog, { sampleIds: ids, out, layout: 'imagefolder', mode: 'new', source: { kind: 'all' } }, { jobId: 'x', signal: new AbortController().signal, progress: () => {} });
    assert.deepEqual(exp.problems, []);
    assert.equal(exp.exported, ids.length);
    assert.deepEqual(exp.problems, []);
    const rows = parseCsv(readFileSync(join(out, 'manifest.csv'), 'utf8'));
    assert.equal(rows.length, ids.length + 1);
    for (const r of rows) for (const cell of r) assert.doesNotMatch(cell, /^[=+@\t\r]/);
    for (const name of readdirSync(out, { recursive: true }) as string[]) assert.ok(!lstatSync(join(out, name)).isSymbolicLink(), `${name} is no link`);
    await project.close();
  });

  it('labels-file import: formula cells kept as data, links out and special files refused like in folder mode', async () => {
    const project = ProjectSession.create(join(work, 'labels.winnow'), quiet);
    const jobId = project.startImport({ kind: 'folder', path: corpus.root, labelsFile: corpus.labels.formulas });
    const job = await project.jobs.wait(jobId);
    assert.equal(job.state, 'done', job.error ?? '');
    const failures = new Map([...allFailures(project.catalog, jobId)].map((f) => [f.path, f.reason]));
    assert.match(failures.get('cat/link-out.png')!, /symbolic link leads outside the dataset folder/);
    if (corpus.expected.has('dog/pipe.png')) assert.match(failures.get('dog/pipe.png')!, /not a regular file/);
    assert.match(failures.get('../outside/secret.png')!, /escapes the dataset folder/);
    assert.match(failures.get('missing.png')!, /not found/);
    const labels = Object.fromEntries((project.catalog.db.prepare('SELECT rel_path, label FROM samples').raw().all() as Array<[string, string]>));
    assert.deepEqual(labels, { 'cat/cat_0.png': '=HYPERLINK("http://evil.example","x")', 'cat/cat_1.png': '@SUM(A1)', 'cat/cat_2.png': 'cat' });
    const out = join(work, 'export-labels.csv');
    project.catalog.db.prepare("UPDATE samples SET label = '+cmd' WHERE rel_path = 'cat/cat_2.png'").run();
    const { exportLabels } = await import('../export');
    exportLabels(project.catalog, { out });
    for (const r of parseCsv(readFileSync(out, 'utf8'))) for (const cell of r) assert.doesNotMatch(cell, /^[=+@\t\r]/);
    await project.close();
  });

  it('labels files with hostile columns are refused with the reason', async () => {
    for (const [file, why] of [
      [corpus.labels.protoColumn, /"__proto__" cannot be used/],
      [corpus.labels.nulColumn, /control characters/],
      [corpus.labels.quoteColumn, /contains " or/],
      [corpus.labels.tooManyColumns, /500 metadata columns; at most 64/],
      [corpus.labels.emptyColumn, /has no name/],
    ] as const) {
      const project = ProjectSession.create(join(work, `cols-${Math.random()}.winnow`), quiet);
      const job = await project.jobs.wait(project.startImport({ kind: 'folder', path: corpus.root, labelsFile: file }));
      assert.equal(job.state, 'failed');
      assert.match(job.error!, why);
      await project.close();
    }
  });

  it('nothing was written next to the corpus or through its links', () => {
    assert.deepEqual(snapshot(dir), before);
  });
});

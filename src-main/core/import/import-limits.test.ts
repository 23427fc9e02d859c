// Per-file limits (pixels, decode time), bounded summaries and hostile metadata columns.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { SUMMARY_FAILURES, type ImportSummary } from '../../../src-shared/model/import';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { parseCsv } from './csv';
import { failurePage } from './failures';
import { SLOW_SIDE, slowPng } from '../../testing/hostile-corpus';
import { writeSamplePng } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };
const CLI = fileURLToPath(new URL('../../../bin/winnow.mjs', import.meta.url));

async function importOnce(projectFile: string, source: Parameters<ProjectSession['startImport']>[0]) {
  const project = ProjectSession.create(projectFile, quiet);
  const jobId = project.startImport(source);
  const job = await project.jobs.wait(jobId);
  return { project, job, jobId, summary: job.result as ImportSummary };
}

describe('per-file limits', async () => {
  const dir = tempDir();
  const root = join(dir, 'data');
  mkdirSync(join(root, 'a'), { recursive: true });
  for (let i = 0; i < 40; i++) await writeSamplePng(join(root, 'a', `ok${i}.png`), 'circle', i);
  await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#808080' } }).png().toFile(join(root, 'a', 'two-mp.png'));
  writeFileSync(join(root, 'a', 'slow.png'), await slowPng(SLOW_SIDE, SLOW_SIDE));

  it('a slow legal image over the decode budget is reported on its own; the batch and the job go on', async () => {
    const { project, job, summary } = await importOnce(join(dir, 'slow.winnow'), { kind: 'folder', path: root, decodeTimeoutSeconds: 1, maxMegapixels: 200 });
    assert.equal(job.state, 'done', job.error ?? '');
    assert.equal(summary.added, 41);
    assert.deepEqual(summary.failed.map((f) => f.path), ['a/slow.png']);
    assert.match(summary.failed[0]!.reason, /decoding took longer than 1 s, the per-file budget \(raise it with --decode-timeout\)/);
    await project.close();
  });

  it('the pixel limit can be lowered and raised per import', async () => {
    const low = await importOnce(join(dir, 'low.winnow'), { kind: 'folder', path: root, maxMegapixels: 1, decodeTimeoutSeconds: 1 });
    const reasons = Object.fromEntries(low.summary.failed.map((f) => [f.path, f.reason]));
    assert.match(reasons['a/two-mp.png']!, /2000×1000 \(2 megapixels\), over the 1-megapixel limit \(raise it with --max-megapixels\)/);
    assert.match(reasons['a/slow.png']!, /196 megapixels\), over the 1-megapixel limit/);
    assert.equal(low.summary.added, 40);
    await low.project.close();
  });

  it('the CLI takes both limits and checks them', () => {
    const bad = spawnSync(process.execPath, [CLI, 'import', root, '--project', join(dir, 'c.winnow'), '--decode-timeout', '0.5'], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /--decode-timeout:? must be a whole number of seconds/);
    const res = spawnSync(process.execPath, [CLI, 'import', root, '--project', join(dir, 'c.winnow'), '--max-megapixels', '1.5', '--decode-timeout', '1', '--json'], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const doc = JSON.parse(res.stdout) as ImportSummary;
    assert.deepEqual(doc.failed.map((f) => f.path).sort(), ['a/slow.png', 'a/two-mp.png']);
    assert.match(doc.failed.find((f) => f.path === 'a/two-mp.png')!.reason, /1\.5-megapixel limit/);
  });
});

describe('import summaries stay small', async () => {
  const dir = tempDir();
  const root = join(dir, 'data');
  mkdirSync(join(root, 'a'), { recursive: true });
  await writeSamplePng(join(root, 'a', 'good.png'), 'circle', 1);
  const BAD = SUMMARY_FAILURES + 57;
  for (let i = 0; i < BAD; i++) writeFileSync(join(root, 'a', `bad${String(i).padStart(4, '0')}.png`), '');

  it('the job result holds counts and the first failures; the rest are paged from the table', async () => {
    const { project, job, jobId, summary } = await importOnce(join(dir, 'p.winnow'), { kind: 'folder', path: root });
    assert.equal(job.state, 'done');
    assert.equal(summary.added, 1);
    assert.equal(summary.failedCount, BAD);
    assert.equal(summary.failed.length, SUMMARY_FAILURES);
    assert.equal(summary.failed[0]!.path, 'a/bad0000.png');
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page = failurePage(project.catalog, jobId, { after, limit: 40 });
      assert.equal(page.total, BAD);
      paged.push(...page.items.map((f) => f.path));
      after = page.next;
    } while (after);
    assert.equal(paged.length, BAD);
    assert.equal(new Set(paged).size, BAD);
    assert.deepEqual(paged, [...paged].sort());
    await project.close();
  });

  it('the CLI prints the first few and writes them all with --failures-out', () => {
    const out = join(dir, 'failures.csv');
    const res = spawnSync(process.execPath, [CLI, 'import', root, '--project', join(dir, 'cli.winnow'), '--failures-out', out], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`${BAD} file\\(s\\) could not be imported`));
    assert.match(res.stdout, new RegExp(`… ${BAD - 20} more`));
    assert.match(res.stdout, new RegExp(`all ${BAD} failure\\(s\\) written to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const rows = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(rows[0], ['path', 'reason']);
    assert.equal(rows.length, BAD + 1);
    assert.match(rows[1]![1]!, /empty/);
  });
});

describe('metadata columns', async () => {
  const dir = tempDir();
  const root = join(dir, 'data');
  mkdirSync(root);
  await writeSamplePng(join(root, 'a.png'), 'circle', 1);
  const csv = (name: string, header: string, row: string) => {
    const file = join(dir, name);
    writeFileSync(file, `${header}\n${row}\n`);
    return file;
  };

  for (const [name, header, row, why] of [
    ['wide.csv', `path,label,${Array.from({ length: 65 }, (_, i) => `c${i}`).join(',')}`, `a.png,x,${Array.from({ length: 65 }, () => 'v').join(',')}`, /has 65 metadata columns; at most 64 are supported/],
    ['nul.csv', 'path,label,bad\u0000name', 'a.png,x,v', /column "bad\\u0000name" cannot be used as a metadata field \(it contains control characters\)/],
    ['quote.csv', 'path,label,"say ""hi"""', 'a.png,x,v', /column "say \\"hi\\"" cannot be used as a metadata field \(it contains " or \\\)/],
    ['proto.csv', 'path,label,__proto__', 'a.png,x,v', /column "__proto__" cannot be used as a metadata field \(a reserved name\)/],
    ['twice.csv', 'path,label,cam,cam', 'a.png,x,v,w', /column "cam" appears twice/],
    ['empty.csv', 'path,label,cam,', 'a.png,x,v,', /column "" cannot be used as a metadata field \(it has no name\)/],
  ] as const) {
    it(`refuses ${name} with a message naming the column, writing nothing`, async () => {
      const { project, job } = await importOnce(join(dir, `${name}.winnow`), { kind: 'folder', path: root, labelsFile: csv(name, header, row) });
      assert.equal(job.state, 'failed');
      assert.match(job.error!, why);
      assert.equal(project.catalog.overview().total, 0);
      await project.close();
    });
  }

  it('refuses a __proto__ key in a JSON labels file too', async () => {
    const file = join(dir, 'proto.json');
    writeFileSync(file, '[{"path":"a.png","label":"x","__proto__":{"polluted":1}}]');
    const { project, job } = await importOnce(join(dir, 'json.winnow'), { kind: 'folder', path: root, labelsFile: file });
    assert.equal(job.state, 'failed');
    assert.match(job.error!, /"__proto__" cannot be used/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    await project.close();
  });

  it('accepts 64 plain columns', async () => {
    const header = `path,label,${Array.from({ length: 64 }, (_, i) => `c${i}`).join(',')}`;
    const { project, job } = await importOnce(join(dir, 'ok.winnow'), { kind: 'folder', path: root, labelsFile: csv('ok.csv', header, `a.png,x,${Array.from({ length: 64 }, (_, i) => i).join(',')}`) });
    assert.equal(job.state, 'done', job.error ?? '');
    assert.equal(project.catalog.overview().metadataFields.length, 64);
    await project.close();
  });
});

// Exports of projects and destinations someone has tampered with: formula cells, edited
// manifests, symlinks in the destination, catalog paths that leave the dataset folder.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCsv } from '../import/csv';
import { readLabelsFile } from '../import/labels-file';
import { tempDir } from '../../testing/temp';
import { exportLabels, exportSamples } from './index';
import { addFolderDataset, newCatalog, quietCtx, relabel } from '../../testing/export-fixtures';
import type { ExportOptions } from '../../../src-shared/model/export';

function listFiles(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(root, r) : [r];
  }).sort();
}

const FORMULAS = ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\tlead', '\rcr', "'=already"];

describe('formula cells in CSV output', async () => {
  const dir = tempDir();
  const catalog = newCatalog(dir);
  const ids = await addFolderDataset(catalog, join(dir, 'data'), FORMULAS.map((_, i) => ({ relPath: `c/f${i}.png`, label: 'c' })).concat([{ relPath: 'c/num.png', label: 'c' }]));
  FORMULAS.forEach((f, i) => relabel(catalog, ids[i]!, f));
  relabel(catalog, ids[FORMULAS.length]!, '-1');

  it('manifest.csv prefixes them with a quote; manifest.json keeps the raw value', async () => {
    const out = join(dir, 'out');
    await exportSamples(catalog, { sampleIds: ids, out, layout: 'flat', mode: 'new', source: { kind: 'all' } } satisfies ExportOptions, quietCtx());
    const [header, ...rows] = parseCsv(readFileSync(join(out, 'manifest.csv'), 'utf8'));
    const col = header!.indexOf('label');
    const labels = rows.map((r) => r[col]!).sort();
    for (const f of FORMULAS) assert.ok(labels.includes(`'${f}`), `${JSON.stringify(f)} neutralised`);
    assert.ok(labels.includes('-1'), 'a plain negative number is left alone');
    for (const l of labels) assert.doesNotMatch(l, /^[=+@\t\r]|^-\D/, `no cell starts a formula: ${JSON.stringify(l)}`);
    const json = readFileSync(join(out, 'manifest.json'), 'utf8');
    const raw = (JSON.parse(json) as { rows: Array<{ label: string }> }).rows.map((r) => r.label).sort();
    assert.deepEqual(raw, [...FORMULAS, '-1'].sort());
  });

  it('the export-labels CSV is neutralised too, and reads back to the raw labels', () => {
    const csv = join(dir, 'labels.csv');
    exportLabels(catalog, { out: csv });
    const cells = parseCsv(readFileSync(csv, 'utf8')).slice(1).map((r) => r[1]!);
    for (const f of FORMULAS) assert.ok(cells.includes(`'${f}`), `${JSON.stringify(f)} neutralised`);
    const back = readLabelsFile(csv).rows.map((r) => r.label).sort();
    assert.deepEqual(back, [...FORMULAS, '-1'].sort());
  });
});

describe('a merge into a destination someone edited', async () => {
  const dir = tempDir();
  const catalog = newCatalog(dir);
  const ids = await addFolderDataset(catalog, join(dir, 'data'), Array.from({ length: 8 }, (_, i) => ({ relPath: `c/m${i}.png`, label: i < 4 ? 'cat' : 'dog' })));
  const first = ids.slice(0, 2).concat(ids.slice(4, 6));
  const more = ids.slice(2, 4).concat(ids.slice(6));
  const opts = (out: string, sampleIds: number[], mode: ExportOptions['mode']): ExportOptions => ({ sampleIds, out, layout: 'imagefolder', mode, source: { kind: 'selection' } });
  const freshExport = async (name: string) => {
    const out = join(dir, 'exports', name, 'out');
    await exportSamples(catalog, opts(out, first, 'new'), quietCtx());
    return out;
  };
  const editManifest = (out: string, edit: (row: Record<string, unknown>) => void) => {
    const doc = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { rows: Array<Record<string, unknown>> };
    doc.rows.forEach(edit);
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(doc));
  };

  it('refuses a label_folder that climbs out, and writes nothing outside', async () => {
    const out = await freshExport('climb');
    editManifest(out, (r) => { if (r.label === 'cat') r.label_folder = '../../x'; });
    await assert.rejects(exportSamples(catalog, opts(out, more, 'merge'), quietCtx()), /manifest\.json was edited or damaged \(row \d+: label_folder "\.\.\/\.\.\/x" is not a plain folder name\)/);
    assert.equal(existsSync(join(dir, 'exports', 'climb', 'x')), false);
    assert.equal(existsSync(join(dir, 'exports', 'x')), false);
    assert.deepEqual(readdirSync(join(dir, 'exports', 'climb')), ['out']);
  });

  it('refuses rows whose path or other fields are not what an export writes', async () => {
    for (const [name, edit, why] of [
      ['path', (r: Record<string, unknown>) => { r.path = '../../evil.png'; }, /path "\.\.\/\.\.\/evil\.png" is not a path an export writes/],
      ['abs', (r: Record<string, unknown>) => { r.path = '/tmp/evil.png'; }, /is not a path an export writes/],
      ['id', (r: Record<string, unknown>) => { r.sample_id = 'seven'; }, /sample_id is not a sample id/],
      ['obj', (r: Record<string, unknown>) => { r.label = { toString: 1 }; }, /label is neither text nor a number/],
    ] as const) {
      const out = await freshExport(`field-${name}`);
      editManifest(out, edit);
      await assert.rejects(exportSamples(catalog, opts(out, more, 'merge'), quietCtx()), why);
    }
  });

  it('refuses a symlinked label folder (or any link) inside the destination and leaves its target alone', async () => {
    const out = await freshExport('link');
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    renameSync(join(out, 'cat'), join(elsewhere, 'cat'));
    symlinkSync(join(elsewhere, 'cat'), join(out, 'cat'));
    const before = listFiles(elsewhere);
    await assert.rejects(exportSamples(catalog, opts(out, more, 'merge'), quietCtx()), /cat is a symbolic link; Winnow does not follow links inside an export folder/);
    assert.deepEqual(listFiles(elsewhere), before);
    const out2 = await freshExport('filelink');
    symlinkSync('/etc/hostname', join(out2, 'dog', 'host.png'));
    await assert.rejects(exportSamples(catalog, opts(out2, more, 'merge'), quietCtx()), /dog\/host\.png is a symbolic link/);
  });

  it('still merges an untouched destination', async () => {
    const out = await freshExport('clean');
    const summary = await exportSamples(catalog, opts(out, more, 'merge'), quietCtx());
    assert.equal(summary.exported, more.length);
    assert.equal(listFiles(out).filter((p) => p.endsWith('.png')).length, ids.length);
  });
});

describe('a project whose paths leave the dataset folder', async () => {
  const dir = tempDir();
  const catalog = newCatalog(dir);
  const data = join(dir, 'data');
  const ids = await addFolderDataset(catalog, data, [{ relPath: 'a/ok.png', label: 'a' }, { relPath: 'a/two.png', label: 'a' }]);
  // A secret image next to the dataset folder; one row edited to reach it with ../, one through a planted link.
  copyFileSync(join(data, 'a/ok.png'), join(dir, 'secret.png'));
  symlinkSync(join(dir, 'secret.png'), join(data, 'a', 'planted.png'));
  const datasetId = catalog.db.prepare('SELECT id FROM datasets').pluck().get() as number;
  const hash = catalog.db.prepare('SELECT content_hash FROM samples WHERE id = ?').pluck().get(ids[0]) as string;
  const insert = catalog.db.prepare(`INSERT INTO samples (dataset_id, rel_path, source, width, height, channels, content_hash, label) VALUES (?, ?, 'file', 32, 32, 3, ?, 'a')`);
  const climbing = Number(insert.run(datasetId, 'a/../../secret.png', hash).lastInsertRowid);
  const linked = Number(insert.run(datasetId, 'a/planted.png', hash).lastInsertRowid);

  for (const link of ['copy', 'hardlink'] as const) {
    it(`never reads or links them (${link})`, async () => {
      const out = join(dir, `out-${link}`);
      const summary = await exportSamples(catalog, { sampleIds: [...ids, climbing, linked], out, layout: 'flat', mode: 'new', link, source: { kind: 'all' } }, quietCtx());
      assert.equal(summary.exported, 2);
      const problems = Object.fromEntries(summary.problems.map((p) => [p.sampleId, p]));
      assert.equal(problems[climbing]?.kind, 'outside');
      assert.match(problems[climbing]!.reason, /leaves the dataset folder/);
      assert.equal(problems[linked]?.kind, 'outside');
      assert.match(problems[linked]!.reason, /symbolic link/);
      assert.deepEqual(listFiles(out), ['manifest.csv', 'manifest.json', 'ok.png', 'two.png', 'winnow-export.json']);
    });
  }

  it('the catalog gives no source for them either (detail image, embedding)', () => {
    assert.throws(() => catalog.sampleSource(climbing), /leaves the dataset folder/);
    assert.throws(() => catalog.sampleSource(linked), /symbolic link/);
    assert.equal(catalog.sampleSource(ids[0]!).kind, 'file');
    assert.deepEqual([...catalog.sampleSources([ids[0]!, climbing, linked]).keys()], [ids[0]]);
  });
});

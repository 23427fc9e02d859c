import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { parseCsv } from '../import/csv';
import { tempDir } from '../../testing/temp';
import { exportLabels, exportSamples, selectSamples } from './index';
import { MANIFEST_COLUMNS } from './manifest';
import { addBlobDataset, addFolderDataset, addScores, addSlice, newCatalog, quietCtx, relabel } from '../../testing/export-fixtures';
import type { ExportSummary } from '../../../src-shared/model/export';

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, r));
    else out.push(r);
  }
  return out.sort();
}

function readManifestCsv(out: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(readFileSync(join(out, 'manifest.csv'), 'utf8'));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

describe('export of a slice from a folder dataset', async () => {
  const dir = tempDir();
  const catalog = newCatalog(dir);
  const classes = ['circle', 'square', 'stripes'] as const;
  const files = classes.flatMap((cls) => Array.from({ length: 10 }, (_, i) => ({ relPath: `${cls}/${cls}_${i}.png`, label: cls, cls, i })));
  const ids = await addFolderDataset(catalog, join(dir, 'data'), files);
  // One label corrected in Winnow: the export uses it, the manifest keeps the original.
  relabel(catalog, ids[0]!, 'square');
  const { mapId } = addScores(catalog, ids);
  const members = ids.filter((_, i) => i % 2 === 0).map((id, k) => ({ id, reason: k % 3 === 0 ? 'rare' : 'typical' }));
  addSlice(catalog, 'picked', members.slice(0, 3));
  addSlice(catalog, 'picked', members, { params: { mode: 'representative', n: members.length }, mapId });

  it('writes <split>/<label>/<file> copies, byte for byte, with manifests describing each file', async () => {
    const out = join(dir, 'exports', 'picked');
    const sampleIds = selectSamples(catalog, { kind: 'slice', name: 'picked' });
    assert.equal(sampleIds.length, members.length, 'the newest version of the slice is used');
    const summary = await exportSamples(catalog, { sampleIds, out, layout: 'imagefolder', split: { ratio: 0.6, seed: 1 }, mode: 'new', source: { kind: 'slice', name: 'picked' } }, quietCtx());
    assert.equal(summary.exported, members.length);
    assert.equal(summary.copied, members.length);
    assert.deepEqual(summary.problems, []);

    const tree = listFiles(out);
    assert.deepEqual(tree.filter((p) => !p.includes('/')), ['manifest.csv', 'manifest.json', 'winnow-export.json']);
    const images = tree.filter((p) => p.endsWith('.png'));
    assert.equal(images.length, members.length);
    for (const p of images) assert.match(p, /^(train|val)\/(circle|square|stripes)\/[a-z]+_\d+\.png$/);

    const rows = readManifestCsv(out);
    assert.deepEqual(Object.keys(rows[0]!), [...MANIFEST_COLUMNS]);
    assert.equal(rows.length, members.length);
    for (const r of rows) {
      assert.deepEqual(readFileSync(join(out, r.path!)), readFileSync(r.source_path!), `${r.path} is a byte copy of ${r.source_path}`);
      assert.equal(r.path!.split('/')[1], r.label);
      assert.equal(r.slice, 'picked@2');
      assert.equal(Number(r.sparseness), Number(r.sample_id) / 100);
      assert.equal(r.suggested_label, 'square');
    }
    const relabelled = rows.find((r) => Number(r.sample_id) === ids[0])!;
    assert.equal(relabelled.label, 'square');
    assert.equal(relabelled.original_label, 'circle');
    assert.match(relabelled.path!, /^(train|val)\/square\/circle_0\.png$/);
    assert.equal(relabelled.pick_reason, 'rare');
    assert.equal(relabelled.pick_rank, '0');

    const json = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(json.rows.length, members.length);
    assert.equal(json.rows.find((r: { sample_id: number }) => r.sample_id === ids[0]).original_label, 'circle');
    const info = JSON.parse(readFileSync(join(out, 'winnow-export.json'), 'utf8'));
    assert.equal(info.project, catalog.path);
    assert.equal(info.source.slice.version, 2);
    assert.deepEqual(info.source.slice.params, { mode: 'representative', n: members.length });
    assert.equal(info.embedding.modelName, 'fixture-model');
    assert.equal(info.winnowVersion, '0.1.0');
    assert.ok(!Number.isNaN(Date.parse(info.exportedAt)));
    assert.equal(readdirSync(join(dir, 'exports')).length, 1, 'no partial folder is left');
  });

  it('exports an older slice version with name@version semantics and the flat layout', async () => {
    const out = join(dir, 'flat');
    const sampleIds = selectSamples(catalog, { kind: 'slice', name: 'picked', version: 1 });
    assert.equal(sampleIds.length, 3);
    const summary = await exportSamples(catalog, { sampleIds, out, layout: 'flat', mode: 'new', source: { kind: 'slice', name: 'picked', version: 1 } }, quietCtx());
    assert.equal(summary.exported, 3);
    assert.deepEqual(listFiles(out).filter((p) => p.endsWith('.png')).every((p) => !p.includes('/')), true);
    assert.equal(readManifestCsv(out)[0]!.slice, 'picked@1');
  });

  it('hard-links on request when source and destination share a volume', async () => {
    const out = join(dir, 'linked');
    const summary = await exportSamples(catalog, { sampleIds: ids.slice(0, 5), out, layout: 'imagefolder', mode: 'new', link: 'hardlink', source: { kind: 'selection' } }, quietCtx());
    assert.equal(summary.linked, 5);
    for (const r of readManifestCsv(out)) assert.equal(statSync(join(out, r.path!)).ino, statSync(r.source_path!).ino);
  });

  it('merges a second export into the first, keeping foreign files, and replaces an earlier export', async () => {
    const out = join(dir, 'merged');
    await exportSamples(catalog, { sampleIds: ids.slice(0, 4), out, layout: 'imagefolder', mode: 'new', source: { kind: 'selection' } }, quietCtx());
    writeFileSync(join(out, 'README.txt'), 'mine');
    // A file of the user's own with the name an exported file wants: ours moves aside.
    writeFileSync(join(out, 'circle', 'circle_5.png'), 'not an export');
    const summary = await exportSamples(catalog, { sampleIds: ids.slice(2, 7), out, layout: 'imagefolder', mode: 'merge', source: { kind: 'selection' } }, quietCtx());
    assert.equal(summary.unchanged, 2, 'the two samples of both exports are left as they are');
    assert.equal(summary.exported, 5);
    assert.equal(readFileSync(join(out, 'README.txt'), 'utf8'), 'mine');
    assert.equal(readFileSync(join(out, 'circle', 'circle_5.png'), 'utf8'), 'not an export');
    const rows = readManifestCsv(out);
    assert.equal(rows.length, 7);
    const moved = rows.find((r) => Number(r.sample_id) === ids[5])!;
    assert.equal(moved.path, 'circle/circle_5~2.png');
    assert.equal(moved.renamed, 'exists');
    assert.deepEqual(readFileSync(join(out, moved.path!)), readFileSync(moved.source_path!));
    const info = JSON.parse(readFileSync(join(out, 'winnow-export.json'), 'utf8'));
    assert.equal(info.previous.length, 1);

    const replaced = await exportSamples(catalog, { sampleIds: [ids[9]!], out, layout: 'imagefolder', mode: 'replace', source: { kind: 'selection' } }, quietCtx());
    assert.equal(replaced.exported, 1);
    assert.deepEqual(listFiles(out), ['circle/circle_9.png', 'manifest.csv', 'manifest.json', 'winnow-export.json']);
    assert.deepEqual(readdirSync(dir).filter((n) => /\.winnow-(partial|old)-/.test(n)), []);
  });

  it('re-running a finished export is a no-op; a different export into it is refused', async () => {
    const out = join(dir, 'again');
    const opts = { sampleIds: ids.slice(0, 3), out, layout: 'imagefolder' as const, mode: 'new' as const, source: { kind: 'selection' as const } };
    await exportSamples(catalog, opts, quietCtx());
    const again = await exportSamples(catalog, opts, quietCtx());
    assert.equal(again.alreadyComplete, true);
    assert.equal(again.exported, 3);
    await assert.rejects(exportSamples(catalog, { ...opts, sampleIds: ids.slice(0, 4) }, quietCtx()), /is not empty; use merge .* or replace/);
  });

  it('writes the corrected labels only, relative to the dataset folder, for in-place users', () => {
    relabel(catalog, ids[12]!, null);
    const out = join(dir, 'labels.csv');
    const summary = exportLabels(catalog, { out });
    assert.equal(summary.rows, 2);
    const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(header, ['path', 'label', 'original_label', 'dataset']);
    assert.deepEqual(rows.map((r) => r.slice(0, 3)), [['circle/circle_0.png', 'square', 'circle'], ['square/square_2.png', '', 'square']]);
    assert.throws(() => exportLabels(catalog, { out }), /already exists; use replace/);
    assert.equal(exportLabels(catalog, { out, replace: true }).rows, 2);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('winnow-tmp')), []);
  });
});

describe('export of built-in (MNIST-like) samples', () => {
  it('writes stored gray8 pixels as valid PNGs that decode to the same pixels', async () => {
    const dir = tempDir();
    const catalog = newCatalog(dir);
    const specs = [
      { relPath: 'train/00000.png', label: '5' }, { relPath: 'train/00001.png', label: '0' }, { relPath: 'test/00000.png', label: '5' },
      { relPath: 'test/00001.png', label: null },
    ];
    const { ids, pixels } = addBlobDataset(catalog, specs);
    const out = join(dir, 'digits');
    const summary: ExportSummary = await exportSamples(catalog, { sampleIds: selectSamples(catalog, { kind: 'all' }), out, layout: 'imagefolder', mode: 'new', source: { kind: 'all' } }, quietCtx());
    assert.equal(summary.encoded, 4);
    assert.deepEqual(listFiles(out), ['0/train_00001.png', '5/test_00000.png', '5/train_00000.png', '_unlabelled/test_00001.png', 'manifest.csv', 'manifest.json', 'winnow-export.json']);
    const rows = readManifestCsv(out);
    for (const r of rows) {
      const n = ids.indexOf(Number(r.sample_id));
      const meta = await sharp(join(out, r.path!)).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ['png', 28, 28, 1], 'a 28×28 grey PNG');
      const { data } = await sharp(join(out, r.path!)).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual(data, pixels[n]);
      assert.equal(r.source_path, `builtin:MNIST/${specs[n]!.relPath}`);
      assert.equal(r.dataset_split, specs[n]!.relPath.split('/')[0]);
    }
    assert.equal(rows.find((r) => r.path.startsWith('_unlabelled'))!.label, '');
    assert.deepEqual(summary.folderRenames, [{ label: null, folder: '_unlabelled', why: 'unlabelled' }]);
  });

  it('selects with the query language', () => {
    const dir = tempDir();
    const catalog = newCatalog(dir);
    const { ids } = addBlobDataset(catalog, [{ relPath: 'a/1.png', label: 'x y' }, { relPath: 'a/2.png', label: 'z' }, { relPath: 'a/3.png', label: null }]);
    assert.deepEqual(selectSamples(catalog, { kind: 'query', name: 'label = "x y"' }), [ids[0]]);
    assert.deepEqual(selectSamples(catalog, { kind: 'query', name: 'label in (z, "x y")' }), [ids[0], ids[1]]);
    assert.deepEqual(selectSamples(catalog, { kind: 'query', name: 'label = null' }), [ids[2]]);
    assert.throws(() => selectSamples(catalog, { kind: 'query', name: 'colour = red' }), /unknown field "colour"/);
  });
});

describe('stratified split on export', () => {
  it('is stratified per label and the same for the same seed', async () => {
    const dir = tempDir();
    const catalog = newCatalog(dir);
    const specs = [...Array.from({ length: 50 }, (_, i) => ({ relPath: `a/${i}.png`, label: 'a' })), ...Array.from({ length: 10 }, (_, i) => ({ relPath: `b/${i}.png`, label: 'b' }))];
    addBlobDataset(catalog, specs, 4);
    const sampleIds = selectSamples(catalog, { kind: 'all' });
    const run = async (name: string, seed: number) => {
      const out = join(dir, name);
      const s = await exportSamples(catalog, { sampleIds, out, layout: 'imagefolder', split: { ratio: 0.8, seed }, mode: 'new', source: { kind: 'all' } }, quietCtx());
      return { s, files: listFiles(out).filter((p) => p.endsWith('.png')) };
    };
    const one = await run('s1', 42);
    const two = await run('s2', 42);
    const other = await run('s3', 43);
    assert.deepEqual(one.s.bySplit, { train: 48, val: 12 });
    const count = (files: string[], prefix: string) => files.filter((p) => p.startsWith(prefix)).length;
    assert.deepEqual([count(one.files, 'train/a/'), count(one.files, 'val/a/'), count(one.files, 'train/b/'), count(one.files, 'val/b/')], [40, 10, 8, 2]);
    assert.deepEqual(two.files, one.files);
    assert.notDeepEqual(other.files, one.files);
    assert.ok(!existsSync(join(dir, 's1', 'a')));
  });
});

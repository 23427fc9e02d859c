import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { tempDir } from '../../testing/temp';
import { exportSamples } from './export';
import { nodeIo, type ExportIo } from './io';
import { addBlobDataset, addFolderDataset, newCatalog, quietCtx } from '../../testing/export-fixtures';
import type { ExportOptions } from '../../../src-shared/model/export';

const isRoot = process.getuid?.() === 0;

/** A small tmpfs (root only): the real thing for full and read-only disks. */
function mountTmpfs(options: string): string | null {
  if (!isRoot) return null;
  const dir = mkdtempSync(join(tmpdir(), 'winnow-mnt-'));
  const res = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  if (res.status !== 0) { rmSync(dir, { recursive: true, force: true }); return null; }
  after(() => { spawnSync('umount', [dir]); rmSync(dir, { recursive: true, force: true }); });
  return dir;
}

function listFiles(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(root, r) : [r];
  }).sort();
}

const leftovers = (dir: string) => readdirSync(dir).filter((n) => /\.winnow-(partial|old|tmp)-/.test(n));

describe('export safety', async () => {
  const dir = tempDir();
  const catalog = newCatalog(dir);
  const data = join(dir, 'data');
  const ids = await addFolderDataset(catalog, data, Array.from({ length: 6 }, (_, i) => ({ relPath: `cat/c${i}.png`, label: 'cat' })));
  const base = (out: string, over: Partial<ExportOptions> = {}): ExportOptions => ({ sampleIds: ids, out, layout: 'imagefolder', mode: 'new', source: { kind: 'selection' }, ...over });

  it('refuses a destination inside, equal to, or around a dataset folder (symlinks included)', async () => {
    await assert.rejects(exportSamples(catalog, base(join(data, 'exported')), quietCtx()), /inside the source folder of a dataset/);
    await assert.rejects(exportSamples(catalog, base(data, { mode: 'replace' }), quietCtx()), /is the source folder of a dataset/);
    await assert.rejects(exportSamples(catalog, base(dir, { mode: 'merge' }), quietCtx()), /contains the source folder of a dataset/);
    symlinkSync(data, join(dir, 'alias'));
    await assert.rejects(exportSamples(catalog, base(join(dir, 'alias', 'x')), quietCtx()), /inside the source folder/);
    assert.ok(!existsSync(join(data, 'exported')));
    assert.deepEqual(leftovers(dir), []);
    assert.deepEqual(leftovers(data), []);
  });

  it('refuses a non-empty destination unless asked to merge or replace; replace only overwrites an earlier export', async () => {
    const out = join(dir, 'busy');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    await assert.rejects(exportSamples(catalog, base(out), quietCtx()), /busy is not empty; use merge to add to it or replace to overwrite it/);
    await assert.rejects(exportSamples(catalog, base(out, { mode: 'replace' }), quietCtx()), /not a Winnow export .*replace only overwrites earlier exports/);
    assert.deepEqual(readdirSync(out), ['keep.txt']);
    const merged = await exportSamples(catalog, base(out, { mode: 'merge' }), quietCtx());
    assert.equal(merged.exported, ids.length);
    assert.equal(readFileSync(join(out, 'keep.txt'), 'utf8'), 'mine');
    assert.deepEqual(leftovers(dir), []);
  });

  it('turns hostile labels into safe, distinct folders and records how', async () => {
    const d = tempDir();
    const c = newCatalog(d);
    const long = 'L'.repeat(300);
    const labels = ['../../etc', 'CON', 'a/b', 'a_b', '', long, '_unlabelled', null];
    const { ids: blobIds } = addBlobDataset(c, labels.map((label, i) => ({ relPath: `s/${i}.png`, label })), 4);
    const out = join(d, 'exports', 'out');
    const summary = await exportSamples(c, { sampleIds: blobIds, out, layout: 'imagefolder', mode: 'new', source: { kind: 'selection' } }, quietCtx());
    assert.equal(summary.exported, labels.length);
    const folders = readdirSync(out).filter((n) => !n.includes('.json') && !n.endsWith('.csv')).sort();
    const longFolder = folders.find((f) => f.startsWith('LLL'))!;
    assert.ok(Buffer.byteLength(longFolder) <= 100, longFolder);
    assert.deepEqual(folders, ['_CON', '_._.._etc', '_empty', '_unlabelled', '_unlabelled~2', 'a_b', 'a_b~2', longFolder].sort());
    // Nothing escaped the export folder.
    assert.deepEqual(readdirSync(join(d, 'exports')), ['out']);
    for (const f of listFiles(out)) assert.ok(!relative(out, resolve(out, f)).startsWith('..'));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const byLabel = new Map(manifest.labelFolders.map((r: { label: string | null; folder: string; why: string }) => [r.label, r]));
    assert.deepEqual(byLabel.get('a_b'), { label: 'a_b', folder: 'a_b~2', why: 'collision' });
    assert.deepEqual(byLabel.get('a/b'), { label: 'a/b', folder: 'a_b', why: 'unsafe' });
    assert.deepEqual(byLabel.get('_unlabelled'), { label: '_unlabelled', folder: '_unlabelled~2', why: 'collision' });
    assert.equal((byLabel.get('') as { folder: string }).folder, '_empty');
    for (const r of manifest.rows) assert.equal(r.path.split('/')[0], r.label_folder);
  });

  it('gives equal file names from different source folders distinct, stable names', async () => {
    const d = tempDir();
    const c = newCatalog(d);
    const same = await addFolderDataset(c, join(d, 'src'), [{ relPath: 'x/img.png', label: 'cat' }, { relPath: 'y/img.png', label: 'cat' }, { relPath: 'y/IMG.png', label: 'cat' }, { relPath: 'y/other.png', label: 'cat' }]);
    const run = async (name: string) => {
      const out = join(d, name);
      await exportSamples(c, { sampleIds: same, out, layout: 'imagefolder', mode: 'new', source: { kind: 'selection' } }, quietCtx());
      return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).rows as Array<{ path: string; source_path: string; renamed: string | null }>;
    };
    const rows = await run('one');
    const names = rows.map((r) => r.path).sort();
    assert.equal(names.length, 4);
    assert.equal(new Set(names.map((n) => n.toLowerCase())).size, 4, 'distinct even on a case-insensitive disk');
    assert.ok(names.includes('cat/other.png'));
    for (const r of rows.filter((r) => r.path !== 'cat/other.png')) {
      assert.match(r.path, /^cat\/(img|IMG)~[0-9a-f]{8}\.png$/);
      assert.equal(r.renamed, 'same-name');
      assert.deepEqual(readFileSync(join(d, 'one', r.path)), readFileSync(r.source_path));
    }
    assert.deepEqual((await run('two')).map((r) => r.path), rows.map((r) => r.path));
  });

  it('reports a source file deleted since import and exports the rest', async () => {
    const d = tempDir();
    const c = newCatalog(d);
    const some = await addFolderDataset(c, join(d, 'src'), Array.from({ length: 4 }, (_, i) => ({ relPath: `dog/d${i}.png`, label: 'dog' })));
    rmSync(join(d, 'src', 'dog', 'd2.png'));
    const out = join(d, 'out');
    const summary = await exportSamples(c, { sampleIds: some, out, layout: 'flat', mode: 'new', source: { kind: 'selection' } }, quietCtx());
    assert.equal(summary.exported, 3);
    assert.equal(summary.problems.length, 1);
    assert.equal(summary.problems[0]!.sampleId, some[2]);
    assert.equal(summary.problems[0]!.kind, 'missing');
    assert.match(summary.problems[0]!.reason, /missing \(deleted or moved since import\)/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.problems[0].sampleId, some[2]);
    assert.deepEqual(listFiles(out), ['d0.png', 'd1.png', 'd3.png', 'manifest.csv', 'manifest.json', 'winnow-export.json']);
  });

  it('fails cleanly on a read-only destination', async () => {
    let parent = mountTmpfs('ro,size=1m');
    if (!parent) {
      parent = join(dir, 'locked');
      mkdirSync(parent);
      chmodSync(parent, 0o555);
      after(() => chmodSync(parent!, 0o755));
    }
    await assert.rejects(exportSamples(catalog, base(join(parent, 'out')), quietCtx()), /cannot create the export folder next to .*out: (the file system is read-only \(EROFS\)|permission denied \(EACCES\))/);
    assert.deepEqual(readdirSync(parent), []);
  });

  it('fails cleanly on a full disk (a real 1 MiB tmpfs when running as root)', async (t) => {
    const small = mountTmpfs('size=1m');
    if (!small) return t.skip('needs root to mount a tmpfs; the injected-writer test below covers it');
    const d = tempDir();
    const c = newCatalog(d);
    // Incompressible 300×300 PNGs (~270 KB each): six of them do not fit in 1 MiB.
    const big = join(d, 'big');
    mkdirSync(join(big, 'noise'), { recursive: true });
    const rows = [];
    for (let i = 0; i < 6; i++) {
      const px = Buffer.from(Array.from({ length: 300 * 300 * 3 }, () => Math.floor(Math.random() * 256)));
      await sharp(px, { raw: { width: 300, height: 300, channels: 3 } }).png({ compressionLevel: 0 }).toFile(join(big, 'noise', `n${i}.png`));
      rows.push({ relPath: `noise/n${i}.png`, label: 'noise' });
    }
    const bigIds = addFolderDatasetFromExisting(c, big, rows);
    await assert.rejects(exportSamples(c, { sampleIds: bigIds, out: join(small, 'out'), layout: 'imagefolder', mode: 'new', source: { kind: 'selection' } }, quietCtx()), /cannot write the export to .*out: the disk is full \(ENOSPC\)/);
    assert.deepEqual(readdirSync(small), []);
  });

  it('fails cleanly when a write fails with ENOSPC (injected at the file-system boundary)', async () => {
    let writes = 0;
    const failing: ExportIo = {
      ...nodeIo,
      writeFile: async (p, d) => {
        if (++writes > 3) throw Object.assign(new Error(`ENOSPC: no space left on device, open '${p}'`), { code: 'ENOSPC' });
        return nodeIo.writeFile(p, d);
      },
    };
    const parent = join(dir, 'full');
    mkdirSync(parent);
    await assert.rejects(exportSamples(catalog, base(join(parent, 'out')), quietCtx(), failing), /the disk is full \(ENOSPC\)/);
    assert.deepEqual(readdirSync(parent), []);
    // The manifest write failing is just as clean.
    writes = 3 - ids.length - 1; // every image and manifest.csv are written, manifest.json fails
    await assert.rejects(exportSamples(catalog, base(join(parent, 'out')), quietCtx(), failing), /the disk is full/);
    assert.deepEqual(readdirSync(parent), []);
  });

  it('resumes a cancelled export, deletes leftovers of other requests, rolls back a killed swap', async () => {
    const parent = join(dir, 'resume');
    mkdirSync(parent);
    const out = join(parent, 'out');
    mkdirSync(join(parent, 'out.winnow-partial-0123456789ab', 'cat'), { recursive: true });
    writeFileSync(join(parent, 'out.winnow-partial-0123456789ab', 'cat', 'junk.png'), 'x');
    const controller = new AbortController();
    let seen = 0;
    const ctx = { ...quietCtx(controller.signal), progress: (done: number) => { seen = done; if (done >= 2) controller.abort(); } };
    await assert.rejects(exportSamples(catalog, base(out), ctx));
    assert.ok(seen >= 2);
    const partials = leftovers(parent);
    assert.equal(partials.length, 1, 'the other request\'s partial folder is gone, ours is kept');
    assert.ok(!existsSync(out));
    const done = await exportSamples(catalog, base(out), quietCtx());
    assert.ok(done.resumedFiles >= 2, `resumed ${done.resumedFiles}`);
    assert.equal(done.exported, ids.length);
    assert.deepEqual(leftovers(parent), []);

    // A run killed between moving the old export aside and moving the new one in.
    renameSync(out, join(parent, 'out.winnow-old-feedfacecafe'));
    const again = await exportSamples(catalog, base(out), quietCtx());
    assert.equal(again.alreadyComplete, true);
    assert.deepEqual(leftovers(parent), []);
  });

  it('falls back to copying when a hard link would cross volumes', async (t) => {
    const vol = mountTmpfs('size=4m');
    if (!vol) return t.skip('needs root to mount a second volume');
    const d = tempDir();
    const c = newCatalog(d);
    const some = await addFolderDataset(c, join(vol, 'src'), [{ relPath: 'a/1.png', label: 'a' }, { relPath: 'a/2.png', label: 'a' }]);
    const out = join(d, 'out');
    const summary = await exportSamples(c, { sampleIds: some, out, layout: 'imagefolder', mode: 'new', link: 'hardlink', source: { kind: 'selection' } }, quietCtx());
    assert.deepEqual([summary.linked, summary.copied], [0, 2]);
    assert.match(summary.warnings[0]!, /hard links are not possible .* \(EXDEV\); files were copied instead/);
    assert.deepEqual(readFileSync(join(out, 'a', '1.png')), readFileSync(join(vol, 'src', 'a', '1.png')));
  });

  it('refuses to touch the partial folder of an export that is still running', async () => {
    const parent = join(dir, 'running');
    const partial = join(parent, 'out.winnow-partial-aaaaaaaaaaaa');
    mkdirSync(partial, { recursive: true });
    const sleeper = spawn('sleep', ['30']);
    after(() => sleeper.kill());
    writeFileSync(join(partial, '.winnow-partial.json'), JSON.stringify({ pid: sleeper.pid, host: hostname() }));
    await assert.rejects(exportSamples(catalog, base(join(parent, 'out')), quietCtx()), /another export to .* is running \(process \d+\)/);
    assert.ok(existsSync(partial));
  });
});

/** Catalogs files that already exist under `root`. */
function addFolderDatasetFromExisting(c: ReturnType<typeof newCatalog>, root: string, rows: Array<{ relPath: string; label: string }>): number[] {
  const datasetId = c.findOrCreateDataset('folder', root, 'big');
  c.insertSamples(datasetId, rows.map((r) => ({ relPath: r.relPath, source: 'file' as const, width: 300, height: 300, channels: 3, contentHash: createHash('sha256').update(readFileSync(join(root, r.relPath))).digest('hex'), label: r.label, split: null, metadata: {} })));
  return c.db.prepare('SELECT id FROM samples WHERE dataset_id = ? ORDER BY id').pluck().all(datasetId) as number[];
}

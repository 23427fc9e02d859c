import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { tempDir } from '../../testing/temp';
import { addBlobDataset, addSlice, newCatalog, relabel } from '../../testing/export-fixtures';

// WINNOW_CLI lets the test drive a CLI entry point other than the repository's (e.g. before
// the export command is wired into cli/main.ts).
const CLI = process.env.WINNOW_CLI ?? fileURLToPath(new URL('../../../bin/winnow.mjs', import.meta.url));

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  return n;
}

describe('winnow export (CLI)', () => {
  it('killed mid-way leaves no folder at the destination; the next run completes it and cleans up', async () => {
    const dir = tempDir();
    const src = join(dir, 'src');
    // 600 files of ~100 KB: long enough to copy that the kill lands mid-export.
    const distinct: Buffer[] = [];
    for (let k = 0; k < 12; k++) {
      const px = Buffer.alloc(180 * 180 * 3);
      for (let j = 0; j < px.length; j++) px[j] = (j * 2654435761 + k * 97) >>> 24;
      distinct.push(await sharp(px, { raw: { width: 180, height: 180, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer());
    }
    const catalog = newCatalog(dir);
    const datasetId = catalog.findOrCreateDataset('folder', src, 'src');
    const rows = [];
    for (let i = 0; i < 600; i++) {
      const label = `class${i % 4}`;
      const bytes = distinct[i % distinct.length]!;
      mkdirSync(join(src, label), { recursive: true });
      writeFileSync(join(src, label, `f${i}.png`), bytes);
      rows.push({ relPath: `${label}/f${i}.png`, source: 'file' as const, width: 180, height: 180, channels: 3, contentHash: createHash('sha256').update(bytes).digest('hex'), label, split: null, metadata: {} });
    }
    catalog.insertSamples(datasetId, rows);
    catalog.close();

    const out = join(dir, 'exports', 'out');
    const args = [CLI, 'export', '--project', join(dir, 'p.winnow'), '--all', '--out', out, '--json'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let killedAt = -1;
    let finished = false;
    void exited.then(() => { finished = true; });
    const parent = join(dir, 'exports');
    while (!finished) {
      const partial = existsSync(parent) ? readdirSync(parent).find((n) => n.startsWith('out.winnow-partial-')) : undefined;
      const n = partial ? countFiles(join(parent, partial)) : 0;
      if (n >= 60) {
        child.kill('SIGKILL');
        killedAt = n;
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await exited;
    assert.ok(killedAt > 0, `the export finished before it could be killed: ${stderr}`);
    assert.ok(!existsSync(out), 'nothing appears at the destination until the export is complete');
    const left = readdirSync(parent);
    assert.equal(left.length, 1);
    assert.match(left[0]!, /^out\.winnow-partial-[0-9a-f]{12}$/);

    const rerun = spawnSync(process.execPath, args, { encoding: 'utf8' });
    assert.equal(rerun.status, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout);
    assert.equal(summary.exported, 600);
    assert.ok(summary.resumedFiles >= killedAt - 8 - 1, `resumed ${summary.resumedFiles} of the ${killedAt} files seen before the kill`);
    assert.equal(summary.resumedFiles + summary.copied, 600);
    assert.deepEqual(readdirSync(parent), ['out']);
    assert.equal(countFiles(out), 603);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.rows.length, 600);
    for (const r of manifest.rows) assert.deepEqual(readFileSync(join(out, r.path)), readFileSync(r.source_path), r.path);
  });
  it('exports the MNIST-like demo with --all, a slice by name@version, a query, corrected labels; errors are one line', async () => {
    const dir = tempDir();
    const catalog = newCatalog(dir);
    const { ids } = addBlobDataset(catalog, Array.from({ length: 20 }, (_, i) => ({ relPath: `train/${String(i).padStart(5, '0')}.png`, label: String(i % 3) })));
    addSlice(catalog, 'few', ids.slice(0, 5).map((id) => ({ id, reason: 'typical' })));
    addSlice(catalog, 'few', ids.slice(0, 8).map((id) => ({ id, reason: 'rare' })));
    relabel(catalog, ids[0]!, '9');
    catalog.close();
    const project = join(dir, 'p.winnow');
    const run = (...a: string[]) => spawnSync(process.execPath, [CLI, ...a], { encoding: 'utf8' });

    const all = run('export', '--project', project, '--all', '--out', join(dir, 'all'), '--split', '0.5', '--seed', '3', '--json');
    assert.equal(all.status, 0, all.stderr);
    const doc = JSON.parse(all.stdout);
    assert.equal(doc.exported, 20);
    assert.equal(doc.encoded, 20);
    assert.deepEqual(doc.bySplit, { train: 11, val: 9 }, 'round(0.5 × n) per label: 3 + 4 + 3 + 1 (the relabelled one)');
    assert.ok(existsSync(join(dir, 'all', 'train', '9')) || existsSync(join(dir, 'all', 'val', '9')));

    const slice = run('export', '--project', project, '--slice', 'few@1', '--out', join(dir, 'few'), '--layout', 'flat', '--json');
    assert.equal(slice.status, 0, slice.stderr);
    assert.equal(JSON.parse(slice.stdout).exported, 5);
    const query = run('export', '--project', project, '--query', 'label = 1 or label = 9', '--out', join(dir, 'ones'));
    assert.equal(query.status, 0, query.stderr);
    assert.match(query.stdout, /^exported 8 of 8 samples/);

    const labels = run('export-labels', '--project', project, '--out', join(dir, 'labels.csv'), '--json');
    assert.equal(labels.status, 0, labels.stderr);
    assert.equal(JSON.parse(labels.stdout).rows, 1);
    assert.match(readFileSync(join(dir, 'labels.csv'), 'utf8'), /^path,label,original_label,dataset\ntrain\/00000\.png,9,0,builtin:MNIST\n$/);

    for (const [args, pattern] of [
      [['export', '--project', project, '--out', join(dir, 'x')], /exactly one of --slice NAME, --query QUERY or --all/],
      [['export', '--project', project, '--all'], /--out DIR is required/],
      [['export', '--project', project, '--slice', 'nope', '--out', join(dir, 'x')], /no slice named "nope" \(slices: few\)/],
      [['export', '--project', project, '--slice', 'few@7', '--out', join(dir, 'x')], /slice "few" has no version 7 \(versions: 1, 2\)/],
      [['export', '--project', project, '--all', '--out', join(dir, 'all')], /is not empty; use merge/],
      [['export', '--project', project, '--all', '--out', join(dir, 'x'), '--split', '1.5'], /--split: .*must be a fraction between 0 and 1/],
      [['export', '--project', project, '--all', '--out', join(dir, 'x'), '--merge', '--replace'], /cannot be used together/],
      [['export', '--project', project, '--query', 'noise > 0.5', '--out', join(dir, 'x')], /compute the map/],
      [['export', '--project', project, '--query', 'label = ', '--out', join(dir, 'x')], /^winnow: (export failed: )?query: expected a value/],
      [['export-labels', '--project', project, '--out', join(dir, 'labels.csv')], /already exists; use replace/],
    ] as Array<[string[], RegExp]>) {
      const res = run(...args);
      assert.notEqual(res.status, 0, `${args.join(' ')} should fail`);
      const lines = res.stderr.trim().split('\n');
      assert.match(lines[lines.length - 1]!, /^winnow: /);
      assert.match(lines[lines.length - 1]!, pattern);
      assert.equal(res.stdout, '');
    }
    assert.ok(!existsSync(join(dir, 'x')));
  });
});

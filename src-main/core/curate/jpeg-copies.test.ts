// JPEG copies through the whole path: a folder import keeps the luminance table of each JPEG whose
// thumbnail is its own pixels (core/images/jpeg-quant.ts, migration 16), the grey images for the
// aligned stage carry it (grey-images.ts), the stage's workers get it (aligned-groups.ts), and the
// comparison excuses what that compression explains (engine/jpeg-recompression.ts).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { fashionMissing, loadFashion } from '../../testing/curation/fashion';
import { tempDir } from '../../testing/temp';
import { jpegLumaTable } from '../images/jpeg-quant';
import { recompressionDistance } from './engine/jpeg-recompression';
import { findAppearanceDuplicates } from './engine';
import { readSignatures } from './appearance-store';
import { loadGrey } from './grey-images';
import { withAlignedCopies } from './aligned-groups';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };
const raw = (px: Uint8Array, side = 28) => sharp(Buffer.from(px), { raw: { width: side, height: side, channels: 1 } });

test('JPEG copies in a folder import: tables kept where the thumbnail is the file\'s own pixels, and the copies grouped on the worker', { skip: fashionMissing() }, async () => {
  const dir = tempDir(), root = join(dir, 'data', 'items');
  mkdirSync(root, { recursive: true });
  const items = loadFashion('test', 300);
  const pixels = Array.from({ length: 300 }, (_, i) => items.pixels.slice(i * 784, (i + 1) * 784));
  const q50 = jpegLumaTable(new Uint8Array(await raw(pixels[0]!).jpeg({ quality: 50 }).toBuffer()))!;
  // Copies of the 30 items that compression changes most (prints and textures).
  const change = pixels.map((p) => recompressionDistance({ data: p, width: 28, height: 28 }, q50));
  const sources = [...change.keys()].sort((a, b) => change[b]! - change[a]! || a - b).slice(0, 30);
  const name = (i: number) => `item-${String(i).padStart(3, '0')}`;
  for (let i = 0; i < 300; i++) await raw(pixels[i]!).png().toFile(join(root, `${name(i)}.png`));
  for (const i of sources) await raw(pixels[i]!).jpeg({ quality: 50 }).toFile(join(root, `${name(i)}-copy.jpg`));
  // A JPEG larger than a thumbnail: stored resized, so its blocks are gone and no table is kept.
  await raw(Uint8Array.from({ length: 200 * 200 }, (_, k) => (k * 13) % 256), 200).jpeg({ quality: 50 }).toFile(join(root, 'large.jpg'));
  // One within a thumbnail but above the comparison's 48 px: its table is kept, but not used on
  // the grey image reduced from it.
  await raw(Uint8Array.from({ length: 64 * 64 }, (_, k) => (k * 29) % 256), 64).jpeg({ quality: 50 }).toFile(join(root, 'mid.jpg'));

  const project = ProjectSession.create(join(dir, 'p.winnow'), quiet);
  try {
    const job = await project.jobs.wait(project.startImport({ kind: 'folder', path: join(dir, 'data') }));
    assert.equal(job.state, 'done', job.error ?? '');
    const { ids } = project.catalog.columns();
    const paths = project.catalog.db.prepare('SELECT id, rel_path AS path FROM samples').all() as { id: number; path: string }[];
    const idOf = new Map(paths.map((p) => [p.path.replace(/^items\//, ''), p.id]));
    const tables = project.catalog.thumbnailsWithTables(Array.from(ids)).map((s) => s?.jpegQuant ?? null);
    const byPath = new Map(paths.map((p) => [p.path.replace(/^items\//, ''), tables[Array.from(ids).indexOf(p.id)]]));
    for (const i of sources) assert.deepEqual(Array.from(byPath.get(`${name(i)}-copy.jpg`) ?? []), Array.from(q50), `${name(i)}-copy.jpg keeps its table`);
    assert.equal(byPath.get('large.jpg'), null, 'a resized JPEG keeps none');
    assert.deepEqual(Array.from(byPath.get('mid.jpg') ?? []), Array.from(q50), 'a 64 px JPEG is its own thumbnail');
    assert.equal(byPath.get(`${name(0)}.png`), null, 'a PNG has none');

    const all = Int32Array.from(ids);
    const signatures = readSignatures(project.catalog, all);
    const grey = await loadGrey(project.catalog, all);
    assert.equal(grey.filter((g) => g?.quant).length, sources.length, 'the grey images of the small JPEGs carry their tables, the reduced one none');
    const base = findAppearanceDuplicates(signatures);
    const at = (path: string) => Array.from(all).indexOf(idOf.get(path)!);
    const run = async (keep: boolean) => {
      const images = async () => grey.map((g) => g && (keep ? g : { data: g.data, width: g.width, height: g.height }));
      const { groupOf } = await withAlignedCopies(base, signatures, images, { threadAbove: 0 });
      const found = sources.filter((i) => { const a = at(`${name(i)}.png`), b = at(`${name(i)}-copy.jpg`); return groupOf[a]! >= 0 && groupOf[a] === groupOf[b]; }).length;
      const planted = new Set(sources.flatMap((i) => [at(`${name(i)}.png`), at(`${name(i)}-copy.jpg`)]));
      return { found, wrong: [...groupOf.keys()].filter((r) => groupOf[r]! >= 0 && !planted.has(r)) };
    };
    const without = await run(false), withTables = await run(true);
    // Measured: 14 of 30 without the tables, 25 with them; nothing else grouped either way.
    assert.ok(withTables.found >= without.found + 8 && withTables.found >= 22, `with the tables ${withTables.found} of 30, without ${without.found}`);
    assert.deepEqual(withTables.wrong, [], 'nothing else grouped');
  } finally {
    await project.close();
  }
});

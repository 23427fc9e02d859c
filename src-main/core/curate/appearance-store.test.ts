import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { appearanceSignature, appearanceTile, DEFAULT_APPEARANCE_THRESHOLD, findAppearanceDuplicates, SIGNATURE_VERSION, signatureDistance, TILE_LENGTH, TILE_VERSION } from './engine';
import { loadMnist, shiftedCopy } from '../../testing/curation/mnist';
import { createRng } from '../../../src-shared/random';
import { drawSample, makeFixtureFolder } from '../../testing/fixture-images';
import { tempDir } from '../../testing/temp';
import { onBackdrop } from '../images/alpha';
import { appearanceOf, ensureAppearance, loadAppearance, readSignatures } from './appearance-store';

/** The signatures alone, for the near-duplicate checks. */
const loadSig = async (catalog: Parameters<typeof loadAppearance>[0], ids: Int32Array) => (await loadAppearance(catalog, ids)).signatures;

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

/** A fixture sample moved by (dx, dy) px over its background colour, with light noise. */
function shiftedSample(dx: number, dy: number): Buffer {
  const size = 32, src = drawSample('circle', 0), out = Buffer.alloc(size * size * 3);
  let seed = 5;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 16;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = x - dx, sy = y - dy, inside = sx >= 0 && sx < size && sy >= 0 && sy < size;
      for (let c = 0; c < 3; c++) {
        const v = inside ? src[(sy * size + sx) * 3 + c]! : [20, 30, 60][c]!;
        out[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v + noise())));
      }
    }
  }
  return out;
}

describe('appearance signatures and tiles in a project', async () => {
  const dir = tempDir();
  const fixture = await makeFixtureFolder(join(dir, 'shapes'), { perClass: 10 });
  await sharp(shiftedSample(2, 1), { raw: { width: 32, height: 32, channels: 3 } }).png().toFile(join(fixture.root, 'circle', 'copy.png'));
  const project = ProjectSession.create(join(dir, 'shapes.winnow'), quiet);
  await project.jobs.wait(project.startImport({ kind: 'folder', path: fixture.root }));
  const db = project.catalog.db;
  const ids = project.catalog.columns().ids;
  const idOf = (path: string) => db.prepare('SELECT id FROM samples WHERE rel_path = ?').pluck().get(path) as number;
  const at = (id: number) => ids.indexOf(id);

  it('are computed from the thumbnails; a shifted copy is grouped with its source only', async () => {
    const sigs = await loadSig(project.catalog, ids);
    assert.equal(sigs.length, 31);
    assert.ok(sigs.every((s) => s !== null));
    assert.equal(db.prepare('SELECT COUNT(*) FROM signatures WHERE version = ? AND data IS NOT NULL').pluck().get(SIGNATURE_VERSION), 31);
    const groups = findAppearanceDuplicates(sigs);
    const copy = at(idOf('circle/copy.png')), source = at(idOf('circle/circle_0000.png'));
    assert.ok(signatureDistance(sigs[copy]!, sigs[source]!) <= DEFAULT_APPEARANCE_THRESHOLD);
    assert.ok(groups.groupOf[copy] >= 0 && groups.groupOf[copy] === groups.groupOf[source]);
    assert.deepEqual(Array.from(groups.groups[groups.groupOf[copy]]!), [source, copy].sort((a, b) => a - b));
    // An RGB thumbnail: the stored look is the engine's signature and tile of its decoded pixels.
    const thumb = project.catalog.thumbnails([idOf('circle/copy.png')])[0]!;
    const { data, info } = await sharp(thumb.data).raw().toBuffer({ resolveWithObject: true });
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
    assert.equal(info.channels, 3);
    assert.deepEqual(sigs[copy], appearanceSignature(pixels, info.width, info.height, 3));
    assert.deepEqual((await loadAppearance(project.catalog, ids)).tiles[copy], appearanceTile(pixels, info.width, info.height, 3));
  });

  it('tiles come from the same decode, and a row from before tiles existed is recomputed', async () => {
    const { tiles } = await loadAppearance(project.catalog, ids);
    assert.ok(tiles.every((t) => t !== null && t.length === TILE_LENGTH));
    assert.equal(db.prepare('SELECT COUNT(*) FROM signatures WHERE tile_version = ? AND tile IS NOT NULL').pluck().get(TILE_VERSION), 31);
    // The tile is the stored thumbnail's, decoded as it is.
    const circle = idOf('circle/circle_0000.png');
    const thumb = project.catalog.thumbnails([circle])[0]!;
    const { data, info } = await sharp(thumb.data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual(tiles[at(circle)], appearanceTile(new Uint8Array(data), info.width, info.height, info.channels));
    const id = idOf('circle/circle_0001.png');
    db.prepare('UPDATE signatures SET tile_version = NULL, tile = NULL WHERE sample_id = ?').run(id);
    assert.deepEqual((await loadAppearance(project.catalog, Int32Array.of(id))).tiles[0], tiles[at(id)]);
    assert.equal(db.prepare('SELECT tile_version FROM signatures WHERE sample_id = ?').pluck().get(id), TILE_VERSION);
  });

  it('are read back from the project, and recomputed when the content hash changes', async () => {
    const id = idOf('square/square_0003.png');
    const original = (await loadSig(project.catalog, Int32Array.of(id)))[0]!;
    db.prepare('UPDATE signatures SET data = ? WHERE sample_id = ?').run(Buffer.alloc(original.length, 7), id);
    assert.equal((await loadSig(project.catalog, Int32Array.of(id)))[0]![0], 7, 'cached value used');
    db.prepare("UPDATE samples SET content_hash = 'changed' WHERE id = ?").run(id);
    assert.deepEqual((await loadSig(project.catalog, Int32Array.of(id)))[0], original);
    assert.equal(db.prepare('SELECT content_hash FROM signatures WHERE sample_id = ?').pluck().get(id), 'changed');
  });

  it('a sample with an undecodable or missing thumbnail gets none, and the rest still load', async () => {
    const broken = idOf('square/square_0001.png'), missing = idOf('square/square_0002.png');
    db.prepare('UPDATE images SET data = ? WHERE sample_id = ?').run(Buffer.from('not a png'), broken);
    db.prepare('DELETE FROM images WHERE sample_id = ?').run(missing);
    db.prepare("UPDATE samples SET content_hash = content_hash || '+' WHERE id IN (?, ?)").run(broken, missing);
    // Two of 31 stale: computed, and not handed over (the rest must be read back anyway).
    assert.deepEqual(await ensureAppearance(project.catalog, ids), { computed: 2, signatures: undefined });
    const sigs = await loadSig(project.catalog, ids);
    assert.equal(sigs[at(broken)], null);
    assert.equal(sigs[at(missing)], null);
    assert.equal(sigs.filter((s) => s === null).length, 2);
    assert.equal(db.prepare('SELECT COUNT(*) FROM signatures WHERE data IS NULL').pluck().get(), 2, 'failures are remembered, not retried');
  });

  it('a PNG thumbnail read without sharp gives the look sharp\'s decode gives, grey and colour, with and without alpha', async () => {
    const digits = loadMnist('test', 40);
    const pngs: Buffer[] = [];
    for (let i = 0; i < 40; i++) pngs.push(await sharp(digits.pixels.subarray(i * 784, (i + 1) * 784), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer());
    for (let i = 0; i < 10; i++) pngs.push(await sharp(drawSample('circle', i), { raw: { width: 32, height: 32, channels: 3 } }).png({ adaptiveFiltering: true }).toBuffer());
    pngs.push(await sharp(shiftedSample(2, 1), { raw: { width: 32, height: 32, channels: 3 } }).ensureAlpha(0.5).png().toBuffer());
    for (const [t, png] of pngs.entries()) {
      const { data, info } = await onBackdrop(sharp(png)).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
      const viaSharp = { signature: appearanceSignature(data, info.width, info.height, info.channels), tile: appearanceTile(data, info.width, info.height, info.channels) };
      assert.deepEqual(await appearanceOf({ format: 'png', width: info.width, height: info.height, data: png }), viaSharp, `image ${t}`);
    }
  });

  it('stored grey pixels (MNIST) are used as they are', async () => {
    const digits = loadMnist('train', 2);
    const copy = shiftedCopy(digits.pixels, 0, 1, -2, 8, createRng(1));
    const datasetId = project.catalog.findOrCreateDataset('mnist', null, 'MNIST');
    project.catalog.insertSamples(datasetId, [digits.pixels.subarray(0, 784), copy, digits.pixels.subarray(784, 1568)].map((data, i) => ({
      relPath: `train/${i}`, source: 'blob' as const, width: 28, height: 28, channels: 1, contentHash: `mnist-${i}`, label: null, split: 'train', metadata: {},
      image: { kind: 'full' as const, format: 'gray8' as const, width: 28, height: 28, data },
    })));
    const mnistIds = Int32Array.from(db.prepare("SELECT id FROM samples WHERE rel_path LIKE 'train/%' ORDER BY id").pluck().all() as number[]);
    // All of them new: their signatures come back as they were stored, in shared memory.
    const fresh = await ensureAppearance(project.catalog, mnistIds, { handOver: true });
    assert.equal(fresh.computed, 3);
    assert.deepEqual(fresh.signatures, readSignatures(project.catalog, mnistIds));
    assert.ok(fresh.signatures!.every((s) => s!.buffer instanceof SharedArrayBuffer));
    const [a, b, c] = await loadSig(project.catalog, mnistIds);
    assert.deepEqual((await loadAppearance(project.catalog, mnistIds)).tiles[2], appearanceTile(digits.pixels.subarray(784, 1568), 28, 28, 1));
    assert.deepEqual(c, appearanceSignature(digits.pixels.subarray(784, 1568), 28, 28, 1), 'the signature of one set of planes shared with the tile is the signature of the pixels');
    assert.ok(signatureDistance(a!, b!) <= DEFAULT_APPEARANCE_THRESHOLD, 'shifted noisy copy');
    assert.ok(signatureDistance(a!, c!) > 10 * DEFAULT_APPEARANCE_THRESHOLD, 'another digit');
  });

  it('many stale rows are computed on worker threads, with the same answers as in process', async () => {
    const n = 4500; // above WORKERS_FROM, so the pool is used
    const digits = loadMnist('train', n);
    const datasetId = project.catalog.findOrCreateDataset('mnist', null, 'MNIST');
    project.catalog.insertSamples(datasetId, Array.from({ length: n }, (_, i) => ({
      relPath: `many/${i}`, source: 'blob' as const, width: 28, height: 28, channels: 1, contentHash: `many-${i}`, label: null, split: 'train', metadata: {},
      image: { kind: 'full' as const, format: 'gray8' as const, width: 28, height: 28, data: digits.pixels.subarray(i * 784, (i + 1) * 784) },
    })));
    const manyIds = Int32Array.from(db.prepare("SELECT id FROM samples WHERE rel_path LIKE 'many/%' ORDER BY id").pluck().all() as number[]);
    const fresh = await ensureAppearance(project.catalog, manyIds, { handOver: true });
    assert.equal(fresh.computed, n);
    assert.deepEqual(fresh.signatures, readSignatures(project.catalog, manyIds));
    assert.deepEqual(await ensureAppearance(project.catalog, manyIds), { computed: 0 }, 'nothing stale: nothing computed or handed over');
    const look = await loadAppearance(project.catalog, manyIds);
    assert.equal(look.signatures.filter((s) => s !== null).length, n);
    for (const i of [0, 1, 2222, n - 1]) {
      const direct = (await appearanceOf({ format: 'gray8', width: 28, height: 28, data: digits.pixels.subarray(i * 784, (i + 1) * 784) }))!;
      assert.deepEqual(look.signatures[i], direct.signature);
      assert.deepEqual(look.tiles[i], direct.tile);
    }
    await project.close();
  });
});

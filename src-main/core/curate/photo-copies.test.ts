// Copies of photos as the aligned stage sees them: a folder's thumbnails are reduced to 48 px for
// the comparison (grey-images.ts), so a shift of whole pixels in a 64 px photo is a shift of
// fractions of a pixel there, and fine texture half a pixel off no longer correlates at any
// whole-pixel shift; a crop of a textured photo changes the profiles the zoom is fitted on. The
// stage compares such pairs by its rules for reduced images (engine/aligned-duplicates.ts
// REDUCED_PAIRS). The last test takes the whole path: a folder import's thumbnails, read reduced
// (loadGrey), grouped on the stage's workers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src-shared/random';
import { photoTexture, windowOf } from '../../testing/curation/frame-filling';
import { alignedDuplicatePairs, appearanceSignature, findAppearanceDuplicates, joinAlignedPairs } from './engine';
import { greyOf, loadGrey } from './grey-images';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { JobEvents } from '../jobs/job-manager';
import { ProjectSession } from '../project-session';
import { tempDir } from '../../testing/temp';
import { readSignatures } from './appearance-store';
import { withAlignedCopies } from './aligned-groups';
import sharp from 'sharp';
import { resolveModel } from '../embed/model-source';
import { embedBatch, loadModel, preprocess } from '../embed/model';
import { buildKnnGraph } from '../map/knn';
import { DEFAULT_MAP_K } from '../map/compute-map';

const SIDE = 64, CANVAS = 72;
const quiet: JobEvents = { progress: () => {}, finished: () => {} };
const together = (groupOf: Int32Array, i: number, j: number) => groupOf[i]! >= 0 && groupOf[i] === groupOf[j];

test('photos shifted by 1–3 px of their own size are grouped with their sources once reduced for the comparison; distinct photos are not', async () => {
  const rng = createRng(31);
  const canvases = Array.from({ length: 150 }, () => photoTexture(rng, CANVAS));
  const shifts = [[1, 0], [0, -1], [2, 1], [-3, 0], [1, 3], [-2, -2]] as const;
  const windows = canvases.map((c) => windowOf(c, CANVAS, 4, 4, SIDE));
  const copies = Array.from({ length: 30 }, (_, k) => windowOf(canvases[k * 5]!, CANVAS, 4 + shifts[k % 6]![0], 4 + shifts[k % 6]![1], SIDE));
  const pixels = [...windows, ...copies];
  // As the app reads them: the signature from the stored image, the grey image reduced to 48 px.
  const signatures = pixels.map((p) => appearanceSignature(p, SIDE, SIDE, 1));
  const images = await Promise.all(pixels.map((p) => greyOf({ format: 'gray8', width: SIDE, height: SIDE, data: p })));
  assert.equal(images[0]!.width, 48);
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images, groupOf: base.groupOf });
  const joined = joinAlignedPairs(base, pairs.a, pairs.b);
  const found = copies.filter((_, k) => together(joined.groupOf, k * 5, windows.length + k)).length;
  assert.ok(found >= 28, `${found} of 30 shifted photos found`);
  const planted = new Set(copies.flatMap((_, k) => [k * 5, windows.length + k]));
  assert.deepEqual([...joined.groupOf.keys()].filter((i) => joined.groupOf[i]! >= 0 && !planted.has(i)), [], 'no distinct photo grouped');
  // The app's workers get the images' reduction with their pixels, and group the same.
  const app = await withAlignedCopies(base, signatures, async () => images, { threadAbove: 0 });
  assert.deepEqual(app.groups, joined.groups);
});

test('photos cropped 5–10 % and resized back are grouped with their sources once reduced for the comparison; distinct photos are not', async () => {
  const rng = createRng(32);
  const windows = Array.from({ length: 120 }, () => windowOf(photoTexture(rng, CANVAS), CANVAS, 4, 4, SIDE));
  const copies = await Promise.all(Array.from({ length: 30 }, async (_, k) => {
    const w = Math.round(SIDE * (0.9 + 0.05 * rng())), h = Math.round(SIDE * (0.9 + 0.05 * rng()));
    const crop = { left: Math.floor(rng() * (SIDE - w + 1)), top: Math.floor(rng() * (SIDE - h + 1)), width: w, height: h };
    return new Uint8Array(await sharp(Buffer.from(windows[k * 4]!), { raw: { width: SIDE, height: SIDE, channels: 1 } }).extract(crop).resize(SIDE, SIDE, { fit: 'fill' }).greyscale().raw().toBuffer());
  }));
  const pixels = [...windows, ...copies];
  const signatures = pixels.map((p) => appearanceSignature(p, SIDE, SIDE, 1));
  const images = await Promise.all(pixels.map((p) => greyOf({ format: 'gray8', width: SIDE, height: SIDE, data: p })));
  // The embedding's k-NN graph, as the map builds it: its nearest are candidates too.
  const model = await loadModel(resolveModel('builtin').onnxPath, resolveModel('builtin').spec, { device: 'cpu' });
  const { spec } = model, per = 3 * spec.inputSize.width * spec.inputSize.height;
  const batch = new Float32Array(pixels.length * per);
  pixels.forEach((p, i) => batch.set(preprocess(p, SIDE, SIDE, 1, spec), i * per));
  const vectors = await embedBatch(model, batch, pixels.length);
  await model.session.release();
  const graph = await buildKnnGraph(vectors, spec.embeddingDim, DEFAULT_MAP_K, { threads: 1 });
  const input = { signatures, images, groupOf: findAppearanceDuplicates(signatures).groupOf, neighbours: { indices: graph.indices, k: graph.k } };
  const found = (reduced: boolean) => {
    const pairs = alignedDuplicatePairs(input, { reduced });
    const joined = joinAlignedPairs(findAppearanceDuplicates(signatures), pairs.a, pairs.b);
    const planted = new Set(copies.flatMap((_, k) => [k * 4, windows.length + k]));
    assert.deepEqual([...joined.groupOf.keys()].filter((i) => joined.groupOf[i]! >= 0 && !planted.has(i)), [], 'no distinct photo grouped');
    return copies.filter((_, k) => together(joined.groupOf, k * 4, windows.length + k)).length;
  };
  const before = found(false), after = found(true);
  console.log(`crops found: ${before} without the reduced images' rules, ${after} with them`);
  assert.ok(after >= 27, `${after} of 30 cropped photos found`);
  assert.ok(before < after);
});

test('several copies of one photo, shifted each its own way, are each grouped with it; distinct photos are not', async () => {
  const rng = createRng(33);
  const canvases = Array.from({ length: 120 }, () => photoTexture(rng, CANVAS));
  const windows = canvases.map((c) => windowOf(c, CANVAS, 4, 4, SIDE));
  // Shifted each its own way (so the signature rule groups none of them), one also noisy.
  const edits = [
    (k: number) => windowOf(canvases[k]!, CANVAS, 5, 3, SIDE),
    (k: number) => windowOf(canvases[k]!, CANVAS, 2, 6, SIDE),
    (k: number) => windowOf(canvases[k]!, CANVAS, 7, 4, SIDE).map((v) => Math.max(0, Math.min(255, Math.round(v + (rng() - 0.5) * 16)))),
  ];
  // Three copies each of the first 20 photos.
  const copies = Array.from({ length: 20 }, (_, k) => edits.map((e) => e(k * 6))).flat();
  const pixels = [...windows, ...copies];
  const signatures = pixels.map((p) => appearanceSignature(p, SIDE, SIDE, 1));
  const images = await Promise.all(pixels.map((p) => greyOf({ format: 'gray8', width: SIDE, height: SIDE, data: p })));
  const base = findAppearanceDuplicates(signatures);
  const pairs = alignedDuplicatePairs({ signatures, images, groupOf: base.groupOf });
  const joined = joinAlignedPairs(base, pairs.a, pairs.b);
  const found = copies.filter((_, t) => together(joined.groupOf, Math.floor(t / 3) * 6, windows.length + t)).length;
  console.log(`several copies: ${found} of 60 found`);
  assert.ok(found >= 57, `${found} of 60 copies found with their sources`);
  const planted = new Set([...Array.from({ length: 20 }, (_, k) => k * 6), ...copies.map((_, t) => windows.length + t)]);
  assert.deepEqual([...joined.groupOf.keys()].filter((i) => joined.groupOf[i]! >= 0 && !planted.has(i)), [], 'no distinct photo grouped');
});

test('a folder of photos: the import\'s thumbnails are read reduced, and their shifted copies grouped on the worker', async () => {
  const dir = tempDir(), root = join(dir, 'data', 'photos');
  mkdirSync(root, { recursive: true });
  const rng = createRng(34);
  const canvases = Array.from({ length: 60 }, () => photoTexture(rng, CANVAS));
  const save = (px: Uint8Array, name: string) => sharp(Buffer.from(px), { raw: { width: SIDE, height: SIDE, channels: 1 } }).png().toFile(join(root, name));
  for (let i = 0; i < 60; i++) await save(windowOf(canvases[i]!, CANVAS, 4, 4, SIDE), `photo-${i}.png`);
  for (let k = 0; k < 12; k++) await save(windowOf(canvases[k * 5]!, CANVAS, 4 + (k % 3) + 1, 4 - (k % 2), SIDE), `photo-${k * 5}-shifted.png`);
  const project = ProjectSession.create(join(dir, 'p.winnow'), quiet);
  try {
    const job = await project.jobs.wait(project.startImport({ kind: 'folder', path: join(dir, 'data') }));
    assert.equal(job.state, 'done', job.error ?? '');
    const all = Int32Array.from(project.catalog.columns().ids);
    const paths = project.catalog.db.prepare('SELECT id, rel_path AS path FROM samples').all() as { id: number; path: string }[];
    const at = new Map(paths.map((p) => [p.path.replace(/^photos\//, ''), Array.from(all).indexOf(p.id)]));
    const grey = await loadGrey(project.catalog, all);
    assert.ok(grey.every((g) => g?.reduced && g.width === 48), 'every 64 px thumbnail is reduced to 48 px for the comparison');
    const signatures = readSignatures(project.catalog, all);
    const { groupOf } = await withAlignedCopies(findAppearanceDuplicates(signatures), signatures, async () => grey, { threadAbove: 0 });
    const found = Array.from({ length: 12 }, (_, k) => [at.get(`photo-${k * 5}.png`)!, at.get(`photo-${k * 5}-shifted.png`)!]).filter(([a, b]) => groupOf[a]! >= 0 && groupOf[a] === groupOf[b]).length;
    assert.ok(found >= 11, `${found} of 12 shifted photos grouped`);
    assert.equal([...groupOf.keys()].filter((r) => groupOf[r]! >= 0).length, 2 * found, 'nothing else grouped');
  } finally {
    await project.close();
  }
});

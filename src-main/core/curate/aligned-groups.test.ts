// The aligned stage as the app runs it (aligned-groups.ts): on a worker thread the same pairs as
// in this thread, with its progress; past ALIGNED_MAX_ROWS no pixels are read at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../../../src-shared/random';
import { croppedFrame, frameFilling, randomCrop, shiftedFrame } from '../../testing/curation/frame-filling';
import { fashionMissing, loadFashion } from '../../testing/curation/fashion';
import { appearanceSignature, findAppearanceDuplicates } from './engine';
import { ALIGNED_MAX_ROWS, withAlignedCopies } from './aligned-groups';
import { resolveModel } from '../embed/model-source';
import { embedBatch, loadModel, preprocess } from '../embed/model';
import { buildKnnGraph } from '../map/knn';
import { DEFAULT_MAP_K } from '../map/compute-map';

test('the worker thread and this thread join the same copies', async () => {
  const rng = createRng(8);
  const items = Array.from({ length: 200 }, () => frameFilling(rng));
  const copies = Array.from({ length: 12 }, (_, k) => shiftedFrame(items[k * 7]!, 2, -1 - (k % 3), 0, rng));
  const pixels = [...items, ...copies];
  const signatures = pixels.map((p) => appearanceSignature(p, 28, 28, 1));
  const images = async () => pixels.map((data) => ({ data, width: 28, height: 28 }));
  const base = findAppearanceDuplicates(signatures);
  const shares: number[][] = [[], []];
  const here = await withAlignedCopies(base, signatures, images, { threadAbove: Infinity, progress: (s) => shares[0]!.push(s) });
  const thread = await withAlignedCopies(base, signatures, images, { threadAbove: 0, progress: (s) => shares[1]!.push(s) });
  assert.deepEqual(thread, here);
  // Progress rises to exactly 1, on either side.
  for (const s of shares) {
    assert.ok(s.length > 0);
    assert.equal(s.at(-1), 1);
    assert.ok(s.every((x, t) => x >= 0 && x <= 1 && (t === 0 || x >= s[t - 1]!)), s.join(' '));
  }
  assert.equal(copies.filter((_, k) => here.groupOf[k * 7]! >= 0 && here.groupOf[k * 7] === here.groupOf[200 + k]).length, copies.length);
});

test('past ALIGNED_MAX_ROWS the groups are returned as they are, without reading the pixels', async () => {
  const signatures = new Array<Uint8Array | null>(ALIGNED_MAX_ROWS + 1).fill(null);
  const base = findAppearanceDuplicates([]);
  let read = false;
  const out = await withAlignedCopies({ groupOf: new Int32Array(signatures.length).fill(-1), groups: base.groups }, signatures, async () => { read = true; return []; });
  assert.equal(read, false);
  assert.equal(out.groups.length, 0);
});

test('the embedding\'s k-NN graph (the built-in model, built as the map builds it) finds Fashion-MNIST crops the patterns miss, on the worker as in this thread', { skip: fashionMissing() }, async () => {
  const rng = createRng(25);
  const items = loadFashion('test', 600);
  const pixels = Array.from({ length: 600 }, (_, i) => items.pixels.slice(i * 784, (i + 1) * 784));
  const copies = await Promise.all(Array.from({ length: 60 }, (_, k) => croppedFrame(pixels[k * 10]!, randomCrop(rng))));
  const all = [...pixels, ...copies];
  const model = await loadModel(resolveModel('builtin').onnxPath, resolveModel('builtin').spec, { device: 'cpu' });
  const { spec } = model, per = 3 * spec.inputSize.width * spec.inputSize.height;
  const batch = new Float32Array(all.length * per);
  all.forEach((p, i) => batch.set(preprocess(p, 28, 28, 1, spec), i * per));
  const vectors = await embedBatch(model, batch, all.length);
  await model.session.release();
  const graph = await buildKnnGraph(vectors, spec.embeddingDim, DEFAULT_MAP_K, { threads: 1 });
  const signatures = all.map((p) => appearanceSignature(p, 28, 28, 1));
  const images = async () => all.map((data) => ({ data, width: 28, height: 28 }));
  const base = findAppearanceDuplicates(signatures);
  const neighbours = { indices: graph.indices, k: graph.k };
  const patterns = await withAlignedCopies(base, signatures, images, { threadAbove: Infinity });
  const here = await withAlignedCopies(base, signatures, images, { threadAbove: Infinity, neighbours });
  const thread = await withAlignedCopies(base, signatures, images, { threadAbove: 0, neighbours });
  assert.deepEqual(thread, here, 'the worker gets the graph too');
  const found = (g: Int32Array) => copies.filter((_, k) => g[k * 10]! >= 0 && g[k * 10] === g[600 + k]).length;
  const wrong = (g: Int32Array) => [...g.keys()].filter((i) => i < 600 && g[i]! >= 0 && i % 10 !== 0);
  // Measured: the patterns' candidates find 47 of 60, with the graph's 55; no original grouped either way.
  assert.ok(found(here.groupOf) >= found(patterns.groupOf) + 4, `with the graph ${found(here.groupOf)}, without ${found(patterns.groupOf)}`);
  assert.ok(wrong(here.groupOf).length <= 2, `originals grouped without a copy: ${wrong(here.groupOf).join(' ')}`);
});

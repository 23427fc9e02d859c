// Built-in embedding vectors of a whole validation set (60,000 training then 10,000 test
// images, the order of the curate bench's rows), cached under bench/.data: embedding 70,000
// images takes minutes on two shared cores, and every curation bench reads the same rows.
// Embedded the way the app embeds grey pixels (embedGray28: preprocess + embedBatch on the CPU,
// batches of 64). The cache file is keyed by the model file's hash, so a new model re-embeds.
//
//   npx tsx bench/lib/dataset-vectors.ts [--model accurate] [mnist|fashion ...]   (fills the cache)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { embedGray28, embedGrey, loadBuiltin, whitenLikeTheJob } from './builtin-vectors';
import { loadModel, parseModelSpec } from '../../src-main/core/embed/model';
import type { GreyImage } from '../../src-main/core/curate/engine';
import { DATASETS, loadDataset, type DatasetName } from '../../src-main/testing/curation/datasets';

const DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));
const MODEL = fileURLToPath(new URL('../../resources/models/builtin.onnx', import.meta.url));
const ACCURATE = fileURLToPath(new URL('../../resources/models/builtin-accurate', import.meta.url));

function modelKey(file = MODEL): string {
  return createHash('sha1').update(readFileSync(file)).digest('hex').slice(0, 10);
}

function cached(file: string, rows: number, compute: () => Promise<Float32Array>): Promise<Float32Array> {
  if (existsSync(file)) {
    const buf = readFileSync(file);
    const v = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    if (v.length % rows === 0) return Promise.resolve(v);
  }
  return compute().then((v) => {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file + '.part', new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    renameSync(file + '.part', file);
    return v;
  });
}

/** 70,000 × 544 built-in embedding rows of a dataset (training then test), from the cache or embedded now. */
export async function builtinVectors(name: DatasetName, log: (s: string) => void = console.log): Promise<{ vectors: Float32Array; dim: number; file: string }> {
  const file = `${DATA_DIR}${name}-builtin-${modelKey()}-70k.f32`;
  const vectors = await cached(file, 70000, async () => {
    const train = loadDataset(name, 'train'), test = loadDataset(name, 'test');
    const px = new Uint8Array((train.n + test.n) * 784);
    px.set(train.pixels, 0);
    px.set(test.pixels, train.n * 784);
    const model = await loadBuiltin();
    const t0 = performance.now();
    log(`${name}: embedding ${train.n + test.n} images with the built-in model (cached afterwards in ${file})`);
    const v = await embedGray28(model, px);
    log(`${name}: embedded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    await model.session.release();
    return v;
  });
  return { vectors, dim: vectors.length / 70000, file };
}

/**
 * 70,000 × 1,024 rows of the accurate built-in model (builtin-accurate), whitened as the embed job
 * whitens them (on 5,000 of the rows, whitenLikeTheJob), from the cache or embedded now.
 */
export async function accurateVectors(name: DatasetName, log: (s: string) => void = console.log): Promise<{ vectors: Float32Array; dim: number; file: string }> {
  const file = `${DATA_DIR}${name}-accurate-${modelKey(`${ACCURATE}.onnx`)}-70k.f32`;
  const vectors = await cached(file, 70000, async () => {
    const train = loadDataset(name, 'train'), test = loadDataset(name, 'test');
    const px = new Uint8Array((train.n + test.n) * 784);
    px.set(train.pixels, 0);
    px.set(test.pixels, train.n * 784);
    const model = await loadModel(`${ACCURATE}.onnx`, parseModelSpec(JSON.parse(readFileSync(`${ACCURATE}.json`, 'utf8'))), { device: 'cpu' });
    const t0 = performance.now();
    log(`${name}: embedding ${train.n + test.n} images with the accurate model (cached afterwards in ${file})`);
    const { vectors: v } = whitenLikeTheJob(model, await embedGray28(model, px), train.n + test.n);
    log(`${name}: embedded and whitened in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    await model.session.release();
    return v;
  });
  return { vectors, dim: vectors.length / 70000, file };
}

/** A dataset's two splits with their built-in embedding rows (training rows first, as builtinVectors stores them). */
export async function splitWithVectors(name: DatasetName, log: (s: string) => void = console.log) {
  const train = loadDataset(name, 'train'), test = loadDataset(name, 'test');
  const { vectors, dim } = await builtinVectors(name, log);
  return { train, test, dim, vTrain: vectors.subarray(0, train.n * dim), vTest: vectors.subarray(train.n * dim, (train.n + test.n) * dim) };
}

/** Built-in embedding rows of extra 28×28 images (e.g. injected copies), cached by their pixels' hash. */
export async function builtinVectorsOf(pixels: Uint8Array): Promise<Float32Array> {
  const key = createHash('sha1').update(pixels).digest('hex').slice(0, 12);
  return cached(`${DATA_DIR}extra-builtin-${modelKey()}-${key}.f32`, pixels.length / 784, async () => {
    const model = await loadBuiltin();
    const v = await embedGray28(model, pixels);
    await model.session.release();
    return v;
  });
}

/** Built-in embedding rows of grey images of any size (e.g. rescaled copies), cached by their sizes' and pixels' hash. */
export async function builtinVectorsOfImages(images: GreyImage[]): Promise<Float32Array> {
  const h = createHash('sha1');
  for (const g of images) h.update(`${g.width}x${g.height}`).update(g.data);
  return cached(`${DATA_DIR}extra-builtin-${modelKey()}-${h.digest('hex').slice(0, 12)}-sized.f32`, images.length, async () => {
    const model = await loadBuiltin();
    const v = await embedGrey(model, images);
    await model.session.release();
    return v;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const accurate = args[0] === '--model' && args[1] === 'accurate';
  const rest = accurate ? args.slice(2) : args;
  const names = rest.length ? (rest as DatasetName[]) : [...DATASETS];
  for (const name of names) {
    const { vectors, dim, file } = await (accurate ? accurateVectors : builtinVectors)(name);
    console.log(`${name}: ${vectors.length / dim} × ${dim} in ${file}`);
  }
}

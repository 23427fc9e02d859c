// Builds the 71,000-row vectors file that `bench/curate.ts --vectors FILE.f32 --dim 544` reads:
// the 70,000 MNIST vectors of a project embedded with the built-in model (exported with
// `winnow vectors`, rows in sample-id order: 60,000 training, then 10,000 test), then the
// 1,000 injected copies (`bench/curate.ts --write-dups`) embedded here the way the app embeds
// grey pixels: preprocess(pixels, 28, 28, 1, spec), embedBatch on the CPU, batches of 64.
//
//   npx tsx bench/lib/builtin-vectors.ts --npy mnist.npy --dups dups.u8 --out FILE.f32 [--check 256]
//
// --check N re-embeds the first N training and test digits and compares them with the project's rows,
// which proves that the rows are in the expected order and that this path matches the app's.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { embedBatch, loadModel, outputWidth, parseModelSpec, preprocess, type LoadedModel } from '../../src-main/core/embed/model';
import { whiteningSample } from '../../src-main/core/embed/set-whitening';
import { applyWhitening, fitWhitening } from '../../src-main/core/embed/whitening';
import { loadMnist } from '../../src-main/testing/curation/mnist';
import type { GreyImage } from '../../src-main/core/curate/engine';

const MODEL = fileURLToPath(new URL('../../resources/models/builtin.onnx', import.meta.url));
const SPEC = fileURLToPath(new URL('../../resources/models/builtin.json', import.meta.url));
const BATCH = 64;

/** A float32 little-endian C-order 2-D .npy file (as `winnow vectors` writes). */
export function readNpy(file: string): { rows: number; dim: number; data: Float32Array } {
  const buf = readFileSync(file);
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + hlen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header)) throw new Error(`${file}: need little-endian float32 in C order, header ${header.trim()}`);
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (!shape) throw new Error(`${file}: need a 2-D array, header ${header.trim()}`);
  const rows = Number(shape[1]), dim = Number(shape[2]);
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + rows * dim * 4));
  return { rows, dim, data };
}

export async function loadBuiltin(): Promise<LoadedModel> {
  return loadModel(MODEL, parseModelSpec(JSON.parse(readFileSync(SPEC, 'utf8'))), { device: 'cpu' });
}

/** Embeds n 28×28 grey images (n × 784 bytes) like the app's import of grey pixels. */
export function embedGray28(model: LoadedModel, pixels: Uint8Array): Promise<Float32Array> {
  return embedGrey(model, Array.from({ length: pixels.length / 784 }, (_, i) => ({ data: pixels.subarray(i * 784, (i + 1) * 784), width: 28, height: 28 })));
}

/**
 * Embeds grey images of any size like the app's import of grey pixels: preprocess + embedBatch on
 * the CPU, batches of BATCH. A whitened model's rows come out raw (whitenLikeTheJob makes them the stored vectors).
 */
export async function embedGrey(model: LoadedModel, images: GreyImage[]): Promise<Float32Array> {
  const { spec } = model;
  const n = images.length;
  const per = 3 * spec.inputSize.width * spec.inputSize.height;
  const width = outputWidth(spec);
  const out = new Float32Array(n * width);
  for (let s = 0; s < n; s += BATCH) {
    const m = Math.min(BATCH, n - s);
    const batch = new Float32Array(m * per);
    for (let i = 0; i < m; i++) { const g = images[s + i]!; batch.set(preprocess(g.data, g.width, g.height, 1, spec), i * per); }
    out.set(await embedBatch(model, batch, m), s * width);
  }
  return out;
}

/**
 * The vectors the embed job stores for these raw rows of a whitened model (spec.whiten): the
 * whitening fitted on the rows the job would draw (whiteningSample) and applied to all; the fit's
 * seconds beside them. Rows of a model without one are returned as they are.
 */
export function whitenLikeTheJob(model: LoadedModel, raw: Float32Array, n: number): { vectors: Float32Array; fitS: number } {
  const w = model.spec.whiten;
  if (!w) return { vectors: raw, fitS: 0 };
  const width = outputWidth(model.spec);
  const rows = whiteningSample(n, w.sample);
  const fit = new Float32Array(rows.length * width);
  rows.forEach((r, i) => fit.set(raw.subarray(r * width, (r + 1) * width), i * width));
  const t0 = performance.now();
  const t = fitWhitening(fit, rows.length, w);
  const fitS = (performance.now() - t0) / 1000;
  return { vectors: applyWhitening(raw, n, t), fitS };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const npy = arg('npy'), dups = arg('dups'), out = arg('out');
  if (!npy || !dups || !out) throw new Error('usage: npx tsx bench/lib/builtin-vectors.ts --npy mnist.npy --dups dups.u8 --out FILE.f32 [--check N]');
  const base = readNpy(npy);
  if (base.rows !== 70000) throw new Error(`${npy}: expected 70,000 rows (60,000 training then 10,000 test digits), found ${base.rows}`);
  const model = await loadBuiltin();
  if (base.dim !== model.spec.embeddingDim) throw new Error(`${npy}: ${base.dim}-d rows, the built-in model gives ${model.spec.embeddingDim}-d`);
  const dim = base.dim;
  const check = Number(arg('check') ?? 256);
  if (check > 0) {
    let worst = 1;
    for (const [split, row0] of [['train', 0], ['test', 60000]] as const) {
      const mine = await embedGray28(model, loadMnist(split, check).pixels);
      for (let i = 0; i < check; i++) {
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += mine[i * dim + j] * base.data[(row0 + i) * dim + j];
        worst = Math.min(worst, dot);
      }
    }
    console.log(`check: first ${check} training and test digits re-embedded here vs the project's rows, lowest cosine similarity ${worst.toFixed(6)}`);
    if (worst < 0.999) throw new Error('re-embedded digits do not match the project rows: wrong row order or a different embedding path');
  }
  const px = new Uint8Array(readFileSync(dups));
  if (px.length % 784) throw new Error(`${dups}: ${px.length} bytes is not a whole number of 28×28 images`);
  const t0 = performance.now();
  const copies = await embedGray28(model, px);
  console.log(`embedded ${px.length / 784} copies in ${((performance.now() - t0) / 1000).toFixed(1)} s (${model.provider})`);
  await model.session.release();
  const all = new Float32Array(base.data.length + copies.length);
  all.set(base.data, 0);
  all.set(copies, base.data.length);
  writeFileSync(out, new Uint8Array(all.buffer));
  console.log(`wrote ${all.length / dim} × ${dim} float32 rows to ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

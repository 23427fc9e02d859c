// How far common edits move a digit in the built-in embedding, next to how far its nearest
// natural neighbour is: the scale a near-duplicate threshold has to fit between. The edited
// copies are embedded like the app embeds grey pixels (see builtin-vectors.ts); the sources'
// vectors are the bench's rows. probeAppearance: the same edits measured with the appearance
// signature (no model needed).
import sharp from 'sharp';
import { createRng } from '../../src-shared/random';
import { shiftedCopy } from '../../src-main/testing/curation/mnist';
import { appearanceSignature, signatureDistance } from '../../src-main/core/curate/engine';
import { embedGray28, loadBuiltin } from './builtin-vectors';

type Edit = (px: Uint8Array, index: number, rng: () => number) => Uint8Array | Promise<Uint8Array>;

async function jpeg(px: Uint8Array, index: number, quality: number): Promise<Uint8Array> {
  const raw = { width: 28, height: 28, channels: 1 } as const;
  const enc = await sharp(Buffer.from(px.subarray(index * 784, index * 784 + 784)), { raw }).jpeg({ quality }).toBuffer();
  return new Uint8Array(await sharp(enc).greyscale().raw().toBuffer());
}

const EDITS: [string, Edit][] = [
  ['Gaussian noise σ = 1', (px, i, r) => shiftedCopy(px, i, 0, 0, 1, r)],
  ['Gaussian noise σ = 2', (px, i, r) => shiftedCopy(px, i, 0, 0, 2, r)],
  ['Gaussian noise σ = 4', (px, i, r) => shiftedCopy(px, i, 0, 0, 4, r)],
  ['Gaussian noise σ = 8 (the injected copies)', (px, i, r) => shiftedCopy(px, i, 0, 0, 8, r)],
  ['JPEG quality 90', (px, i) => jpeg(px, i, 90)],
  ['JPEG quality 75', (px, i) => jpeg(px, i, 75)],
  ['brightness × 0.9', (px, i) => px.slice(i * 784, i * 784 + 784).map((v) => Math.round(v * 0.9))],
  ['shift 1 px, no noise', (px, i) => shiftedCopy(px, i, 1, 0, 0, () => 0)],
  ['shift 2 px + 1 px, no noise', (px, i) => shiftedCopy(px, i, 2, 1, 0, () => 0)],
  ['shift 2 px + 1 px, σ = 8 noise', (px, i, r) => shiftedCopy(px, i, 2, 1, 8, r)],
];

/** Markdown rows: per edit, the correlation distance of the edited copy's signature to the source's. */
export async function probeAppearance(pixels: Uint8Array, sources: Int32Array, thresholds: number[]): Promise<string[]> {
  const m = sources.length;
  const sig = (px: Uint8Array) => appearanceSignature(px, 28, 28, 1);
  const rows: string[] = [];
  for (const [name, edit] of EDITS) {
    const rng = createRng(5);
    const d: number[] = [];
    for (let t = 0; t < m; t++) {
      const i = sources[t];
      d.push(signatureDistance(sig(await edit(pixels, i, rng)), sig(pixels.subarray(i * 784, i * 784 + 784))));
    }
    d.sort((a, b) => a - b);
    const within = thresholds.map((thr) => `${((100 * d.filter((x) => x <= thr).length) / m).toFixed(0)} %`);
    rows.push(`| ${name} | ${d[Math.floor(m / 2)].toFixed(5)} | ${d[Math.floor(m * 0.9)].toFixed(5)} | ${within.join(' | ')} |`);
  }
  return rows;
}

/**
 * pixels: all digits (n × 784); vectors: their rows (dim floats each); nn1[i]: distance from
 * digit i to its nearest other digit. Returns markdown table rows, one per edit.
 */
export async function probeEdits(pixels: Uint8Array, vectors: Float32Array, dim: number, nn1: Float32Array, sources: Int32Array, thresholds: number[]): Promise<string[]> {
  const model = await loadBuiltin();
  if (model.spec.embeddingDim !== dim) throw new Error(`--probe-builtin needs the built-in model's ${model.spec.embeddingDim}-d vectors, these are ${dim}-d`);
  const m = sources.length;
  const rows: string[] = [];
  try {
    for (const [name, edit] of EDITS) {
      const rng = createRng(5);
      const px = new Uint8Array(m * 784);
      for (let t = 0; t < m; t++) px.set(await edit(pixels, sources[t], rng), t * 784);
      const e = await embedGray28(model, px);
      const d: number[] = [];
      let closer = 0;
      for (let t = 0; t < m; t++) {
        let dot = 0;
        for (let j = 0; j < dim; j++) dot += e[t * dim + j] * vectors[sources[t] * dim + j];
        d.push(1 - dot);
        if (1 - dot < nn1[sources[t]]) closer++;
      }
      d.sort((a, b) => a - b);
      const share = (x: number) => `${((100 * x) / m).toFixed(0)} %`;
      const within = thresholds.map((thr) => share(d.filter((x) => x <= thr).length));
      rows.push(`| ${name} | ${d[Math.floor(m / 2)].toFixed(4)} | ${d[Math.floor(m * 0.9)].toFixed(4)} | ${within.join(' | ')} | ${share(closer)} |`);
    }
  } finally {
    await model.session.release();
  }
  return rows;
}

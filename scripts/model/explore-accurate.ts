// Looks for a stronger built-in embedding (issue 15 item 8): leave-one-out 5-NN accuracy (cosine)
// on Fashion-MNIST and MNIST test images for cuts of nsfwjs's networks, with grid pooling, several
// cuts concatenated (each L2-normalised first) and signed square roots. Usage:
//   [DATA=Fashion|MNIST] [MODES=plain,sqrt,centred,cells] nice npx tsx scripts/model/explore-accurate.ts SET [count=2000]
// SET names a candidate list below; every part of a set is computed in one pass per dataset.
import ort from 'onnxruntime-node';
import type { OutputPart } from './ir';
import { convertTfjsToOnnx } from './convert';
import { blockExpand, blockOutput } from './builtin-cuts';
import { looKnnAccuracy, normaliseRows } from './knn-eval';
import { loadFashionMnist, loadMnist, type Digits } from './mnist';
import { digitBatch } from './mnist-input';
import { loadKerasAsTfGraph } from './keras-graph';
import { loadTfjsGraph, nsfwjsModelDir } from './tfjs-graph';
import type { ModelSpec } from '../../src-main/core/embed/model/spec';

interface Candidate { label: string; parts: OutputPart[] }
/**
 * model: the nsfwjs folder. Keras layers models (inception_v3, mobilenet_v2) get [-1,1] input (ImageNet Keras
 * preprocessing) by default, or [0,1] as nsfwjs feeds them with UNIT_INPUT=1 (which scores 2-4 points higher).
 */
interface CandidateSet { model: 'mobilenet_v2_mid' | 'inception_v3' | 'mobilenet_v2'; size: number; candidates: Candidate[] }

const g = (n: number) => ({ grid: n });
const out = (b: number, grid: number): OutputPart => ({ from: blockOutput(b), pool: g(grid) });
const exp = (b: number, grid: number): OutputPart => ({ from: blockExpand(b), pool: g(grid) });
/** the input image itself, average-pooled: fine-grained appearance beside the network's features */
const px = (grid: number): OutputPart => ({ from: 'input', pool: g(grid) });
const k = (layer: string, grid: number): OutputPart => ({ from: layer, pool: g(grid) });

const SETS: Record<string, CandidateSet> = {
  mid112: { model: 'mobilenet_v2_mid', size: 112, candidates: [
    { label: 'b12 2x2 (built-in)', parts: [out(12, 2)] },
    { label: 'b12 3x3', parts: [out(12, 3)] },
    { label: 'b12 7x7', parts: [out(12, 7)] },
    { label: 'b5 2x2', parts: [out(5, 2)] },
    { label: 'b5 7x7', parts: [out(5, 7)] },
    { label: 'b8 2x2', parts: [out(8, 2)] },
    { label: 'b13 exp 2x2', parts: [exp(13, 2)] },
    { label: 'b13 exp 3x3', parts: [exp(13, 3)] },
    { label: 'b5 7x7 + b12 3x3', parts: [out(5, 7), out(12, 3)] },
    { label: 'b8 2x2 + b12 2x2', parts: [out(8, 2), out(12, 2)] },
    { label: 'b12 2x2 + b16 2x2', parts: [out(12, 2), out(16, 2)] },
  ] },
  // the leading candidates, for the full 10,000-image runs
  top128: { model: 'mobilenet_v2_mid', size: 128, candidates: [
    { label: 'b12 2x2', parts: [out(12, 2)] },
    { label: 'b12 4x4', parts: [out(12, 4)] },
    { label: 'b12 8x8', parts: [out(12, 8)] },
    { label: 'b11 4x4', parts: [out(11, 4)] },
  ] },
  top112: { model: 'mobilenet_v2_mid', size: 112, candidates: [
    { label: 'b12 2x2 (built-in)', parts: [out(12, 2)] },
    { label: 'b12 7x7', parts: [out(12, 7)] },
  ] },
  // finer grids need a larger map: block 12 is 8x8 at 128 px, 10x10 at 160 px
  mid128: { model: 'mobilenet_v2_mid', size: 128, candidates: [
    { label: 'b12 2x2', parts: [out(12, 2)] },
    { label: 'b12 4x4', parts: [out(12, 4)] },
    { label: 'b12 8x8', parts: [out(12, 8)] },
    { label: 'b11 4x4', parts: [out(11, 4)] },
    { label: 'b13 exp 4x4', parts: [exp(13, 4)] },
    { label: 'b12 4x4 + b5 4x4', parts: [out(12, 4), out(5, 4)] },
  ] },
  mid160: { model: 'mobilenet_v2_mid', size: 160, candidates: [
    { label: 'b12 2x2', parts: [out(12, 2)] },
    { label: 'b12 5x5', parts: [out(12, 5)] },
    { label: 'b12 10x10', parts: [out(12, 10)] },
    { label: 'b11 5x5', parts: [out(11, 5)] },
    { label: 'b12 5x5 + pixels 16x16', parts: [out(12, 5), px(16)] },
    { label: 'b12 2x2 + pixels 16x16', parts: [out(12, 2), px(16)] },
    { label: 'b11 5x5 + b12 5x5', parts: [out(11, 5), out(12, 5)] },
  ] },
  mid128px: { model: 'mobilenet_v2_mid', size: 128, candidates: [
    { label: 'pixels 16x16', parts: [px(16)] },
    { label: 'b12 4x4 + pixels 16x16', parts: [out(12, 4), px(16)] },
    { label: 'b11 4x4 + pixels 16x16', parts: [out(11, 4), px(16)] },
    { label: 'b12 2x2 + pixels 16x16', parts: [out(12, 2), px(16)] },
    { label: 'b11 4x4 + b12 4x4', parts: [out(11, 4), out(12, 4)] },
  ] },
  // Keras InceptionV3: mixed0-2 are 35x35 at 299 px, mixed3-7 17x17, mixed8-10 8x8; nsfwjs fine-tuned from mixed6 on, so mixed0-5 hold the ImageNet weights
  inc150: { model: 'inception_v3', size: 150, candidates: [
    { label: 'mixed2 2x2', parts: [k('mixed2', 2)] },
    { label: 'mixed2 4x4', parts: [k('mixed2', 4)] },
    { label: 'mixed3 2x2', parts: [k('mixed3', 2)] },
    { label: 'mixed4 2x2', parts: [k('mixed4', 2)] },
    { label: 'mixed5 2x2', parts: [k('mixed5', 2)] },
    { label: 'mixed5 gap', parts: [k('mixed5', 1)] },
    { label: 'mixed7 2x2', parts: [k('mixed7', 2)] },
    { label: 'mixed2 2x2 + mixed5 2x2', parts: [k('mixed2', 2), k('mixed5', 2)] },
  ] },
  incTop: { model: 'inception_v3', size: 150, candidates: [
    { label: 'mixed2 4x4', parts: [k('mixed2', 4)] },
    { label: 'mixed2 8x8', parts: [k('mixed2', 8)] },
    { label: 'mixed1 4x4', parts: [k('mixed1', 4)] },
    { label: 'mixed3 2x2', parts: [k('mixed3', 2)] },
  ] },
  // Keras MobileNetV2 alpha 1.0 (nsfwjs fine-tuned from block 11 on); block 12 is 8x8 at 128 px
  mnv2_128: { model: 'mobilenet_v2', size: 128, candidates: [
    { label: 'block_10 4x4', parts: [k('block_10_project_BN', 4)] },
    { label: 'block_12 2x2', parts: [k('block_12_add', 2)] },
    { label: 'block_12 4x4', parts: [k('block_12_add', 4)] },
    { label: 'block_12 8x8', parts: [k('block_12_add', 8)] },
    { label: 'block_13 expand 4x4', parts: [k('block_13_expand_relu', 4)] },
  ] },
};

const setName = process.argv[2] ?? 'mid112';
const count = Number(process.argv[3] ?? 2000);
const set = SETS[setName];
if (!set) throw new Error(`unknown set ${setName}; one of ${Object.keys(SETS).join(', ')}`);

const key = (p: OutputPart) => `${p.from}|${JSON.stringify(p.pool)}`;
const parts = [...new Map(set.candidates.flatMap((c) => c.parts).map((p) => [key(p), p])).values()];
const keras = set.model !== 'mobilenet_v2_mid';
const norm = keras && process.env.UNIT_INPUT !== '1' ? 0.5 : 0;
const spec: ModelSpec = {
  name: 'explore', inputName: 'image', inputSize: { width: set.size, height: set.size }, layout: 'NCHW', channelOrder: 'RGB',
  valueScale: 1 / 255, mean: [norm, norm, norm], std: norm ? [norm, norm, norm] : [1, 1, 1], outputName: '', pooling: 'none', embeddingDim: 1,
};
const conv = convertTfjsToOnnx(keras ? loadKerasAsTfGraph(nsfwjsModelDir(set.model)) : loadTfjsGraph(), {
  inputFrom: keras ? 'input_1' : 'input', inputName: 'image', inputChannels: 3, inputSize: [set.size, set.size], graphName: 'explore',
  outputs: parts.map((p, i) => ({ name: `p${i}`, parts: [p] })),
});
const session = await ort.InferenceSession.create(conv.bytes, { intraOpNumThreads: 2, graphOptimizationLevel: 'all' });
const dims = conv.outputs.map((o) => o.dims.reduce((a, b) => a * b, 1));

async function embedAll(d: Digits): Promise<Float32Array[]> {
  const vecs = dims.map((n) => new Float32Array(n * d.count));
  for (let s = 0; s < d.count; s += 50) {
    const m = Math.min(50, d.count - s);
    const o = await session.run({ image: new ort.Tensor('float32', digitBatch(d, s, m, spec), [m, 3, set.size, set.size]) });
    conv.outputs.forEach((p, i) => vecs[i].set(o[p.name].data as Float32Array, s * dims[i]));
  }
  return vecs;
}

/** Subtracts the column means (the data set's own mean vector), in place. */
function centre(v: Float32Array, d: number): Float32Array {
  const n = v.length / d;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += v[r * d + j] / n;
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) v[r * d + j] -= mean[j];
  return v;
}

/** Scales each grid cell's channel vector (layout [C, cells]) to unit length, in place, so every cell weighs the same. */
function perCell(v: Float32Array, d: number, cells: number): Float32Array {
  const c = d / cells;
  for (let r = 0; r < v.length; r += d) for (let cell = 0; cell < cells; cell++) {
    let s = 0;
    for (let ch = 0; ch < c; ch++) s += v[r + ch * cells + cell] ** 2;
    const k = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let ch = 0; ch < c; ch++) v[r + ch * cells + cell] *= k;
  }
  return v;
}

type Mode = 'plain' | 'sqrt' | 'centred' | 'cells';
const MODES: Mode[] = (process.env.MODES?.split(',') as Mode[] | undefined) ?? ['plain', 'sqrt', 'centred'];

function combine(vecs: Float32Array[], idx: number[], n: number, mode: Mode): { v: Float32Array; dim: number } {
  const dim = idx.reduce((a, i) => a + dims[i], 0);
  const v = new Float32Array(dim * n);
  let off = 0;
  for (const i of idx) {
    const d = dims[i];
    const pool = parts[i].pool;
    const cells = typeof pool === 'object' ? pool.grid ** 2 : 1;
    const raw = mode === 'sqrt' ? vecs[i].map((x) => Math.sign(x) * Math.sqrt(Math.abs(x))) : mode === 'centred' ? centre(vecs[i].slice(), d) : mode === 'cells' ? perCell(vecs[i].slice(), d, cells) : vecs[i].slice();
    const part = normaliseRows(raw, d);
    for (let r = 0; r < n; r++) v.set(part.subarray(r * d, (r + 1) * d), r * dim + off);
    off += d;
  }
  return { v: normaliseRows(v, dim), dim };
}

const only = process.env.DATA; // 'Fashion' or 'MNIST' to measure one set
const data = ([['Fashion', () => loadFashionMnist('test', count)!], ['MNIST', () => loadMnist('test', count)]] as const)
  .filter(([name]) => !only || name === only)
  .map(([name, load]): [string, Digits] => [name, load()]);
const results = new Map<string, string[]>();
for (const [dname, d] of data) {
  const t0 = performance.now();
  const vecs = await embedAll(d);
  console.log(`${dname}: ${count} images, all parts in one pass, ${((performance.now() - t0) / count).toFixed(2)} ms/image`);
  const raw = await looKnnAccuracy(normaliseRows(Float32Array.from(d.pixels), 784), 784, d.labels);
  const rawC = await looKnnAccuracy(normaliseRows(centre(Float32Array.from(d.pixels), 784), 784), 784, d.labels);
  console.log(`  raw pixels ${(100 * raw).toFixed(2)} % (centred ${(100 * rawC).toFixed(2)} %)`);
  for (const c of set.candidates) {
    const idx = c.parts.map((p) => parts.findIndex((q) => key(q) === key(p)));
    const accs: string[] = [];
    for (const mode of MODES) {
      const e = combine(vecs, idx, d.count, mode);
      accs.push((100 * (await looKnnAccuracy(e.v, e.dim, d.labels))).toFixed(2));
    }
    const line = accs.join(' / ');
    results.set(c.label, [...(results.get(c.label) ?? []), line]);
    console.log(`  ${c.label.padEnd(28)} ${String(idx.reduce((a, i) => a + dims[i], 0)).padStart(6)}-d  ${line} (${MODES.join(' / ')})`);
  }
}
console.log(`\n${setName} (${set.model}) @ ${set.size}px, ${count} per set: candidate | Fashion ${MODES.join('/')} | MNIST ${MODES.join('/')}`);
for (const [label, r] of results) console.log(`| ${label} | ${r.join(' | ')} |`);

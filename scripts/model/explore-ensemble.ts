// Two networks side by side: MobileNetV2-1.4 block 12 (112 px) and InceptionV3 mixed2 (150 px, [0,1] input),
// each L2-normalised, concatenated; leave-one-out 5-NN (cosine). Usage:
//   nice npx tsx scripts/model/explore-ensemble.ts [count=10000] [Fashion|MNIST]
import ort from 'onnxruntime-node';
import { blockOutput } from './builtin-cuts';
import { convertTfjsToOnnx } from './convert';
import { loadKerasAsTfGraph } from './keras-graph';
import { looKnnAccuracy, normaliseRows } from './knn-eval';
import { loadFashionMnist, loadMnist } from './mnist';
import { digitBatch } from './mnist-input';
import { loadTfjsGraph, nsfwjsModelDir } from './tfjs-graph';
import type { ModelSpec } from '../../src-main/core/embed/model/spec';
const count = Number(process.argv[2] ?? 10000);
const d = process.argv[3] === 'MNIST' ? loadMnist('test', count) : loadFashionMnist('test', count)!;
const spec = (s: number): ModelSpec => ({ name: 'e', inputName: 'image', inputSize: { width: s, height: s }, layout: 'NCHW', channelOrder: 'RGB', valueScale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], outputName: 'y', pooling: 'none', embeddingDim: 1 });
async function run(bytes: Uint8Array, s: number, names: string[], dims: number[]) {
  const sess = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2, graphOptimizationLevel: 'all' });
  const v = dims.map((n) => new Float32Array(n * count));
  for (let i = 0; i < count; i += 50) {
    const m = Math.min(50, count - i);
    const o = await sess.run({ image: new ort.Tensor('float32', digitBatch(d, i, m, spec(s)), [m, 3, s, s]) });
    names.forEach((n, j) => v[j].set(o[n].data as Float32Array, i * dims[j]));
  }
  return v.map((x, j) => normaliseRows(x, dims[j]));
}
const mid = convertTfjsToOnnx(loadTfjsGraph(), { inputFrom: 'input', inputName: 'image', inputChannels: 3, inputSize: [112, 112], graphName: 'm', outputs: [{ name: 'a', parts: [{ from: blockOutput(12), pool: { grid: 7 } }] }, { name: 'b', parts: [{ from: blockOutput(12), pool: { grid: 2 } }] }] });
const inc = convertTfjsToOnnx(loadKerasAsTfGraph(nsfwjsModelDir('inception_v3')), { inputFrom: 'input_1', inputName: 'image', inputChannels: 3, inputSize: [150, 150], graphName: 'i', outputs: [{ name: 'c', parts: [{ from: 'mixed2', pool: { grid: 4 } }] }, { name: 'e', parts: [{ from: 'mixed2', pool: { grid: 2 } }] }] });
const [m7, m2] = await run(mid.bytes, 112, ['a', 'b'], [6664, 544]);
const [i4, i2] = await run(inc.bytes, 150, ['c', 'e'], [4608, 1152]);
function cat(parts: [Float32Array, number][]) {
  const dim = parts.reduce((a, p) => a + p[1], 0);
  const v = new Float32Array(dim * count);
  for (let r = 0; r < count; r++) { let off = 0; for (const [p, pd] of parts) { v.set(p.subarray(r * pd, (r + 1) * pd), r * dim + off); off += pd; } }
  return { v: normaliseRows(v, dim), dim };
}
for (const [label, parts] of [['mid b12 7x7', [[m7, 6664]]], ['inc mixed2 4x4', [[i4, 4608]]], ['mid b12 7x7 + inc mixed2 4x4', [[m7, 6664], [i4, 4608]]], ['mid b12 2x2 + inc mixed2 4x4', [[m2, 544], [i4, 4608]]], ['mid b12 2x2 + inc mixed2 2x2', [[m2, 544], [i2, 1152]]]] as [string, [Float32Array, number][]][]) {
  const c = cat(parts);
  console.log(`${label} (${c.dim}-d): ${(100 * (await looKnnAccuracy(c.v, c.dim, d.labels))).toFixed(2)} %`);
}

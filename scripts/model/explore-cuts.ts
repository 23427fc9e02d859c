// Measures which cut and pooling of the TF.js MobileNetV2 makes the best embedding: leave-one-out
// 5-NN accuracy (cosine) on MNIST test digits. Usage:
//   nice npx tsx scripts/model/explore-cuts.ts [size=112] [count=10000] [set=main|wide|sizes]
import ort from 'onnxruntime-node';
import type { OutputPart } from './ir';
import { convertTfjsToOnnx } from './convert';
import { blockDepthwise, blockExpand, blockOutput, LAST_CONV } from './builtin-cuts';
import { looKnnAccuracy, normaliseRows } from './knn-eval';
import { loadMnist } from './mnist';
import { digitBatch } from './mnist-input';
import { loadTfjsGraph } from './tfjs-graph';
import type { ModelSpec } from '../../src-main/core/embed/model/spec';

const size = Number(process.argv[2] ?? 112);
const count = Number(process.argv[3] ?? 10000);
const set = process.argv[4] ?? 'main';

const g2 = { grid: 2 } as const;
const sizes: Record<string, OutputPart[]> = {
  'b11 out 2x2': [{ from: blockOutput(11), pool: g2 }],
  'b12 out 2x2': [{ from: blockOutput(12), pool: g2 }],
  'b13 expand 2x2': [{ from: blockExpand(13), pool: g2 }],
};
const candidates: Record<string, OutputPart[]> = set === 'sizes' ? sizes : set === 'main' ? {
  'b10 out 2x2': [{ from: blockOutput(10), pool: g2 }],
  'b11 out 2x2': [{ from: blockOutput(11), pool: g2 }],
  'b12 out 2x2': [{ from: blockOutput(12), pool: g2 }],
  'b12 out 3x3': [{ from: blockOutput(12), pool: { grid: 3 } }],
  'b12 out gap': [{ from: blockOutput(12), pool: 'global' }],
  'b13 expand 2x2': [{ from: blockExpand(13), pool: g2 }],
  'b13 dw 2x2': [{ from: blockDepthwise(13), pool: g2 }],
  'b13 out 2x2': [{ from: blockOutput(13), pool: g2 }],
  'b14 out 2x2': [{ from: blockOutput(14), pool: g2 }],
  'b16 out 2x2': [{ from: blockOutput(16), pool: g2 }],
  'Conv_1 gap': [{ from: LAST_CONV, pool: 'global' }],
} : {
  'b6 out 2x2': [{ from: blockOutput(6), pool: g2 }],
  'b8 out 2x2': [{ from: blockOutput(8), pool: g2 }],
  'b9 out 2x2': [{ from: blockOutput(9), pool: g2 }],
  'b12 expand 2x2': [{ from: blockExpand(12), pool: g2 }],
  'b11+b12 out 2x2': [{ from: blockOutput(11), pool: g2 }, { from: blockOutput(12), pool: g2 }],
  'b12 2x2 + b13 out 2x2': [{ from: blockOutput(12), pool: g2 }, { from: blockOutput(13), pool: g2 }],
  'b12 2x2 + Conv_1 gap': [{ from: blockOutput(12), pool: g2 }, { from: LAST_CONV, pool: 'global' }],
};

const spec: ModelSpec = {
  name: 'explore', inputName: 'image', inputSize: { width: size, height: size }, layout: 'NCHW', channelOrder: 'RGB',
  valueScale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], outputName: '', pooling: 'none', embeddingDim: 1,
};
const names = Object.keys(candidates);
const graph = loadTfjsGraph();
const conv = convertTfjsToOnnx(graph, {
  inputFrom: 'input', inputName: 'image', inputChannels: 3, inputSize: [size, size], graphName: 'explore',
  outputs: names.map((n, i) => ({ name: `out${i}`, parts: candidates[n] })),
});
const session = await ort.InferenceSession.create(conv.bytes, { intraOpNumThreads: 2, graphOptimizationLevel: 'all' });
const digits = loadMnist('test', count);
const dims = conv.outputs.map((o) => o.dims.reduce((a, b) => a * b, 1));
const vecs = dims.map((d) => new Float32Array(d * count));
const batch = 100;
const t0 = performance.now();
for (let s = 0; s < count; s += batch) {
  const m = Math.min(batch, count - s);
  const out = await session.run({ image: new ort.Tensor('float32', digitBatch(digits, s, m, spec), [m, 3, size, size]) });
  conv.outputs.forEach((o, i) => vecs[i].set(out[o.name].data as Float32Array, s * dims[i]));
}
console.log(`size ${size}, ${count} digits, all cuts in one pass: ${((performance.now() - t0) / count).toFixed(2)} ms/image`);

const raw = normaliseRows(Float32Array.from(digits.pixels), 784);
console.log(`raw pixels (784-d): ${(100 * (await looKnnAccuracy(raw, 784, digits.labels))).toFixed(2)} %`);
for (let i = 0; i < names.length; i++) {
  const plain = normaliseRows(vecs[i].slice(), dims[i]);
  const sq = normaliseRows(vecs[i].map((v) => Math.sign(v) * Math.sqrt(Math.abs(v))), dims[i]);
  const a = await looKnnAccuracy(plain, dims[i], digits.labels);
  const b = await looKnnAccuracy(sq, dims[i], digits.labels);
  console.log(`${names[i].padEnd(24)} ${String(dims[i]).padStart(5)}-d  ${(100 * a).toFixed(2)} %   signed-sqrt ${(100 * b).toFixed(2)} %`);
}

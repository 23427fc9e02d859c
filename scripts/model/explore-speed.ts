// Images/s of the embedding candidates measured by explore-accurate.ts, next to the built-in
// models (float and the int8 CPU default) in the same run: one onnxruntime session each, CPU,
// the same batch of Fashion-MNIST items preprocessed for each input size, interleaved rounds
// (this shared host's speed drifts), median. Usage:
//   nice npx tsx scripts/model/explore-speed.ts [batch=64] [rounds=3]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { MODELS_DIR } from './build-builtin';
import { blockOutput } from './builtin-cuts';
import { convertTfjsToOnnx } from './convert';
import type { OutputPart } from './ir';
import { loadKerasAsTfGraph } from './keras-graph';
import { loadFashionMnist } from './mnist';
import { digitBatch } from './mnist-input';
import { loadTfjsGraph, nsfwjsModelDir } from './tfjs-graph';
import type { ModelSpec } from '../../src-main/core/embed/model/spec';

const batch = Number(process.argv[2] ?? 64);
const rounds = Number(process.argv[3] ?? 3);

interface Candidate { label: string; model: 'mobilenet_v2_mid' | 'inception_v3' | 'mobilenet_v2'; size: number; part: OutputPart }
const CANDIDATES: Candidate[] = [
  { label: 'MobileNetV2-1.4 b12 4x4, 128 px', model: 'mobilenet_v2_mid', size: 128, part: { from: blockOutput(12), pool: { grid: 4 } } },
  { label: 'MobileNetV2-1.4 b12 8x8, 128 px', model: 'mobilenet_v2_mid', size: 128, part: { from: blockOutput(12), pool: { grid: 8 } } },
  { label: 'MobileNetV2-1.4 b12 7x7, 112 px', model: 'mobilenet_v2_mid', size: 112, part: { from: blockOutput(12), pool: { grid: 7 } } },
  { label: 'MobileNetV2-1.0 block_10 4x4, 128 px', model: 'mobilenet_v2', size: 128, part: { from: 'block_10_project_BN', pool: { grid: 4 } } },
  { label: 'InceptionV3 mixed2 4x4, 150 px', model: 'inception_v3', size: 150, part: { from: 'mixed2', pool: { grid: 4 } } },
];

const specFor = (size: number, keras: boolean): ModelSpec => ({
  name: 'speed', inputName: 'image', inputSize: { width: size, height: size }, layout: 'NCHW', channelOrder: 'RGB',
  valueScale: 1 / 255, mean: keras ? [0.5, 0.5, 0.5] : [0, 0, 0], std: keras ? [0.5, 0.5, 0.5] : [1, 1, 1], outputName: 'y', pooling: 'none', embeddingDim: 1,
});

const items = loadFashionMnist('test', batch)!;
const opts: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all' };
const runs: { label: string; session: ort.InferenceSession; input: ort.Tensor; output: string }[] = [];
for (const [label, file] of [['built-in float (b12 2x2, 112 px)', 'builtin.onnx'], ['built-in int8, the CPU default', 'builtin-int8.onnx']]) {
  const session = await ort.InferenceSession.create(readFileSync(join(MODELS_DIR, file)), opts);
  runs.push({ label, session, input: new ort.Tensor('float32', digitBatch(items, 0, batch, specFor(112, false)), [batch, 3, 112, 112]), output: session.outputNames[0] });
}
for (const c of CANDIDATES) {
  const keras = c.model !== 'mobilenet_v2_mid';
  const conv = convertTfjsToOnnx(keras ? loadKerasAsTfGraph(nsfwjsModelDir(c.model)) : loadTfjsGraph(), {
    inputFrom: keras ? 'input_1' : 'input', inputName: 'image', inputChannels: 3, inputSize: [c.size, c.size], graphName: 'speed',
    outputs: [{ name: 'y', parts: [c.part] }],
  });
  const session = await ort.InferenceSession.create(conv.bytes, opts);
  runs.push({ label: `${c.label} (${conv.outputs[0].dims[0]}-d)`, session, input: new ort.Tensor('float32', digitBatch(items, 0, batch, specFor(c.size, keras)), [batch, 3, c.size, c.size]), output: 'y' });
}
const rates = runs.map(() => [] as number[]);
for (const r of runs) await r.session.run({ image: r.input }); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const [i, r] of runs.entries()) {
    const t0 = performance.now();
    await r.session.run({ image: r.input });
    rates[i].push(batch / ((performance.now() - t0) / 1000));
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const base = median(rates[1]);
console.log(`batch ${batch}, ${rounds} interleaved rounds, median images/s (ratio to the int8 default)`);
for (const [i, r] of runs.entries()) console.log(`| ${r.label} | ${median(rates[i]).toFixed(0)} | ${(median(rates[i]) / base).toFixed(2)}x |`);

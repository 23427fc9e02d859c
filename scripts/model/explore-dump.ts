// Dumps raw MobileNetV2-1.4 (the built-in's network) block feature maps for test-time-augmentation
// experiments (issue 15 item 8: horizontal flip, power normalisation + PCA whitening, two input
// sizes), analysed offline by explore-tta.py. Writes DIR/{data}-{size}-{flip|orig}-b{block}.f32
// ([count, C, H, W] float32, no pooling) and DIR/{data}-labels.i32. With INCEPTION=LAYER:GRID it
// dumps nsfwjs's InceptionV3 cut at LAYER instead, pooled to GRID × GRID as explore-accurate.ts pools
// it ([0, 1] input), to DIR/{data}-{size}-{flip|orig}-inc-{layer}-{grid}.f32 ([count, D]). Usage:
//   nice npx tsx scripts/model/explore-dump.ts DATA(Fashion|MNIST) SIZE FLIP(0|1) [count=10000] [dir=/tmp/model-tta] [blocks=11,12]
//   INCEPTION=mixed2:4 nice npx tsx scripts/model/explore-dump.ts Fashion 150 0
// With ALL=1 it dumps all 70,000 images instead (training then test, the curate benches' rows) under
// the data name {data}-70k (count is ignored), written as it goes: the 7×7 maps are 1.9 GB.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { blockOutput } from './builtin-cuts';
import { convertTfjsToOnnx } from './convert';
import { loadFashionMnist, loadMnist, type Digits } from './mnist';
import { digitBatch } from './mnist-input';
import { loadKerasAsTfGraph } from './keras-graph';
import { loadTfjsGraph, nsfwjsModelDir } from './tfjs-graph';
import type { ModelSpec } from '../../src-main/core/embed/model/spec';

const [dataName, sizeArg, flipArg, countArg, dirArg, blocksArg] = process.argv.slice(2);
const size = Number(sizeArg);
const flip = flipArg === '1';
const count = Number(countArg ?? 10000);
const dir = dirArg ?? '/tmp/model-tta';
const blocks = (blocksArg ?? '11,12').split(',').map(Number);
mkdirSync(dir, { recursive: true });

const all = process.env.ALL === '1';
const load = (split: 'train' | 'test', n: number): Digits => (dataName === 'MNIST' ? loadMnist(split, n) : loadFashionMnist(split, n)!);
const d: Digits = all ? joined(load('train', 60000), load('test', 10000)) : load('test', count);
const prefix = all ? `${dataName}-70k` : dataName;

function joined(a: Digits, b: Digits): Digits {
  const pixels = new Uint8Array(a.pixels.length + b.pixels.length);
  pixels.set(a.pixels); pixels.set(b.pixels, a.pixels.length);
  const labels = new Int32Array(a.count + b.count);
  labels.set(a.labels); labels.set(b.labels, a.count);
  return { ...a, count: a.count + b.count, pixels, labels };
}
if (flip) { // mirror each 28x28 image left-right before the app's preprocess
  const p = d.pixels.slice();
  for (let i = 0; i < d.count; i++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) p[i * 784 + y * 28 + x] = d.pixels[i * 784 + y * 28 + 27 - x];
  d.pixels = p;
}
const spec: ModelSpec = {
  name: 'dump', inputName: 'image', inputSize: { width: size, height: size }, layout: 'NCHW', channelOrder: 'RGB',
  valueScale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], outputName: '', pooling: 'none', embeddingDim: 1,
};
const [incLayer, incGrid] = process.env.INCEPTION?.split(':') ?? [];
const conv = incLayer
  ? convertTfjsToOnnx(loadKerasAsTfGraph(nsfwjsModelDir('inception_v3')), {
    inputFrom: 'input_1', inputName: 'image', inputChannels: 3, inputSize: [size, size], graphName: 'dump',
    outputs: [{ name: 'inc', parts: [{ from: incLayer, pool: { grid: Number(incGrid ?? 4) } }] }],
  })
  : convertTfjsToOnnx(loadTfjsGraph(), {
    inputFrom: 'input', inputName: 'image', inputChannels: 3, inputSize: [size, size], graphName: 'dump',
    outputs: blocks.map((b) => ({ name: `b${b}`, parts: [{ from: blockOutput(b), pool: 'none' as const }] })),
  });
const session = await ort.InferenceSession.create(conv.bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
const dims = conv.outputs.map((o) => o.dims.reduce((a, b) => a * b, 1));
const stem = `${prefix}-${size}-${flip ? 'flip' : 'orig'}`;
const files = incLayer ? [`${stem}-inc-${incLayer}-${incGrid ?? 4}.f32`] : blocks.map((b) => `${stem}-b${b}.f32`);
// Each batch's maps are appended to their file as they come.
const fds = files.map((f) => openSync(join(dir, f), 'w'));
const t0 = performance.now();
for (let s = 0; s < d.count; s += 50) {
  const m = Math.min(50, d.count - s);
  const o = await session.run({ image: new ort.Tensor('float32', digitBatch(d, s, m, spec), [m, 3, size, size]) });
  conv.outputs.forEach((p, i) => { const v = o[p.name].data as Float32Array; writeSync(fds[i]!, new Uint8Array(v.buffer, v.byteOffset, m * dims[i]! * 4)); });
}
fds.forEach((fd) => closeSync(fd));
writeFileSync(join(dir, `${prefix}-labels.i32`), d.labels);
console.log(`${prefix} ${size}px flip=${flip}: ${d.count} images, ${((performance.now() - t0) / d.count).toFixed(2)} ms/image; shapes ${conv.outputs.map((o) => o.dims.join('x')).join(', ')}`);

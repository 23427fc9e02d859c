// Dumps raw MobileNetV2-1.4 (the built-in's network) block feature maps for test-time-augmentation
// experiments (issue 15 item 8: horizontal flip, power normalisation + PCA whitening, two input
// sizes), analysed offline by explore-tta.py. Writes DIR/{data}-{size}-{flip|orig}-b{block}.f32
// ([count, C, H, W] float32, no pooling) and DIR/{data}-labels.i32. With INCEPTION=LAYER:GRID it
// dumps nsfwjs's InceptionV3 cut at LAYER instead, pooled to GRID × GRID as explore-accurate.ts pools
// it ([0, 1] input), to DIR/{data}-{size}-{flip|orig}-inc-{layer}-{grid}.f32 ([count, D]). Usage:
//   nice npx tsx scripts/model/explore-dump.ts DATA(Fashion|MNIST) SIZE FLIP(0|1) [count=10000] [dir=/tmp/model-tta] [blocks=11,12]
//   INCEPTION=mixed2:4 nice npx tsx scripts/model/explore-dump.ts Fashion 150 0
import { mkdirSync, writeFileSync } from 'node:fs';
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

const d: Digits = dataName === 'MNIST' ? loadMnist('test', count) : loadFashionMnist('test', count)!;
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
const vecs = dims.map((n) => new Float32Array(n * d.count));
const t0 = performance.now();
for (let s = 0; s < d.count; s += 50) {
  const m = Math.min(50, d.count - s);
  const o = await session.run({ image: new ort.Tensor('float32', digitBatch(d, s, m, spec), [m, 3, size, size]) });
  conv.outputs.forEach((p, i) => vecs[i].set(o[p.name].data as Float32Array, s * dims[i]));
}
const stem = `${dataName}-${size}-${flip ? 'flip' : 'orig'}`;
if (incLayer) writeFileSync(join(dir, `${stem}-inc-${incLayer}-${incGrid ?? 4}.f32`), vecs[0]!);
else for (const [i, b] of blocks.entries()) writeFileSync(join(dir, `${stem}-b${b}.f32`), vecs[i]);
writeFileSync(join(dir, `${dataName}-labels.i32`), d.labels);
console.log(`${dataName} ${size}px flip=${flip}: ${d.count} images, ${((performance.now() - t0) / d.count).toFixed(2)} ms/image; shapes ${conv.outputs.map((o) => o.dims.join('x')).join(', ')}`);

// Records the activation ranges the int8 built-in model is quantised with (builtin-int8-ranges.json).
// Run by a developer when the float model changes, not at install time: the ranges file is what
// makes the install-time build deterministic. Calibration images, run through the float model:
// MNIST training digits, Fashion-MNIST training items when Debian's package is installed, and
// generated colour images (shapes, gradients, smooth noise) so colour photos are not clipped.
//   npx tsx scripts/model/calibrate-int8.ts [--per-source 256]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { onnx } from '../../src-main/core/embed/model/onnx-proto';
import { preprocess } from '../../src-main/core/embed/model/preprocess';
import { FIXTURE_CLASSES, drawSample } from '../../src-main/testing/fixture-images';
import { BUILTIN_SPEC } from './builtin-config';
import { MODELS_DIR } from './build-builtin';
import { digitBatch } from './mnist-input';
import { loadFashionMnist, loadMnist } from './mnist';
import { activationsToQuantise, type ActivationRanges } from './quantize';

export const RANGES_FILE = fileURLToPath(new URL('./builtin-int8-ranges.json', import.meta.url));

/** Smooth colour images: a gradient, low-frequency noise and a bright shape, 64×64 RGB. */
function colourImage(i: number): Uint8Array {
  let s = (i * 2654435761) >>> 0 || 1;
  const r = () => { s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
  const size = 64;
  const px = new Uint8Array(size * size * 3);
  const base = [r(), r(), r()].map((v) => v * 255);
  const grad = [r() - 0.5, r() - 0.5, r() - 0.5].map((v) => v * 4);
  const waves = Array.from({ length: 3 }, () => ({ fx: r() * 0.3, fy: r() * 0.3, ph: r() * 6.28, a: r() * 60 }));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const wave = waves.reduce((acc, w) => acc + w.a * Math.sin(w.fx * x + w.fy * y + w.ph), 0);
      for (let c = 0; c < 3; c++) px[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(base[c]! + grad[c]! * (x + y) + wave + (r() - 0.5) * 40)));
    }
  }
  return px;
}

function* calibrationBatches(perSource: number, batch: number): Generator<Float32Array> {
  const spec = BUILTIN_SPEC;
  const per = 3 * spec.inputSize.width * spec.inputSize.height;
  for (const set of [loadMnist('train', perSource), loadFashionMnist('train', perSource)]) {
    if (!set) continue;
    for (let i = 0; i < set.count; i += batch) yield digitBatch(set, i, Math.min(batch, set.count - i), spec);
  }
  for (let i = 0; i < perSource; i += batch) {
    const n = Math.min(batch, perSource - i);
    const out = new Float32Array(per * n);
    for (let j = 0; j < n; j++) {
      const k = i + j;
      const img = k % 2 === 0 ? colourImage(k) : new Uint8Array(drawSample(FIXTURE_CLASSES[k % 3]!, k, 48));
      const size = k % 2 === 0 ? 64 : 48;
      out.set(preprocess(img, size, size, 3, spec), j * per);
    }
    yield out;
  }
}

export async function calibrate(floatModel: Uint8Array, perSource = 256): Promise<ActivationRanges> {
  const model = onnx.ModelProto.decode(floatModel);
  const names = activationsToQuantise(model);
  const graph = model.graph!;
  // Every activation to quantise becomes an extra output of the float graph.
  const outputs = graph.output ?? [];
  graph.output = [...outputs, ...names.filter((n) => !outputs.some((o) => o.name === n)).map((name) => onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }))];
  const session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish());
  const ranges: ActivationRanges = Object.fromEntries(names.map((n) => [n, [Infinity, -Infinity]]));
  const { width, height } = BUILTIN_SPEC.inputSize;
  for (const batch of calibrationBatches(perSource, 32)) {
    const n = batch.length / (3 * width * height);
    const out = await session.run({ [BUILTIN_SPEC.inputName]: new ort.Tensor('float32', batch, [n, 3, height, width]) });
    for (const name of names) {
      const data = out[name]!.data as Float32Array;
      const r = ranges[name]!;
      for (let i = 0; i < data.length; i++) {
        const v = data[i]!;
        if (v < r[0]) r[0] = v;
        if (v > r[1]) r[1] = v;
      }
    }
  }
  await session.release();
  return ranges;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values } = parseArgs({ options: { 'per-source': { type: 'string', default: '256' } } });
  const ranges = await calibrate(readFileSync(`${MODELS_DIR}builtin.onnx`), Number(values['per-source']));
  // Rounded to float32 and 7 significant digits so the file diffs well and rebuilds bit-exactly.
  const rounded = Object.fromEntries(Object.entries(ranges).map(([k, [lo, hi]]) => [k, [Number(Math.fround(lo).toPrecision(7)), Number(Math.fround(hi).toPrecision(7))]]));
  writeFileSync(RANGES_FILE, `${JSON.stringify(rounded, null, 1)}\n`);
  console.log(`wrote ${Object.keys(rounded).length} activation ranges to ${RANGES_FILE}`);
}

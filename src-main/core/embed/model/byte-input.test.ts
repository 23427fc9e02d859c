import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import ort from 'onnxruntime-node';
import { floatTensor, node, onnx, valueInfo } from './onnx-proto';
import { createRng } from '../../../../src-shared/random';
import { readDemoPart } from '../../import/idx';
import { resolveModel } from '../model-source';
import { BYTE_INPUT, decodeModel } from './byte-input';
import { embedBatch, embedBytes } from './embed';
import { ModelError } from './errors';
import { foldGreyInput } from './grey-conv';
import { loadModel, type LoadedModel, type LoadOptions } from './load';
import { preprocess } from './preprocess';
import type { ModelSpec } from './spec';
import { fixtureDir, fixtureSpec, imageFixture, writeFixture } from '../../../testing/model-fixtures';

const models: LoadedModel[] = [];
after(async () => {
  for (const m of models) await m.session.release();
});
async function load(path: string, spec: ModelSpec, byteInput?: LoadOptions['byteInput']): Promise<LoadedModel> {
  const m = await loadModel(path, spec, { device: 'cpu', ...(byteInput ? { byteInput } : {}) });
  models.push(m);
  return m;
}

/** image [N,8,8,3] -> "map", the image itself (an NHWC model). */
function nhwcFixture(): string {
  return writeFixture('image-nhwc.onnx', {
    nodes: [node('Identity', ['image'], ['map'], 'id')],
    inputs: [valueInfo('image', ['N', 8, 8, 3])],
    outputs: [valueInfo('map', ['N', 8, 8, 3])],
  });
}

function randomBytes(n: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));
}

async function mapOf(m: LoadedModel, pixels: Uint8Array, dims: number[]): Promise<Float32Array> {
  const out = await m.session.run({ [BYTE_INPUT]: new ort.Tensor('uint8', pixels, dims) }, ['map']);
  return out.map!.data as Float32Array;
}

function assertClose(actual: Float32Array, expected: Float32Array, tol: number): void {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  assert.ok(worst <= tol, `largest difference ${worst} > ${tol}`);
}

const specs: Array<[string, Partial<ModelSpec>]> = [
  ['RGB, no normalisation', {}],
  ['BGR with ImageNet mean/std', { channelOrder: 'BGR', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }],
];

for (const [name, over] of specs) {
  test(`the byte graph prepares RGB pixels exactly as preprocess does (${name})`, async () => {
    const spec = fixtureSpec({ outputName: 'map', embeddingDim: 192, ...over });
    const m = await load(imageFixture(), spec, { width: 8, height: 8, channels: 3 });
    assert.deepEqual(m.byteInput, { width: 8, height: 8, channels: 3 });
    const px = randomBytes(2 * 64 * 3, 1);
    const expected = new Float32Array(2 * 192);
    for (let b = 0; b < 2; b++) expected.set(preprocess(px.subarray(b * 192, (b + 1) * 192), 8, 8, 3, spec), b * 192);
    assertClose(await mapOf(m, px, [2, 8, 8, 3]), expected, 1e-5);
  });
}

test('the byte graph writes NHWC for an NHWC model', async () => {
  const spec = fixtureSpec({ layout: 'NHWC', outputName: 'map', embeddingDim: 192, mean: [0.5, 0.25, 0], std: [0.5, 1, 2] });
  const m = await load(nhwcFixture(), spec, { width: 8, height: 8, channels: 3 });
  const px = randomBytes(64 * 3, 2);
  assertClose(await mapOf(m, px, [1, 8, 8, 3]), preprocess(px, 8, 8, 3, spec), 1e-5);
});

test('smaller grey images are enlarged bilinearly and copied into three channels, as preprocess does', async () => {
  const spec = fixtureSpec({ outputName: 'map', embeddingDim: 192, mean: [0.1, 0.2, 0.3] });
  const m = await load(imageFixture(), spec, { width: 4, height: 4, channels: 1 });
  const px = randomBytes(16, 3);
  assertClose(await mapOf(m, px, [1, 4, 4, 1]), preprocess(px, 4, 4, 1, spec), 1e-5);
});

// The float build matches to rounding; the int8 build re-quantises its input, so a last-bit
// difference in the resized pixels can move a value by one quantisation step: it must still
// give the same direction (cosine ≥ 0.999 per digit).
for (const [variant, tolerance] of [['builtin-float', 1e-4], ['builtin-int8', null]] as const) {
  test(`the built-in model (${variant}) gives the same vectors for MNIST digits fed as stored bytes as for prepared floats`, async () => {
    const source = resolveModel(variant);
    const floats = await load(source.onnxPath, source.spec);
    const bytes = await load(source.onnxPath, source.spec, { width: 28, height: 28, channels: 1 });
    assert.ok(bytes.byteInput && !floats.byteInput);
    const n = 8;
    const px = readDemoPart('mnist', 'test').images.slice(0, n * 784);
    const per = 3 * source.spec.inputSize.width * source.spec.inputSize.height;
    const batch = new Float32Array(n * per);
    for (let i = 0; i < n; i++) batch.set(preprocess(px.subarray(i * 784, (i + 1) * 784), 28, 28, 1, source.spec), i * per);
    const viaBytes = await embedBytes(bytes, px, n);
    const viaFloats = await embedBatch(floats, batch, n);
    if (tolerance !== null) assertClose(viaBytes, viaFloats, tolerance);
    else {
      const d = source.spec.embeddingDim;
      for (let i = 0; i < n; i++) {
        let cos = 0;
        for (let j = 0; j < d; j++) cos += viaBytes[i * d + j]! * viaFloats[i * d + j]!;
        assert.ok(cos >= 0.999, `digit ${i}: cosine ${cos}`);
      }
    }
    await assert.rejects(embedBatch(bytes, batch, n), /takes bytes/);
  });
}

test('a model the byte graph cannot precede (opset 9) loads as it is and takes floats', async () => {
  const proto = decodeModel(readFileSync(imageFixture()));
  proto.opsetImport = [{ domain: '', version: 9 }];
  const path = join(fixtureDir, 'opset9.onnx');
  writeFileSync(path, onnx.ModelProto.encode(proto).finish());
  const m = await load(path, fixtureSpec(), { width: 8, height: 8, channels: 3 });
  assert.equal(m.byteInput, undefined);
  const v = await embedBatch(m, new Float32Array(3 * 64).fill(0.5), 1);
  assert.equal(v.length, 3);
});

test('a spec that does not fit is still refused with the original input named', async () => {
  await assert.rejects(load(imageFixture(), fixtureSpec({ inputSize: { width: 16, height: 16 } }), { width: 16, height: 16, channels: 3 }),
    (e: unknown) => e instanceof ModelError && e.code === 'bad-input-shape' && /image float32\[N, 3, 8, 8\]/.test(e.message));
  await assert.rejects(load(imageFixture(), fixtureSpec({ outputName: 'nope' }), { width: 8, height: 8, channels: 3 }),
    (e: unknown) => e instanceof ModelError && e.code === 'missing-output');
});

/** image [N,3,8,8] → x·2 → 3×3 conv to 4 channels → "map" [N,4,8,8]: a first layer the grey fold applies to. */
function convFixture(group = 1): string {
  const rng = createRng(7);
  const w = Float32Array.from({ length: 4 * (3 / group) * 9 }, () => rng() - 0.5);
  return writeFixture(`conv-g${group}.onnx`, {
    nodes: [
      node('Mul', ['image', 'two'], ['scaled'], 'mul'),
      node('Conv', ['scaled', 'W', 'B'], ['map'], 'conv', { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group }),
    ],
    initializers: [floatTensor('two', [], Float32Array.of(2)), floatTensor('W', [group === 1 ? 4 : 3, 3 / group, 3, 3], w.subarray(0, (group === 1 ? 4 : 3) * (3 / group) * 9)), floatTensor('B', [group === 1 ? 4 : 3], Float32Array.of(0.1, -0.2, 0.3, 0).subarray(0, group === 1 ? 4 : 3))],
    inputs: [valueInfo('image', ['N', 3, 8, 8])],
    outputs: [valueInfo('map', ['N', group === 1 ? 4 : 3, 8, 8])],
  });
}

for (const group of [1, 3]) {
  test(`grey pixels through ${group === 1 ? 'a folded first convolution' : 'a grouped convolution (not folded)'} match the float path`, async () => {
    const spec = fixtureSpec({ outputName: 'map', embeddingDim: (group === 1 ? 4 : 3) * 64, mean: [0.2, 0.2, 0.2], std: [0.5, 0.5, 0.5] });
    const path = convFixture(group);
    const floats = await load(path, spec);
    const bytes = await load(path, spec, { width: 4, height: 4, channels: 1 });
    assert.ok(bytes.byteInput);
    assert.equal(foldGreyInput(decodeModel(readFileSync(path)).graph!, 'image') !== null, group === 1);
    const px = randomBytes(2 * 16, 11);
    const batch = new Float32Array(2 * 192);
    for (let b = 0; b < 2; b++) batch.set(preprocess(px.subarray(b * 16, (b + 1) * 16), 4, 4, 1, spec), b * 192);
    const want = (await floats.session.run({ image: new ort.Tensor('float32', batch, [2, 3, 8, 8]) })).map!.data as Float32Array;
    assertClose(await mapOf(bytes, px, [2, 4, 4, 1]), want, 1e-4);
  });
}

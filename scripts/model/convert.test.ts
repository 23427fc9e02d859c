import assert from 'node:assert/strict';
import { test } from 'node:test';
import ort from 'onnxruntime-node';
import { pool } from '../../src-main/core/embed/model/embed';
import { blockDepthwise, blockExpand, blockOutput, TF_PREFIX } from './builtin-cuts';
import { convertTfjsToOnnx } from './convert';
import type { ConvertOptions } from './ir';
import { loadKerasAsTfGraph } from './keras-graph';
import { nchwToNhwc, randomArray, refConcat, refConv, refPool, type Nhwc } from './reference-ops';
import { loadTfjsGraph, nsfwjsModelDir, type TfGraph, type TfNode } from './tfjs-graph';

const graph = loadTfjsGraph();
let inceptionGraph: TfGraph | undefined;
const inception = (): TfGraph => (inceptionGraph ??= loadKerasAsTfGraph(nsfwjsModelDir('inception_v3')));

async function runSingle(g: TfGraph, inputFrom: string, outFrom: string, c: number, h: number, w: number, x: Float32Array): Promise<Nhwc> {
  const opts: ConvertOptions = { inputFrom, inputName: 'x', inputChannels: c, inputSize: [h, w], graphName: 'layer', outputs: [{ name: 'y', parts: [{ from: outFrom, pool: 'none' }] }] };
  const { bytes, outputs } = convertTfjsToOnnx(g, opts);
  const s = await ort.InferenceSession.create(bytes);
  const out = (await s.run({ x: new ort.Tensor('float32', x, [1, c, h, w]) })).y;
  await s.release();
  assert.deepEqual(out.dims.slice(1), outputs[0].dims);
  const [oc, oh, ow] = outputs[0].dims;
  return nchwToNhwc(out.data as Float32Array, oc, oh, ow);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const weight = (name: string) => {
  const t = graph.weights.get(name);
  assert.ok(t, name);
  return t;
};

for (const size of [16, 15]) {
  test(`first conv (3x3, stride 2, SAME, ReLU6) on real weights matches a JS reference at ${size}px`, async () => {
    const x = randomArray(3 * size * size, 7 + size);
    const got = await runSingle(graph, `${TF_PREFIX.replace('MobilenetV2/', '')}hub_input/Sub`, `${TF_PREFIX}Conv/Relu6`, 3, size, size, x);
    const w = weight(`${TF_PREFIX}Conv/Conv2D_weights`);
    const want = refConv(nchwToNhwc(x, 3, size, size), { filter: w.data, filterShape: w.shape, bias: weight(`${TF_PREFIX}Conv/Conv2D_bn_offset`).data, stride: 2, padding: 'SAME', depthwise: false, relu6: true });
    assert.deepEqual([got.h, got.w, got.c], [want.h, want.w, want.c]);
    assert.ok(maxAbsDiff(got.data, want.data) < 1e-4, `max diff ${maxAbsDiff(got.data, want.data)}`);
  });

  test(`depthwise conv (3x3, stride 2, SAME, ReLU6) of block 3 on real weights matches a JS reference at ${size}px`, async () => {
    const c = 192;
    const x = randomArray(c * size * size, 11 + size, 0, 6);
    const got = await runSingle(graph, blockExpand(3), blockDepthwise(3), c, size, size, x);
    const w = weight(`${blockDepthwise(3)}_weights`);
    const want = refConv(nchwToNhwc(x, c, size, size), { filter: w.data, filterShape: w.shape, bias: weight(`${blockDepthwise(3)}_bn_offset`).data, stride: 2, padding: 'SAME', depthwise: true, relu6: true });
    assert.deepEqual([got.h, got.w, got.c], [want.h, want.w, want.c]);
    assert.ok(maxAbsDiff(got.data, want.data) < 1e-4, `max diff ${maxAbsDiff(got.data, want.data)}`);
  });
}

test('a residual block (expand, depthwise, project, add) matches the JS reference chained', async () => {
  const [c, size] = [48, 9];
  const x = randomArray(c * size * size, 5);
  const got = await runSingle(graph, blockOutput(3), blockOutput(4), c, size, size, x);
  const layer = (name: string, dw: boolean, relu6: boolean) => ({ filter: weight(`${name}_weights`).data, filterShape: weight(`${name}_weights`).shape, bias: weight(`${name}_bn_offset`).data, stride: 1, padding: 'SAME' as const, depthwise: dw, relu6 });
  const b = `${TF_PREFIX}expanded_conv_4/`;
  const xin = nchwToNhwc(x, c, size, size);
  const proj = refConv(refConv(refConv(xin, layer(`${b}expand/Conv2D`, false, true)), layer(`${b}depthwise/depthwise`, true, true)), layer(`${b}project/Conv2D`, false, false));
  const want = proj.data.map((v, i) => v + xin.data[i]);
  assert.ok(maxAbsDiff(got.data, want) < 1e-4, `max diff ${maxAbsDiff(got.data, want)}`);
});

test('the 2x2 grid head pools a 7x7 map exactly as the runner pools a raw map', async () => {
  const opts: ConvertOptions = {
    inputFrom: 'input', inputName: 'image', inputChannels: 3, inputSize: [112, 112], graphName: 'head',
    outputs: [{ name: 'map', parts: [{ from: blockOutput(12), pool: 'none' }] }, { name: 'grid', parts: [{ from: blockOutput(12), pool: { grid: 2 } }] }],
  };
  const { bytes, outputs } = convertTfjsToOnnx(graph, opts);
  assert.deepEqual(outputs.map((o) => o.dims), [[136, 7, 7], [544]]);
  const s = await ort.InferenceSession.create(bytes);
  const out = await s.run({ image: new ort.Tensor('float32', randomArray(2 * 3 * 112 * 112, 3, 0, 1), [2, 3, 112, 112]) });
  await s.release();
  const pooled = pool(out.map.data as Float32Array, out.map.dims, { pooling: 'avg2x2', layout: 'NCHW' });
  assert.ok(maxAbsDiff(pooled, out.grid.data as Float32Array) < 1e-5);
});

test('Pad, Conv2D, FusedBatchNormV3 and Relu6 fold into one conv with the same result', async () => {
  const [h, w, ci, co] = [6, 5, 2, 3];
  const filter = randomArray(3 * 3 * ci * co, 1);
  const [gamma, beta, mean, variance] = [randomArray(co, 2, 0.5, 2), randomArray(co, 3), randomArray(co, 4), randomArray(co, 5, 0.1, 1)];
  const t = (shape: number[], data: Float32Array) => ({ shape, data });
  const c = (name: string): TfNode => ({ name, op: 'Const' });
  const s = (v: string) => Buffer.from(v).toString('base64');
  const g: TfGraph = {
    nodes: [
      { name: 'x', op: 'Placeholder' }, c('pads'), c('f'), c('gamma'), c('beta'), c('mean'), c('var'),
      { name: 'pad', op: 'Pad', input: ['x', 'pads'] },
      { name: 'conv', op: 'Conv2D', input: ['pad', 'f'], attr: { strides: { list: { i: ['1', '1', '1', '1'] } }, padding: { s: s('VALID') }, data_format: { s: s('NHWC') } } },
      { name: 'bn', op: 'FusedBatchNormV3', input: ['conv', 'gamma', 'beta', 'mean', 'var'], attr: { epsilon: { f: 0.001 } } },
      { name: 'act', op: 'Relu6', input: ['bn'] },
    ],
    weights: new Map([
      ['pads', t([4, 2], new Float32Array([0, 0, 1, 2, 2, 1, 0, 0]))], ['f', t([3, 3, ci, co], filter)],
      ['gamma', t([co], gamma)], ['beta', t([co], beta)], ['mean', t([co], mean)], ['var', t([co], variance)],
    ]),
  };
  const x = randomArray(ci * h * w, 9, -3, 3);
  const { bytes } = convertTfjsToOnnx(g, { inputFrom: 'x', inputName: 'x', inputChannels: ci, inputSize: [h, w], graphName: 'fold', outputs: [{ name: 'y', parts: [{ from: 'act', pool: 'none' }] }] });
  const model = (await import('../../src-main/core/embed/model/onnx-proto')).onnx.ModelProto.decode(bytes);
  assert.deepEqual(model.graph!.node!.map((n) => n.opType), ['Conv', 'Clip', 'Identity'], 'Pad and batch norm are folded away');
  const got = await runSingle(g, 'x', 'act', ci, h, w, x);

  // reference: explicit zero pad (top 1, bottom 2, left 2, right 1), VALID conv, batch norm, ReLU6
  const xin = nchwToNhwc(x, ci, h, w);
  const [ph, pw] = [h + 3, w + 3];
  const padded = new Float32Array(ph * pw * ci);
  for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let k = 0; k < ci; k++) padded[((y + 1) * pw + xx + 2) * ci + k] = xin.data[(y * w + xx) * ci + k];
  const conv = refConv({ h: ph, w: pw, c: ci, data: padded }, { filter, filterShape: [3, 3, ci, co], bias: new Float32Array(co), stride: 1, padding: 'VALID', depthwise: false, relu6: false });
  const want = conv.data.map((v, i) => {
    const o = i % co;
    return Math.min(6, Math.max(0, ((v - mean[o]) / Math.sqrt(variance[o] + 0.001)) * gamma[o] + beta[o]));
  });
  assert.deepEqual([got.h, got.w], [conv.h, conv.w]);
  assert.ok(maxAbsDiff(got.data, want) < 1e-4, `max diff ${maxAbsDiff(got.data, want)}`);
});

test('an unsupported op names itself', () => {
  const g: TfGraph = { nodes: [{ name: 'x', op: 'Placeholder' }, { name: 'y', op: 'Erf', input: ['x'] }], weights: new Map() };
  assert.throws(
    () => convertTfjsToOnnx(g, { inputFrom: 'x', inputName: 'x', inputChannels: 1, inputSize: [2, 2], graphName: 'bad', outputs: [{ name: 'o', parts: [{ from: 'y', pool: 'none' }] }] }),
    /TF op Erf \(node y\) is not supported/,
  );
});

test('ConcatV2, SAME average pooling (padding not counted) and VALID max pooling match the JS reference', async () => {
  const [h, w, c1, c2] = [7, 6, 3, 2];
  const s = (v: string) => Buffer.from(v).toString('base64');
  const ints = (v: number[]) => ({ list: { i: v.map(String) } });
  const poolAttr = (k: number, st: number, pad: string) => ({ ksize: ints([1, k, k, 1]), strides: ints([1, st, st, 1]), padding: { s: s(pad) }, data_format: { s: s('NHWC') } });
  const filter = randomArray(1 * 1 * c1 * c2, 21);
  const g: TfGraph = {
    nodes: [
      { name: 'x', op: 'Placeholder' }, { name: 'f', op: 'Const' }, { name: 'axis', op: 'Const' },
      { name: 'conv', op: 'Conv2D', input: ['x', 'f'], attr: { strides: ints([1, 1, 1, 1]), padding: { s: s('SAME') }, data_format: { s: s('NHWC') } } },
      { name: 'avg', op: 'AvgPool', input: ['x'], attr: poolAttr(3, 1, 'SAME') },
      { name: 'cat', op: 'ConcatV2', input: ['avg', 'conv', 'x', 'axis'] },
      { name: 'max', op: 'MaxPool', input: ['cat'], attr: poolAttr(3, 2, 'VALID') },
    ],
    weights: new Map([['f', { shape: [1, 1, c1, c2], data: filter }], ['axis', { shape: [], data: new Float32Array([3]) }]]),
  };
  const x = randomArray(c1 * h * w, 23, -2, 2);
  const got = await runSingle(g, 'x', 'max', c1, h, w, x);
  const xin = nchwToNhwc(x, c1, h, w);
  const conv = refConv(xin, { filter, filterShape: [1, 1, c1, c2], bias: new Float32Array(c2), stride: 1, padding: 'SAME', depthwise: false, relu6: false });
  const want = refPool(refConcat([refPool(xin, 'avg', 3, 1, 'SAME'), conv, xin]), 'max', 3, 2, 'VALID');
  assert.deepEqual([got.h, got.w, got.c], [3, 2, 2 * c1 + c2]);
  assert.deepEqual([got.h, got.w, got.c], [want.h, want.w, want.c]);
  assert.ok(maxAbsDiff(got.data, want.data) < 1e-5, `max diff ${maxAbsDiff(got.data, want.data)}`);
});

test('a Keras layers model (InceptionV3 from nsfwjs): stem conv + batch norm without scale + ReLU matches the JS reference on real weights', async () => {
  const keras = inception();
  const size = 13;
  const x = randomArray(3 * size * size, 31);
  const got = await runSingle(keras, 'input_1', 'activation_1', 3, size, size, x);
  const kw = keras.weights.get('conv2d_1/kernel')!;
  const [mean, variance, beta] = ['moving_mean', 'moving_variance', 'beta'].map((n) => keras.weights.get(`batch_normalization_1/${n}`)!.data);
  const conv = refConv(nchwToNhwc(x, 3, size, size), { filter: kw.data, filterShape: kw.shape, bias: new Float32Array(32), stride: 2, padding: 'VALID', depthwise: false, relu6: false });
  const want = conv.data.map((v, i) => Math.max(0, (v - mean[i % 32]) / Math.sqrt(variance[i % 32] + 0.001) + beta[i % 32]));
  assert.deepEqual([got.h, got.w, got.c], [6, 6, 32]);
  assert.ok(maxAbsDiff(got.data, want) < 1e-4, `max diff ${maxAbsDiff(got.data, want)}`);
});

test('a Keras inception block (mixed0: four branches, SAME average pool, concat) converts with the right shape and matches branch by branch', async () => {
  const keras = inception();
  const [c, size] = [192, 9];
  const x = randomArray(c * size * size, 41, 0, 2);
  const got = await runSingle(keras, 'max_pooling2d_2', 'mixed0', c, size, size, x);
  assert.deepEqual([got.h, got.w, got.c], [size, size, 64 + 64 + 96 + 32]);
  // branch 4: 3x3 SAME average pool, then a 1x1 conv + batch norm (no scale) + ReLU: the last 32 channels
  const kw = keras.weights.get('conv2d_12/kernel')!;
  const [mean, variance, beta] = ['moving_mean', 'moving_variance', 'beta'].map((n) => keras.weights.get(`batch_normalization_12/${n}`)!.data);
  const conv = refConv(refPool(nchwToNhwc(x, c, size, size), 'avg', 3, 1, 'SAME'), { filter: kw.data, filterShape: kw.shape, bias: new Float32Array(32), stride: 1, padding: 'SAME', depthwise: false, relu6: false });
  let diff = 0;
  for (let i = 0; i < size * size; i++) for (let o = 0; o < 32; o++) {
    const want = Math.max(0, (conv.data[i * 32 + o] - mean[o]) / Math.sqrt(variance[o] + 0.001) + beta[o]);
    diff = Math.max(diff, Math.abs(got.data[i * got.c + 224 + o] - want));
  }
  assert.ok(diff < 1e-4, `max diff ${diff}`);
});

test('a Keras MobileNetV2 block (ZeroPadding2D folded into a stride-2 depthwise conv, batch norm, ReLU6) matches the JS reference', async () => {
  const keras = loadKerasAsTfGraph(nsfwjsModelDir('mobilenet_v2'));
  const [c, size] = [96, 8];
  const x = randomArray(c * size * size, 51, 0, 6);
  const got = await runSingle(keras, 'block_1_expand_relu', 'block_1_depthwise_relu', c, size, size, x);
  // reference: pad bottom and right by one, VALID 3x3 depthwise at stride 2, batch norm, ReLU6
  const xin = nchwToNhwc(x, c, size, size);
  const p = size + 1;
  const padded = new Float32Array(p * p * c);
  for (let y = 0; y < size; y++) padded.set(xin.data.subarray(y * size * c, (y + 1) * size * c), y * p * c);
  const kw = keras.weights.get('block_1_depthwise/depthwise_kernel')!;
  const conv = refConv({ h: p, w: p, c, data: padded }, { filter: kw.data, filterShape: kw.shape, bias: new Float32Array(c), stride: 2, padding: 'VALID', depthwise: true, relu6: false });
  const [gamma, beta, mean, variance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => keras.weights.get(`block_1_depthwise_BN/${n}`)!.data);
  const want = conv.data.map((v, i) => Math.min(6, Math.max(0, ((v - mean[i % c]) / Math.sqrt(variance[i % c] + 0.001)) * gamma[i % c] + beta[i % c])));
  assert.deepEqual([got.h, got.w, got.c], [4, 4, c]);
  assert.ok(maxAbsDiff(got.data, want) < 1e-4, `max diff ${maxAbsDiff(got.data, want)}`);
});

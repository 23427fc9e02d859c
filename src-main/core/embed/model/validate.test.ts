import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { node, valueInfo } from './onnx-proto';
import { ModelError, type ModelErrorCode } from './errors';
import { fixtureDir, fixtureSpec, imageFixture, writeFixture } from '../../../testing/model-fixtures';
import { parseModelSpec } from './spec';
import { validateModel } from './validate';

const rejects = (p: Promise<unknown>, code: ModelErrorCode, text: RegExp) =>
  assert.rejects(p, (e: unknown) => e instanceof ModelError && e.code === code && text.test(e.message));

test('a valid model passes and reports its input and output', async () => {
  const io = await validateModel(imageFixture(), fixtureSpec());
  assert.deepEqual(io, { input: { name: 'image', shape: ['N', 3, 8, 8] }, output: { name: 'mean', shape: ['N', 3] } });
});

test('a file that is not ONNX is rejected as not-onnx', async () => {
  const path = join(fixtureDir, 'photo.onnx');
  writeFileSync(path, 'this is a JPEG, honest\n'.repeat(20));
  await rejects(validateModel(path, fixtureSpec()), 'not-onnx', /photo\.onnx is not an ONNX model/);
});

test('a missing file is rejected as not-found', async () => {
  await rejects(validateModel(join(fixtureDir, 'nope.onnx'), fixtureSpec()), 'not-found', /no such file/);
});

test('a graph without an image-shaped input is rejected', async () => {
  const path = writeFixture('tokens.onnx', { nodes: [node('Identity', ['tokens'], ['out'], 'id')], inputs: [valueInfo('tokens', ['N', 16])], outputs: [valueInfo('out', ['N', 16])] });
  await rejects(validateModel(path, fixtureSpec({ inputName: 'tokens', outputName: 'out' })), 'no-image-input', /no image-shaped input.*tokens float32\[N, 16\]/);
});

test('a spec naming an input of the wrong rank is rejected', async () => {
  const path = writeFixture('two-inputs.onnx', {
    nodes: [node('Identity', ['image'], ['map'], 'id'), node('Identity', ['mask'], ['m2'], 'id2')],
    inputs: [valueInfo('image', ['N', 3, 8, 8]), valueInfo('mask', ['N', 8, 8])],
    outputs: [valueInfo('map', ['N', 3, 8, 8]), valueInfo('m2', ['N', 8, 8])],
  });
  await rejects(validateModel(path, fixtureSpec({ inputName: 'mask', outputName: 'map' })), 'bad-input-rank', /mask float32\[N, 8, 8\] has rank 3/);
  await rejects(validateModel(path, fixtureSpec({ outputName: 'map', pooling: 'avg', embeddingDim: 3 })), 'extra-inputs', /mask/);
});

test('a spec naming a missing input or output is rejected, listing what exists', async () => {
  await rejects(validateModel(imageFixture(), fixtureSpec({ inputName: 'pixels' })), 'missing-input', /"pixels".*image float32\[N, 3, 8, 8\]/);
  await rejects(validateModel(imageFixture(), fixtureSpec({ outputName: 'features' })), 'missing-output', /"features".*map float32.*mean float32/);
});

test('input size, layout and pooling must fit the graph', async () => {
  await rejects(validateModel(imageFixture(), fixtureSpec({ inputSize: { width: 16, height: 16 } })), 'bad-input-shape', /3x16x16/);
  await rejects(validateModel(imageFixture(), fixtureSpec({ layout: 'NHWC' })), 'bad-input-shape', /NHWC/);
  await rejects(validateModel(imageFixture(), fixtureSpec({ pooling: 'avg2x2' })), 'bad-output-shape', /rank 2; pooling "avg2x2" needs rank 4/);
});

test('a malformed spec is a bad-spec error naming the field', () => {
  assert.throws(() => parseModelSpec({ ...fixtureSpec(), layout: 'CHW', std: [1, 0, 1] }), (e: unknown) => e instanceof ModelError && e.code === 'bad-spec' && /layout/.test(e.message) && /std/.test(e.message));
});

test('a whitening spec must add up: parts × dim is the embedding width, and no part is narrower than dim', () => {
  const whitened = (whiten: object, embeddingDim: number) => () => parseModelSpec({ ...fixtureSpec(), embeddingDim, whiten });
  assert.equal(parseModelSpec({ ...fixtureSpec(), embeddingDim: 4, whiten: { parts: [3, 5], dim: 2, power: 0.25, sample: 100 } }).whiten?.dim, 2);
  assert.throws(whitened({ parts: [3, 5], dim: 2, power: 0.25, sample: 100 }, 3), (e: unknown) => e instanceof ModelError && e.code === 'bad-spec' && /embeddingDim: a whitened model gives parts × dim = 4 values, not 3/.test(e.message));
  assert.throws(whitened({ parts: [3, 1], dim: 2, power: 0.25, sample: 100 }, 4), (e: unknown) => e instanceof ModelError && /whiten\.dim: each part must be at least 2 wide/.test(e.message));
  assert.throws(whitened({ parts: [3, 5], dim: 2, power: 0.75, sample: 100 }, 4), (e: unknown) => e instanceof ModelError && /whiten\.power/.test(e.message));
});

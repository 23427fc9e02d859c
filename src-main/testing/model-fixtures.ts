// Tiny ONNX graphs built in code for the runner's tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel, node, valueInfo, type NodeProto, type TensorProto, type ValueInfoProto } from '../core/embed/model/onnx-proto';
import type { ModelSpec } from '../core/embed/model/spec';

export const fixtureDir = mkdtempSync(join(tmpdir(), 'winnow-model-'));
process.once('exit', () => rmSync(fixtureDir, { recursive: true, force: true }));

export function writeFixture(file: string, parts: { nodes: NodeProto[]; inputs: ValueInfoProto[]; outputs: ValueInfoProto[]; initializers?: TensorProto[] }): string {
  const path = join(fixtureDir, file);
  writeFileSync(path, encodeModel({ name: file, initializers: [], ...parts }));
  return path;
}

/** image [N,3,8,8] -> outputs "map" (the image itself) and "mean" (per-channel mean, [N,3]). */
export function imageFixture(): string {
  return writeFixture('image.onnx', {
    nodes: [node('Identity', ['image'], ['map'], 'id'), node('GlobalAveragePool', ['image'], ['gap'], 'gap'), node('Flatten', ['gap'], ['mean'], 'flat', { axis: 1 })],
    inputs: [valueInfo('image', ['N', 3, 8, 8])],
    outputs: [valueInfo('map', ['N', 3, 8, 8]), valueInfo('mean', ['N', 3])],
  });
}

export const fixtureSpec = (over: Partial<ModelSpec> = {}): ModelSpec => ({
  name: 'fixture', inputName: 'image', inputSize: { width: 8, height: 8 }, layout: 'NCHW', channelOrder: 'RGB',
  valueScale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], outputName: 'mean', pooling: 'none', embeddingDim: 3, ...over,
});

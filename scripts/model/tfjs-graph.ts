// Reads a TF.js graph model as nsfwjs ships it: the model JSON and its weight shards are
// wrapped in UMD `.min.js` files (the shards export base64 strings of the binary weight file),
// and every weight is 8-bit quantised with a per-tensor affine (min, scale).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export interface TfAttr {
  i?: string;
  f?: number;
  b?: boolean;
  s?: string;
  list?: { i?: string[]; s?: string[]; f?: number[] };
  type?: string;
}

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

export interface TfGraph {
  nodes: TfNode[];
  weights: Map<string, Tensor>;
}

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { min?: number; scale?: number; dtype: string };
}

interface ModelJson {
  format: string;
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
}

const require = createRequire(import.meta.url);

/** Folder of one of nsfwjs's bundled models; resolved from the package entry because its exports map blocks deep paths. */
export function nsfwjsModelDir(model = 'mobilenet_v2_mid'): string {
  return join(dirname(require.resolve('nsfwjs')), '..', 'models', model);
}

export function loadTfjsGraph(dir = nsfwjsModelDir()): TfGraph {
  const json = require(join(dir, 'model.min.js')) as ModelJson;
  if (json.format !== 'graph-model') throw new Error(`${dir}: not a TF.js graph model (format ${json.format})`);
  return { nodes: json.modelTopology.node, weights: decodeWeightGroups(dir, json.weightsManifest) };
}

/** Decodes the weight shards a manifest names (`<path>.min.js` files of base64 text in `dir`). */
export function decodeWeightGroups(dir: string, manifest: { paths: string[]; weights: WeightEntry[] }[]): Map<string, Tensor> {
  const weights = new Map<string, Tensor>();
  for (const group of manifest) {
    const bytes = Buffer.concat(group.paths.map((p) => Buffer.from(require(join(dir, `${p}.min.js`)) as string, 'base64')));
    let offset = 0;
    for (const w of group.weights) {
      const { tensor, size } = decodeWeight(w, bytes, offset);
      weights.set(w.name, tensor);
      offset += size;
    }
    if (offset !== bytes.length) throw new Error(`${dir}: weight shards hold ${bytes.length} bytes, manifest describes ${offset}`);
  }
  return weights;
}

function decodeWeight(w: WeightEntry, bytes: Buffer, offset: number): { tensor: Tensor; size: number } {
  if (w.dtype !== 'float32') throw new Error(`weight ${w.name}: dtype ${w.dtype} not supported`);
  const n = w.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const q = w.quantization;
  if (!q) {
    for (let i = 0; i < n; i++) data[i] = bytes.readFloatLE(offset + 4 * i);
    return { tensor: { shape: w.shape, data }, size: 4 * n };
  }
  if (q.dtype !== 'uint8' && q.dtype !== 'uint16') throw new Error(`weight ${w.name}: quantisation ${q.dtype} not supported`);
  const width = q.dtype === 'uint8' ? 1 : 2;
  const min = q.min ?? 0;
  const scale = q.scale ?? 1;
  for (let i = 0; i < n; i++) {
    const v = width === 1 ? bytes[offset + i] : bytes.readUInt16LE(offset + 2 * i);
    data[i] = v * scale + min;
  }
  return { tensor: { shape: w.shape, data }, size: width * n };
}

/** TF.js stores string attributes base64-encoded. */
export function attrString(a: TfAttr | undefined): string | undefined {
  return a?.s === undefined ? undefined : Buffer.from(a.s, 'base64').toString('utf8');
}

export function attrStrings(a: TfAttr | undefined): string[] {
  return (a?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

export function attrInts(a: TfAttr | undefined): number[] {
  return (a?.list?.i ?? []).map(Number);
}

// Reads a TF.js *layers* model (Keras topology + the same base64 8-bit weight shards) as nsfwjs
// ships its InceptionV3 and full MobileNetV2, and restates it as TF graph nodes so tf-lower.ts
// lowers it exactly as it lowers a graph model: Conv2D + BiasAdd/FusedBatchNormV3 fold, a
// ZeroPadding2D becomes a Pad that folds into the next conv, Concatenate becomes ConcatV2.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { decodeWeightGroups, nsfwjsModelDir, type Tensor, type TfAttr, type TfGraph, type TfNode } from './tfjs-graph';

interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown> & { name: string };
  inbound_nodes: [string, number, number, unknown][][];
}

interface LayersModelJson {
  modelTopology: { model_config: { class_name: string; config: { layers: KerasLayer[] } } };
  weightsManifest: Parameters<typeof decodeWeightGroups>[1];
}

const require = createRequire(import.meta.url);
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const ints = (v: number[]): TfAttr => ({ list: { i: v.map(String) } });
const nhwc = (v: number[] | number): TfAttr => {
  const [a, b] = Array.isArray(v) ? v : [v, v];
  return ints([1, a, b, 1]);
};

/** The layers model in `dir` as a TfGraph; its input placeholder keeps the Keras input layer's name. */
export function loadKerasAsTfGraph(dir = nsfwjsModelDir('inception_v3')): TfGraph {
  const json = require(join(dir, 'model.min.js')) as LayersModelJson;
  if (!json.modelTopology?.model_config) throw new Error(`${dir}: not a TF.js layers model`);
  const weights = decodeWeightGroups(dir, json.weightsManifest);
  const nodes: TfNode[] = [];
  const constant = (name: string, t: Tensor): string => {
    weights.set(name, t);
    nodes.push({ name, op: 'Const' });
    return name;
  };
  const w = (name: string): string => {
    if (!weights.has(name)) throw new Error(`${dir}: no weight ${name}`);
    nodes.push({ name, op: 'Const' });
    return name;
  };
  for (const l of json.modelTopology.model_config.config.layers) {
    const c = l.config;
    const inputs = (l.inbound_nodes[0] ?? []).map((i) => i[0]);
    const name = l.name;
    const padding = { s: b64(String(c.padding ?? 'valid').toUpperCase()) };
    const act = (src: string): void => {
      const a = c.activation as string | undefined;
      if (a === undefined || a === 'linear') return void nodes.push({ name, op: 'Identity', input: [src] });
      if (a !== 'relu') throw new Error(`${name}: activation ${a} is not supported`);
      nodes.push({ name, op: 'Relu', input: [src] });
    };
    switch (l.class_name) {
      case 'InputLayer':
        nodes.push({ name, op: 'Placeholder' });
        break;
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const depthwise = l.class_name === 'DepthwiseConv2D';
        if ((c.depth_multiplier ?? 1) !== 1 && depthwise) throw new Error(`${name}: depth multiplier ${String(c.depth_multiplier)} is not supported`);
        const op = depthwise ? 'DepthwiseConv2dNative' : 'Conv2D';
        const k = w(`${name}/${depthwise ? 'depthwise_kernel' : 'kernel'}`);
        const attr = { strides: nhwc(c.strides as number[]), dilations: nhwc(c.dilation_rate as number[]), padding, data_format: { s: b64('NHWC') } };
        const conv = `${name}/conv`;
        nodes.push({ name: conv, op, input: [inputs[0], k], attr });
        let last = conv;
        if (c.use_bias) {
          nodes.push({ name: `${name}/bias_add`, op: 'BiasAdd', input: [conv, w(`${name}/bias`)] });
          last = `${name}/bias_add`;
        }
        act(last);
        break;
      }
      case 'BatchNormalization': {
        const beta = weights.get(`${name}/beta`);
        const mean = weights.get(`${name}/moving_mean`)!;
        const ch = mean.shape[0];
        const gamma = c.scale ? w(`${name}/gamma`) : constant(`${name}/gamma_ones`, { shape: [ch], data: new Float32Array(ch).fill(1) });
        const offset = c.center && beta ? w(`${name}/beta`) : constant(`${name}/beta_zeros`, { shape: [ch], data: new Float32Array(ch) });
        nodes.push({ name, op: 'FusedBatchNormV3', input: [inputs[0], gamma, offset, w(`${name}/moving_mean`), w(`${name}/moving_variance`)], attr: { epsilon: { f: c.epsilon as number } } });
        break;
      }
      case 'Activation':
        act(inputs[0]);
        break;
      case 'ReLU': {
        if (c.negative_slope || c.threshold) throw new Error(`${name}: leaky or thresholded ReLU is not supported`);
        if (c.max_value !== null && c.max_value !== undefined && c.max_value !== 6) throw new Error(`${name}: ReLU max ${String(c.max_value)} is not supported`);
        nodes.push({ name, op: c.max_value === 6 ? 'Relu6' : 'Relu', input: [inputs[0]] });
        break;
      }
      case 'ZeroPadding2D': {
        const [[t, b], [left, r]] = c.padding as number[][];
        nodes.push({ name, op: 'Pad', input: [inputs[0], constant(`${name}/pads`, { shape: [4, 2], data: new Float32Array([0, 0, t, b, left, r, 0, 0]) })] });
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D':
        nodes.push({ name, op: l.class_name === 'MaxPooling2D' ? 'MaxPool' : 'AvgPool', input: [inputs[0]], attr: { ksize: nhwc(c.pool_size as number[]), strides: nhwc(c.strides as number[]), padding, data_format: { s: b64('NHWC') } } });
        break;
      case 'Concatenate': {
        const axis = c.axis as number;
        if (axis !== 3 && axis !== -1) throw new Error(`${name}: concatenation along axis ${axis} is not supported`);
        nodes.push({ name, op: 'ConcatV2', input: [...inputs, constant(`${name}/axis`, { shape: [], data: new Float32Array([3]) })] });
        break;
      }
      case 'Add':
        if (inputs.length !== 2) throw new Error(`${name}: Add of ${inputs.length} inputs is not supported`);
        nodes.push({ name, op: 'AddV2', input: inputs });
        break;
      default:
        // the classifier head (Flatten, Dense, Dropout) is never cut at; lowering names any other op it meets
        nodes.push({ name, op: `Keras${l.class_name}`, input: inputs });
    }
  }
  return { nodes, weights };
}

// Thin constructors over onnx-proto's protobuf classes. onnx-proto is CommonJS whose `onnx`
// export Node's ESM loader cannot see, hence createRequire.
import { createRequire } from 'node:module';
import type * as OnnxProto from 'onnx-proto';

export const { onnx } = createRequire(import.meta.url)('onnx-proto') as typeof OnnxProto;
export type NodeProto = OnnxProto.onnx.INodeProto;
export type TensorProto = OnnxProto.onnx.ITensorProto;
export type ValueInfoProto = OnnxProto.onnx.IValueInfoProto;

export const IR_VERSION = 8;
export const OPSET = 13;

/** A number is an INT attribute; floats are spelled out so 1.0 cannot turn into an INT. */
type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

export function node(op: string, inputs: string[], outputs: string[], name: string, attrs: Record<string, AttrValue> = {}): NodeProto {
  const attribute = Object.entries(attrs).map(([k, v]) => {
    const AT = onnx.AttributeProto.AttributeType;
    if (typeof v === 'string') return { name: k, type: AT.STRING, s: new TextEncoder().encode(v) };
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new Error(`attribute ${k} of ${name}: ${v} is not an integer; pass { float: ${v} }`);
      return { name: k, type: AT.INT, i: v };
    }
    if (Array.isArray(v)) return { name: k, type: AT.INTS, ints: v };
    if ('float' in v) return { name: k, type: AT.FLOAT, f: v.float };
    return { name: k, type: AT.FLOATS, floats: v.floats };
  });
  return { opType: op, input: inputs, output: outputs, name, attribute };
}

export function floatTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  // raw little-endian bytes keep the file compact and the encoding byte-for-byte stable
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

export function int64Tensor(name: string, dims: number[], data: number[]): TensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.INT64, int64Data: data };
}

/** A float tensor value; a string dim is symbolic (the batch). */
export function valueInfo(name: string, dims: (number | string)[]): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

export interface GraphParts {
  name: string;
  nodes: NodeProto[];
  initializers: TensorProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  docString?: string;
}

export function encodeModel(g: GraphParts): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'winnow-tfjs-to-onnx',
    producerVersion: '1',
    docString: g.docString ?? '',
    graph: { name: g.name, node: g.nodes, initializer: g.initializers, input: g.inputs, output: g.outputs },
  });
  return onnx.ModelProto.encode(model).finish();
}

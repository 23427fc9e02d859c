// Static int8 quantisation of a float ONNX CNN in QDQ form, from recorded activation ranges.
// Weights: per output channel, symmetric int8; biases: int32 at input scale × weight scale;
// activations: per tensor, asymmetric uint8 from calibrated [min, max]. onnxruntime fuses
// DequantizeLinear → Conv → (Clip) → QuantizeLinear into QLinearConv (U8S8, the VNNI path) and
// the same around Add and AveragePool. Pure arithmetic on the float model plus the ranges file,
// so the install-time build is deterministic and hash-checked like the float model; only
// calibration (calibrate-int8.ts) runs onnxruntime.
import type * as OnnxProto from 'onnx-proto';
import { onnx } from '../../src-main/core/embed/model/onnx-proto';

type Model = OnnxProto.onnx.IModelProto;
type Tensor = OnnxProto.onnx.ITensorProto;
type Node = OnnxProto.onnx.INodeProto;

/** Calibrated range of each activation tensor the quantised graph re-quantises. */
export type ActivationRanges = Record<string, [number, number]>;

const QUANTISED_CONSUMERS = new Set(['Conv', 'Add', 'AveragePool']);

/** The activations that get a Q/DQ pair: every non-constant input of a Conv, Add or AveragePool. */
export function activationsToQuantise(model: Model): string[] {
  const g = model.graph!;
  const constants = new Set((g.initializer ?? []).map((t) => t.name!));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const n of g.node ?? []) {
    if (!QUANTISED_CONSUMERS.has(n.opType!)) continue;
    const inputs = n.opType === 'Conv' ? [n.input![0]!] : (n.input ?? []);
    for (const t of inputs) if (!constants.has(t) && !seen.has(t)) { seen.add(t); out.push(t); }
  }
  return out;
}

/** uint8 scale and zero point covering [min, max] and 0 (so zero padding stays exact). */
export function uint8Params(min: number, max: number): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
  return { scale: Math.fround(scale), zeroPoint };
}

export function quantiseModel(model: Model, ranges: ActivationRanges, opts: { name: string; docString: string }): Uint8Array {
  const g = model.graph!;
  const inits = new Map((g.initializer ?? []).map((t) => [t.name!, t]));
  const acts = activationsToQuantise(model);
  const params = new Map<string, { scale: number; zeroPoint: number }>();
  for (const t of acts) {
    const r = ranges[t];
    if (!r) throw new Error(`no calibrated range for ${t}; rerun scripts/model/calibrate-int8.ts`);
    params.set(t, uint8Params(r[0], r[1]));
  }
  const newInits: Tensor[] = [];
  const keep = new Set<string>();
  const qdqNodes = new Map<string, Node[]>();
  // One Q/DQ pair per activation, placed right after its producer; consumers read `${t}/dq`.
  for (const t of acts) {
    const { scale, zeroPoint } = params.get(t)!;
    newInits.push(scalarFloat(`${t}/scale`, scale), scalarU8(`${t}/zp`, zeroPoint));
    qdqNodes.set(t, [
      { opType: 'QuantizeLinear', input: [t, `${t}/scale`, `${t}/zp`], output: [`${t}/q`], name: `${t}/QuantizeLinear` },
      { opType: 'DequantizeLinear', input: [`${t}/q`, `${t}/scale`, `${t}/zp`], output: [`${t}/dq`], name: `${t}/DequantizeLinear` },
    ]);
  }
  const nodes: Node[] = [];
  const emitQdq = (t: string) => { const q = qdqNodes.get(t); if (q) { nodes.push(...q); qdqNodes.delete(t); } };
  for (const input of g.input ?? []) emitQdq(input.name!);
  for (const n of g.node ?? []) {
    if (!QUANTISED_CONSUMERS.has(n.opType!)) {
      nodes.push(n);
      for (const o of n.output ?? []) emitQdq(o);
      continue;
    }
    const input = [...(n.input ?? [])];
    if (n.opType === 'Conv') {
      const x = input[0]!;
      input[0] = `${x}/dq`;
      const w = inits.get(input[1]!);
      if (!w) throw new Error(`${n.name}: weights are not a constant`);
      const { tensors, weightScales } = quantiseWeights(w);
      newInits.push(...tensors);
      nodes.push({ opType: 'DequantizeLinear', input: [`${w.name}/q`, `${w.name}/scale`, `${w.name}/zp`], output: [`${w.name}/dq`], name: `${w.name}/DequantizeLinear`, attribute: [axis0()] });
      input[1] = `${w.name}/dq`;
      if (input[2]) {
        const b = inits.get(input[2])!;
        newInits.push(...quantiseBias(b, params.get(x)!.scale, weightScales));
        nodes.push({ opType: 'DequantizeLinear', input: [`${b.name}/q`, `${b.name}/scale`, `${b.name}/zp`], output: [`${b.name}/dq`], name: `${b.name}/DequantizeLinear`, attribute: [axis0()] });
        input[2] = `${b.name}/dq`;
      }
    } else {
      for (let i = 0; i < input.length; i++) if (params.has(input[i]!)) input[i] = `${input[i]}/dq`;
    }
    nodes.push({ ...n, input });
    for (const o of n.output ?? []) emitQdq(o);
  }
  for (const n of nodes) for (const i of n.input ?? []) if (inits.has(i)) keep.add(i);
  const out: Model = {
    ...model,
    graph: { ...g, name: opts.name, node: nodes, initializer: [...(g.initializer ?? []).filter((t) => keep.has(t.name!)), ...newInits], valueInfo: [] },
    docString: opts.docString,
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(out)).finish();
}

function axis0(): OnnxProto.onnx.IAttributeProto {
  return { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 };
}

function floats(t: Tensor): Float32Array {
  if (t.rawData && t.rawData.length) {
    const raw = t.rawData;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Float32Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(4 * i, true));
  }
  return Float32Array.from(t.floatData ?? []);
}

/** Per output channel: int8 in [-127, 127], scale = max |w| / 127. */
function quantiseWeights(w: Tensor): { tensors: Tensor[]; weightScales: Float32Array } {
  const data = floats(w);
  const dims = (w.dims ?? []).map(Number);
  const channels = dims[0]!;
  const per = data.length / channels;
  const q = new Int8Array(data.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let m = 0;
    for (let i = 0; i < per; i++) m = Math.max(m, Math.abs(data[c * per + i]!));
    const s = Math.fround(m > 0 ? m / 127 : 1);
    scales[c] = s;
    for (let i = 0; i < per; i++) q[c * per + i] = Math.max(-127, Math.min(127, Math.round(data[c * per + i]! / s)));
  }
  return {
    tensors: [
      { name: `${w.name}/q`, dims, dataType: onnx.TensorProto.DataType.INT8, rawData: new Uint8Array(q.buffer) },
      { name: `${w.name}/scale`, dims: [channels], dataType: onnx.TensorProto.DataType.FLOAT, rawData: le32(scales) },
      { name: `${w.name}/zp`, dims: [channels], dataType: onnx.TensorProto.DataType.INT8, rawData: new Uint8Array(channels) },
    ],
    weightScales: scales,
  };
}

/** int32 at scale input × weight[c], the scale QLinearConv accumulates in. */
function quantiseBias(b: Tensor, inputScale: number, weightScales: Float32Array): Tensor[] {
  const data = floats(b);
  const scales = weightScales.map((s) => Math.fround(inputScale * s));
  const q = Int32Array.from(data, (v, c) => Math.round(v / scales[c]!));
  return [
    { name: `${b.name}/q`, dims: [data.length], dataType: onnx.TensorProto.DataType.INT32, rawData: le32(q) },
    { name: `${b.name}/scale`, dims: [data.length], dataType: onnx.TensorProto.DataType.FLOAT, rawData: le32(scales) },
    { name: `${b.name}/zp`, dims: [data.length], dataType: onnx.TensorProto.DataType.INT32, rawData: new Uint8Array(4 * data.length) },
  ];
}

function le32(a: Float32Array | Int32Array): Uint8Array {
  const out = new Uint8Array(a.length * 4);
  const view = new DataView(out.buffer);
  a.forEach((v, i) => (a instanceof Float32Array ? view.setFloat32(4 * i, v, true) : view.setInt32(4 * i, v, true)));
  return out;
}

function scalarFloat(name: string, v: number): Tensor {
  return { name, dims: [], dataType: onnx.TensorProto.DataType.FLOAT, rawData: le32(Float32Array.of(v)) };
}

function scalarU8(name: string, v: number): Tensor {
  return { name, dims: [], dataType: onnx.TensorProto.DataType.UINT8, rawData: Uint8Array.of(v) };
}

// Puts the model's input preparation inside the model: the returned graph takes decoded pixels
// as uint8 [N, h, w, c] and does the cast, the resize to the model's size (bilinear, pixel
// centres aligned), the grey→RGB expansion, the channel order and the normalisation itself.
// Why: on a machine with few cores, onnxruntime's operators use every core, and any JavaScript
// thread that resizes and normalises the next batch stalls them (measured on 2 cores: job 0.80
// of bare session.run). With this graph, stored pixels only need a byte copy, all the work
// runs in onnxruntime's own thread pool, and a batch is 4 × smaller to hand over.
import type { InferenceSession } from 'onnxruntime-node';
import type * as OnnxProto from 'onnx-proto';
import { foldGreyInput } from './grey-conv';
import { onnx } from './onnx-proto';
import type { ModelSpec } from './spec';

export interface ByteSource {
  /** Size of the pixels handed to the model; the graph resizes them to the spec's input size. */
  height: number;
  width: number;
  channels: 1 | 3;
}

/** Name of the uint8 input of an adapted model. */
export const BYTE_INPUT = 'winnow_pixels';

// Resize with (X, roi, scales, sizes) inputs exists from opset 11; the ops used here keep
// their meaning up to the newest opset onnxruntime 1.30 runs.
const MIN_OPSET = 11;
const MAX_OPSET = 23;

/** Why a model cannot take byte input (null when it can); such models are fed floats instead. */
export function byteInputObstacle(model: OnnxProto.onnx.IModelProto, spec: ModelSpec): string | null {
  const opset = Number(model.opsetImport?.find((o) => !o.domain)?.version ?? 0);
  if (opset < MIN_OPSET || opset > MAX_OPSET) return `opset ${opset} is outside ${MIN_OPSET}–${MAX_OPSET}`;
  const inputs = model.graph?.input ?? [];
  if (!inputs.some((i) => i.name === spec.inputName)) return `no graph input named ${spec.inputName}`;
  const elem = inputs.find((i) => i.name === spec.inputName)?.type?.tensorType?.elemType;
  if (elem !== onnx.TensorProto.DataType.FLOAT) return `input ${spec.inputName} is not float32`;
  if ((model.graph?.initializer ?? []).some((t) => t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL)) return 'weights are stored in external files';
  return null;
}

export function decodeModel(bytes: Uint8Array): OnnxProto.onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** The image input the byte input replaces, described as onnxruntime would, for checkSession. */
export function originalInput(model: OnnxProto.onnx.IModelProto, spec: ModelSpec): InferenceSession.ValueMetadata {
  const dims = model.graph?.input?.find((i) => i.name === spec.inputName)?.type?.tensorType?.shape?.dim ?? [];
  const shape = dims.map((d) => (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : (d.dimParam ?? '')));
  return { name: spec.inputName, isTensor: true, type: 'float32', shape };
}

/** The model with a byte input prepended (see the file comment); throws when byteInputObstacle says so. */
export function withByteInput(model: OnnxProto.onnx.IModelProto, spec: ModelSpec, src: ByteSource): Uint8Array {
  const obstacle = byteInputObstacle(model, spec);
  if (obstacle) throw new Error(`cannot adapt the model to byte input: ${obstacle}`);
  const graph = model.graph!;
  const { width: W, height: H } = spec.inputSize;
  const p = (s: string) => `winnow_prep/${s}`;
  const F = onnx.TensorProto.DataType.FLOAT;
  const nodes: OnnxProto.onnx.INodeProto[] = [];
  const inits: OnnxProto.onnx.ITensorProto[] = [];
  const floats = (name: string, dims: number[], data: number[]) => inits.push({ name, dims, dataType: F, floatData: data });
  const ints = (name: string, data: number[]) => inits.push({ name, dims: [data.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: data });
  const attrInts = (name: string, v: number[]) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
  const attrInt = (name: string, v: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });
  const attrStr = (name: string, v: string) => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) });

  nodes.push({ opType: 'Cast', input: [BYTE_INPUT], output: [p('float')], name: p('cast'), attribute: [attrInt('to', F)] });
  nodes.push({ opType: 'Transpose', input: [p('float')], output: [p('nchw')], name: p('to_nchw'), attribute: [attrInts('perm', [0, 3, 1, 2])] });
  let x = p('nchw');
  if (src.channels === 3 && spec.channelOrder === 'BGR') {
    ints(p('bgr'), [2, 1, 0]);
    nodes.push({ opType: 'Gather', input: [x, p('bgr')], output: [p('ordered')], name: p('order'), attribute: [attrInt('axis', 1)] });
    x = p('ordered');
  }
  // value = byte * scale[c] - shift[c], c in the model's channel order. Normalising before the
  // resize gives the same values (bilinear weights sum to 1) on up to 16× fewer pixels. A grey
  // plane with the same normalisation for all three channels stays one plane until the end
  // (bare run of the built-in model on MNIST: 4–7 % slower than float input when every step ran
  // on three full-size planes); otherwise it broadcasts against [1, 3, 1, 1] into three.
  const rgbOf = (slot: number) => (spec.channelOrder === 'RGB' ? slot : 2 - slot);
  const scale = [0, 1, 2].map((c) => spec.valueScale / spec.std[rgbOf(c)]);
  const shift = [0, 1, 2].map((c) => spec.mean[rgbOf(c)] / spec.std[rgbOf(c)]);
  const onePlane = src.channels === 1 && scale.every((v) => v === scale[0]) && shift.every((v) => v === shift[0]);
  floats(p('scale'), onePlane ? [1, 1, 1, 1] : [1, 3, 1, 1], onePlane ? [scale[0]!] : scale);
  floats(p('shift'), onePlane ? [1, 1, 1, 1] : [1, 3, 1, 1], onePlane ? [shift[0]!] : shift);
  nodes.push({ opType: 'Mul', input: [x, p('scale')], output: [p('scaled')], name: p('mul') });
  nodes.push({ opType: 'Sub', input: [p('scaled'), p('shift')], output: [p('normalised')], name: p('sub') });
  x = p('normalised');
  if (src.height !== H || src.width !== W) {
    // Sizes rather than scales: scales would floor a non-integer ratio to the wrong size.
    nodes.push({ opType: 'Shape', input: [x], output: [p('shape')], name: p('shape') });
    ints(p('nc_start'), [0]);
    ints(p('nc_end'), [2]);
    nodes.push({ opType: 'Slice', input: [p('shape'), p('nc_start'), p('nc_end')], output: [p('nc')], name: p('nc') });
    ints(p('hw'), [H, W]);
    nodes.push({ opType: 'Concat', input: [p('nc'), p('hw')], output: [p('sizes')], name: p('sizes'), attribute: [attrInt('axis', 0)] });
    // Bilinear with aligned pixel centres is what preprocess() does when enlarging; shrinking
    // sources are resized by libvips (antialiased) before they get here.
    nodes.push({
      opType: 'Resize', input: [x, '', '', p('sizes')], output: [p('resized')], name: p('resize'),
      attribute: [attrStr('mode', 'linear'), attrStr('coordinate_transformation_mode', 'half_pixel')],
    });
    x = p('resized');
  }
  const nchwOut = spec.layout === 'NCHW' ? spec.inputName : p('nchw_out');
  // One plane into a model whose first convolutions can take it (grey-conv.ts), else three.
  const greyFold = onePlane && spec.layout === 'NCHW' ? foldGreyInput(graph, spec.inputName) : null;
  if (onePlane && !greyFold) {
    ints(p('three'), [1, 3, 1, 1]);
    nodes.push({ opType: 'Expand', input: [x, p('three')], output: [nchwOut], name: p('to_rgb') });
  } else {
    nodes.push({ opType: 'Identity', input: [x], output: [nchwOut], name: p('out') });
  }
  if (spec.layout === 'NHWC') {
    nodes.push({ opType: 'Transpose', input: [nchwOut], output: [spec.inputName], name: p('to_nhwc'), attribute: [attrInts('perm', [0, 2, 3, 1])] });
  }

  const byteInput: OnnxProto.onnx.IValueInfoProto = {
    name: BYTE_INPUT,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.UINT8, shape: { dim: [{ dimParam: 'batch' }, { dimValue: src.height }, { dimValue: src.width }, { dimValue: src.channels }] } } },
  };
  const adapted: OnnxProto.onnx.IModelProto = {
    ...model,
    graph: {
      ...graph,
      input: [byteInput, ...(graph.input ?? []).filter((i) => i.name !== spec.inputName)],
      node: [...nodes, ...(greyFold?.node ?? graph.node ?? [])],
      initializer: [...inits, ...(greyFold?.initializer ?? graph.initializer ?? [])],
      valueInfo: greyFold?.valueInfo ?? graph.valueInfo ?? [],
    },
  };
  return onnx.ModelProto.encode(adapted).finish();
}

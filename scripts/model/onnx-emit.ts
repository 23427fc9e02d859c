// Emits ONNX from lowered layers. Shapes are tracked because the input size is fixed, so TF's
// SAME padding becomes explicit `pads` and grid pooling gets exact kernels.
import type { ConvertOptions, Layer, Operand, Padding, PoolHead } from './ir';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo, type NodeProto, type TensorProto } from '../../src-main/core/embed/model/onnx-proto';

type Shape = [number, number, number]; // C, H, W

export interface EmitResult {
  bytes: Uint8Array;
  outputs: { name: string; dims: number[] }[];
}

export function emitOnnx(layers: Layer[], opts: ConvertOptions): EmitResult {
  const names = new Map<string, string>([[opts.inputFrom, opts.inputName]]);
  const shapes = new Map<string, Shape>([[opts.inputName, [opts.inputChannels, ...opts.inputSize]]]);
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  let counter = 0;
  const fresh = (base: string): string => `${base}_${counter++}`;
  const shapeOf = (onnxName: string): Shape => {
    const s = shapes.get(onnxName);
    if (!s) throw new Error(`no shape known for ${onnxName}`);
    return s;
  };
  const ref = (tfName: string): string => {
    const n = names.get(tfName);
    if (!n) throw new Error(`layer input ${tfName} was not produced`);
    return n;
  };
  const short = shortNamer(layers.map((l) => l.name));
  const constant = (dims: number[], data: Float32Array, base: string): string => {
    const name = fresh(`${base}_const`);
    inits.push(floatTensor(name, dims, data));
    return name;
  };

  for (const l of layers) {
    const out = short(l.name);
    names.set(l.name, out);
    switch (l.kind) {
      case 'conv': {
        const x = ref(l.input);
        const [, h, w] = shapeOf(x);
        const [o, , kh, kw] = l.weight.shape;
        const [pt, pb, oh] = padFor(h, kh, l.stride[0], l.dilation[0], l.padding, 0);
        const [pl, pr, ow] = padFor(w, kw, l.stride[1], l.dilation[1], l.padding, 1);
        const convOut = l.act === 'none' ? out : `${out}/preact`;
        const wName = constant(l.weight.shape, l.weight.data, `${out}/W`);
        const bName = constant([o], l.bias, `${out}/B`);
        nodes.push(node('Conv', [x, wName, bName], [convOut], `${out}/conv`, {
          kernel_shape: [kh, kw], strides: l.stride, dilations: l.dilation, group: l.group, pads: [pt, pl, pb, pr],
        }));
        if (l.act !== 'none') nodes.push(activation(l.act, convOut, out, inits));
        shapes.set(out, [o, oh, ow]);
        break;
      }
      case 'act':
        nodes.push(activation(l.act, ref(l.input), out, inits));
        shapes.set(out, shapeOf(ref(l.input)));
        break;
      case 'binary': {
        const ins = l.inputs.map((op: Operand) => (typeof op === 'string' ? ref(op) : constant(op.shape, op.data, `${out}/k`)));
        nodes.push(node(l.op, ins, [out], out));
        const tensorIn = l.inputs.find((op): op is string => typeof op === 'string');
        if (!tensorIn) throw new Error(`${l.name}: both operands constant`);
        shapes.set(out, shapeOf(ref(tensorIn)));
        break;
      }
      case 'pool': {
        const [c, h, w] = shapeOf(ref(l.input));
        const [pt, pb, oh] = padFor(h, l.kernel[0], l.stride[0], 1, l.padding, 0);
        const [pl, pr, ow] = padFor(w, l.kernel[1], l.stride[1], 1, l.padding, 1);
        const attrs = { kernel_shape: l.kernel, strides: l.stride, pads: [pt, pl, pb, pr] };
        // TF's average excludes padded cells
        nodes.push(node(l.op === 'avg' ? 'AveragePool' : 'MaxPool', [ref(l.input)], [out], out, l.op === 'avg' ? { ...attrs, count_include_pad: 0 } : attrs));
        shapes.set(out, [c, oh, ow]);
        break;
      }
      case 'concat': {
        const ins = l.inputs.map(ref);
        const [, h, w] = shapeOf(ins[0]);
        for (const i of ins) if (shapeOf(i)[1] !== h || shapeOf(i)[2] !== w) throw new Error(`${l.name}: concatenated maps differ in size`);
        nodes.push(node('Concat', ins, [out], out, { axis: 1 }));
        shapes.set(out, [ins.reduce((a, i) => a + shapeOf(i)[0], 0), h, w]);
        break;
      }
      case 'resize': {
        // Sizes rather than scales (a scale floors a non-integer ratio to the wrong size); the
        // batch and channels come from the input's own shape. Bilinear with aligned pixel
        // centres, as the app's byte input enlarges (byte-input.ts).
        const x = ref(l.input);
        const k = (name: string, v: number[]): string => {
          const n = fresh(`${out}/${name}`);
          inits.push(int64Tensor(n, [v.length], v));
          return n;
        };
        nodes.push(node('Shape', [x], [`${out}/shape`], `${out}/shape`));
        nodes.push(node('Slice', [`${out}/shape`, k('from', [0]), k('to', [2])], [`${out}/nc`], `${out}/nc`));
        nodes.push(node('Concat', [`${out}/nc`, k('hw', l.size)], [`${out}/sizes`], `${out}/sizes`, { axis: 0 }));
        nodes.push(node('Resize', [x, '', '', `${out}/sizes`], [out], out, { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }));
        shapes.set(out, [shapeOf(x)[0], ...l.size]);
        break;
      }
      case 'globalAvg': {
        nodes.push(node('GlobalAveragePool', [ref(l.input)], [out], out));
        shapes.set(out, [shapeOf(ref(l.input))[0], 1, 1]);
        break;
      }
    }
  }

  const outputs: EmitResult['outputs'] = [];
  for (const o of opts.outputs) {
    const pieces = o.parts.map((p) => head(ref(p.from), shapeOf(ref(p.from)), p.pool, o.parts.length === 1 ? o.name : fresh(`${o.name}/part`), nodes));
    if (pieces.length > 1) nodes.push(node('Concat', pieces.map((p) => p.name), [o.name], `${o.name}/concat`, { axis: 1 }));
    const dims = pieces.length === 1 ? pieces[0].dims : [pieces.reduce((a, p) => a + p.dims[0], 0)];
    outputs.push({ name: o.name, dims });
  }

  const bytes = encodeModel({
    name: opts.graphName,
    docString: opts.docString,
    nodes,
    initializers: inits,
    inputs: [valueInfo(opts.inputName, ['batch', opts.inputChannels, ...opts.inputSize])],
    outputs: outputs.map((o) => valueInfo(o.name, ['batch', ...o.dims])),
  });
  return { bytes, outputs };
}

/** Pools a [C,H,W] map per `pool` and flattens it to [C*g*g] (or keeps [C,H,W] for 'none'). */
function head(x: string, [c, h, w]: Shape, pool: PoolHead, out: string, nodes: NodeProto[]): { name: string; dims: number[] } {
  if (pool === 'none') {
    nodes.push(node('Identity', [x], [out], `${out}/identity`));
    return { name: out, dims: [c, h, w] };
  }
  const pooled = `${out}/pooled`;
  if (pool === 'global' || (pool.grid === 1)) {
    nodes.push(node('GlobalAveragePool', [x], [pooled], pooled));
  } else {
    const [kh, sh] = adaptiveWindow(h, pool.grid);
    const [kw, sw] = adaptiveWindow(w, pool.grid);
    nodes.push(node('AveragePool', [x], [pooled], pooled, { kernel_shape: [kh, kw], strides: [sh, sw], pads: [0, 0, 0, 0] }));
  }
  nodes.push(node('Flatten', [pooled], [out], `${out}/flatten`, { axis: 1 }));
  const g = pool === 'global' ? 1 : pool.grid;
  return { name: out, dims: [c * g * g] };
}

/**
 * Equal windows that tile `size` into `grid` cells, overlapping when it does not divide evenly
 * (7 -> 2 cells: windows [0,4) and [3,7), the same cells as PyTorch's adaptive pooling).
 */
export function adaptiveWindow(size: number, grid: number): [kernel: number, stride: number] {
  if (grid > size) throw new Error(`cannot pool a ${size}-wide map into ${grid} cells`);
  if (grid === 1) return [size, size];
  const kernel = Math.ceil(size / grid);
  const stride = (size - kernel) / (grid - 1);
  if (!Number.isInteger(stride)) throw new Error(`a ${size}-wide map has no equal-window ${grid}-cell pooling`);
  return [kernel, stride];
}

/** Returns [padBefore, padAfter, outSize]; SAME puts the odd pixel after, as TF does. */
function padFor(size: number, k: number, s: number, d: number, p: Padding, axis: 0 | 1): [number, number, number] {
  const before0 = p.extra[axis];
  const after0 = p.extra[axis + 2];
  const padded = size + before0 + after0;
  const span = (k - 1) * d + 1;
  if (p.mode === 'VALID') return [before0, after0, Math.floor((padded - span) / s) + 1];
  const out = Math.ceil(padded / s);
  const total = Math.max((out - 1) * s + span - padded, 0);
  const before = Math.floor(total / 2);
  return [before0 + before, after0 + total - before, out];
}

function activation(act: 'relu' | 'relu6', x: string, out: string, inits: TensorProto[]): NodeProto {
  if (act === 'relu') return node('Relu', [x], [out], `${out}/relu`);
  const lo = `${out}/clip_min`;
  const hi = `${out}/clip_max`;
  inits.push(floatTensor(lo, [], new Float32Array([0])), floatTensor(hi, [], new Float32Array([6])));
  return node('Clip', [x, lo, hi], [out], `${out}/relu6`);
}

/** Strips the prefix all TF names share (".../predict/") so ONNX names stay readable. */
function shortNamer(all: string[]): (n: string) => string {
  let prefix = all.length > 1 ? all[0].slice(0, all[0].lastIndexOf('/') + 1) : '';
  for (const n of all) while (prefix && !n.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  return (n: string) => n.slice(prefix.length) || n;
}

// Lowers the TF.js nodes needed for the requested outputs into NCHW layers. Folding happens
// here: a conv absorbs its BiasAdd / FusedBatchNorm and a zero Pad feeding it, so the ONNX
// graph has no Pad nodes (onnxruntime refuses a Pad whose input is also a graph output).
import type { Activation, ConvertOptions, Layer, Operand, Padding } from './ir';
import { attrInts, attrString, attrStrings, type TfGraph, type TfNode, type Tensor } from './tfjs-graph';

const PASS_THROUGH = new Set(['Identity', 'StopGradient']);

export function lowerGraph(graph: TfGraph, opts: ConvertOptions): Layer[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.input ?? []) consumers.set(tensorName(i), (consumers.get(tensorName(i)) ?? 0) + 1);

  const node = (name: string): TfNode => {
    const n = byName.get(name);
    if (!n) throw new Error(`TF graph has no node ${name}`);
    return n;
  };
  const constant = (name: string): Tensor | undefined => {
    const n = node(name);
    if (n.op !== 'Const') return undefined;
    const t = graph.weights.get(name);
    if (!t) throw new Error(`Const ${name} has no weight data`);
    return t;
  };
  const resolve = (name: string): string => {
    let n = node(name);
    while (PASS_THROUGH.has(n.op) && n.name !== opts.inputFrom) n = node(tensorName(n.input![0]));
    return n.name;
  };

  const layers: Layer[] = [];
  const done = new Set<string>([opts.inputFrom]);
  const visit = (name: string): string => {
    name = resolve(name);
    if (done.has(name)) return name;
    const n = node(name);
    const inputs = (n.input ?? []).map(tensorName).filter((i) => !i.startsWith('^'));
    const operand = (i: string): Operand => constant(resolve(i)) ?? visit(i);
    done.add(name);
    switch (n.op) {
      case 'Conv2D':
      case '_FusedConv2D':
      case 'DepthwiseConv2dNative':
      case 'FusedDepthwiseConv2dNative': {
        let src = resolve(inputs[0]);
        let pad: [number, number, number, number] = [0, 0, 0, 0];
        const srcNode = node(src);
        if ((srcNode.op === 'Pad' || srcNode.op === 'PadV2') && (consumers.get(src) ?? 0) === 1 && src !== opts.inputFrom) {
          pad = zeroPadAmounts(srcNode, constant);
          src = resolve(tensorName(srcNode.input![0]));
        }
        layers.push(lowerConv(n, visit(src), pad, inputs.slice(1).map((i) => required(constant(resolve(i)), i))));
        return name;
      }
      case 'BiasAdd':
      case 'FusedBatchNorm':
      case 'FusedBatchNormV3': {
        const src = visit(inputs[0]);
        const conv = layers.find((l) => l.kind === 'conv' && l.name === src);
        if (!conv || conv.kind !== 'conv' || conv.act !== 'none' || (consumers.get(conv.name) ?? 0) !== 1) throw new Error(`${n.op} ${name}: only supported directly after a conv it can fold into`);
        const args = inputs.slice(1).map((i) => required(constant(resolve(i)), i));
        foldAffine(conv, n.op === 'BiasAdd' ? { bias: args[0].data } : batchNorm(args, n.attr?.epsilon?.f ?? 1e-3));
        conv.name = name;
        return name;
      }
      case 'Relu':
      case 'Relu6':
        layers.push({ kind: 'act', name, input: visit(inputs[0]), act: n.op === 'Relu' ? 'relu' : 'relu6' });
        return name;
      case 'Add':
      case 'AddV2':
      case 'Sub':
      case 'Mul':
        layers.push({ kind: 'binary', name, op: n.op === 'AddV2' ? 'Add' : (n.op as 'Add' | 'Sub' | 'Mul'), inputs: [operand(inputs[0]), operand(inputs[1])] });
        return name;
      case 'AvgPool':
      case 'MaxPool': {
        const k = attrInts(n.attr?.ksize);
        const s = attrInts(n.attr?.strides);
        checkNhwc(n);
        layers.push({ kind: 'pool', name, input: visit(inputs[0]), op: n.op === 'AvgPool' ? 'avg' : 'max', kernel: [k[1], k[2]], stride: [s[1], s[2]], padding: tfPadding(n) });
        return name;
      }
      case 'ConcatV2': {
        // the last input is the axis; NHWC channels (3 or -1) are NCHW's axis 1
        const axis = required(constant(resolve(inputs[inputs.length - 1])), inputs[inputs.length - 1]).data[0];
        if (axis !== 3 && axis !== -1) throw new Error(`ConcatV2 ${name}: only a channel concatenation (axis 3) is supported`);
        layers.push({ kind: 'concat', name, inputs: inputs.slice(0, -1).map((i) => visit(i)) });
        return name;
      }
      case 'Mean': {
        const axes = required(constant(resolve(inputs[1])), inputs[1]).data;
        if (axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2) throw new Error(`Mean ${name}: only a spatial mean (axes 1,2) is supported`);
        layers.push({ kind: 'globalAvg', name, input: visit(inputs[0]) });
        return name;
      }
      default:
        throw new Error(`TF op ${n.op} (node ${name}) is not supported by this converter`);
    }
  };
  for (const o of opts.outputs) for (const p of o.parts) visit(p.from);
  return layers;
}

function lowerConv(n: TfNode, input: string, pad: [number, number, number, number], args: Tensor[]): Layer {
  checkNhwc(n);
  const depthwise = n.op.includes('Depthwise');
  const [, , ci, co] = args[0].shape;
  const weight = depthwise ? depthwiseToOnnx(args[0]) : hwioToOihw(args[0]);
  const outC = depthwise ? ci * co : co;
  const s = attrInts(n.attr?.strides);
  const d = attrInts(n.attr?.dilations);
  const padding = tfPadding(n);
  padding.extra = padding.extra.map((v, i) => v + pad[i]) as Padding['extra'];
  const conv: Extract<Layer, { kind: 'conv' }> = {
    kind: 'conv', name: n.name, input, weight, bias: new Float32Array(outC),
    stride: [s[1] ?? 1, s[2] ?? 1], dilation: [d[1] ?? 1, d[2] ?? 1], group: depthwise ? ci : 1, padding, act: 'none',
  };
  // Fused ops come in order: the affine part (bias or batch norm) and then an optional activation.
  let act: Activation = 'none';
  for (const f of attrStrings(n.attr?.fused_ops)) {
    if (f === 'BiasAdd') foldAffine(conv, { bias: args[1].data });
    else if (f === 'FusedBatchNorm') foldAffine(conv, batchNorm(args.slice(1, 5), n.attr?.epsilon?.f ?? 1e-3));
    else if (f === 'Relu' || f === 'Relu6') act = f === 'Relu' ? 'relu' : 'relu6';
    else throw new Error(`${n.op} ${n.name}: fused op ${f} is not supported`);
  }
  conv.act = act;
  return conv;
}

/** Batch norm as y = x * scale + shift per channel. */
function batchNorm([gamma, beta, mean, variance]: Tensor[], eps: number): { scale: Float32Array; bias: Float32Array } {
  const c = gamma.data.length;
  const scale = new Float32Array(c);
  const bias = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = gamma.data[i] / Math.sqrt(variance.data[i] + eps);
    bias[i] = beta.data[i] - mean.data[i] * scale[i];
  }
  return { scale, bias };
}

function foldAffine(conv: Extract<Layer, { kind: 'conv' }>, { scale, bias }: { scale?: Float32Array; bias: Float32Array }): void {
  const outC = conv.weight.shape[0];
  if (bias.length !== outC) throw new Error(`${conv.name}: bias has ${bias.length} channels, conv has ${outC}`);
  const per = conv.weight.data.length / outC;
  for (let o = 0; o < outC; o++) {
    const s = scale ? scale[o] : 1;
    if (scale) for (let j = 0; j < per; j++) conv.weight.data[o * per + j] *= s;
    conv.bias[o] = conv.bias[o] * s + bias[o];
  }
}

function hwioToOihw(t: Tensor): Tensor {
  const [h, w, i, o] = t.shape;
  const out = new Float32Array(t.data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < i; c++) for (let k = 0; k < o; k++) {
    out[((k * i + c) * h + y) * w + x] = t.data[((y * w + x) * i + c) * o + k];
  }
  return { shape: [o, i, h, w], data: out };
}

/** TF depthwise filter [H, W, C, M] -> ONNX grouped conv weight [C*M, 1, H, W]; output channel c*M+m in both. */
function depthwiseToOnnx(t: Tensor): Tensor {
  const [h, w, c, m] = t.shape;
  const out = new Float32Array(t.data.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) for (let k = 0; k < m; k++) {
    out[((ch * m + k) * h + y) * w + x] = t.data[((y * w + x) * c + ch) * m + k];
  }
  return { shape: [c * m, 1, h, w], data: out };
}

function tfPadding(n: TfNode): Padding {
  const mode = attrString(n.attr?.padding) ?? 'VALID';
  if (mode === 'EXPLICIT') {
    const p = attrInts(n.attr?.explicit_paddings); // NHWC pairs: [0,0, top,bottom, left,right, 0,0]
    return { mode: 'VALID', extra: [p[2], p[4], p[3], p[5]] };
  }
  if (mode !== 'SAME' && mode !== 'VALID') throw new Error(`${n.name}: padding ${mode} not supported`);
  return { mode, extra: [0, 0, 0, 0] };
}

function zeroPadAmounts(n: TfNode, constant: (name: string) => Tensor | undefined): [number, number, number, number] {
  const inputs = (n.input ?? []).map(tensorName);
  const p = required(constant(inputs[1]), inputs[1]).data; // [[0,0],[top,bottom],[left,right],[0,0]]
  if (n.op === 'PadV2' && required(constant(inputs[2]), inputs[2]).data[0] !== 0) throw new Error(`${n.name}: only zero padding folds into a conv`);
  if (p[0] || p[1] || p[6] || p[7]) throw new Error(`${n.name}: padding of batch or channels is not supported`);
  return [p[2], p[4], p[3], p[5]];
}

function checkNhwc(n: TfNode): void {
  const f = attrString(n.attr?.data_format);
  if (f !== undefined && f !== 'NHWC') throw new Error(`${n.name}: data_format ${f} not supported`);
}

function required<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Error(`expected a constant for ${what}`);
  return v;
}

/** "node:0" and "node" name the same tensor for single-output ops. */
function tensorName(input: string): string {
  const i = input.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(input.slice(i + 1)) ? input.slice(0, i) : input;
}

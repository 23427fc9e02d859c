// A grey image fed to an RGB model is the same plane three times, so a convolution reading it
// equals the same convolution with its weights summed over the three input channels, run on
// the one plane: a third of the first layer's work, and no 3× copy of every input. Applied only
// when the image reaches nothing but plain Convs (group 1, weights in the file), possibly
// through elementwise arithmetic with scalar constants (a model's own x * 2 - 1), which keeps
// the three channels equal.
import type * as OnnxProto from 'onnx-proto';

type Graph = OnnxProto.onnx.IGraphProto;
type Tensor = OnnxProto.onnx.ITensorProto;

const FLOAT = 1; // TensorProto.DataType.FLOAT

/** The graph's nodes and initializers with the image's readers taking one plane, or null when that does not apply. */
export function foldGreyInput(graph: Graph, inputName: string): { node: OnnxProto.onnx.INodeProto[]; initializer: Tensor[]; valueInfo: OnnxProto.onnx.IValueInfoProto[] } | null {
  const nodes = graph.node ?? [];
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const isScalar = (name: string) => { const t = inits.get(name); return !!t && (t.dims ?? []).reduce((a, d) => a * Number(d), 1) === 1; };
  // Follow the grey tensor through scalar arithmetic to the convolutions that read it.
  const grey = new Set([inputName]);
  const convs: OnnxProto.onnx.INodeProto[] = [];
  const queue = [inputName];
  while (queue.length) {
    const name = queue.shift()!;
    for (const n of nodes.filter((m) => (m.input ?? []).includes(name))) {
      const ins = n.input ?? [];
      if ((n.domain ?? '') !== '') return null;
      if (ELEMENTWISE.has(n.opType ?? '') && ins.length === 2 && ins.every((i) => grey.has(i) || isScalar(i)) && n.output?.length === 1) {
        if (!grey.has(n.output[0]!)) { grey.add(n.output[0]!); queue.push(n.output[0]!); }
        continue;
      }
      if (n.opType !== 'Conv' || !grey.has(ins[0] ?? '') || ins.slice(1).some((i) => grey.has(i))) return null;
      const group = n.attribute?.find((a) => a.name === 'group');
      if (group && Number(group.i) !== 1) return null;
      if (!convs.includes(n)) convs.push(n);
    }
  }
  if (!convs.length) return null;
  const folded = new Map<string, Tensor>();
  for (const n of convs) {
    const wName = n.input![1] ?? '';
    if (folded.has(wName)) continue;
    const w = inits.get(wName);
    const summed = w ? sumInputChannels(w) : null;
    if (!summed) return null;
    folded.set(wName, { ...summed, name: `${wName}/grey` });
  }
  const node = nodes.map((n) => (convs.includes(n) ? { ...n, input: [n.input![0]!, `${n.input![1]}/grey`, ...n.input!.slice(2)] } : n));
  // Weights no other node reads are dropped, so the model does not carry both copies.
  const stillRead = new Set(node.flatMap((n) => n.input ?? []));
  const initializer = [...(graph.initializer ?? []).filter((t) => stillRead.has(t.name ?? '')), ...folded.values()];
  // Declared shapes of the tensors that now carry one plane would contradict it.
  const valueInfo = (graph.valueInfo ?? []).filter((v) => !grey.has(v.name ?? ''));
  return { node, initializer, valueInfo };
}

const ELEMENTWISE = new Set(['Mul', 'Add', 'Sub', 'Div']);

/** [O, 3, kh, kw] float weights → [O, 1, kh, kw], summed over the input channels; null for anything else. */
function sumInputChannels(w: Tensor): Tensor | null {
  const dims = (w.dims ?? []).map(Number);
  if (w.dataType !== FLOAT || dims.length !== 4 || dims[1] !== 3 || w.dataLocation === 1) return null;
  const [o, , kh, kw] = dims as [number, number, number, number];
  const k = kh * kw;
  const data = floatsOf(w, o * 3 * k);
  if (!data) return null;
  const out = new Float32Array(o * k);
  for (let f = 0; f < o; f++) for (let c = 0; c < 3; c++) for (let i = 0; i < k; i++) out[f * k + i]! += data[(f * 3 + c) * k + i]!;
  const raw = new Uint8Array(out.length * 4);
  const view = new DataView(raw.buffer);
  out.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return { dims: [o, 1, kh, kw], dataType: FLOAT, rawData: raw };
}

function floatsOf(t: Tensor, count: number): Float32Array | null {
  if (t.floatData && t.floatData.length === count) return Float32Array.from(t.floatData);
  const raw = t.rawData;
  if (!raw || raw.length !== count * 4) return null;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true));
}

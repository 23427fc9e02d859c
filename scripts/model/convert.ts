// TF.js graph model -> ONNX, cut at chosen layers with a pooling head.
import type { ConvertOptions, Layer, OutputPart } from './ir';
import { emitOnnx, type EmitResult } from './onnx-emit';
import { lowerGraph } from './tf-lower';
import type { TfGraph } from './tfjs-graph';

export function convertTfjsToOnnx(graph: TfGraph, opts: ConvertOptions): EmitResult {
  return emitOnnx(lowerGraph(graph, opts), opts);
}

/** One network of a several-network model: its graph, its own input node and size, its cuts. */
export interface Branch {
  graph: TfGraph;
  inputFrom: string;
  /** The network's input size; the model's input is resized to it where it differs. */
  inputSize: [number, number];
  parts: OutputPart[];
}

/**
 * Several networks side by side on one input, their cuts concatenated into one output, in
 * branch order (the accurate built-in model: builtin-config.ts). Each branch's layers are
 * renamed under its own prefix, so the networks' names cannot collide.
 */
export function convertBranches(branches: Branch[], opts: Omit<ConvertOptions, 'inputFrom' | 'outputs'> & { outputName: string }): EmitResult {
  const INPUT = '__input';
  const layers: Layer[] = [];
  const parts: OutputPart[] = [];
  branches.forEach((b, i) => {
    const prefix = `n${i}/`;
    const resized = b.inputSize[0] !== opts.inputSize[0] || b.inputSize[1] !== opts.inputSize[1];
    const input = resized ? `${prefix}resized_input` : INPUT;
    if (resized) layers.push({ kind: 'resize', name: input, input: INPUT, size: b.inputSize });
    const rename = (name: string): string => (name === b.inputFrom ? input : `${prefix}${name}`);
    const own = lowerGraph(b.graph, { ...opts, inputFrom: b.inputFrom, inputSize: b.inputSize, outputs: [{ name: 'out', parts: b.parts }] });
    for (const l of own) layers.push(renamed(l, rename));
    for (const p of b.parts) parts.push({ ...p, from: rename(p.from) });
  });
  return emitOnnx(layers, { ...opts, inputFrom: INPUT, outputs: [{ name: opts.outputName, parts }] });
}

function renamed(l: Layer, rename: (name: string) => string): Layer {
  const name = rename(l.name);
  switch (l.kind) {
    case 'binary': return { ...l, name, inputs: [operand(l.inputs[0], rename), operand(l.inputs[1], rename)] };
    case 'concat': return { ...l, name, inputs: l.inputs.map(rename) };
    default: return { ...l, name, input: rename(l.input) };
  }
}

function operand<T>(op: string | T, rename: (name: string) => string): string | T {
  return typeof op === 'string' ? rename(op) : op;
}

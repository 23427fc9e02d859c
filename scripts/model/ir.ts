// The converter's intermediate form: TF.js ops lowered to NCHW layers (a concat joins channels), with batch norms,
// biases and zero `Pad`s already folded into the convolution that precedes or follows them.
import type { Tensor } from './tfjs-graph';

export type Activation = 'none' | 'relu' | 'relu6';

/** TF padding: SAME/VALID, plus explicit [top, left, bottom, right] pads (from EXPLICIT or a folded Pad). */
export interface Padding {
  mode: 'SAME' | 'VALID';
  extra: [number, number, number, number];
}

export type Layer =
  | { kind: 'conv'; name: string; input: string; weight: Tensor; bias: Float32Array; stride: [number, number]; dilation: [number, number]; group: number; padding: Padding; act: Activation }
  | { kind: 'binary'; name: string; op: 'Add' | 'Sub' | 'Mul'; inputs: [Operand, Operand] }
  | { kind: 'act'; name: string; input: string; act: Exclude<Activation, 'none'> }
  | { kind: 'pool'; name: string; input: string; op: 'avg' | 'max'; kernel: [number, number]; stride: [number, number]; padding: Padding }
  | { kind: 'globalAvg'; name: string; input: string }
  | { kind: 'concat'; name: string; inputs: string[] }
  /** Bilinear resize to a fixed size: one network's input made from another's (convertBranches). */
  | { kind: 'resize'; name: string; input: string; size: [number, number] };

/** A layer input: another layer's output (by name) or a constant. */
export type Operand = string | Tensor;

/** Spatial pooling applied to a cut before it becomes (part of) an output. */
export type PoolHead = 'none' | 'global' | { grid: number };

export interface OutputPart {
  from: string;
  pool: PoolHead;
}

export interface ConvertOptions {
  /** The TF node whose output becomes the ONNX input (the Placeholder for a whole model). */
  inputFrom: string;
  inputName: string;
  inputChannels: number;
  inputSize: [number, number];
  /** Each output concatenates its parts along channels after pooling and flattening. */
  outputs: { name: string; parts: OutputPart[] }[];
  /** ONNX graph name; also keeps files from different cuts distinguishable. */
  graphName: string;
  /** Provenance written into the model file. */
  docString?: string;
}

// Checks a loaded session against a spec, so a wrong model fails at load with a clear message
// instead of at the first batch with an onnxruntime shape error.
import type { InferenceSession } from 'onnxruntime-node';
import { ModelError } from './errors';
import type { ModelSpec } from './spec';

type Meta = InferenceSession.ValueMetadata;
type Dim = number | string;

export interface ModelIo {
  input: { name: string; shape: readonly Dim[] };
  output: { name: string; shape: readonly Dim[] };
}

const describe = (m: Meta): string => (m.isTensor ? `${m.name} ${m.type}[${m.shape.join(', ')}]` : `${m.name} (not a tensor)`);

/**
 * adaptedFrom: for a model given a byte input (byte-input.ts), the original image input it
 * feeds, which is what the spec describes and what is checked in place of the byte input.
 */
export function checkSession(session: InferenceSession, spec: ModelSpec, file: string, adaptedFrom?: { byteInput: string; original: Meta }): ModelIo {
  const inputs = adaptedFrom ? session.inputMetadata.map((m) => (m.name === adaptedFrom.byteInput ? adaptedFrom.original : m)) : session.inputMetadata;
  const list = inputs.map(describe).join(', ') || 'none';
  if (!inputs.some((m) => m.isTensor && m.type === 'float32' && m.shape.length === 4)) {
    throw new ModelError('no-image-input', `${file}: no image-shaped input (a rank-4 float32 tensor); its inputs are: ${list}`);
  }
  const input = inputs.find((m) => m.name === spec.inputName);
  if (!input) throw new ModelError('missing-input', `${file}: the spec names input "${spec.inputName}", but the model's inputs are: ${list}`);
  if (!input.isTensor || input.shape.length !== 4) {
    throw new ModelError('bad-input-rank', `${file}: input ${describe(input)} has rank ${input.isTensor ? input.shape.length : 0}; an image input has rank 4 (${spec.layout})`);
  }
  if (input.type !== 'float32') throw new ModelError('bad-input-shape', `${file}: input ${describe(input)} is not float32`);
  const [c, h, w] = spec.layout === 'NCHW' ? [input.shape[1], input.shape[2], input.shape[3]] : [input.shape[3], input.shape[1], input.shape[2]];
  const clash = (d: Dim, want: number): boolean => typeof d === 'number' && d > 0 && d !== want;
  if (clash(c, 3) || clash(h, spec.inputSize.height) || clash(w, spec.inputSize.width)) {
    throw new ModelError('bad-input-shape', `${file}: input ${describe(input)} does not take ${spec.layout} 3x${spec.inputSize.height}x${spec.inputSize.width} images as the spec says`);
  }
  const others = inputs.filter((m) => m.name !== spec.inputName);
  if (others.length) throw new ModelError('extra-inputs', `${file}: besides the image the model needs inputs Winnow cannot feed: ${others.map(describe).join(', ')}`);

  const output = session.outputMetadata.find((m) => m.name === spec.outputName);
  if (!output) {
    throw new ModelError('missing-output', `${file}: the spec names output "${spec.outputName}", but the model's outputs are: ${session.outputMetadata.map(describe).join(', ') || 'none'}`);
  }
  const shape = output.isTensor ? output.shape : [];
  if (!output.isTensor || output.type !== 'float32') throw new ModelError('bad-output-shape', `${file}: output ${describe(output)} is not a float32 tensor`);
  const need: Record<ModelSpec['pooling'], number[]> = { none: [], avg: [3, 4], avg2x2: [4], cls: [3] };
  // an empty shape means the model does not declare it; the first batch checks it then
  if (shape.length && need[spec.pooling].length && !need[spec.pooling].includes(shape.length)) {
    throw new ModelError('bad-output-shape', `${file}: output ${describe(output)} has rank ${shape.length}; pooling "${spec.pooling}" needs rank ${need[spec.pooling].join(' or ')}`);
  }
  return { input: { name: input.name, shape: input.shape }, output: { name: output.name, shape } };
}

// How to feed a model and read an embedding out of it. Stored as JSON beside the .onnx file.
import { z } from 'zod';
import { ModelError } from './errors';

const triple = z.tuple([z.number(), z.number(), z.number()]);

export const modelSpecSchema = z.object({
  name: z.string().min(1),
  inputName: z.string().min(1),
  /** The model's fixed input size in pixels. */
  inputSize: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  layout: z.enum(['NCHW', 'NHWC']),
  channelOrder: z.enum(['RGB', 'BGR']),
  /** A channel value fed to the model is (byte * valueScale - mean[c]) / std[c], c in RGB order. */
  valueScale: z.number().positive(),
  mean: triple,
  std: triple.refine((s) => s.every((v) => v > 0), 'std must be positive'),
  outputName: z.string().min(1),
  /**
   * How the output becomes one vector: 'none' flattens it; 'avg' averages a feature map
   * (rank 4, channel axis per `layout`) or tokens (rank 3); 'avg2x2' averages a feature map
   * into a 2x2 grid (channel-major); 'cls' takes token 0 of a rank-3 output.
   */
  pooling: z.enum(['none', 'avg', 'avg2x2', 'cls']),
  embeddingDim: z.number().int().positive(),
});

export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type Pooling = ModelSpec['pooling'];

export function parseModelSpec(json: unknown): ModelSpec {
  const r = modelSpecSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(spec)'}: ${i.message}`).join('; ');
    throw new ModelError('bad-spec', `invalid model spec: ${issues}`);
  }
  return r.data;
}

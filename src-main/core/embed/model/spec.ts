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
  /**
   * A whitening fitted on the project's own images (embed/whitening.ts): the output, `parts`
   * wide pieces back to back (one per network or layer), is whitened piece by piece, each to
   * `dim` principal axes divided by variance^`power` (0.5: full whitening), fitted on `sample`
   * of the project's images drawn at random (set-whitening.ts); embeddingDim is then
   * parts.length × dim. Why: a network's raw features are dominated by a few directions that say
   * little about the data at hand; the accurate built-in model's 5-NN accuracy on Fashion-MNIST
   * rises from 88.9 to 90.4 % with it (scripts/model/README.md).
   */
  whiten: z.object({
    parts: z.array(z.number().int().positive()).min(1),
    dim: z.number().int().positive(),
    power: z.number().min(0).max(0.5),
    sample: z.number().int().min(2),
  }).optional(),
}).superRefine((s, ctx) => {
  const w = s.whiten;
  if (w && s.embeddingDim !== w.parts.length * w.dim) ctx.addIssue({ code: 'custom', path: ['embeddingDim'], message: `a whitened model gives parts × dim = ${w.parts.length * w.dim} values, not ${s.embeddingDim}` });
  if (w && w.parts.some((p) => p < w.dim)) ctx.addIssue({ code: 'custom', path: ['whiten', 'dim'], message: `each part must be at least ${w.dim} wide` });
});

export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type WhitenSpec = NonNullable<ModelSpec['whiten']>;

/** Values per image the network's output gives: the stored width, or the parts' before whitening. */
export function outputWidth(spec: Pick<ModelSpec, 'embeddingDim' | 'whiten'>): number {
  return spec.whiten ? partsWidth(spec.whiten.parts) : spec.embeddingDim;
}

/** The width of a whitened model's raw output: its parts side by side. */
export function partsWidth(parts: readonly number[]): number {
  return parts.reduce((a, b) => a + b, 0);
}
export type Pooling = ModelSpec['pooling'];

export function parseModelSpec(json: unknown): ModelSpec {
  const r = modelSpecSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(spec)'}: ${i.message}`).join('; ');
    throw new ModelError('bad-spec', `invalid model spec: ${issues}`);
  }
  return r.data;
}

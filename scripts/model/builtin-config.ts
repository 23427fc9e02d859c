// The built-in embedding model: nsfwjs's MobileNetV2 (depth 1.4, ImageNet features) cut after
// inverted-residual block 12 and average-pooled to a 2x2 grid (136 channels x 4 cells = 544-d).
// Chosen with explore-cuts.ts on 10,000 MNIST test digits at 112 px: 98.62 % leave-one-out
// 5-NN accuracy (raw pixels 96.35 %); 3x3 pooling (1,224-d) gains 0.1 point for 2.25x the width,
// deeper cuts and the final pooled vector score lower, and 112 px beat 64, 80, 96 and 128.
import type { ModelSpec } from '../../src-main/core/embed/model/spec';
import type { ConvertOptions } from './ir';
import { blockOutput } from './builtin-cuts';

const SIZE = 112;

export const BUILTIN_SPEC: ModelSpec = {
  name: 'winnow-builtin-mobilenetv2-b12-2x2',
  inputName: 'image',
  inputSize: { width: SIZE, height: SIZE },
  layout: 'NCHW',
  channelOrder: 'RGB',
  // the graph rescales [0,1] to [-1,1] itself
  valueScale: 1 / 255,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  outputName: 'embedding',
  // pooling is baked into the graph
  pooling: 'none',
  embeddingDim: 544,
};

// The weights come from the nsfwjs package pinned in package.json (4.3.0): its
// models/mobilenet_v2_mid files are byte-identical to 4.4.0's, which declares an exact Node
// engine (22.13.0) and so warns on every other Node. The docString below, part of the model's
// hash and so of every project's embedding key, still names 4.4.0, where these weights were first
// taken from; build-builtin.ts refuses any output whose hash differs from builtin.sha256.
export const BUILTIN_CONVERT: ConvertOptions = {
  inputFrom: 'input',
  inputName: BUILTIN_SPEC.inputName,
  inputChannels: 3,
  inputSize: [SIZE, SIZE],
  graphName: BUILTIN_SPEC.name,
  docString:
    'MobileNetV2 (depth multiplier 1.4, ImageNet features from TF-Hub) as bundled in nsfwjs 4.4.0 (MIT, models/mobilenet_v2_mid), ' +
    'converted by Winnow scripts/model; cut after inverted-residual block 12, average-pooled to a 2x2 grid. ' +
    'Input: float32 NCHW RGB in [0,1], 112x112.',
  outputs: [{ name: BUILTIN_SPEC.outputName, parts: [{ from: blockOutput(12), pool: { grid: 2 } }] }],
};

/**
 * The same model quantised to int8 (QDQ; per-channel weights, calibrated uint8 activations):
 * about twice the float model's throughput on CPUs with VNNI, vectors within cosine 0.99 of the
 * float model's (BENCHMARKS.md: embed int8). The CPU default; `--model builtin-float` keeps float.
 */
export const BUILTIN_INT8_SPEC: ModelSpec = { ...BUILTIN_SPEC, name: `${BUILTIN_SPEC.name}-int8` };

export const BUILTIN_INT8_DOC = `${BUILTIN_CONVERT.docString} Quantised to int8 by Winnow scripts/model/quantize.ts (QDQ, per-channel int8 weights, uint8 activations calibrated on MNIST, Fashion-MNIST and generated colour images).`;

// The accurate built-in model (issue 15 item 8): nsfwjs's InceptionV3 cut at mixed2 (ImageNet
// weights: nsfwjs fine-tuned from mixed6 on) pooled to a 4×4 grid, beside the default's network
// at block 12 pooled to 7×7, both fed one 150 px input (MobileNetV2 through a bilinear resize to
// the 112 px it was chosen at), each whitened on the project's own images (spec.whiten,
// core/embed/whitening.ts). scripts/model/README.md has the search: the two networks whitened
// and joined reached 90.3–90.5 % 5-NN on Fashion-MNIST where the default has 86.7 %.
const ACCURATE_SIZE = 150;
const INCEPTION_CUT = { from: 'mixed2', pool: { grid: 4 } } as const;
const MOBILENET_CUT = { from: blockOutput(12), pool: { grid: 7 } } as const;
/** mixed2's 288 channels × 16 cells, block 12's 136 channels × 49 cells. */
const ACCURATE_PARTS = [288 * 16, 136 * 49];

/** The fast model's input conventions ([0, 1] RGB, NCHW, pooling in the graph) at 150 px; InceptionV3 was measured on [0, 1] too (explore-dump.ts). */
export const BUILTIN_ACCURATE_SPEC: ModelSpec = {
  ...BUILTIN_SPEC,
  name: 'winnow-builtin-accurate-inceptionv3-mixed2-4x4-mobilenetv2-b12-7x7',
  inputSize: { width: ACCURATE_SIZE, height: ACCURATE_SIZE },
  embeddingDim: 2 * 512,
  whiten: { parts: ACCURATE_PARTS, dim: 512, power: 0.25, sample: 5000 },
};

export const BUILTIN_ACCURATE_DOC =
  'InceptionV3 (ImageNet weights as bundled in nsfwjs 4.4.0, MIT, models/inception_v3) cut at mixed2 and average-pooled to a 4x4 grid, ' +
  'beside MobileNetV2 (depth multiplier 1.4, nsfwjs models/mobilenet_v2_mid) cut after inverted-residual block 12 and pooled to 7x7 ' +
  'from the input resized to 112x112; the two concatenated. Converted by Winnow scripts/model. ' +
  'Input: float32 NCHW RGB in [0,1], 150x150. Each part is whitened on the project\'s own images (spec.whiten).';

export const ACCURATE_BRANCHES = { size: ACCURATE_SIZE, inception: INCEPTION_CUT, mobilenet: MOBILENET_CUT, mobilenetSize: SIZE };

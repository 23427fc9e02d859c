// Runs a batch and turns the output into unit-length vectors.
import ort from 'onnxruntime-node';
import { BYTE_INPUT } from './byte-input';
import { ModelError } from './errors';
import type { LoadedModel } from './load';
import { outputWidth, partsWidth, type ModelSpec } from './spec';

/**
 * batch: batchSize preprocessed images back to back (see preprocess). Returns
 * batchSize * spec.embeddingDim floats, each row L2-normalised (an all-zero row stays zero); for a
 * spec that whitens, batchSize * outputWidth(spec) floats, each part of each row L2-normalised,
 * for the set's whitening (whitening.ts) to project.
 */
export async function embedBatch(model: LoadedModel, batch: Float32Array, batchSize: number): Promise<Float32Array> {
  const { spec } = model;
  if (model.byteInput) throw new Error('embedBatch: this model takes bytes (embedBytes)');
  const { width, height } = spec.inputSize;
  const per = 3 * width * height;
  if (batch.length !== per * batchSize) throw new RangeError(`embedBatch: ${batch.length} floats is not ${batchSize} images of ${per}`);
  const dims = spec.layout === 'NCHW' ? [batchSize, 3, height, width] : [batchSize, height, width, 3];
  return run(model, new ort.Tensor('float32', batch, dims), batchSize);
}

/**
 * For a model loaded with byteInput: `pixels` holds batchSize images of that size, uint8
 * row-major with interleaved channels. Returns rows as embedBatch does.
 */
export async function embedBytes(model: LoadedModel, pixels: Uint8Array, batchSize: number): Promise<Float32Array> {
  const src = model.byteInput;
  if (!src) throw new Error('embedBytes: this model was not loaded with byteInput');
  const per = src.height * src.width * src.channels;
  if (pixels.length !== per * batchSize) throw new RangeError(`embedBytes: ${pixels.length} bytes is not ${batchSize} images of ${per}`);
  return run(model, new ort.Tensor('uint8', pixels, [batchSize, src.height, src.width, src.channels]), batchSize);
}

/** Either input kind: floats for a model as it is, bytes for one loaded with byteInput. */
export function embedInput(model: LoadedModel, input: Float32Array | Uint8Array, batchSize: number): Promise<Float32Array> {
  return input instanceof Uint8Array ? embedBytes(model, input, batchSize) : embedBatch(model, input, batchSize);
}

async function run(model: LoadedModel, input: ort.Tensor, batchSize: number): Promise<Float32Array> {
  const { spec } = model;
  const out = await model.session.run({ [model.byteInput ? BYTE_INPUT : spec.inputName]: input }, [spec.outputName]);
  const t = out[spec.outputName];
  try {
    if (t.type !== 'float32') throw new ModelError('bad-output-shape', `output ${spec.outputName} is ${t.type}, not float32`);
    const vectors = pool(t.data as Float32Array, t.dims, spec);
    const width = outputWidth(spec);
    if (vectors.length !== batchSize * width) {
      throw new ModelError('bad-output-shape', `output ${spec.outputName} [${t.dims.join(', ')}] pooled "${spec.pooling}" gives ${vectors.length / batchSize} values per image; the spec says ${width}`);
    }
    return spec.whiten ? normalisePartsOfRows(vectors, spec.whiten.parts) : l2Normalise(vectors, width);
  } finally {
    t.dispose();
  }
}

/** Applies the spec's pooling to a [N, ...] output, returning N rows back to back. */
export function pool(data: Float32Array, dims: readonly number[], spec: Pick<ModelSpec, 'pooling' | 'layout'>): Float32Array {
  const n = dims[0];
  switch (spec.pooling) {
    case 'none':
      return data.slice(); // normalised in place next; never write into onnxruntime's buffer
    case 'cls': {
      if (dims.length !== 3) throw new ModelError('bad-output-shape', `pooling "cls" needs a [N, tokens, dim] output, got [${dims.join(', ')}]`);
      const [, t, d] = dims;
      const out = new Float32Array(n * d);
      for (let i = 0; i < n; i++) out.set(data.subarray(i * t * d, i * t * d + d), i * d);
      return out;
    }
    case 'avg':
      if (dims.length === 3) return gridPool(data, n, dims[2], 1, dims[1], false, 1);
      if (dims.length === 4) return spec.layout === 'NCHW' ? gridPool(data, n, dims[1], dims[2], dims[3], true, 1) : gridPool(data, n, dims[3], dims[1], dims[2], false, 1);
      break;
    case 'avg2x2':
      if (dims.length === 4) return spec.layout === 'NCHW' ? gridPool(data, n, dims[1], dims[2], dims[3], true, 2) : gridPool(data, n, dims[3], dims[1], dims[2], false, 2);
      break;
  }
  throw new ModelError('bad-output-shape', `pooling "${spec.pooling}" cannot apply to an output of shape [${dims.join(', ')}]`);
}

/**
 * Averages each channel over a grid x grid tiling of an h x w map (cells overlap when the size
 * does not divide, like adaptive pooling); the result is channel-major: c * grid^2 + cell.
 */
function gridPool(data: Float32Array, n: number, c: number, h: number, w: number, channelsFirst: boolean, grid: number): Float32Array {
  const cells = grid * grid;
  const out = new Float32Array(n * c * cells);
  const bounds = (size: number, i: number): [number, number] => [Math.floor((i * size) / grid), Math.ceil(((i + 1) * size) / grid)];
  for (let b = 0; b < n; b++) {
    const base = b * c * h * w;
    for (let gy = 0; gy < grid; gy++) {
      const [y0, y1] = bounds(h, gy);
      for (let gx = 0; gx < grid; gx++) {
        const [x0, x1] = bounds(w, gx);
        const area = (y1 - y0) * (x1 - x0);
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) acc += data[channelsFirst ? base + (ch * h + y) * w + x : base + (y * w + x) * c + ch];
          out[(b * c + ch) * cells + gy * grid + gx] = acc / area;
        }
      }
    }
  }
  return out;
}

export function l2Normalise(v: Float32Array, dim: number): Float32Array {
  for (let r = 0; r < v.length; r += dim) {
    let s = 0;
    for (let i = r; i < r + dim; i++) s += v[i] * v[i];
    if (s === 0) continue;
    const k = 1 / Math.sqrt(s);
    for (let i = r; i < r + dim; i++) v[i] *= k;
  }
  return v;
}

/** L2-normalises each part of each row (rows of parts[0] + parts[1] + … values) in place. */
export function normalisePartsOfRows(v: Float32Array, parts: readonly number[]): Float32Array {
  const width = partsWidth(parts);
  for (let r = 0; r < v.length; r += width) {
    let o = r;
    for (const p of parts) {
      l2Normalise(v.subarray(o, o + p), p);
      o += p;
    }
  }
  return v;
}

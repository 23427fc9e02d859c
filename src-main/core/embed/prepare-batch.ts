// Decodes and preprocesses one batch of images into a model input. Runs in the embed-prepare
// worker so inference on the main thread never waits for decoding; stored pixels that already
// have the byte input's size skip the worker (see copyStoredBatch).
import sharp from 'sharp';
import { MAX_PIXELS } from '../import/decode-image';
import { ALPHA_BACKDROP } from '../../../src-shared/model/backdrop';
import { preprocess, type ByteSource, type ModelSpec } from './model';

export type PrepareItem =
  | { sampleId: number; kind: 'file'; path: string }
  | { sampleId: number; kind: 'gray8'; width: number; height: number; data: Uint8Array };

export interface PreparedBatch {
  /** Float32Array for a float-input model; uint8 pixels of the byte source's size otherwise. */
  tensor: Float32Array | Uint8Array;
  ids: number[];
  failed: Array<{ sampleId: number; reason: string }>;
}

/** What the worker is asked to produce. */
export interface PrepareConfig { spec: ModelSpec; byteInput?: ByteSource }

sharp.cache(false);

export async function prepareBatch(items: PrepareItem[], config: PrepareConfig): Promise<PreparedBatch> {
  const { spec, byteInput } = config;
  const parts: Array<Float32Array | Uint8Array> = [];
  const ids: number[] = [];
  const failed: PreparedBatch['failed'] = [];
  for (const item of items) {
    try {
      parts.push(byteInput ? await toBytes(item, byteInput) : await toFloats(item, spec));
      ids.push(item.sampleId);
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      failed.push({ sampleId: item.sampleId, reason: /ENOENT|no such file/i.test(msg) ? 'image file is missing (moved or deleted since import)' : `cannot decode image: ${msg}` });
    }
  }
  const per = byteInput ? byteInput.height * byteInput.width * byteInput.channels : 3 * spec.inputSize.width * spec.inputSize.height;
  const tensor = byteInput ? new Uint8Array(per * ids.length) : new Float32Array(per * ids.length);
  parts.forEach((p, i) => tensor.set(p, i * per));
  return { tensor, ids, failed };
}

/** Stored grey pixels already of the byte source's size: a copy, cheap enough for the main thread. */
export function copyStoredBatch(items: PrepareItem[], src: ByteSource): PreparedBatch | null {
  const per = src.height * src.width * src.channels;
  if (src.channels !== 1 || !items.every((it) => it.kind === 'gray8' && it.width === src.width && it.height === src.height && it.data.length >= per)) return null;
  const tensor = new Uint8Array(per * items.length);
  items.forEach((it, i) => tensor.set((it as Extract<PrepareItem, { kind: 'gray8' }>).data.subarray(0, per), i * per));
  return { tensor, ids: items.map((it) => it.sampleId), failed: [] };
}

async function toFloats(item: PrepareItem, spec: ModelSpec): Promise<Float32Array> {
  if (item.kind === 'gray8') return preprocess(item.data, item.width, item.height, 1, spec);
  // Let libvips shrink large images first (fast, antialiased); preprocess does the exact fit.
  const { data, info } = await open(item.path)
    .resize(spec.inputSize.width * 2, spec.inputSize.height * 2, { fit: 'fill', withoutEnlargement: true })
    .flatten({ background: ALPHA_BACKDROP })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return preprocess(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height, info.channels, spec);
}

/** Pixels at exactly the byte source's size and channel count (the model does the rest). */
async function toBytes(item: PrepareItem, src: ByteSource): Promise<Uint8Array> {
  const input = item.kind === 'gray8'
    ? sharp(item.data, { raw: { width: item.width, height: item.height, channels: 1 } })
    : open(item.path);
  const { data, info } = await input
    .resize(src.width, src.height, { fit: 'fill' })
    .flatten({ background: ALPHA_BACKDROP })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const px = new Uint8Array(data.buffer, data.byteOffset, data.length);
  if (info.channels === src.channels) return px;
  if (info.channels === 1 && src.channels === 3) {
    const out = new Uint8Array(px.length * 3);
    for (let i = 0; i < px.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = px[i];
    return out;
  }
  if (info.channels === 3 && src.channels === 1) {
    const out = new Uint8Array(px.length / 3);
    // Rec. 601 luma, as libvips' own b-w conversion
    for (let i = 0; i < out.length; i++) out[i] = Math.round(0.299 * px[3 * i] + 0.587 * px[3 * i + 1] + 0.114 * px[3 * i + 2]);
    return out;
  }
  throw new Error(`unexpected ${info.channels} channels after decoding`);
}

function open(path: string): ReturnType<typeof sharp> {
  return sharp(path, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
}

// Decodes and preprocesses one batch of images into a model input tensor. Runs in the
// embed-prepare worker so inference on the main thread never waits for decoding.
import sharp from 'sharp';
import { MAX_PIXELS } from '../import/decode-image';
import { preprocess, type ModelSpec } from './model';

export type PrepareItem =
  | { sampleId: number; kind: 'file'; path: string }
  | { sampleId: number; kind: 'gray8'; width: number; height: number; data: Uint8Array };

export interface PreparedBatch {
  tensor: Float32Array;
  ids: number[];
  failed: Array<{ sampleId: number; reason: string }>;
}

sharp.cache(false);

export async function prepareBatch(items: PrepareItem[], spec: ModelSpec): Promise<PreparedBatch> {
  const per = 3 * spec.inputSize.width * spec.inputSize.height;
  const parts: Float32Array[] = [];
  const ids: number[] = [];
  const failed: PreparedBatch['failed'] = [];
  for (const item of items) {
    try {
      if (item.kind === 'gray8') {
        parts.push(preprocess(item.data, item.width, item.height, 1, spec));
      } else {
        // Let libvips shrink large images first (fast, antialiased); preprocess does the exact fit.
        const { data, info } = await sharp(item.path, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
          .rotate()
          .resize(spec.inputSize.width * 2, spec.inputSize.height * 2, { fit: 'fill', withoutEnlargement: true })
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        parts.push(preprocess(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height, info.channels, spec));
      }
      ids.push(item.sampleId);
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      failed.push({ sampleId: item.sampleId, reason: /ENOENT|no such file/i.test(msg) ? 'image file is missing (moved or deleted since import)' : `cannot decode image: ${msg}` });
    }
  }
  const tensor = new Float32Array(per * ids.length);
  parts.forEach((p, i) => tensor.set(p, i * per));
  return { tensor, ids, failed };
}

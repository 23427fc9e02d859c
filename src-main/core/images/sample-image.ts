// A sample's full image for the detail view: original bytes when the renderer can show them,
// otherwise converted to PNG; built-in samples come from the project file.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import { onBackdrop } from './alpha';
import type { ImagePayload } from '../../../src-shared/model/sample';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';

const BROWSER_FORMATS: Record<string, ImagePayload['format']> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };

export async function readSampleImage(catalog: Catalog, id: number): Promise<ImagePayload> {
  const src = catalog.sampleSource(id);
  if (src.kind === 'blob') return src.image;
  const sample = catalog.sample(id);
  let bytes: Buffer;
  try {
    bytes = await readFile(src.absPath);
  } catch (err) {
    throw new RpcError('not_found', `the image file ${sample.relPath} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); it may have been moved or deleted since import`);
  }
  const format = BROWSER_FORMATS[extname(src.absPath).toLowerCase()];
  // A transparent original is shown on the backdrop, as its thumbnail is, not on the dark panel.
  const hasAlpha = await sharp(bytes).metadata().then((m) => m.hasAlpha === true, () => false);
  if (format && !hasAlpha) return { format, width: sample.width, height: sample.height, data: new Uint8Array(bytes) };
  const png = await onBackdrop(sharp(bytes)).png().toBuffer();
  return { format: 'png', width: sample.width, height: sample.height, data: new Uint8Array(png) };
}

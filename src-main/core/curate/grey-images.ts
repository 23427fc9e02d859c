// Each sample's stored image as grey pixels, for the comparisons that align pixels (near
// duplicates that line up only after a shift, a crop or a rescale, engine/aligned-duplicates.ts; copies across splits,
// splits/engine/aligned-copies.ts). MNIST keeps raw grey pixels; a folder import keeps a PNG
// thumbnail of at most 96 px, reduced here to GREY_SIDE (a 3 px shift there is still a shift).
import sharp from 'sharp';
import type { Catalog } from '../catalog/catalog';
import { onBackdrop } from '../images/alpha';
import type { GreyImage } from './engine/aligned-pixels';
import type { ImagePayload } from '../../../src-shared/model/sample';

/** Largest side kept for the aligned comparison: folder thumbnails (≤ 96 px) are reduced to it. */
const GREY_SIDE = 48;

/**
 * Each sample's stored image (MNIST pixels or the import thumbnail) as grey pixels, per position
 * of `ids`; null where it cannot be read, or outside `only` (positions) when given.
 */
export async function loadGrey(catalog: Catalog, ids: Int32Array, signal?: AbortSignal, only?: ArrayLike<number>): Promise<(GreyImage | null)[]> {
  const out: (GreyImage | null)[] = new Array(ids.length).fill(null);
  const at = only ? Int32Array.from(only) : Int32Array.from({ length: ids.length }, (_, i) => i);
  for (let s = 0; s < at.length; s += 256) {
    signal?.throwIfAborted();
    const batch = Array.from(at.subarray(s, s + 256), (i) => ids[i]!);
    const stored = catalog.thumbnailsWithTables(batch);
    const greys = await Promise.all(stored.map(async (s) => {
      if (!s) return null;
      try {
        return await greyOf(s.image, s.jpegQuant);
      } catch {
        return null;
      }
    }));
    greys.forEach((g, t) => { out[at[s + t]!] = g; });
  }
  return out;
}

/**
 * One stored image (raw grey pixels, or an import thumbnail composited on the backdrop) as the
 * aligned comparisons read it: grey, at most GREY_SIDE a side; with `jpegQuant` (the table of the
 * JPEG the thumbnail holds at its own size) kept only when it is not reduced here, where the
 * compression's blocks would be averaged away.
 */
export async function greyOf(p: ImagePayload, jpegQuant?: Uint16Array | null): Promise<GreyImage> {
  if (p.format === 'gray8' && p.width <= GREY_SIDE && p.height <= GREY_SIDE) return { data: p.data, width: p.width, height: p.height };
  const input = p.format === 'gray8' ? sharp(p.data, { raw: { width: p.width, height: p.height, channels: 1 } }) : onBackdrop(sharp(p.data));
  const { data, info } = await input.greyscale().resize(GREY_SIDE, GREY_SIDE, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const grey: GreyImage = { data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), width: info.width, height: info.height };
  if (info.width !== p.width || info.height !== p.height) grey.reduced = true;
  else if (jpegQuant) grey.quant = jpegQuant;
  return grey;
}

// One image file as a folder import reads it for the near-duplicate rules: the import's decode
// (thumbnail, JPEG table), the appearance signature of the thumbnail, and the grey image the
// aligned stage compares (core/curate/grey-images.ts). Shared by the benches that measure those
// rules on files (bench/duplicates.ts's clip art, bench/duplicates-photos.ts).
import { decodeImage } from '../../src-main/core/import/decode-image';
import { appearanceOf } from '../../src-main/core/curate/appearance-store';
import { greyOf } from '../../src-main/core/curate/grey-images';
import type { GreyImage } from '../../src-main/core/curate/engine';

export async function readAsFolder(absPath: string, relPath: string): Promise<{ signature: Uint8Array; grey: GreyImage }> {
  const d = await decodeImage({ relPath, absPath });
  if (!d.ok) throw new Error(d.reason);
  const thumb = { format: 'png' as const, width: d.thumbWidth, height: d.thumbHeight, data: d.thumb };
  return { signature: (await appearanceOf(thumb))!.signature, grey: await greyOf(thumb, d.jpegQuant) };
}

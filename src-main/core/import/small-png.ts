// The import's fast path for the commonest dataset file: a small, opaque, 8-bit grey or RGB PNG
// (MNIST- or CIFAR-style exports). Such a file is its own thumbnail: it is no larger than the
// thumbnail size, has no alpha to put on the backdrop and no orientation to apply, so sharp's
// pipeline would only decode and re-encode the same pixels (about 1 ms a file, most of an
// import's time). Here the file is checked as strictly as a decoder would (every chunk's CRC,
// the whole zlib stream inflated to exactly the image's size, every row's filter type) and the
// thumbnail is its IHDR and IDAT chunks unchanged. Anything else, or any doubt, returns null and
// the file takes sharp's path, so failures keep sharp's reasons and limits.
import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Chunks that change no pixel and that sharp drops from its output too. */
const HARMLESS = new Set(['tEXt', 'zTXt', 'iTXt', 'pHYs', 'tIME']);
/** Colour type → channels, for the types taken here: 0 grey, 2 RGB (no alpha, no palette). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3 };

export interface SmallPng { width: number; height: number; channels: number; thumb: Uint8Array }

/** The image and its thumbnail when `bytes` is a small opaque 8-bit grey/RGB PNG at most `maxSide` px a side; otherwise null. */
export function smallPngThumbnail(bytes: Uint8Array, maxSide: number): SmallPng | null {
  if (bytes.length < SIGNATURE.length + 12 + 13 || !SIGNATURE.equals(bytes.subarray(0, 8))) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [SIGNATURE];
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  let channels = 0;
  let pos = 8;
  let ended = false;
  while (pos + 12 <= bytes.length) {
    const len = view.getUint32(pos);
    if (len > bytes.length - pos - 12) return null;
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    const end = pos + 12 + len;
    if (crc32(bytes.subarray(pos + 4, pos + 8 + len)) !== view.getUint32(pos + 8 + len)) return null;
    const first = pos === 8;
    if (first !== (type === 'IHDR')) return null;
    if (type === 'IHDR') {
      if (len !== 13) return null;
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      const [depth, colour, compression, filter, interlace] = bytes.subarray(pos + 16, pos + 21);
      channels = CHANNELS[colour!] ?? 0;
      if (!width || !height || width > maxSide || height > maxSide || depth !== 8 || !channels || compression || filter || interlace) return null;
      kept.push(bytes.subarray(pos, end));
    } else if (type === 'IDAT') {
      idat.push(bytes.subarray(pos + 8, pos + 8 + len));
      kept.push(bytes.subarray(pos, end));
    } else if (type === 'IEND') {
      kept.push(bytes.subarray(pos, end));
      ended = true;
      pos = end;
      break;
    } else if (!HARMLESS.has(type)) {
      return null;
    }
    pos = end;
  }
  if (!ended || pos !== bytes.length || !idat.length) return null;
  const stride = width * channels + 1;
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(idat), { maxOutputLength: stride * height });
  } catch {
    return null;
  }
  if (pixels.length !== stride * height) return null;
  for (let row = 0; row < height; row++) if (pixels[row * stride]! > 4) return null;
  return { width, height, channels, thumb: new Uint8Array(Buffer.concat(kept)) };
}

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

/** `pixels`: row-major, `channels` per pixel (the import makes the image's look from them). */
export interface SmallPng { width: number; height: number; channels: number; thumb: Uint8Array; pixels: Uint8Array }

/** The image and its thumbnail when `bytes` is a small opaque 8-bit grey/RGB PNG at most `maxSide` px a side; otherwise null. */
export function smallPngThumbnail(bytes: Uint8Array, maxSide: number): SmallPng | null {
  const png = readSmallPng(bytes, maxSide);
  return png && { width: png.width, height: png.height, channels: png.channels, thumb: png.thumb, pixels: unfilter(png.filtered, png.width, png.height, png.channels) };
}

/**
 * The pixels of such a PNG (row-major, 1 or 3 channels; any size unless `maxSide` is given), or null for any other file: how the
 * looks of stored thumbnails are read (core/curate/appearance-store.ts). Every thumbnail the
 * import writes is one (this fast path's, or sharp's 8-bit grey/RGB output on the backdrop), and
 * reading it here is a fraction of a sharp decode's cost, which at 32×32 is mostly the call's own
 * overhead (bench/import.ts: the looks pass of 10,000 such files).
 */
export function decodeSmallPng(bytes: Uint8Array, maxSide = Infinity): { data: Uint8Array; width: number; height: number; channels: number } | null {
  const png = readSmallPng(bytes, maxSide);
  return png && { data: unfilter(png.filtered, png.width, png.height, png.channels), width: png.width, height: png.height, channels: png.channels };
}

/**
 * PNG rows undone from their filters (PNG spec, section 9: None, Sub, Up, Average, Paeth), at
 * 8 bits per sample: `filtered` holds per row a filter byte, then width × channels bytes.
 */
function unfilter(filtered: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const row = width * channels, stride = row + 1, bpp = channels;
  const out = new Uint8Array(row * height);
  for (let y = 0; y < height; y++) {
    const type = filtered[y * stride]!, src = y * stride + 1, at = y * row, up = at - row;
    for (let x = 0; x < row; x++) {
      const a = x >= bpp ? out[at + x - bpp]! : 0;
      const b = y > 0 ? out[up + x]! : 0;
      let pred = 0;
      if (type === 1) pred = a;
      else if (type === 2) pred = b;
      else if (type === 3) pred = (a + b) >> 1;
      else if (type === 4) {
        const c = x >= bpp && y > 0 ? out[up + x - bpp]! : 0;
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[at + x] = (filtered[src + x]! + pred) & 255;
    }
  }
  return out;
}

/** The checked parts of a small opaque 8-bit grey/RGB PNG: its size, the thumbnail's chunks and the inflated (still filtered) rows. */
function readSmallPng(bytes: Uint8Array, maxSide: number): { width: number; height: number; channels: number; thumb: Uint8Array; filtered: Buffer } | null {
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
  return { width, height, channels, thumb: new Uint8Array(Buffer.concat(kept)), filtered: pixels };
}

// Grey pixels as an uncompressed 8-bit BMP with a grey palette: what an <img> shows for a
// built-in dataset's thumbnail. Written byte by byte, so no canvas, 2-D context or PNG encoder
// runs on the page's main thread per thumbnail (hundreds arrive at once while the map loads).
const FILE_HEADER = 14;
const INFO_HEADER = 40;
const PALETTE = 256 * 4;

export function grayBmp(width: number, height: number, pixels: ArrayLike<number>): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`bad image size ${width}x${height}`);
  if (pixels.length < width * height) throw new Error(`${pixels.length} pixels for a ${width}x${height} image`);
  const stride = (width + 3) & ~3;
  const offset = FILE_HEADER + INFO_HEADER + PALETTE;
  const size = offset + stride * height;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = 0x42; out[1] = 0x4d; // "BM"
  v.setUint32(2, size, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, INFO_HEADER, true);
  v.setInt32(18, width, true);
  v.setInt32(22, height, true); // positive: rows bottom-up
  v.setUint16(26, 1, true); // planes
  v.setUint16(28, 8, true); // bits per pixel
  v.setUint32(30, 0, true); // no compression
  v.setUint32(34, stride * height, true);
  v.setUint32(46, 256, true); // palette entries
  for (let i = 0; i < 256; i++) {
    const p = FILE_HEADER + INFO_HEADER + 4 * i;
    out[p] = i; out[p + 1] = i; out[p + 2] = i;
  }
  for (let row = 0; row < height; row++) {
    const dst = offset + (height - 1 - row) * stride;
    for (let x = 0; x < width; x++) out[dst + x] = pixels[row * width + x]!;
  }
  return out;
}

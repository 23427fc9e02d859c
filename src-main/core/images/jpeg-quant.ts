// The luminance quantisation table a JPEG file was compressed with, read from its header: the
// steps that decided how much detail the file lost (the near-duplicate comparison excuses what
// they explain, curate/engine/jpeg-recompression.ts). Only the markers before the scan are read.

/** Zigzag position → row-major position of an 8×8 block (the order DQT stores its steps in). */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** Frame markers of DCT-based JPEG (baseline, extended, progressive; Huffman or arithmetic). */
const DCT_FRAMES = new Set([0xc0, 0xc1, 0xc2, 0xc9, 0xca]);

/**
 * The 64 quantisation steps (row-major, DC first) of the file's first component (luma, or the
 * only one of a grey JPEG); null when the bytes are not a DCT-based JPEG or its header is
 * malformed.
 */
export function jpegLumaTable(bytes: Uint8Array): Uint16Array | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const tables = new Map<number, Uint16Array>();
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) { at++; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { at += 2; continue; }
    if (marker === 0xd9 || marker === 0xda) return null; // end, or the scan before any frame
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const start = at + 4, end = at + 2 + length;
    if (length < 2 || end > bytes.length) return null;
    if (marker === 0xdb) {
      for (let p = start; p < end;) {
        const precision = bytes[p]! >> 4, id = bytes[p]! & 15, size = precision ? 2 : 1;
        if (p + 1 + 64 * size > end) return null;
        const t = new Uint16Array(64);
        for (let k = 0; k < 64; k++) t[ZIGZAG[k]!] = size === 2 ? (bytes[p + 1 + 2 * k]! << 8) | bytes[p + 2 + 2 * k]! : bytes[p + 1 + k]!;
        tables.set(id, t);
        p += 1 + 64 * size;
      }
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      // The frame: its first component's table (defined before the frame, as the standard requires).
      if (!DCT_FRAMES.has(marker) || length < 11) return null;
      return tables.get(bytes[start + 8]!) ?? null;
    }
    at = end;
  }
  return null;
}

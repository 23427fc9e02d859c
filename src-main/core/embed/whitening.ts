// A whitening fitted on a project's own images, for a model whose spec asks for one (spec.whiten):
// each part of the network's output (a network's or a layer's features) is centred, projected on
// its top principal axes and each axis divided by variance^power, then the parts are joined. It
// is fitted once per embedding set, on a sample of the project's images that the set embeds
// first (set-whitening.ts), stored with the set (embedding-store.ts) and applied to every vector
// the set's model makes after: the project's own images, reference folders, a query image.
//
// Why per project: a network's features are dominated by a few directions (the ImageNet
// statistics it was trained on) that say little about the images at hand; dividing them out,
// measured on the data itself, took the accurate model's 5-NN accuracy on Fashion-MNIST from
// 88.9 to 90.4 % (scripts/model/README.md). A whitening fitted on other data would carry that
// data's directions instead.
import { applyPca, fitRandomizedPca, type PcaBasis } from '../curate/engine/pca';
import { decodeTypedTree, encodeTypedTree } from '../catalog/typed-blob';
import { l2Normalise, partsWidth, type WhitenSpec } from './model';

/** One part's projection: the PCA basis and each axis's divisor, variance^power. */
interface PartWhitening { basis: PcaBasis; divisor: Float32Array }

export interface Whitening { spec: WhitenSpec; parts: PartWhitening[] }

/** A variance below this (of unit-length parts) is no direction at all: it is not blown up. */
const MIN_VARIANCE = 1e-6;
/**
 * Images per axis whose variance counts as measured. Past rows / ROWS_PER_AXIS axes a sample's
 * variances are mostly its own noise, and dividing by them spreads every image away from every
 * other alike. So every variance is shrunk towards the last well-measured one before the
 * division: with thousands of images that floor is far below the axes that matter (no loss on
 * Fashion-MNIST); with a hundred it keeps most of the class structure (3-NN agreement on 120
 * drawn shapes: 0.906 without it, 0.917 at rows / 3, 0.942 at rows / 10; scripts/model/README.md).
 */
const ROWS_PER_AXIS = 10;

/**
 * Fits the whitening on `rows` raw rows (each part unit length, as the model's runner gives them).
 * Fewer rows than the spec's axes leave the missing axes zero: a set of a few images still gets
 * vectors of the spec's width.
 */
export function fitWhitening(raw: Float32Array, rows: number, spec: WhitenSpec): Whitening {
  const width = partsWidth(spec.parts);
  if (raw.length !== rows * width) throw new RangeError(`fitWhitening: ${raw.length} values is not ${rows} rows of ${width}`);
  let offset = 0;
  const parts = spec.parts.map((w) => {
    const part = columns(raw, rows, width, offset, w);
    offset += w;
    // One power iteration, the range finder's default: one was as good as 2, 4 or 12 for the
    // accurate model on Fashion-MNIST (scripts/model/README.md), and each costs about 10 s over
    // 5,000 images.
    const basis = fitRandomizedPca(part, w, spec.dim, { sampleSize: rows, seed: 1, wide: true });
    const measured = Math.max(1, Math.min(basis.outDim, Math.floor(rows / ROWS_PER_AXIS)));
    const floor = basis.variances[measured - 1]!;
    const divisor = Float32Array.from(basis.variances, (v) => Math.max(v + floor, MIN_VARIANCE) ** spec.power);
    return { basis, divisor };
  });
  return { spec, parts };
}

/** The stored vectors of `rows` raw rows: rows × parts × dim, each part and then each row unit length. */
export function applyWhitening(raw: Float32Array, rows: number, t: Whitening): Float32Array {
  const { parts: widths, dim } = t.spec;
  const width = partsWidth(widths);
  const outDim = widths.length * dim;
  const out = new Float32Array(rows * outDim);
  let offset = 0;
  t.parts.forEach(({ basis, divisor }, p) => {
    const coords = applyPca(columns(raw, rows, width, offset, widths[p]!), basis);
    offset += widths[p]!;
    for (let r = 0; r < rows; r++) {
      const o = r * outDim + p * dim;
      for (let c = 0; c < basis.outDim; c++) out[o + c] = coords[r * basis.outDim + c]! / divisor[c]!;
      l2Normalise(out.subarray(o, o + dim), dim);
    }
  });
  return l2Normalise(out, outDim);
}

/** Columns [offset, offset + w) of every row, as a rows × w matrix (the whole matrix when it is one part). */
function columns(raw: Float32Array, rows: number, width: number, offset: number, w: number): Float32Array {
  if (w === width) return raw;
  const out = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) out.set(raw.subarray(r * width + offset, r * width + offset + w), r * w);
  return out;
}

const MAGIC = 'WHTN';

export function encodeWhitening(t: Whitening): Buffer {
  return encodeTypedTree(MAGIC, t);
}

export function decodeWhitening(blob: Buffer): Whitening {
  return decodeTypedTree<Whitening>(MAGIC, blob);
}

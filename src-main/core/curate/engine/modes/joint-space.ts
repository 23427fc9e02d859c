// Where a representative subset is clustered: the embedding, and beside it the appearance tile
// (appearance-tile.ts) when the input has tiles. Each block gets its own PCA first, so the
// embedding's projection can be passed in once and reused (input.space), and the joint space
// is never materialised at full width: the typical member is found block by block.
//
// Why appearance: an embedding trained for invariance puts digits of one kind together however
// they are drawn, so its clusters mix thin and heavy, upright and slanted strokes, and their
// typical members leave parts of the look uncovered. On MNIST (60k training digits, 1-NN on
// raw pixels of the test split; bench/curate.ts) the built-in embedding alone reached 85.1 % /
// 92.3 % at N = 100 / 1,000, and even the best pixel-space pick inside its clusters only
// 92.8 % at N = 1,000. The weight was chosen on a validation split of the training set alone
// (picks from the first 50k, scored on the last 10k; mean of seeds 0–1), never on the test
// split (bench/curate.ts reruns this sweep); results are flat from 0.75 to 3 and 1.5 sits in
// the middle:
//   tile weight   0 (embedding alone)  0.75    1       1.5     2       3
//   N = 100       85.1                 89.6    89.7    90.4    90.2    90.5
//   N = 1,000     92.7                 94.3    94.5    94.6    94.6    94.4
// On the test split (mean of seeds 0–4) 1.5 then gave the figures in BENCHMARKS.md, against
// 85.1 / 92.3 % for the embedding alone. Centring each tile on its own mean (so brightness does
// not count) matched the uncentred tile within noise; it was kept because photos vary in
// exposure.
//
// The weight is now 0.5 (issue 15 item 5, stop 43): the look must not cost accuracy in the
// embedding's own space. With the prototype swaps (prototype-swaps.ts) the clustering's look
// matters less for pixels, and what it moves is the embedding. Chosen again on validation splits
// of both MNIST and Fashion-MNIST (picks from the first 50,000 training images, 1-NN read on the
// last 10,000, N = 100, seeds 0–4, swaps of 40 candidates and 3 passes, scratch), as the
// largest pixel reading whose reading in the embedding's own space stays at the look-weight-0
// rule's, pixels / own space:
//                  weight 0        0.5             1.5
//   MNIST          84.7 / 95.9     89.5 / 95.8     89.7 / 95.8
//   Fashion-MNIST  71.2 / 82.9     77.4 / 83.1     77.9 / 82.3
import { applyPca, fitRandomizedPca, projectForClustering, type RowSource } from '../pca';
import { TILE_LENGTH } from '../appearance-tile';
import { CurateError } from '../errors';
import type { ClusterSpace, CurateInput, VectorRows } from '../types';
import { allVectors, gatherRows } from '../vector-rows';

/** PCA dimensions kept of the tiles. */
const TILE_PCA_DIM = 32;

/**
 * Full-width vectors of one block of the joint space: held (`data`, the embedding: every row's,
 * or with `index` only the rows clustered, row i at index[i]) or made row by row (`read`, the
 * tiles: as floats they would be 1 GB at a million samples).
 */
export type Block = { data: Float32Array; dim: number; index?: Int32Array; read?: undefined } | { data?: undefined; dim: number; index?: undefined; read: (i: number, out: Float32Array) => void };

export interface JointSpace {
  /** Low-dimensional coordinates for k-means: the blocks' PCAs side by side. */
  space: ClusterSpace;
  /** The blocks at full width, for choosing each cluster's typical member. */
  blocks: Block[];
  /** Whether the appearance block is part of it. */
  appearance: boolean;
}

export function validateAppearanceWeight(weight: number | undefined): void {
  if (weight !== undefined && !(Number.isFinite(weight) && weight >= 0)) {
    throw new CurateError('INVALID_WEIGHTS', `The appearance weight must be a finite number ≥ 0, got ${weight}.`);
  }
}

/**
 * The joint space of every row, or with `rows` (ascending) of those rows only: row t of the
 * space is then rows[t]. The blocks are always indexed by the dataset's own rows.
 */
export function jointSpace(input: CurateInput, size: number, weight: number, seed: number, rows?: Int32Array): JointSpace {
  // Every vector is read at most once: the projection (when not given) and a block of every
  // row need all of them; only a sampled run with the projection given reads just its rows.
  const all = input.vectors instanceof Float32Array || !input.space || !rows ? allVectors(input.vectors) : undefined;
  const whole = input.space ?? projectForClustering(all!, input.dim, { seed });
  const embedding = rows ? { data: gatherRows(whole.data, whole.dim, rows), dim: whole.dim } : whole;
  const blocks: Block[] = [all ? { data: all, dim: input.dim } : rowsBlock(input.vectors as VectorRows, input.dim, size, rows!)];
  if (!input.tiles || weight <= 0) return { space: embedding, blocks, appearance: false };
  const allTiles = tileRows(input.tiles, size, weight);
  const tiles: RowSource = rows ? { rows: rows.length, read: (t, out) => allTiles.read(rows[t], out) } : allTiles;
  // Fewer rows than TILE_PCA_DIM give fewer components: take the width from the basis.
  const tileBasis = fitRandomizedPca(tiles, TILE_LENGTH, TILE_PCA_DIM, { seed });
  const tileSpace = applyPca(tiles, tileBasis);
  blocks.push({ dim: TILE_LENGTH, read: allTiles.read });
  // k-means cost is linear in the width: bring the two PCAs side by side back to the width of
  // the embedding's own space (measured: 2.8 → 2.0 s CPU for N = 1,000 over 70k, same accuracy).
  const both = sideBySide(embedding, { data: tileSpace, dim: tileBasis.outDim }, tiles.rows);
  const basis = fitRandomizedPca(both.data, both.dim, embedding.dim, { seed });
  return { space: { data: applyPca(both.data, basis), dim: basis.outDim }, blocks, appearance: true };
}

/**
 * Tiles centred on their own mean, L2-normalised and scaled by `weight`; a sample without a
 * tile, or with a flat one, gets zeros (it is then clustered by its embedding alone).
 */
export function tileVectors(tiles: ArrayLike<Uint8Array | null | undefined>, size: number, weight: number): Float32Array {
  const out = new Float32Array(size * TILE_LENGTH);
  const { read } = tileRows(tiles, size, weight);
  for (let i = 0; i < size; i++) read(i, out.subarray(i * TILE_LENGTH, (i + 1) * TILE_LENGTH));
  return out;
}

/**
 * tileVectors' rows made on demand (the same floats). Each row's mean and scale are taken on
 * its first read and kept: rows never read (those a sampled representative run leaves out)
 * cost nothing.
 */
export function tileRows(tiles: ArrayLike<Uint8Array | null | undefined>, size: number, weight: number): RowSource {
  const mean = new Float64Array(size), scale = new Float64Array(size).fill(NaN);
  const measure = (i: number): number => {
    const t = tiles[i];
    if (!t || t.length !== TILE_LENGTH) return (scale[i] = 0);
    let m = 0;
    for (let j = 0; j < TILE_LENGTH; j++) m += t[j];
    m /= TILE_LENGTH;
    let ss = 0;
    for (let j = 0; j < TILE_LENGTH; j++) ss += (t[j] - m) ** 2;
    if (ss <= 0) return (scale[i] = 0);
    mean[i] = m;
    return (scale[i] = weight / Math.sqrt(ss));
  };
  return {
    rows: size,
    read: (i, out) => {
      const s = Number.isNaN(scale[i]) ? measure(i) : scale[i];
      const t = tiles[i];
      if (!t || s === 0) { out.fill(0, 0, TILE_LENGTH); return; }
      const m = mean[i];
      for (let j = 0; j < TILE_LENGTH; j++) out[j] = (t[j] - m) * s;
    },
  };
}

/**
 * The embedding's full vectors of the rows clustered only, for their typical members: at a
 * million samples a representative run clusters about half the rows of each big class. Read
 * when first used, after the clustering: a reader told of them now (prefetch) reads them
 * meanwhile.
 */
function rowsBlock(vectors: VectorRows, dim: number, size: number, rows: Int32Array): Block {
  const index = new Int32Array(size).fill(-1);
  for (let t = 0; t < rows.length; t++) index[rows[t]] = t;
  vectors.prefetch?.(rows);
  let data: Float32Array | undefined;
  return { get data() { return (data ??= vectors.read(rows)); }, dim, index };
}

function sideBySide(a: ClusterSpace, b: ClusterSpace, size: number): ClusterSpace {
  const dim = a.dim + b.dim;
  const data = new Float32Array(size * dim);
  for (let i = 0; i < size; i++) {
    data.set(a.data.subarray(i * a.dim, (i + 1) * a.dim), i * dim);
    data.set(b.data.subarray(i * b.dim, (i + 1) * b.dim), i * dim + a.dim);
  }
  return { data, dim };
}

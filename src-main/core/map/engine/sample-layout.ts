// Map of a sample: for sets too large to lay out interactively, a representative sample is
// laid out and every other point is placed among its nearest laid-out neighbours from the full
// k-NN graph, so the map still shows every point. Curation keeps using the full graph; only
// the picture is approximated.
//
// Three pure steps, typed arrays in and out:
//   pickLayoutSample  which rows are laid out (uniform, seeded, ascending)
//   sampleGraph       the sample's own k-NN graph, from the full graph's one- and two-hop
//                     neighbours (no second index build), distances recomputed in one space
//   placeFromSample   everyone else at the weighted centre of their placed graph neighbours,
//                     spreading outwards in rounds, with a little jitter so that points with
//                     the same neighbours do not stack on one pixel
import type { KnnGraph } from '../../../../src-shared/model/knn';
import { Xorshift32 } from '../../../../src-shared/random';
import type { Space } from './hnsw';

/**
 * `m` of `n` row indices, ascending, each row equally likely (selection sampling, Knuth's
 * algorithm S: one pass, no n-sized array). Uniform keeps dense regions dense on the map.
 */
export function pickLayoutSample(n: number, m: number, seed: number): Int32Array {
  const want = Math.max(0, Math.min(n, Math.floor(m)));
  const out = new Int32Array(want);
  const rng = new Xorshift32(seed, 17);
  let taken = 0;
  for (let i = 0; i < n && taken < want; i++) {
    if (rng.float() * (n - i) < want - taken) out[taken++] = i;
  }
  return out;
}

/**
 * The k-NN graph among the sampled rows (row r is sample[r]; indices are sample positions),
 * nearest first, -1 padded. Candidates are the sampled one- and two-hop neighbours in the full
 * graph; their distances are recomputed from `y` (the vectors the full graph was built on) so
 * that every entry of a row is on one scale: 'l2' gives |a-b|²/2, 'ip' gives 1 - a·b, the
 * cosine distance of unit rows either way (as toCosine does for the full graph).
 */
export function sampleGraph(graph: KnnGraph, sample: Int32Array, y: Float32Array, dim: number, space: Space, k = graph.k): KnnGraph {
  const { indices, distances } = sampleGraphRows(graph, sample, y, dim, space, k, 0, sample.length);
  return { n: sample.length, k, indices, distances };
}

/**
 * Rows [start, end) of sampleGraph (row r of the output is sample row start + r): the rows are
 * independent, so the map's workers each make a range (compute-map.ts).
 */
export function sampleGraphRows(graph: Pick<KnnGraph, 'n' | 'k' | 'indices'>, sample: Int32Array, y: Float32Array, dim: number, space: Space, k: number, start: number, end: number): { indices: Int32Array; distances: Float32Array } {
  const m = sample.length;
  const { k: gk, indices: gi } = graph;
  const pos = new Int32Array(graph.n).fill(-1);
  for (let r = 0; r < m; r++) pos[sample[r]!] = r;
  const indices = new Int32Array((end - start) * k).fill(-1);
  const distances = new Float32Array((end - start) * k).fill(Infinity);
  const stamp = new Int32Array(m).fill(-1);
  const candIdx = new Int32Array(gk + gk * gk);
  const candDist = new Float32Array(gk + gk * gk);
  const order = new Int32Array(gk + gk * gk);
  for (let r = start; r < end; r++) {
    const i = sample[r]!;
    stamp[r] = r;
    let count = 0;
    const consider = (j: number) => {
      const s = pos[j]!;
      if (s < 0 || stamp[s] === r) return;
      stamp[s] = r;
      candIdx[count] = s;
      candDist[count++] = distance(y, dim, space, i, j);
    };
    for (let c = 0; c < gk; c++) {
      const j = gi[i * gk + c]!;
      if (j < 0) continue;
      consider(j);
      for (let c2 = 0; c2 < gk; c2++) {
        const j2 = gi[j * gk + c2]!;
        if (j2 >= 0) consider(j2);
      }
    }
    for (let c = 0; c < count; c++) order[c] = c;
    const sorted = order.subarray(0, count).sort((a, b) => candDist[a]! - candDist[b]! || candIdx[a]! - candIdx[b]!);
    const keep = Math.min(k, count);
    const o = (r - start) * k;
    for (let c = 0; c < keep; c++) {
      indices[o + c] = candIdx[sorted[c]!]!;
      distances[o + c] = candDist[sorted[c]!]!;
    }
  }
  return { indices, distances };
}

function distance(y: Float32Array, dim: number, space: Space, i: number, j: number): number {
  const a = i * dim;
  const b = j * dim;
  let s = 0;
  if (space === 'l2') {
    for (let d = 0; d < dim; d++) {
      const t = y[a + d]! - y[b + d]!;
      s += t * t;
    }
    return s * 0.5;
  }
  for (let d = 0; d < dim; d++) s += y[a + d]! * y[b + d]!;
  return Math.max(0, 1 - s);
}

const MEDIAN_STEPS = 8;

export interface PlaceOptions {
  seed?: number;
  /** Jitter, as a fraction of the distance from where a point lands to its nearest placed neighbour. Default 0.25. */
  jitter?: number;
  /** 'median' (default): the weighted geometric median of the neighbours; 'mean': their weighted mean. */
  centre?: 'median' | 'mean';
  /** Rounds of spreading out from the laid-out points before the rest go to the centre. Default 16. */
  maxRounds?: number;
}

export interface PlaceResult {
  /** Rows placed in each round (round 1: next to a laid-out point; later: next to placed ones). */
  perRound: number[];
  /** Rows with no placed neighbour within maxRounds hops, put near the centre. */
  unreachable: number;
}

/**
 * Every point's position (n×2) from the laid-out sample's (`part`: m×2, row r is sample[r]):
 * the sample's rows copied, every other one placed by placeFromSample. What the map's placing
 * worker runs, for each picture of a sampled layout and for the final positions.
 */
export function placeAll(graph: KnnGraph, sample: Int32Array, part: Float32Array, opts: PlaceOptions = {}): Float32Array {
  const n = graph.n, m = sample.length;
  const all = new Float32Array(n * 2);
  const laidOut = new Uint8Array(n);
  for (let r = 0; r < m; r++) {
    const i = sample[r]!;
    laidOut[i] = 1;
    all[2 * i] = part[2 * r]!;
    all[2 * i + 1] = part[2 * r + 1]!;
  }
  placeFromSample(graph, laidOut, all, opts);
  return all;
}

/**
 * Fills the rows of `positions` (n×2) whose `laidOut` flag is 0, in place: each at the
 * similarity-weighted mean of its full-graph neighbours that already have a position (the
 * same weights as placeByNeighbours: 1 for the nearest, decaying with the extra distance),
 * moved to their weighted geometric median (see centre), plus a Gaussian jitter of `jitter` ×
 * the distance to the nearest of those neighbours (the local spacing). Round r uses
 * only positions fixed before it, so the result does not depend on row order beyond the seed.
 */
export function placeFromSample(graph: KnnGraph, laidOut: Uint8Array, positions: Float32Array, opts: PlaceOptions = {}): PlaceResult {
  const { n, k, indices, distances } = graph;
  const jitter = opts.jitter ?? 0.25;
  const maxRounds = opts.maxRounds ?? 16;
  const rng = new Xorshift32(opts.seed ?? 42, 23);
  const median = opts.centre !== 'mean';
  const nbX = new Float64Array(k);
  const nbY = new Float64Array(k);
  const nbW = new Float64Array(k);
  // round in which each row got its position: 0 = laid out, -1 = not yet
  const round = new Int16Array(n).fill(-1);
  let cx = 0;
  let cy = 0;
  let placed0 = 0;
  for (let i = 0; i < n; i++) {
    if (laidOut[i]) {
      round[i] = 0;
      cx += positions[2 * i]!;
      cy += positions[2 * i + 1]!;
      placed0++;
    }
  }
  if (placed0) { cx /= placed0; cy /= placed0; }
  // A floor for the jitter of a point placed on a single neighbour (no spread to measure):
  // the mean spread seen among points placed on several.
  let spreadSum = 0;
  let spreadCount = 0;
  const pending: number[] = [];
  for (let i = 0; i < n; i++) if (!laidOut[i]) pending.push(i);
  const perRound: number[] = [];
  const single: number[] = [];
  for (let r = 1; r <= maxRounds && pending.length; r++) {
    let write = 0;
    let placedNow = 0;
    for (let p = 0; p < pending.length; p++) {
      const i = pending[p]!;
      let nearest = Infinity;
      for (let c = 0; c < k; c++) {
        const j = indices[i * k + c]!;
        if (j >= 0 && round[j]! >= 0 && round[j]! < r) nearest = Math.min(nearest, distances[i * k + c]!);
      }
      if (nearest === Infinity) { pending[write++] = i; continue; }
      const scale = Math.max(1e-6, nearest * 0.5 + 1e-3);
      let sw = 0;
      let x = 0;
      let y = 0;
      let used = 0;
      for (let c = 0; c < k; c++) {
        const j = indices[i * k + c]!;
        if (j < 0 || round[j]! < 0 || round[j]! >= r) continue;
        const w = Math.exp(-(distances[i * k + c]! - nearest) / scale);
        const px = positions[2 * j]!;
        const py = positions[2 * j + 1]!;
        nbX[used] = px; nbY[used] = py; nbW[used] = w;
        sw += w; x += w * px; y += w * py;
        used++;
      }
      x /= sw;
      y /= sw;
      if (median && used > 2) {
        // Weiszfeld steps towards the weighted geometric median: a point whose neighbours sit in
        // two clusters of the layout goes to the stronger one, not into the gap between them.
        for (let it = 0; it < MEDIAN_STEPS; it++) {
          let tw = 0, tx = 0, ty = 0;
          for (let u = 0; u < used; u++) {
            const w = nbW[u]! / Math.max(1e-9, Math.hypot(nbX[u]! - x, nbY[u]! - y));
            tw += w; tx += w * nbX[u]!; ty += w * nbY[u]!;
          }
          x = tx / tw;
          y = ty / tw;
        }
      }
      positions[2 * i] = x;
      positions[2 * i + 1] = y;
      round[i] = r;
      placedNow++;
      if (used > 1) {
        // the local spacing: how far the nearest of its neighbours is from where it lands
        let spread = Infinity;
        for (let u = 0; u < used; u++) spread = Math.min(spread, Math.hypot(nbX[u]! - x, nbY[u]! - y));
        spreadSum += spread;
        spreadCount++;
        const s = jitter * spread;
        positions[2 * i] += s * rng.normal();
        positions[2 * i + 1] += s * rng.normal();
      } else single.push(i);
    }
    pending.length = write;
    perRound.push(placedNow);
    if (placedNow === 0) break;
  }
  const floor = jitter * (spreadCount ? spreadSum / spreadCount : 1e-3);
  for (const i of single) {
    positions[2 * i] += floor * rng.normal();
    positions[2 * i + 1] += floor * rng.normal();
  }
  // No path to any laid-out point (a component of the graph the sample missed): near the centre.
  for (const i of pending) {
    positions[2 * i] = cx + 4 * floor * rng.normal();
    positions[2 * i + 1] = cy + 4 * floor * rng.normal();
  }
  return { perRound, unreachable: pending.length };
}

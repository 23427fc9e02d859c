// UMAP-style stochastic gradient descent on a fuzzy graph. Each directed entry (i, j) is
// sampled every `max_w / w_ij` epochs; a sample pulls i and j together and pushes i away
// from a few uniformly drawn points (negative sampling). The entries are cut into chunks
// that threads take one at a time (see SgdState).
import type { FuzzyGraph } from './fuzzy';
import { mixSeed } from '../../../../src-shared/random';

export interface SgdParams {
  /** Low-dimensional similarity is 1 / (1 + a·d^(2b)). */
  a: number;
  b: number;
  /** Weight of repulsion relative to attraction. */
  repulsion: number;
  /** Negative samples per positive sample. */
  negativeRate: number;
  /** Learning rate at epoch 1; decays linearly to 0. */
  learningRate: number;
  epochs: number;
}

/** Directed entries that will be sampled, grouped by head (CSR order of the fuzzy graph). */
export interface EdgeSchedule {
  n: number;
  head: Int32Array;
  tail: Int32Array;
  /** Epochs between two samples of the entry (≥ 1). */
  epochsPerSample: Float32Array;
}

/** Drops entries too weak to be sampled even once in `epochs` epochs. */
export function buildSchedule(graph: FuzzyGraph, epochs: number): EdgeSchedule {
  const { n, rowPtr, cols, weights } = graph;
  let maxW = 0;
  for (let e = 0; e < weights.length; e++) if (weights[e] > maxW) maxW = weights[e];
  const minW = maxW / epochs;
  let m = 0;
  for (let e = 0; e < weights.length; e++) if (weights[e] >= minW && weights[e] > 0) m++;
  const head = new Int32Array(m);
  const tail = new Int32Array(m);
  const epochsPerSample = new Float32Array(m);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
      const w = weights[e];
      if (w < minW || w <= 0) continue;
      head[o] = i;
      tail[o] = cols[e];
      epochsPerSample[o++] = maxW / w;
    }
  }
  return { n, head, tail, epochsPerSample };
}

/**
 * Splits the schedule into `parts` contiguous ranges of about equal sampling work, cut only
 * where the head changes so that each range owns its heads. Returns parts+1 boundaries
 * (some ranges may be empty).
 */
export function partitionSchedule(s: EdgeSchedule, parts: number): Int32Array {
  const m = s.head.length;
  let total = 0;
  for (let e = 0; e < m; e++) total += 1 / s.epochsPerSample[e];
  const bounds = new Int32Array(parts + 1);
  bounds[parts] = m;
  let acc = 0;
  let p = 1;
  for (let e = 0; e < m && p < parts; e++) {
    acc += 1 / s.epochsPerSample[e];
    if (acc >= (total * p) / parts && (e + 1 === m || s.head[e + 1] !== s.head[e])) bounds[p++] = e + 1;
  }
  for (; p < parts; p++) bounds[p] = m;
  return bounds;
}

/**
 * Everything the optimisation keeps between epochs, in shared memory so that any thread can
 * run any chunk. Chunk c is the entries [bounds[c], bounds[c+1]) of the schedule, whose
 * heads are the points [owners[c], owners[c+1]).
 *
 * Epoch e writes buffers[e & 1] and reads buffers[(e - 1) & 1]. A chunk first copies its
 * own points over, then moves only its own points, reading every other point from the
 * previous epoch's buffer, which nobody writes during the epoch; its random stream is its
 * own. So the result depends on the seed and the data only — not on the number of threads
 * or on which thread ran which chunk — and threads can take chunks dynamically (a thread
 * that the OS pauses delays an epoch by at most one chunk). An entry whose tail lies in
 * another chunk pulls its head twice as hard instead of moving the tail: the tail's chunk
 * applies the mirror entry (j, i), so each endpoint gets the same total pull as in UMAP's
 * in-place loop. Measured on MNIST 70k over 7 runs: 10-NN label agreement 0.953–0.957,
 * trustworthiness 0.962–0.968 (in-place single-thread loop: 0.956–0.957 / 0.968–0.972);
 * moving only the head, without doubling, gave 0.946–0.957 / 0.968–0.972.
 */
export interface SgdState {
  schedule: EdgeSchedule;
  bounds: Int32Array;
  owners: Int32Array;
  next: Float64Array;
  nextNegative: Float64Array;
  /** xorshift32 state per chunk. */
  rng: Int32Array;
  buffers: [Float32Array, Float32Array];
}

/** Chunks of about 16k entries (≈ 0.5 ms of work), a function of the data size only. */
export function chunkCount(entries: number): number {
  return Math.max(1, Math.min(512, Math.ceil(entries / 16384)));
}

/** Allocates the shared state; `init` (n×2) becomes the epoch-0 positions. */
export function createSgdState(schedule: EdgeSchedule, params: SgdParams, init: Float32Array, seed: number): SgdState {
  const m = schedule.head.length;
  const bounds = partitionSchedule(schedule, chunkCount(m));
  const chunks = bounds.length - 1;
  const next = new Float64Array(new SharedArrayBuffer(8 * m));
  const nextNegative = new Float64Array(new SharedArrayBuffer(8 * m));
  for (let e = 0; e < m; e++) {
    next[e] = schedule.epochsPerSample[e];
    nextNegative[e] = schedule.epochsPerSample[e] / params.negativeRate;
  }
  const rng = new Int32Array(new SharedArrayBuffer(4 * chunks));
  for (let c = 0; c < chunks; c++) rng[c] = mixSeed(seed, c) | 0;
  const b0 = new Float32Array(new SharedArrayBuffer(init.byteLength));
  b0.set(init);
  const b1 = new Float32Array(new SharedArrayBuffer(init.byteLength));
  b1.set(init);
  return { schedule, bounds, owners: ownedPoints(schedule, bounds), next, nextNegative, rng, buffers: [b0, b1] };
}

/** The buffer that holds the positions after epoch `epoch` (0 = the initial layout). */
export function outputBuffer(state: SgdState, epoch: number): Float32Array {
  return state.buffers[epoch & 1];
}

/** Runs chunk c of epoch `epoch` (1-based). */
export function runChunk(state: SgdState, params: SgdParams, c: number, epoch: number): void {
  const alpha = params.learningRate * (1 - (epoch - 1) / params.epochs);
  const cur = outputBuffer(state, epoch);
  const prev = outputBuffer(state, epoch - 1);
  const lo = state.owners[c];
  const hi = state.owners[c + 1];
  cur.set(prev.subarray(2 * lo, 2 * hi), 2 * lo);
  if (params.b === 1) chunkCauchy(state, params, c, epoch, alpha, cur, prev, lo, hi);
  else chunkGeneral(state, params, c, epoch, alpha, cur, prev, lo, hi);
}

// b = 1 avoids Math.pow in the inner loop, which is most of the cost otherwise.
function chunkCauchy(state: SgdState, params: SgdParams, c: number, epoch: number, alpha: number, y: Float32Array, old: Float32Array, lo: number, hi: number): void {
  const { head, tail, epochsPerSample, n } = state.schedule;
  const next = state.next;
  const nextNeg = state.nextNegative;
  const a = params.a;
  const twoA = 2 * a;
  const rep = 2 * params.repulsion;
  const negRate = params.negativeRate;
  const end = state.bounds[c + 1];
  const lo2 = 2 * lo;
  const hi2 = 2 * hi;
  let rng = state.rng[c];
  for (let e = state.bounds[c]; e < end; e++) {
    if (next[e] > epoch) continue;
    const i2 = head[e] << 1;
    const j2 = tail[e] << 1;
    const jOwn = j2 >= lo2 && j2 < hi2;
    const yj = jOwn ? y : old;
    let yi0 = y[i2];
    let yi1 = y[i2 + 1];
    let dx = yi0 - yj[j2];
    let dy = yi1 - yj[j2 + 1];
    let d2 = dx * dx + dy * dy;
    if (d2 > 0) {
      const g = -twoA / (1 + a * d2);
      let gx = g * dx;
      let gy = g * dy;
      gx = gx > 4 ? 4 : gx < -4 ? -4 : gx;
      gy = gy > 4 ? 4 : gy < -4 ? -4 : gy;
      gx *= alpha;
      gy *= alpha;
      if (jOwn) {
        yi0 += gx;
        yi1 += gy;
        y[j2] -= gx;
        y[j2 + 1] -= gy;
      } else {
        yi0 += 2 * gx;
        yi1 += 2 * gy;
      }
    }
    const eps = epochsPerSample[e];
    next[e] += eps;
    const epsNeg = eps / negRate;
    const nNeg = Math.floor((epoch - nextNeg[e]) / epsNeg);
    for (let p = 0; p < nNeg; p++) {
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      const k2 = (((rng >>> 0) * n) / 4294967296) << 1;
      if (k2 === i2) continue;
      const yk = k2 >= lo2 && k2 < hi2 ? y : old;
      dx = yi0 - yk[k2];
      dy = yi1 - yk[k2 + 1];
      d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const g = rep / ((0.001 + d2) * (1 + a * d2));
        let gx = g * dx;
        let gy = g * dy;
        gx = gx > 4 ? 4 : gx < -4 ? -4 : gx;
        gy = gy > 4 ? 4 : gy < -4 ? -4 : gy;
        yi0 += gx * alpha;
        yi1 += gy * alpha;
      }
    }
    nextNeg[e] += nNeg * epsNeg;
    y[i2] = yi0;
    y[i2 + 1] = yi1;
  }
  state.rng[c] = rng;
}

function chunkGeneral(state: SgdState, params: SgdParams, c: number, epoch: number, alpha: number, y: Float32Array, old: Float32Array, lo: number, hi: number): void {
  const { head, tail, epochsPerSample, n } = state.schedule;
  const { a, b, negativeRate } = params;
  const rep = 2 * params.repulsion * b;
  const end = state.bounds[c + 1];
  const lo2 = 2 * lo;
  const hi2 = 2 * hi;
  let rng = state.rng[c];
  for (let e = state.bounds[c]; e < end; e++) {
    if (state.next[e] > epoch) continue;
    const i2 = head[e] << 1;
    const j2 = tail[e] << 1;
    const jOwn = j2 >= lo2 && j2 < hi2;
    const yj = jOwn ? y : old;
    let yi0 = y[i2];
    let yi1 = y[i2 + 1];
    let dx = yi0 - yj[j2];
    let dy = yi1 - yj[j2 + 1];
    let d2 = dx * dx + dy * dy;
    if (d2 > 0) {
      const g = (-2 * a * b * Math.pow(d2, b - 1)) / (1 + a * Math.pow(d2, b));
      const gx = clip(g * dx) * alpha;
      const gy = clip(g * dy) * alpha;
      if (jOwn) {
        yi0 += gx;
        yi1 += gy;
        y[j2] -= gx;
        y[j2 + 1] -= gy;
      } else {
        yi0 += 2 * gx;
        yi1 += 2 * gy;
      }
    }
    const eps = epochsPerSample[e];
    state.next[e] += eps;
    const epsNeg = eps / negativeRate;
    const nNeg = Math.floor((epoch - state.nextNegative[e]) / epsNeg);
    for (let p = 0; p < nNeg; p++) {
      rng ^= rng << 13;
      rng ^= rng >>> 17;
      rng ^= rng << 5;
      const k2 = (((rng >>> 0) * n) / 4294967296) << 1;
      if (k2 === i2) continue;
      const yk = k2 >= lo2 && k2 < hi2 ? y : old;
      dx = yi0 - yk[k2];
      dy = yi1 - yk[k2 + 1];
      d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const g = rep / ((0.001 + d2) * (1 + a * Math.pow(d2, b)));
        yi0 += clip(g * dx) * alpha;
        yi1 += clip(g * dy) * alpha;
      }
    }
    state.nextNegative[e] += nNeg * epsNeg;
    y[i2] = yi0;
    y[i2 + 1] = yi1;
  }
  state.rng[c] = rng;
}

/**
 * The points each chunk owns: chunk t owns [owners[t], owners[t+1]), from the first head of
 * its entries up to the next chunk's first head (the first starts at 0, the last ends at n),
 * so every point has exactly one owner.
 */
export function ownedPoints(s: EdgeSchedule, bounds: Int32Array): Int32Array {
  const parts = bounds.length - 1;
  const owners = new Int32Array(parts + 1);
  owners[parts] = s.n;
  for (let t = parts - 1; t >= 1; t--) owners[t] = bounds[t] < s.head.length ? s.head[bounds[t]] : owners[t + 1];
  owners[0] = 0;
  return owners;
}

function clip(v: number): number {
  return v > 4 ? 4 : v < -4 ? -4 : v;
}

/**
 * Fits a (and b unless `fixB` is given) so that 1 / (1 + a·x^(2b)) follows UMAP's target
 * curve: 1 below minDist, exp(-(x - minDist) / spread) above. Nested golden-section
 * searches on a least-squares loss; deterministic and fast (a few ms).
 */
export function fitCurve(spread: number, minDist: number, fixB?: number): { a: number; b: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 300; i++) {
    const x = (3 * spread * i) / 299;
    xs.push(x);
    ys.push(x < minDist ? 1 : Math.exp(-(x - minDist) / spread));
  }
  const loss = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) {
      const r = 1 / (1 + a * Math.pow(xs[i], 2 * b)) - ys[i];
      s += r * r;
    }
    return s;
  };
  const bestA = (b: number): number => Math.exp(golden((la) => loss(Math.exp(la), b), Math.log(1e-3), Math.log(1e3)));
  if (fixB !== undefined) return { a: bestA(fixB), b: fixB };
  const b = golden((bb) => loss(bestA(bb), bb), 0.3, 2);
  return { a: bestA(b), b };
}

function golden(f: (x: number) => number, lo: number, hi: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let c = hi - g * (hi - lo);
  let d = lo + g * (hi - lo);
  let fc = f(c);
  let fd = f(d);
  for (let it = 0; it < 80 && hi - lo > 1e-7; it++) {
    if (fc < fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - g * (hi - lo);
      fc = f(c);
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + g * (hi - lo);
      fd = f(d);
    }
  }
  return (lo + hi) / 2;
}

// k-means with k-means++ seeding and Hamerly's bounds (Hamerly 2010): after the first few
// iterations most points keep their centre and skip the k-way distance scan, which is what
// makes N = 1,000 clusters over 60k points affordable in plain JS.
import { createRng } from '../../../../src-shared/random';
import { dotRows } from './linalg';

export interface KMeansOptions {
  seed?: number;
  maxIterations?: number;
  /** Stop when fewer than this fraction of rows change cluster in an iteration (default 0.001). */
  tolerance?: number;
  /** Rows used for k-means++ seeding; seeding is O(rows·k·dim), so it runs on a sample. */
  seedSample?: number;
  /**
   * Above this many rows, the centroids are fitted on a random sample of this size and every
   * row is then assigned to its nearest (default: no sample). Lloyd's iterations are
   * O(rows·k·dim) each; a centroid fitted on hundreds of its members moves little with more.
   */
  fitSample?: number;
  /**
   * With it, the fit's sample is also at most this many rows per cluster (fitPerCluster × k):
   * the same reason as fitSample, held per centroid, so a small k over many rows (the lower
   * level of `partition` at a million rows: 10 clusters of a 10,000-row group) fits on a
   * sample too.
   */
  fitPerCluster?: number;
}

export interface KMeansResult {
  k: number;
  /** k × dim */
  centroids: Float32Array;
  /** Cluster of each clustered row (same order as `rows`, or 0..n-1). */
  assign: Int32Array;
  /** Euclidean distance of each clustered row to its centroid. */
  distance: Float32Array;
  sizes: Int32Array;
  inertia: number;
  iterations: number;
}

function sqDist(data: Float32Array, o: number, C: Float32Array | Float64Array, oc: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) {
    const d = data[o + j] - C[oc + j];
    s += d * d;
  }
  return s;
}

/** Rows per block of nearestCentroids: one dense product each. */
const NEAREST_BLOCK = 1024;

/**
 * Each listed row's nearest and second-nearest centroid, through dense products
 * (|x − c|² = |x|² − 2x·c + |c|²: one dotRows per block of rows, which a thread with the native
 * kernel makes many times faster than a distance loop: bench/dense-products.ts). The nearest is then measured exactly
 * (`best`); `second` is the expanded value less a margin for its rounding, so as a Hamerly
 * lower bound it never claims more than is true.
 */
function nearestCentroids(data: Float32Array, dim: number, rows: Int32Array, centroids: Float32Array, k: number, assign: Int32Array, best: Float64Array, second?: Float64Array): void {
  const cc = new Float64Array(k);
  let ccMax = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = c * dim; j < (c + 1) * dim; j++) s += centroids[j] * centroids[j];
    cc[c] = s;
    ccMax = Math.max(ccMax, s);
  }
  const block = new Float32Array(Math.min(NEAREST_BLOCK, rows.length) * dim);
  const dots = new Float32Array(Math.min(NEAREST_BLOCK, rows.length) * k);
  for (let t0 = 0; t0 < rows.length; t0 += NEAREST_BLOCK) {
    const rb = Math.min(NEAREST_BLOCK, rows.length - t0);
    for (let u = 0; u < rb; u++) block.set(data.subarray(rows[t0 + u] * dim, rows[t0 + u] * dim + dim), u * dim);
    dotRows(block, rb, centroids, k, dim, dots);
    for (let u = 0; u < rb; u++) {
      const o = u * dim;
      let xx = 0;
      for (let j = 0; j < dim; j++) xx += block[o + j] * block[o + j];
      let b1 = Infinity, b2 = Infinity, a = 0;
      for (let c = 0; c < k; c++) {
        const d = xx - 2 * dots[u * k + c] + cc[c];
        if (d < b1) { b2 = b1; b1 = d; a = c; } else if (d < b2) b2 = d;
      }
      const t = t0 + u;
      assign[t] = a;
      best[t] = sqDist(data, rows[t] * dim, centroids, a * dim, dim);
      // float32 products of norms up to xx + cc: their rounding, with room to spare.
      if (second) second[t] = Math.max(0, b2 - 1e-5 * (xx + ccMax) - 1e-12);
    }
  }
}

/**
 * Clusters `rows` of `data` (n × dim; all rows when omitted) into k clusters.
 * Deterministic for a seed. k is clamped to the number of rows.
 */
export function kmeans(data: Float32Array, dim: number, k: number, rows?: Int32Array, opts: KMeansOptions = {}): KMeansResult {
  const all = rows ?? Int32Array.from({ length: data.length / dim }, (_, i) => i);
  const sample = Math.min(opts.fitSample ?? Infinity, opts.fitPerCluster === undefined ? Infinity : opts.fitPerCluster * k);
  if (all.length > sample && sample >= k) return fitOnSample(data, dim, k, all, opts, sample);
  const m = all.length;
  k = Math.max(1, Math.min(k, m));
  const rng = createRng(opts.seed ?? 0);
  const maxIter = opts.maxIterations ?? 25;
  const minChanged = Math.floor((opts.tolerance ?? 0.001) * m);
  const centroids = seedPlusPlus(data, dim, k, all, rng, opts.seedSample ?? Math.max(4096, 10 * k));

  const assign = new Int32Array(m);
  const upper = new Float64Array(m);
  const lower = new Float64Array(m);
  const sizes = new Int32Array(k);
  const sums = new Float64Array(k * dim);
  const half = new Float64Array(k);
  const moved = new Float64Array(k);

  const scan = (t: number) => {
    const o = all[t] * dim;
    let b1 = Infinity, b2 = Infinity, a = 0;
    for (let c = 0; c < k; c++) {
      const d = sqDist(data, o, centroids, c * dim, dim);
      if (d < b1) { b2 = b1; b1 = d; a = c; } else if (d < b2) b2 = d;
    }
    assign[t] = a;
    upper[t] = Math.sqrt(b1);
    lower[t] = Math.sqrt(b2);
  };

  // The first assignment of every row at once; Hamerly's bounds then spare most later scans.
  nearestCentroids(data, dim, all, centroids, k, assign, upper, lower);
  for (let t = 0; t < m; t++) { upper[t] = Math.sqrt(upper[t]); lower[t] = Math.sqrt(lower[t]); }
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    // Recompute centroids from the current assignment.
    sums.fill(0);
    sizes.fill(0);
    for (let t = 0; t < m; t++) {
      const a = assign[t];
      sizes[a]++;
      const o = all[t] * dim, oc = a * dim;
      for (let j = 0; j < dim; j++) sums[oc + j] += data[o + j];
    }
    let maxMove = 0, maxMove2 = 0, maxMoveAt = -1;
    for (let c = 0; c < k; c++) {
      const oc = c * dim;
      let mv = 0;
      if (sizes[c] > 0) {
        for (let j = 0; j < dim; j++) {
          const v = sums[oc + j] / sizes[c];
          const d = v - centroids[oc + j];
          mv += d * d;
          centroids[oc + j] = v;
        }
      }
      moved[c] = Math.sqrt(mv);
      if (moved[c] > maxMove) { maxMove2 = maxMove; maxMove = moved[c]; maxMoveAt = c; } else if (moved[c] > maxMove2) maxMove2 = moved[c];
    }
    // An empty cluster takes over the point farthest from its centre.
    for (let c = 0; c < k; c++) {
      if (sizes[c] > 0) continue;
      let far = -1, farD = -1;
      for (let t = 0; t < m; t++) if (sizes[assign[t]] > 1 && upper[t] > farD) { farD = upper[t]; far = t; }
      if (far < 0) break;
      sizes[assign[far]]--;
      sizes[c] = 1;
      const o = all[far] * dim;
      for (let j = 0; j < dim; j++) centroids[c * dim + j] = data[o + j];
      assign[far] = c;
      upper[far] = 0;
      lower[far] = 0;
      maxMove = Infinity; // every bound is now suspect
      maxMove2 = Infinity;
    }
    for (let t = 0; t < m; t++) {
      const a = assign[t];
      upper[t] += moved[a];
      lower[t] -= a === maxMoveAt ? maxMove2 : maxMove;
    }
    if (it > 0 && maxMove === 0) break;
    // Half the distance from each centre to its nearest other centre.
    half.fill(Infinity);
    for (let c = 0; c < k; c++) {
      for (let c2 = c + 1; c2 < k; c2++) {
        const d = Math.sqrt(sqDist(centroids, c * dim, centroids, c2 * dim, dim)) / 2;
        if (d < half[c]) half[c] = d;
        if (d < half[c2]) half[c2] = d;
      }
    }
    let changed = 0;
    for (let t = 0; t < m; t++) {
      const a = assign[t];
      const bound = Math.max(half[a], lower[t]);
      if (upper[t] <= bound) continue;
      upper[t] = Math.sqrt(sqDist(data, all[t] * dim, centroids, a * dim, dim));
      if (upper[t] <= bound) continue;
      scan(t);
      if (assign[t] !== a) changed++;
    }
    if (changed <= minChanged) break;
  }
  const distance = new Float32Array(m);
  let inertia = 0;
  sizes.fill(0);
  for (let t = 0; t < m; t++) {
    const d2 = sqDist(data, all[t] * dim, centroids, assign[t] * dim, dim);
    distance[t] = Math.sqrt(d2);
    inertia += d2;
    sizes[assign[t]]++;
  }
  return { k, centroids, assign, distance, sizes, inertia, iterations };
}

/** k-means fitted on `size` random rows (ascending, for locality), then every row assigned to its nearest centroid. */
function fitOnSample(data: Float32Array, dim: number, k: number, all: Int32Array, opts: KMeansOptions, size: number): KMeansResult {
  const rng = createRng((opts.seed ?? 0) ^ 0x5eed);
  const copy = Int32Array.from(all);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng() * (copy.length - i));
    const t = copy[i]; copy[i] = copy[j]; copy[j] = t;
  }
  const fit = kmeans(data, dim, k, copy.subarray(0, size).sort(), { ...opts, fitSample: undefined, fitPerCluster: undefined });
  const { centroids } = fit;
  k = fit.k;
  const m = all.length;
  const assign = new Int32Array(m), distance = new Float32Array(m), sizes = new Int32Array(k);
  const best = new Float64Array(m);
  nearestCentroids(data, dim, all, centroids, k, assign, best);
  let inertia = 0;
  for (let t = 0; t < m; t++) {
    distance[t] = Math.sqrt(best[t]);
    sizes[assign[t]]++;
    inertia += best[t];
  }
  return { k, centroids, assign, distance, sizes, inertia, iterations: fit.iterations };
}

/** k-means++ (Arthur & Vassilvitskii 2007) on a random sample of the rows. */
function seedPlusPlus(data: Float32Array, dim: number, k: number, rows: Int32Array, rng: () => number, sampleSize: number): Float32Array {
  let pool = rows;
  if (rows.length > sampleSize) {
    pool = new Int32Array(sampleSize);
    // Reservoir-free sample: partial Fisher–Yates over a copy.
    const copy = Int32Array.from(rows);
    for (let i = 0; i < sampleSize; i++) {
      const j = i + Math.floor(rng() * (copy.length - i));
      const t = copy[i];
      copy[i] = copy[j];
      copy[j] = t;
      pool[i] = copy[i];
    }
  }
  const p = pool.length;
  const C = new Float32Array(k * dim);
  const minD = new Float64Array(p).fill(Infinity);
  let pick = pool[Math.floor(rng() * p)];
  for (let c = 0; c < k; c++) {
    C.set(data.subarray(pick * dim, pick * dim + dim), c * dim);
    if (c === k - 1) break;
    let total = 0;
    for (let t = 0; t < p; t++) {
      const d = sqDist(data, pool[t] * dim, C, c * dim, dim);
      if (d < minD[t]) minD[t] = d;
      total += minD[t];
    }
    if (total <= 0) {
      // All remaining points coincide with a centre: any point will do.
      pick = pool[Math.floor(rng() * p)];
      continue;
    }
    let r = rng() * total;
    let chosen = p - 1;
    for (let t = 0; t < p; t++) {
      r -= minD[t];
      if (r <= 0) { chosen = t; break; }
    }
    pick = pool[chosen];
  }
  return C;
}

export interface Partition {
  k: number;
  /** Part of each row, same order as `rows`. */
  assign: Int32Array;
  /** Distance of each row to its part's centroid. */
  distance: Float32Array;
  sizes: Int32Array;
}

/** Largest k clustered in one flat k-means by `partition`. */
const FLAT_K = 48;

/**
 * Splits `rows` into exactly min(q, rows) parts. Small q is one k-means; large q is
 * two-level: ⌈√q⌉ coarse clusters, then each coarse cluster split into a share of q
 * proportional to its size. That costs O(n·√q·dim) per iteration instead of O(n·q·dim)
 * (N = 1,000 over 60k points: ~15× less) for nearly the same partition.
 */
export function partition(data: Float32Array, dim: number, rows: Int32Array, q: number, opts: KMeansOptions = {}): Partition {
  const m = rows.length;
  q = Math.max(1, Math.min(q, m));
  if (q <= FLAT_K) {
    const km = kmeans(data, dim, q, rows, opts);
    return { k: km.k, assign: km.assign, distance: km.distance, sizes: km.sizes };
  }
  const seed = opts.seed ?? 0;
  const top = kmeans(data, dim, Math.ceil(Math.sqrt(q)), rows, opts);
  const members: number[][] = Array.from({ length: top.k }, () => []);
  for (let t = 0; t < m; t++) members[top.assign[t]].push(t);
  const sizes = members.map((g) => g.length);
  const quota = apportionBySize(q, sizes);
  const assign = new Int32Array(m);
  const distance = new Float32Array(m);
  const partSizes: number[] = [];
  for (let g = 0; g < top.k; g++) {
    if (quota[g] === 0) continue;
    const sub = partition(data, dim, Int32Array.from(members[g], (t) => rows[t]), quota[g], { ...opts, seed: seed * 31 + g + 1 });
    const base = partSizes.length;
    for (let u = 0; u < members[g].length; u++) {
      assign[members[g][u]] = base + sub.assign[u];
      distance[members[g][u]] = sub.distance[u];
    }
    for (const s of sub.sizes) partSizes.push(s);
  }
  return { k: partSizes.length, assign, distance, sizes: Int32Array.from(partSizes) };
}

/** Integer shares of q proportional to sizes, each at least 1 and at most its size (largest remainder). */
function apportionBySize(q: number, sizes: number[]): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const quota = sizes.map((s) => Math.min(s, Math.max(1, Math.floor((q * s) / total))));
  let left = q - quota.reduce((a, b) => a + b, 0);
  const order = sizes.map((s, g) => g).sort((a, b) => (q * sizes[b]) / total - quota[b] - ((q * sizes[a]) / total - quota[a]) || a - b);
  while (left > 0) {
    let moved = false;
    for (const g of order) {
      if (left === 0) break;
      if (quota[g] < sizes[g]) { quota[g]++; left--; moved = true; }
    }
    if (!moved) break;
  }
  while (left < 0) {
    // Minimums of 1 overshot q: take back from the largest quotas.
    const g = quota.indexOf(Math.max(...quota));
    quota[g]--;
    left++;
  }
  return quota;
}

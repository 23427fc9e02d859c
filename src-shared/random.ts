// Seeded randomness, the one module for it: every random choice in the main process (map,
// curation) and the renderer's tests goes through these, so a run is reproducible from its seed.
// Two generators, for two needs: mulberry32 (createRng) for sampling and curation; xorshift32
// streams (Xorshift32, mixSeed) for the map, whose worker threads each draw from their own
// stream of one seed so a layout is identical with any number of threads.

/** mulberry32: small, fast, and good enough for sampling; returns floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate (Box–Muller). */
export function gaussian(rng: () => number): number {
  let u = rng();
  while (u <= 1e-12) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace(a: Int32Array | number[], rng: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** `count` distinct values of [0, n), in random order. */
export function sampleIndices(n: number, count: number, rng: () => number): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const m = Math.min(count, n);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.slice(0, m);
}

/** Mixes a seed and a stream number into a well-spread non-zero 32-bit state. */
export function mixSeed(seed: number, stream = 0): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 0x6d2b79f5 : h >>> 0;
}

/** xorshift32 stream; `next()` returns an unsigned 32-bit integer. */
export class Xorshift32 {
  state: number;
  constructor(seed: number, stream = 0) {
    this.state = mixSeed(seed, stream);
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() * n) / 4294967296);
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = (this.next() + 1) / 4294967297;
    const v = this.next() / 4294967296;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

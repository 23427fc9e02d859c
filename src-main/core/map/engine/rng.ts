// Small seeded generators. Every random choice in the map pipeline goes through these so a
// run is reproducible from its seed.

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

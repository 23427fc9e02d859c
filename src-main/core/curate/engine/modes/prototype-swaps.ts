// A representative subset read as nearest-neighbour prototypes: after the clustering has chosen
// each cluster's most typical member, each pick may be swapped for another of its cluster's most
// typical members when that lets the picks label more of the data correctly by their nearest
// pick, counted in every space of the joint space at once (the embedding and the look), on a
// seeded sample of the rows clustered (the pool, leave-one-out). A supervised step, as
// prototype selection for nearest-neighbour rules is (Hart's condensed nearest neighbour,
// Kohonen's LVQ): the clusters keep the coverage, the swap places each prototype where the
// classes it borders are told apart best. Counting both spaces is what keeps it from trading
// one for the other: the look weight alone moved picks towards the look at the embedding's
// expense (BENCHMARKS "curate: representative, three readings"), while a swap is kept only
// when the two counts together rise.
//
// The embedding's count weighs twice the look's (EMBEDDING_COUNT): with equal counts the look
// still moved the picks away from the embedding, about half a point in its own space against
// the look-weight-0 rule at this weight and 2 points at the former 1.5 on Fashion-MNIST's test
// split (issue 15 item 5). Validation splits (picks from the first 50,000 training
// images, 1-NN read on the last 10,000, look weight 0.5, N = 100, seeds 0–4, scratch), pixels /
// own space, MNIST and Fashion-MNIST:
//   equal counts, 20 candidates, 2 passes (before)     89.7 / 95.4     77.8 / 82.4
//   the embedding counted twice                        89.3 / 95.6     76.6 / 82.8
//   … and 40 candidates, 3 passes                      89.5 / 95.8     77.4 / 83.1
//   look weight 0 (the embedding alone; 40, 3)         84.7 / 95.9     71.2 / 82.9
//   … and 60 candidates, 4 passes (now, at N = 100)    89.2 / 95.8     77.6 / 83.2
//   look weight 0 (60, 4)                              84.7 / 95.9     72.4 / 82.9
// Three times instead of twice (with candidates ranked by the embedding alone added as well)
// gave 88.9 / 96.0 and 77.0 / 83.1; those embedding-ranked candidates alone changed nothing
// beyond noise at this weight (77.2 / 83.1 on Fashion-MNIST) and were left out.
//
// Cost: the pool's similarity to every pick (pool × picks per space, one product), then per
// pick only the pool rows whose nearest pick is it or one of its NEIGHBOUR_PICKS nearest picks
// (a candidate lies close to its pick, so the rows it could win are there), against its
// candidates; after each pass but the last the swapped picks' similarities over the whole pool,
// the rows' nearest picks and the picks' neighbours are brought up to date. Judging every swap
// on the whole pool instead gave nearly the same picks at five times the cost (Fashion-MNIST
// N = 100: 77.5 / 81.5 % against 77.3 / 81.2 %, 8 s against 1.6 s); comparing in a 64-d PCA of
// each space instead of its full width lost 0.2–0.4 point and was slower at N = 100 (its fit).
// The pool is capped so that pool × picks stays within MAX_POOL_CELLS; with fewer than
// MIN_POOL_PER_PICK pool rows per pick the step is left out: each swap would be decided by a
// handful of rows, for a cost that grows with the picks (Fashion-MNIST, 60,000 rows: N = 1,000
// gains 1.0 / 1.4 points on pixels / the embedding for about 1 s; N = 2,000, five rows a pick,
// gained 0.5 / 0.8 for 6 s, measured on a loaded machine).
import { dotRows, normalizeRows } from '../linalg';
import { createRng, sampleIndices } from '../../../../../src-shared/random';
import type { Block } from './joint-space';
import { insertNearest } from '../aligned-pixels';

/** A cluster's pick and the members it may be swapped for (dataset rows, the pick among them or not). */
export interface SwapCluster { pick: number; candidates: Int32Array }

export interface SwapOptions {
  /** Pool rows at most (default POOL_ROWS). */
  poolRows?: number;
  /** Passes over the picks (default: as many as SWAP_JUDGEMENTS allows, PASSES at most and 2 at least). */
  passes?: number;
  seed?: number;
}

export const POOL_ROWS = 10_000;
export const PASSES = 4;
/**
 * Pick × candidate judgements over all passes: what bounds the passes. Each pass judges every
 * pick against its candidates; at N = 1,000 (ten candidates a pick) a pass costs about 0.5 s
 * of the representative job, which must stay within 5 s (BENCHMARKS "curate (project end to
 * end)"), so large N get 3 passes and N = 100 (60 candidates) gets 4.
 */
export const SWAP_JUDGEMENTS = 30_000;
/** Candidates per cluster: its most typical members, the pick first. */
export const SWAP_CANDIDATES = 60;
/**
 * What a row labelled right in the embedding (the first block) counts, against 1 in the look:
 * the embedding is the space the map, the scores and a model trained on the picks read, and the
 * look is there to cover what it leaves out, not to move picks away from it.
 */
export const EMBEDDING_COUNT = 2;
/**
 * But no more than the pool rows per pick, and at least this many: with about ten pool rows a
 * pick (N = 1,000 from a 10,000-row pool) the counts cannot tell twenty candidates apart
 * (Fashion-MNIST N = 1,000, 5 seeds: 10 candidates 81.1 % / 84.0 %, 20 candidates 80.9 % /
 * 84.2 % on pixels / the embedding, for 0.45 s more).
 */
const MIN_CANDIDATES = 8;
/** Picks whose pool rows a pick's swap is judged on, beside its own, per space. */
const NEIGHBOUR_PICKS = 10;
const MAX_POOL_CELLS = 20_000_000;
const MIN_POOL_PER_PICK = 10;

/**
 * The picks after the swaps, one per cluster in the order given. `codes[i]`: row i's class;
 * `rows`: the rows clustered (ascending), the pool is drawn from them; `blocks`: the joint
 * space's full-width vectors (each compared by cosine on its own).
 */
export function swapPicks(blocks: readonly Block[], codes: Int32Array, rows: Int32Array, clusters: readonly SwapCluster[], opts: SwapOptions = {}): Int32Array {
  const N = clusters.length;
  const picks = Int32Array.from(clusters, (c) => c.pick);
  const M = Math.min(rows.length, opts.poolRows ?? POOL_ROWS, Math.floor(MAX_POOL_CELLS / Math.max(1, N)));
  if (N < 2 || M < MIN_POOL_PER_PICK * N || !blocks.length) return picks;
  const pool = Int32Array.from(sampleIndices(rows.length, M, createRng(opts.seed ?? 0)), (t) => rows[t]).sort();
  const poolAt = new Map<number, number>();
  pool.forEach((i, r) => poolAt.set(i, r));
  const y = Int32Array.from(pool, (i) => codes[i]);
  const label = Int32Array.from(picks, (i) => codes[i]);

  const spaces = blocks.map((b) => new Space(b, pool, N));
  for (const s of spaces) s.fill(picks, poolAt);
  const seen = new Uint8Array(M);
  const C = Math.min(SWAP_CANDIDATES, Math.max(MIN_CANDIDATES, Math.floor(M / N)));

  const passes = opts.passes ?? Math.min(PASSES, Math.max(2, Math.floor(SWAP_JUDGEMENTS / (N * C))));
  for (let pass = 0; pass < passes; pass++) {
    const dirty: number[] = [];
    for (let t = 0; t < N; t++) {
      const cands = Array.from(clusters[t].candidates.subarray(0, C)).filter((q) => q !== picks[t]);
      if (!cands.length) continue;
      const local: number[] = [];
      for (const s of spaces) for (const p of s.neighbours[t]) for (const r of s.owned[p]) if (!seen[r]) { seen[r] = 1; local.push(r); }
      for (const r of local) seen[r] = 0;
      if (!local.length) continue;
      // Row × candidate similarities in each space, a candidate's own pool row left out.
      const sims = spaces.map((s) => s.against(local, cands, poolAt));
      const L = local.length, lt = label[t], Cn = cands.length;
      // Rows labelled right with t as it is (base) and with each candidate instead (counts), in
      // every space: a row takes the nearer of the pick in t's place and its nearest other pick.
      let base = 0;
      const counts = new Int32Array(Cn);
      spaces.forEach((s, si) => {
        // A single space's weight scales every count alike and decides nothing.
        const g = sims[si], w = si === 0 ? EMBEDDING_COUNT : 1;
        for (let l = 0; l < L; l++) {
          const r = local[l], own = s.b1[r] === t, alt = own ? s.b2[r] : s.b1[r];
          const altLabel = alt < 0 ? -1 : label[alt], altNear = alt < 0 ? -Infinity : own ? s.v2[r] : s.v1[r];
          const yr = y[r], o = l * Cn;
          // Either label the row right or neither does: then no swap changes this row.
          if ((lt === yr) === (altLabel === yr)) { if (lt === yr) { base += w; for (let u = 0; u < Cn; u++) counts[u] += w; } continue; }
          const winNear = lt === yr;
          if ((s.S[r * N + t] > altNear) === winNear) base += w;
          for (let u = 0; u < Cn; u++) if ((g[o + u] > altNear) === winNear) counts[u] += w;
        }
      });
      let best = base, chosen = -1;
      for (let u = 0; u < Cn; u++) if (counts[u] > best) { best = counts[u]; chosen = u; }
      if (chosen < 0) continue;
      picks[t] = cands[chosen];
      dirty.push(t);
      spaces.forEach((s, si) => s.swapLocal(t, local, sims[si], chosen, cands.length));
    }
    // The last pass's swaps need no refresh: nothing reads the state after it.
    if (!dirty.length || pass === passes - 1) break;
    for (const s of spaces) s.refresh(dirty, picks, poolAt);
  }
  return picks;
}

/**
 * One block's unit vectors of the pool, its similarities to the picks (S, pool × picks), each
 * pool row's two nearest picks, the pool rows each pick is nearest to, and each pick's nearest
 * picks (itself first).
 */
class Space {
  readonly dim: number;
  readonly P: Float32Array;
  readonly S: Float32Array;
  readonly b1: Int32Array; readonly b2: Int32Array;
  readonly v1: Float32Array; readonly v2: Float32Array;
  owned: number[][] = [];
  neighbours: number[][] = [];
  private readonly scratch: Float32Array;

  constructor(private readonly block: Block, private readonly pool: Int32Array, private readonly N: number) {
    const M = pool.length;
    this.dim = block.dim;
    this.scratch = new Float32Array(block.dim);
    this.P = this.unitRows(pool);
    this.S = new Float32Array(M * N);
    this.b1 = new Int32Array(M); this.b2 = new Int32Array(M);
    this.v1 = new Float32Array(M); this.v2 = new Float32Array(M);
  }

  /** Unit rows of the dataset rows given (a zero row stays zero: similar to nothing). */
  unitRows(rows: ArrayLike<number>): Float32Array {
    const D = this.dim, out = new Float32Array(rows.length * D), b = this.block;
    for (let t = 0; t < rows.length; t++) {
      const i = rows[t], o = t * D;
      if (b.data) { const at = (b.index ? b.index[i] : i) * D; out.set(b.data.subarray(at, at + D), o); }
      else { b.read(i, this.scratch); out.set(this.scratch, o); }
    }
    return normalizeRows(out, D);
  }

  /** S for every pick (a pool row that is a pick left out of its own), then the derived lists. */
  fill(picks: Int32Array, poolAt: Map<number, number>): void {
    dotRows(this.P, this.pool.length, this.unitRows(picks), this.N, this.dim, this.S);
    picks.forEach((i, t) => this.leaveOut(i, t, poolAt));
    this.derive(picks);
  }

  /** Local rows × candidates similarities, a candidate's own pool row at −∞. */
  against(local: number[], cands: number[], poolAt: Map<number, number>): Float32Array {
    const D = this.dim, L = new Float32Array(local.length * D);
    local.forEach((r, l) => L.set(this.P.subarray(r * D, (r + 1) * D), l * D));
    const g = new Float32Array(local.length * cands.length);
    dotRows(L, local.length, this.unitRows(cands), cands.length, D, g);
    cands.forEach((q, u) => {
      const r = poolAt.get(q);
      const l = r === undefined ? -1 : local.indexOf(r);
      if (l >= 0) g[l * cands.length + u] = -Infinity;
    });
    return g;
  }

  /** Pick t is now candidate u: its column is exact on the local rows, and their nearest two follow. */
  swapLocal(t: number, local: number[], g: Float32Array, u: number, C: number): void {
    local.forEach((r, l) => {
      const v = g[l * C + u];
      this.S[r * this.N + t] = v;
      // A full rescan only where t was one of the two nearest and moved away.
      if (v >= this.v1[r]) {
        if (this.b1[r] !== t) { this.b2[r] = this.b1[r]; this.v2[r] = this.v1[r]; }
        this.b1[r] = t; this.v1[r] = v;
      } else if (this.b1[r] === t || this.b2[r] === t) this.rescan(r);
      else if (v > this.v2[r]) { this.b2[r] = t; this.v2[r] = v; }
    });
  }

  /** After a pass: the swapped picks' columns over the whole pool, then the derived lists. */
  refresh(dirty: number[], picks: Int32Array, poolAt: Map<number, number>): void {
    const M = this.pool.length, N = this.N, d = dirty.length;
    const cols = new Float32Array(M * d);
    dotRows(this.P, M, this.unitRows(dirty.map((t) => picks[t])), d, this.dim, cols);
    for (let r = 0; r < M; r++) for (let k = 0; k < d; k++) this.S[r * N + dirty[k]] = cols[r * d + k];
    for (const t of dirty) this.leaveOut(picks[t], t, poolAt);
    this.derive(picks);
  }

  /** Every row's nearest two picks, the rows each pick is nearest to, each pick's nearest picks. */
  private derive(picks: Int32Array): void {
    const N = this.N, K = Math.min(N, NEIGHBOUR_PICKS + 1);
    this.owned = Array.from({ length: N }, () => []);
    for (let r = 0; r < this.pool.length; r++) {
      this.rescan(r);
      if (this.b1[r] >= 0) this.owned[this.b1[r]].push(r);
    }
    const Q = this.unitRows(picks), G = new Float32Array(N * N);
    dotRows(Q, N, Q, N, this.dim, G);
    const idx = new Int32Array(K), far = new Float64Array(K);
    this.neighbours = Array.from({ length: N }, (_, t) => {
      idx.fill(-1); far.fill(Infinity);
      for (let p = 0; p < N; p++) {
        // Itself first, then the most similar (−similarity kept ascending; ties to the earlier pick).
        const d = p === t ? -Infinity : -G[t * N + p];
        if (d < far[K - 1]) insertNearest(idx, far, K - 1, p, d);
      }
      return Array.from(idx).filter((p) => p >= 0);
    });
  }

  private leaveOut(i: number, t: number, poolAt: Map<number, number>): void {
    const r = poolAt.get(i);
    if (r !== undefined) this.S[r * this.N + t] = -Infinity;
  }

  private rescan(r: number): void {
    const N = this.N, o = r * N;
    let a = -1, b = -1, va = -Infinity, vb = -Infinity;
    for (let t = 0; t < N; t++) {
      const v = this.S[o + t];
      if (v > va) { vb = va; b = a; va = v; a = t; } else if (v > vb) { vb = v; b = t; }
    }
    this.b1[r] = a; this.b2[r] = b; this.v1[r] = va; this.v2[r] = vb;
  }
}

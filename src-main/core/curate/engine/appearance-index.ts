// A k-d tree for radius queries over the appearance detector's projected signatures
// (appearance-duplicates.ts). Each node splits the coordinate of largest variance among its
// points at the median, so axes that carry nothing are never used (the widest range, used
// before, let one outlying point pick the axis: the variance made the same searches 5–11 %
// faster on MNIST, Fashion-MNIST and 200,000 of the 1M bench's signatures). A query prunes
// with the distance from its point to a node's cell over every axis split on the way down
// (incremental distance), not just the last split: measured on MNIST, half the candidates.
// Each pair is searched from one end only (pairsFrom: by rank, then tree order), and a query
// skips the cells whose points would all search for it themselves. The leaves' points are also
// kept in leaf order, so the exact distance check scans memory in order instead of jumping
// across the whole array (at 1,000,000 signatures a query checks a few hundred points; by row
// order each was a cache miss).

const LEAF = 16;

/**
 * A built tree as typed arrays (in shared memory when built with `shared`), so one thread builds
 * it and others search it in place (appearance-pairs.ts: the search's threads split the queries
 * of one tree instead of each building its own).
 */
export interface RangeTreeState {
  perm: Int32Array;
  sorted: Float32Array;
  position: Int32Array;
  // Per node: first and one-past-last position in perm, split axis (-1 = leaf), split value, children, lowest rank.
  lo: Int32Array; hi: Int32Array; axis: Int32Array; value: Float64Array; left: Int32Array; right: Int32Array; minRank: Float64Array;
}

export class RangeTree {
  private readonly perm: Int32Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly axis: Int32Array;
  private readonly value: Float64Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  /** The indexed points in perm order (leaf by leaf). */
  private readonly sorted: Float32Array;
  /** Per node: the lowest rank among its points (pairsFrom). */
  private readonly minRank: Float64Array;
  /** Per row: its position in perm (-1 when not indexed). */
  private readonly position: Int32Array;
  /** Each indexed point's rank, in perm order: a leaf's ranks are read in order, not by row. */
  private readonly rankAt: Float64Array;
  /** A query's scratch: its point, and its offset from the cell on each axis split so far (all 0 between queries). */
  private readonly query: Float32Array;
  private readonly offsets: Float64Array;

  /** A built tree (build, state) over points of `dim` coordinates ranked by `rank`; it holds the indexed points itself (sorted). */
  constructor(private readonly dim: number, private readonly rank: ArrayLike<number>, state: RangeTreeState) {
    ({ perm: this.perm, sorted: this.sorted, position: this.position, lo: this.lo, hi: this.hi, axis: this.axis, value: this.value, left: this.left, right: this.right, minRank: this.minRank } = state);
    this.rankAt = Float64Array.from(this.perm, (row) => rank[row]);
    this.query = new Float32Array(dim);
    this.offsets = new Float64Array(dim);
  }

  /**
   * Builds the tree. points: row-major rows × dim; only the listed rows are indexed. rank (per
   * row): which end of a pair searches for it (pairsFrom). shared: the state in SharedArrayBuffers.
   */
  static build(points: Float32Array, dim: number, rows: Int32Array, rank: ArrayLike<number>, shared = false): RangeTree {
    return new RangeTree(dim, rank, buildState(points, dim, rows, rank, shared));
  }

  /** What other threads need to search this tree (with the same rank); the points are no longer needed. */
  get state(): RangeTreeState {
    const { perm, sorted, position, lo, hi, axis, value, left, right, minRank } = this;
    return { perm, sorted, position, lo, hi, axis, value, left, right, minRank };
  }

  /**
   * Each pair of indexed rows once, from the end that searches for it: calls visit(j) for every
   * indexed row j within `radius` of indexed row i that ranks below i, or ranks the same and comes
   * after i in the tree's order (rank given to the constructor). Called for every row, with each
   * row's radius covering its pairs with rows of no higher rank, it finds every pair once; the
   * cells a row would only find from the other end are not entered (measured: the search of
   * signatures of equal rank, the common case, visited every pair twice before).
   */
  pairsFrom(i: number, radius: number, visit: (j: number) => void): void {
    const at = this.position[i];
    if (at < 0) throw new Error(`row ${i} is not indexed`);
    this.query.set(this.sorted.subarray(at * this.dim, (at + 1) * this.dim));
    this.descend(0, this.query, at, this.rank[i], 0, radius * radius, this.offsets, visit);
  }

  /** Calls visit(j) for every indexed row j within `radius` of a point (dim coordinates) that need not be indexed. */
  near(point: ArrayLike<number>, radius: number, visit: (j: number) => void): void {
    this.descend(0, Float32Array.from(point), -1, Infinity, 0, radius * radius, new Float64Array(this.dim), visit);
  }

  private descend(node: number, q: Float32Array, at: number, r: number, reach: number, r2: number, offsets: Float64Array, visit: (j: number) => void): void {
    // Every point here ranks above the query, or ranks the same and comes no later: the pairs are the other end's to find.
    const minRank = this.minRank[node];
    if (minRank > r || (minRank === r && this.hi[node] <= at + 1)) return;
    const a = this.axis[node];
    if (a < 0) {
      const { sorted, dim, perm, rankAt } = this;
      for (let t = this.lo[node], o = t * dim; t < this.hi[node]; t++, o += dim) {
        const rj = rankAt[t];
        if (rj > r || (rj === r && t <= at)) continue;
        // Four axes at a time between tests: where a point is ruled out is random, and a test
        // per axis was mostly mispredicted branches (measured: the search 28–34 % faster).
        let d = 0, c = 0;
        for (; c + 4 <= dim && d <= r2; c += 4) {
          const x0 = q[c] - sorted[o + c], x1 = q[c + 1] - sorted[o + c + 1], x2 = q[c + 2] - sorted[o + c + 2], x3 = q[c + 3] - sorted[o + c + 3];
          d += x0 * x0 + x1 * x1 + x2 * x2 + x3 * x3;
        }
        for (; c < dim && d <= r2; c++) {
          const x = q[c] - sorted[o + c];
          d += x * x;
        }
        if (d <= r2) visit(perm[t]);
      }
      return;
    }
    const diff = q[a] - this.value[node];
    this.descend(diff <= 0 ? this.left[node] : this.right[node], q, at, r, reach, r2, offsets, visit);
    const old = offsets[a];
    const further = reach - old * old + diff * diff;
    if (further > r2) return;
    offsets[a] = diff;
    this.descend(diff <= 0 ? this.right[node] : this.left[node], q, at, r, further, r2, offsets, visit);
    offsets[a] = old;
  }
}

function buildState(points: Float32Array, dim: number, rows: Int32Array, rank: ArrayLike<number>, shared: boolean): RangeTreeState {
  const Int = (n: number) => new Int32Array(shared ? new SharedArrayBuffer(4 * n) : new ArrayBuffer(4 * n));
  const perm = Int(rows.length);
  perm.set(rows);
  const lo: number[] = [], hi: number[] = [], axis: number[] = [], value: number[] = [], left: number[] = [], right: number[] = [];
  const split = (a: number, b: number): number => {
    const node = lo.length;
    lo.push(a); hi.push(b); axis.push(-1); value.push(0); left.push(-1); right.push(-1);
    if (b - a <= LEAF) return node;
    let best = -1, largest = 0;
    const count = b - a;
    for (let c = 0; c < dim; c++) {
      let sum = 0, sq = 0;
      for (let t = a; t < b; t++) {
        const x = points[perm[t]! * dim + c]!;
        sum += x; sq += x * x;
      }
      const variance = sq / count - (sum / count) ** 2;
      if (variance > largest) { largest = variance; best = c; }
    }
    if (best < 0) return node; // all points equal: nothing to split
    const mid = (a + b) >> 1;
    select(perm, a, b - 1, mid, (r) => points[r * dim + best]!);
    axis[node] = best;
    value[node] = points[perm[mid]! * dim + best]!;
    // Points equal to the split value may sit on either side; the search visits both then.
    left[node] = split(a, mid);
    right[node] = split(mid, b);
    return node;
  };
  if (perm.length) split(0, perm.length);
  const sorted = new Float32Array(shared ? new SharedArrayBuffer(4 * perm.length * dim) : new ArrayBuffer(4 * perm.length * dim));
  for (let t = 0; t < perm.length; t++) sorted.set(points.subarray(perm[t]! * dim, (perm[t]! + 1) * dim), t * dim);
  const position = Int(points.length / dim).fill(-1);
  perm.forEach((row, t) => { position[row] = t; });
  const nodes = lo.length;
  const typed = (a: number[]) => { const out = Int(nodes); out.set(a); return out; };
  const minRank = new Float64Array(shared ? new SharedArrayBuffer(8 * nodes) : new ArrayBuffer(8 * nodes));
  // Nodes are numbered parents first, so children are done before their parent.
  for (let node = nodes - 1; node >= 0; node--) {
    let m = Infinity;
    if (axis[node]! >= 0) m = Math.min(minRank[left[node]!]!, minRank[right[node]!]!);
    else for (let t = lo[node]!; t < hi[node]!; t++) m = Math.min(m, rank[perm[t]!]!);
    minRank[node] = m;
  }
  const values = new Float64Array(shared ? new SharedArrayBuffer(8 * nodes) : new ArrayBuffer(8 * nodes));
  values.set(value);
  return { perm, sorted, position, lo: typed(lo), hi: typed(hi), axis: typed(axis), value: values, left: typed(left), right: typed(right), minRank };
}

/** Quickselect: reorders a[lo..hi] so that a[k] has rank k by key, smaller keys before it. */
function select(a: Int32Array, lo: number, hi: number, k: number, key: (r: number) => number): void {
  while (hi > lo) {
    const pivot = key(a[(lo + hi) >> 1]);
    let i = lo, j = hi;
    while (i <= j) {
      while (key(a[i]) < pivot) i++;
      while (key(a[j]) > pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

// The similar-images search's own copy of a set's vectors, kept while the project is open: each
// row as int8 codes with its own scale, a quarter of the floats (544 MB instead of 2.2 GB at a
// million 544-d vectors: the float copy stayed resident beside every map and curate job after, and
// took the map job's peak RSS from 5.0 to 7.2 GB, bench/scale-1m.ts --dim 544). A scan of the
// codes ranks the rows almost as the floats would, each within a known bound of its exact dot
// product; similar.ts ranks the best few hundred again on their exact vectors, and any other row
// whose bound reaches the hits, so the hits are those of an exact search.
import { nextTurn } from '../jobs/next-turn';
import type { RowSink } from './embedding-store';

/** Row i's vector ≈ codes[i·dim…] × scales[i]; maxScale is the largest scale. */
export interface VectorCodes { setId: number; dim: number; ids: Int32Array; codes: Int8Array; scales: Float32Array; maxScale: number }

/** Multiply-adds between two turns of the event loop: about 20 ms of the core's thread. */
const WORK_PER_TURN = 1 << 24;

/** A read of a set's vectors into codes: row i is codes[i·dim…] × scales[i]. */
export function codesSink(): RowSink<VectorCodes> {
  let codes = new Int8Array(0), scales = new Float32Array(0);
  return {
    start(rows, dim) {
      codes = new Int8Array(rows * dim);
      scales = new Float32Array(rows);
      const row = new Float32Array(dim), rowBytes = new Uint8Array(row.buffer);
      // No branch on a value's sign in these loops: with signs at random they were mispredicted
      // often enough to make the read of a million 544-d rows 6 s slower (Math.round too).
      return (i, bytes) => {
        rowBytes.set(bytes);
        let max = 0;
        for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(row[j]!));
        scales[i] = max / 127;
        if (max === 0) return;
        // Rounded to nearest: v + 128.5 is positive, so | 0 floors it.
        const inv = 127 / max, off = i * dim;
        for (let j = 0; j < dim; j++) codes[off + j] = ((row[j]! * inv + 128.5) | 0) - 128;
      };
    },
    finish: (setId, dim, ids) => vectorCodes(setId, dim, ids, codes.subarray(0, ids.length * dim), scales.subarray(0, ids.length)),
  };
}

/** The codes of a set's rows, with their largest scale (what bounds the codes' error). */
export function vectorCodes(setId: number, dim: number, ids: Int32Array, codes: Int8Array, scales: Float32Array): VectorCodes {
  return { setId, dim, ids, codes, scales, maxScale: scales.reduce((m, x) => Math.max(m, x), 0) };
}

/**
 * How far a row's dot product with `query` on its codes may be from the exact one: each code is
 * off by at most half its row's scale. (A little over, for the float32 scales' own rounding.)
 */
export function codeErrorBound(table: VectorCodes, query: Float32Array): number {
  let l1 = 0;
  for (let j = 0; j < query.length; j++) l1 += Math.abs(query[j]!);
  return (table.maxScale / 2) * l1 * 1.001 + 1e-6;
}

/**
 * The rows whose codes are most similar to `query` (a dot product: the vectors are unit length),
 * at most `size` of them, best first, and every row's dot product on its codes (`approx`, -∞ for
 * `excludeRow`, never listed). The event loop turns between blocks of rows (a million 544-d
 * rows: about 0.75 s).
 */
export async function shortlist(table: VectorCodes, query: Float32Array, size: number, excludeRow = -1): Promise<{ rows: Int32Array; approx: Float32Array }> {
  const { dim, codes, scales } = table;
  const n = table.ids.length;
  const rowsPerTurn = Math.max(1024, Math.floor(WORK_PER_TURN / Math.max(1, dim)));
  const top = new TopRows(size);
  const approx = new Float32Array(n);
  const whole = dim - (dim % 4);
  for (let r = 0; r < n; r++) {
    if (r > 0 && r % rowsPerTurn === 0) await nextTurn();
    if (r === excludeRow) {
      approx[r] = -Infinity;
      continue;
    }
    // Four sums: one sum's chain of additions is what bounds the loop (0.75 s against 1.3 s).
    const off = r * dim;
    let a = 0, b = 0, c = 0, d = 0;
    for (let j = 0; j < whole; j += 4) {
      a += codes[off + j]! * query[j]!;
      b += codes[off + j + 1]! * query[j + 1]!;
      c += codes[off + j + 2]! * query[j + 2]!;
      d += codes[off + j + 3]! * query[j + 3]!;
    }
    for (let j = whole; j < dim; j++) a += codes[off + j]! * query[j]!;
    approx[r] = (a + b + c + d) * scales[r]!;
    top.offer(r, approx[r]!);
  }
  return { rows: top.rowsBestFirst(), approx };
}

/** The `size` best-scored rows seen, as a min-heap: the worst kept is at the root. */
class TopRows {
  private readonly rows: Int32Array;
  private readonly scores: Float64Array;
  private length = 0;

  constructor(private readonly size: number) {
    this.rows = new Int32Array(size);
    this.scores = new Float64Array(size);
  }

  offer(row: number, score: number): void {
    if (this.length < this.size) {
      let i = this.length++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent]! <= score) break;
        this.rows[i] = this.rows[parent]!;
        this.scores[i] = this.scores[parent]!;
        i = parent;
      }
      this.rows[i] = row;
      this.scores[i] = score;
    } else if (this.size > 0 && score > this.scores[0]!) {
      this.siftDown(row, score);
    }
  }

  private siftDown(row: number, score: number): void {
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.length) break;
      if (child + 1 < this.length && this.scores[child + 1]! < this.scores[child]!) child++;
      if (this.scores[child]! >= score) break;
      this.rows[i] = this.rows[child]!;
      this.scores[i] = this.scores[child]!;
      i = child;
    }
    this.rows[i] = row;
    this.scores[i] = score;
  }

  rowsBestFirst(): Int32Array {
    const order = Array.from({ length: this.length }, (_, i) => i).sort((x, y) => this.scores[y]! - this.scores[x]!);
    return Int32Array.from(order, (i) => this.rows[i]!);
  }
}

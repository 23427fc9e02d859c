// The one way engines reach vectors that may be held or read on demand (types.ts VectorRows).
import type { VectorRows } from './types';

/** Every row's vector: the array itself, or all rows read. */
export function allVectors(vectors: Float32Array | VectorRows): Float32Array {
  if (vectors instanceof Float32Array) return vectors;
  return vectors.read(Int32Array.from({ length: vectors.rows }, (_, i) => i));
}

/** Number of rows, held or not. */
export function vectorRowCount(vectors: Float32Array | VectorRows, dim: number): number {
  return vectors instanceof Float32Array ? vectors.length / dim : vectors.rows;
}

/** The listed rows of a row-major matrix, in their order, as a new matrix. */
export function gatherRows(data: Float32Array, dim: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let t = 0; t < rows.length; t++) out.set(data.subarray(rows[t]! * dim, (rows[t]! + 1) * dim), t * dim);
  return out;
}

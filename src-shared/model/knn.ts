/**
 * A k-nearest-neighbour graph in columnar form: row i's neighbours are
 * indices[i*k .. i*k+k), nearest first, excluding i itself; distances are cosine distances
 * (1 - dot of L2-normalised vectors) in the same order. -1 marks a missing neighbour.
 */
export interface KnnGraph {
  n: number;
  k: number;
  indices: Int32Array;
  distances: Float32Array;
}

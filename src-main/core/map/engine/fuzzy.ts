// The fuzzy simplicial set of UMAP, built from a k-NN graph: per-point bandwidths turn
// distances into membership strengths, and the directed graph is symmetrised with the
// probabilistic union a + b - ab.
import type { KnnGraph } from '../../../../src-shared/model/knn';

/** Symmetric weighted graph in CSR form: row i's entries are cols/weights[rowPtr[i] .. rowPtr[i+1]). */
export interface FuzzyGraph {
  n: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  weights: Float32Array;
}

const BANDWIDTH_ITERATIONS = 64;
const BANDWIDTH_TOLERANCE = 1e-5;
const MIN_SIGMA_SCALE = 1e-3;

/**
 * Per-point distance to the nearest neighbour (rho) and bandwidth (sigma) such that
 * Σ_j exp(-(d_ij - rho_i) / sigma_i) = log2(k) over the point's neighbours.
 */
export function smoothKnnDistances(graph: KnnGraph): { rho: Float32Array; sigma: Float32Array } {
  const { n, k, indices, distances } = graph;
  const rho = new Float32Array(n);
  const sigma = new Float32Array(n);
  let globalSum = 0;
  let globalCount = 0;
  for (let e = 0; e < n * k; e++) {
    if (indices[e] >= 0) {
      globalSum += distances[e];
      globalCount++;
    }
  }
  const globalMean = globalCount ? globalSum / globalCount : 0;
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let count = 0;
    let sum = 0;
    let r = 0;
    for (let c = 0; c < k; c++) {
      if (indices[base + c] < 0) continue;
      const d = distances[base + c];
      count++;
      sum += d;
      if (r === 0 && d > 0) r = d;
    }
    rho[i] = r;
    if (count === 0) {
      sigma[i] = 1;
      continue;
    }
    const target = Math.log2(Math.max(2, count));
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < BANDWIDTH_ITERATIONS; it++) {
      let psum = 0;
      for (let c = 0; c < k; c++) {
        if (indices[base + c] < 0) continue;
        const d = distances[base + c] - r;
        psum += d > 0 ? Math.exp(-d / mid) : 1;
      }
      if (Math.abs(psum - target) < BANDWIDTH_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    const floor = MIN_SIGMA_SCALE * (r > 0 ? sum / count : globalMean);
    sigma[i] = Math.max(mid, floor, 1e-12);
  }
  return { rho, sigma };
}

/** Builds the symmetric fuzzy graph; every unordered pair appears once in each row. */
export function fuzzySimplicialSet(graph: KnnGraph): FuzzyGraph {
  const { n, k, indices, distances } = graph;
  const { rho, sigma } = smoothKnnDistances(graph);
  const directed = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const e = i * k + c;
      if (indices[e] < 0 || indices[e] === i) continue;
      const d = distances[e] - rho[i];
      directed[e] = d > 0 ? Math.exp(-d / sigma[i]) : 1;
    }
  }
  // First pass counts entries per row, second fills them; a reverse-only pair (i lists j,
  // j does not list i) is emitted for both rows while visiting i.
  const counts = new Int32Array(n + 1);
  const reverse = (i: number, j: number): number => {
    const base = j * k;
    for (let c = 0; c < k; c++) if (indices[base + c] === i) return directed[base + c];
    return 0;
  };
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const e = i * k + c;
      const j = indices[e];
      if (j < 0 || j === i || directed[e] === 0) continue;
      counts[i + 1]++;
      if (reverse(i, j) === 0) counts[j + 1]++;
    }
  }
  const rowPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowPtr[i + 1] = rowPtr[i] + counts[i + 1];
  const fill = rowPtr.slice(0, n);
  const m = rowPtr[n];
  const cols = new Int32Array(m);
  const weights = new Float32Array(m);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const e = i * k + c;
      const j = indices[e];
      if (j < 0 || j === i || directed[e] === 0) continue;
      const a = directed[e];
      const b = reverse(i, j);
      const w = a + b - a * b;
      cols[fill[i]] = j;
      weights[fill[i]++] = w;
      if (b === 0) {
        cols[fill[j]] = i;
        weights[fill[j]++] = w;
      }
    }
  }
  return { n, rowPtr, cols, weights };
}

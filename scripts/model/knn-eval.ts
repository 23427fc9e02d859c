// Leave-one-out k-NN accuracy with cosine similarity. The N x N similarity product runs in
// onnxruntime (Gemm + TopK, chunked) because plain JS takes minutes at 10,000 x 3,000.
import ort from 'onnxruntime-node';
import { encodeModel, node, onnx, valueInfo } from '../../src-main/core/embed/model/onnx-proto';

let knnSession: Promise<ort.InferenceSession> | undefined;

function session(): Promise<ort.InferenceSession> {
  knnSession ??= ort.InferenceSession.create(
    encodeModel({
      name: 'knn',
      nodes: [
        node('Gemm', ['queries', 'base'], ['sim'], 'gemm', { transB: 1 }),
        node('TopK', ['sim', 'k'], ['scores', 'indices'], 'topk', { axis: 1, largest: 1, sorted: 1 }),
      ],
      initializers: [],
      inputs: [valueInfo('queries', ['m', 'd']), valueInfo('base', ['n', 'd']), { name: 'k', type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimValue: 1 }] } } } }],
      outputs: [valueInfo('scores', ['m', 'k']), { name: 'indices', type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimParam: 'm' }, { dimParam: 'k' }] } } } }],
    }),
  );
  return knnSession;
}

/** Rows of `v` scaled to unit length, in place. */
export function normaliseRows(v: Float32Array, dim: number): Float32Array {
  for (let r = 0; r < v.length; r += dim) {
    let s = 0;
    for (let i = r; i < r + dim; i++) s += v[i] * v[i];
    const k = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = r; i < r + dim; i++) v[i] *= k;
  }
  return v;
}

/**
 * Fraction of points whose k nearest other points (cosine) vote for their own label; a tied vote
 * goes to the tied label met first in rank order. `vectors` must be L2-normalised rows.
 */
export async function looKnnAccuracy(vectors: Float32Array, dim: number, labels: ArrayLike<number>, k = 5, chunk = 500): Promise<number> {
  const n = labels.length;
  if (vectors.length !== n * dim) throw new RangeError(`looKnnAccuracy: ${vectors.length} floats is not ${n} x ${dim}`);
  const s = await session();
  const base = new ort.Tensor('float32', vectors, [n, dim]);
  const kk = new ort.Tensor('int64', BigInt64Array.from([BigInt(Math.min(k + 1, n))]), [1]);
  let correct = 0;
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const q = new ort.Tensor('float32', vectors.subarray(start * dim, (start + m) * dim), [m, dim]);
    const out = await s.run({ queries: q, base, k: kk });
    const idx = out.indices.data as BigInt64Array;
    const width = out.indices.dims[1];
    for (let r = 0; r < m; r++) {
      const self = start + r;
      const votes = new Map<number, number>();
      const order: number[] = [];
      let used = 0;
      for (let j = 0; j < width && used < k; j++) {
        const nb = Number(idx[r * width + j]);
        if (nb === self) continue;
        used++;
        const l = labels[nb];
        if (!votes.has(l)) order.push(l);
        votes.set(l, (votes.get(l) ?? 0) + 1);
      }
      let best = order[0];
      for (const l of order) if (votes.get(l)! > votes.get(best)!) best = l;
      if (best === labels[self]) correct++;
    }
  }
  return correct / n;
}

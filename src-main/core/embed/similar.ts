// Exact k-nearest search by cosine similarity over the active set (vectors are unit length, so
// a dot product is the cosine). 70,000 × 544 floats is ~40 M multiply-adds: milliseconds; a
// million is half a second, so the search lets the event loop turn between blocks of rows.
import type { SimilarHit } from '../../../src-shared/model/similar';
import { indexOfId } from '../../../src-shared/model/ids';
import { RpcError } from '../../../src-shared/rpc/errors';
import { nextTurn } from '../jobs/next-turn';
import type { VectorTable } from './embedding-store';

/** Multiply-adds between two turns of the event loop: about 10–20 ms of the core's thread. */
const WORK_PER_TURN = 1 << 24;

export async function nearestTo(table: VectorTable, query: Float32Array, k: number, excludeId?: number): Promise<SimilarHit[]> {
  const { dim, ids, vectors } = table;
  if (query.length !== dim) throw new RpcError('bad_request', `query vector has ${query.length} values; the embedding set has ${dim}`);
  const rowsPerTurn = Math.max(1024, Math.floor(WORK_PER_TURN / Math.max(1, dim)));
  const best: SimilarHit[] = [];
  let worst = -Infinity;
  for (let r = 0; r < ids.length; r++) {
    if (r > 0 && r % rowsPerTurn === 0) await nextTurn();
    if (ids[r] === excludeId) continue;
    let dot = 0;
    const off = r * dim;
    for (let j = 0; j < dim; j++) dot += vectors[off + j]! * query[j]!;
    if (best.length < k || dot > worst) {
      best.push({ sampleId: ids[r]!, similarity: dot });
      if (best.length > k) {
        best.sort((a, b) => b.similarity - a.similarity);
        best.length = k;
      }
      worst = best.length === k ? Math.min(...best.map((h) => h.similarity)) : -Infinity;
    }
  }
  return best.sort((a, b) => b.similarity - a.similarity || a.sampleId - b.sampleId);
}

export function vectorOf(table: VectorTable, sampleId: number): Float32Array {
  const row = indexOfId(table.ids, sampleId);
  if (row >= 0) return table.vectors.subarray(row * table.dim, (row + 1) * table.dim);
  throw new RpcError('not_found', `sample ${sampleId} has no embedding in the active set (it may have failed to decode)`);
}

// Exact k-nearest search by cosine similarity over the active set (vectors are unit length, so
// a dot product is the cosine): a scan of the set's int8 codes shortlists the rows
// (similar-codes.ts), and their exact vectors, read back by id, rank them.
import type { SimilarHit } from '../../../src-shared/model/similar';
import { indexOfId } from '../../../src-shared/model/ids';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { EmbeddingStore } from './embedding-store';
import { codeErrorBound, shortlist, type VectorCodes } from './similar-codes';

/**
 * Rows ranked on their exact vectors first. An int8 code's rounding moves a dot product by about
 * 5e-4 (544-d), so the shortlist usually holds every hit; reading a few hundred vectors back by id
 * is about a millisecond.
 */
const SHORTLIST = 256;
/**
 * Rows read back at most beyond the shortlist, where more rows than it holds lie within the
 * codes' error of the hits (hundreds of near copies of the query): past that the hits are the
 * best of those read, no longer certainly exact.
 */
const WIDEN_MAX = 50_000;

export async function nearestTo(store: EmbeddingStore, table: VectorCodes, query: Float32Array, k: number, excludeId?: number): Promise<SimilarHit[]> {
  if (query.length !== table.dim) throw new RpcError('bad_request', `query vector has ${query.length} values; the embedding set has ${table.dim}`);
  const { rows, approx } = await shortlist(table, query, Math.max(SHORTLIST, 4 * k), excludeId === undefined ? -1 : indexOfId(table.ids, excludeId));
  const hits = exactHits(store, table, query, rows);
  // A row outside the shortlist can beat the k-th hit only if its codes' dot product is within
  // the error bound of that hit's exact one: those rows are read back too.
  if (rows.length && hits.length >= k) {
    const reach = hits[k - 1]!.similarity - codeErrorBound(table, query);
    if (approx[rows[rows.length - 1]!]! >= reach) {
      const listed = new Set(rows);
      const more: number[] = [];
      for (let r = 0; r < approx.length && more.length < WIDEN_MAX; r++) if (approx[r]! >= reach && !listed.has(r)) more.push(r);
      for (const hit of exactHits(store, table, query, more)) hits.push(hit);
    }
  }
  return hits.sort(bestFirst).slice(0, k);
}

/** The rows' exact similarities to the query, best first (rows whose vector is gone since the codes were read are left out). */
function exactHits(store: EmbeddingStore, table: VectorCodes, query: Float32Array, rows: ArrayLike<number>): SimilarHit[] {
  const ids = Array.from(rows, (r) => table.ids[r]!);
  const exact = store.vectorsOf(table.setId, ids);
  const hits: SimilarHit[] = [];
  ids.forEach((sampleId, i) => {
    const v = exact[i];
    if (!v) return;
    let dot = 0;
    for (let j = 0; j < v.length; j++) dot += v[j]! * query[j]!;
    hits.push({ sampleId, similarity: dot });
  });
  return hits.sort(bestFirst);
}

const bestFirst = (a: SimilarHit, b: SimilarHit) => b.similarity - a.similarity || a.sampleId - b.sampleId;

/** A sample's exact vector in the set, the query of a search by sample. */
export function vectorOf(store: EmbeddingStore, setId: number, sampleId: number): Float32Array {
  const v = store.vectorsOf(setId, [sampleId])[0];
  if (v) return v;
  throw new RpcError('not_found', `sample ${sampleId} has no embedding in the active set (it may have failed to decode)`);
}

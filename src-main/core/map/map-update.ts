// Adds newly embedded samples to an existing map without a new layout: they go into the saved
// k-NN index, get their neighbours from it, and are placed among them. A full `map` run
// re-lays everything out; this keeps the picture people already know stable.
import { existsSync } from 'node:fs';
import type { KnnGraph } from '../../../src-shared/model/knn';
import type { VectorTable } from '../embed/embedding-store';
import { loadIndex, placeByNeighbours, saveIndex } from './';
import type { StoredMap } from './map-store';

export interface MapUpdate { ids: Int32Array; positions: Float32Array; graph: KnnGraph; added: number }

/** The first row of `ids` (ascending sample ids) past a map whose last sample id is `lastId`; ids.length when none. */
export function firstNewRow(ids: Int32Array, lastId: number): number {
  for (let i = 0; i < ids.length; i++) if (ids[i]! > lastId) return i;
  return ids.length;
}

/** New vectors of `table` (ids above the map's last one) appended to `prev`, or null when there are none. */
export function extendMap(prev: StoredMap, table: VectorTable, indexPath: string): MapUpdate | null {
  if (!existsSync(indexPath)) return null;
  const first = firstNewRow(table.ids, prev.data.ids.length ? prev.data.ids[prev.data.ids.length - 1]! : -1);
  const added = table.ids.length - first;
  if (added === 0) return null;
  const dim = table.dim;
  const fresh = table.vectors.slice(first * dim);
  const index = loadIndex(indexPath);
  if (index.size !== prev.data.ids.length) return null;
  index.add(fresh);
  const k = prev.graph.k;
  // k + 1: a new vector finds itself first; drop it.
  const found = index.search(fresh, k + 1);
  const rowsBefore = prev.data.ids.length;
  const indices = new Int32Array(added * k).fill(-1);
  const distances = new Float32Array(added * k).fill(Infinity);
  for (let i = 0; i < added; i++) {
    let c = 0;
    for (let j = 0; j < k + 1 && c < k; j++) {
      const nb = found.indices[i * (k + 1) + j]!;
      if (nb === rowsBefore + i || nb < 0) continue;
      indices[i * k + c] = nb;
      distances[i * k + c] = found.distances[i * (k + 1) + j]!;
      c++;
    }
  }
  const oldPositions = new Float32Array(rowsBefore * 2);
  for (let i = 0; i < rowsBefore; i++) { oldPositions[2 * i] = prev.data.x[i]!; oldPositions[2 * i + 1] = prev.data.y[i]!; }
  const placed = placeByNeighbours({ n: added, k, indices, distances }, oldPositions);
  saveIndex(index, indexPath);
  const positions = new Float32Array((rowsBefore + added) * 2);
  positions.set(oldPositions);
  positions.set(placed, rowsBefore * 2);
  const ids = new Int32Array(rowsBefore + added);
  ids.set(prev.data.ids);
  ids.set(table.ids.subarray(first), rowsBefore);
  const graph: KnnGraph = { n: rowsBefore + added, k, indices: concat(prev.graph.indices, indices), distances: concatF(prev.graph.distances, distances) };
  return { ids, positions, graph, added };
}

const concat = (a: Int32Array, b: Int32Array) => { const o = new Int32Array(a.length + b.length); o.set(a); o.set(b, a.length); return o; };
const concatF = (a: Float32Array, b: Float32Array) => { const o = new Float32Array(a.length + b.length); o.set(a); o.set(b, a.length); return o; };

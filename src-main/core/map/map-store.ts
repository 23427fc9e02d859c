// Maps in the project file: the k-NN graph and the 2-D positions of one embedding set, with
// the sample-id order they refer to. A new map never overwrites an older one.
import type { KnnGraph } from '../../../src-shared/model/knn';
import type { MapData } from '../../../src-shared/model/map';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import type { ClusterSpace } from '../curate/engine';

interface MapRow { id: number; set_id: number; sample_ids: Buffer; positions: Buffer | null; knn_k: number; knn_indices: Buffer; knn_distances: Buffer; created_at: string; params: string; timings: string | null }

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
function view<T>(buf: Buffer, Ctor: new (b: ArrayBuffer) => T): T {
  return new Ctor(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
}

/** What MapStore.latestHeader reads of a map: lastId is the sample id of its last row (-1: none). */
export interface MapHeader { id: number; setId: number; params: unknown; n: number; lastId: number }

export interface StoredMap { data: MapData; graph: KnnGraph; params: unknown; timings: Record<string, number> | null }

export class MapStore {
  constructor(private readonly catalog: Catalog) {}
  private get db() { return this.catalog.db; }

  save(setId: number, ids: Int32Array, positions: Float32Array, graph: KnnGraph, params: unknown, timings: Record<string, number>): number {
    return Number(this.db.prepare('INSERT INTO maps (set_id, params, sample_ids, positions, knn_k, knn_indices, knn_distances, timings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(setId, JSON.stringify(params), bytes(ids), bytes(positions), graph.k, bytes(graph.indices), bytes(graph.distances), JSON.stringify(timings)).lastInsertRowid);
  }

  latestId(): number | null {
    return (this.db.prepare('SELECT MAX(id) FROM maps').pluck().get() as number | null) ?? null;
  }

  /** Rows of the newest map, without reading it (null: no map). */
  latestSize(): number | null {
    return (this.db.prepare('SELECT length(sample_ids) / 4 FROM maps ORDER BY id DESC LIMIT 1').pluck().get() as number | undefined) ?? null;
  }

  /**
   * The newest map's id, set, parameters, row count and last sample id, without reading its
   * arrays: whether a map job can extend it is decided from these (at a million samples
   * latest() reads 130 MB, a second of the core's thread).
   */
  latestHeader(): MapHeader | null {
    const r = this.db.prepare('SELECT id, set_id, params, length(sample_ids) / 4 AS n, substr(sample_ids, -4) AS last FROM maps ORDER BY id DESC LIMIT 1').get() as { id: number; set_id: number; params: string; n: number; last: Buffer | null } | undefined;
    if (!r) return null;
    return { id: r.id, setId: r.set_id, params: JSON.parse(r.params) as unknown, n: r.n, lastId: r.n > 0 && r.last ? r.last.readInt32LE(0) : -1 };
  }

  latest(): StoredMap | null {
    const id = this.latestId();
    return id === null ? null : this.get(id);
  }

  /** The newest map's id; throws the "compute the map first" precondition when there is none. */
  requireId(): number {
    const id = this.latestId();
    if (id === null) this.require();
    return id!;
  }

  /**
   * The newest map's positions only: what the renderer draws. Not latest(): at a million
   * samples the k-NN graph is 120 MB that map.get would read, copy and drop.
   */
  latestData(): MapData | null {
    const r = this.db.prepare('SELECT id, set_id, sample_ids, positions, created_at FROM maps ORDER BY id DESC LIMIT 1').get() as Pick<MapRow, 'id' | 'set_id' | 'sample_ids' | 'positions' | 'created_at'> | undefined;
    return r ? toData(r) : null;
  }

  require(): StoredMap {
    const m = this.latest();
    if (!m) throw new RpcError('precondition', 'no map yet: compute the map first (winnow map, or "Compute map" in the app)');
    return m;
  }

  /** Stores the embedding's clustering projection of map `mapId` (rows in the map's order). */
  saveClusterSpace(mapId: number, space: ClusterSpace): void {
    this.db.prepare('UPDATE maps SET cluster_dim = ?, cluster_space = ? WHERE id = ?').run(space.dim, bytes(space.data), mapId);
  }

  /** The stored clustering projection of map `mapId`, or null when it has none. */
  clusterSpace(mapId: number): ClusterSpace | null {
    const r = this.db.prepare('SELECT cluster_dim, cluster_space FROM maps WHERE id = ?').get(mapId) as { cluster_dim: number | null; cluster_space: Buffer | null } | undefined;
    if (!r?.cluster_dim || !r.cluster_space) return null;
    return { dim: r.cluster_dim, data: view(r.cluster_space, Float32Array) };
  }

  get(id: number): StoredMap {
    // Not SELECT *: the clustering projection is megabytes that only curation reads.
    const r = this.db.prepare('SELECT id, set_id, sample_ids, positions, knn_k, knn_indices, knn_distances, created_at, params, timings FROM maps WHERE id = ?').get(id) as MapRow | undefined;
    if (!r) throw new RpcError('not_found', `no map ${id}`);
    const data = toData(r);
    const ids = data.ids;
    return {
      data,
      graph: { n: ids.length, k: r.knn_k, indices: view(r.knn_indices, Int32Array), distances: view(r.knn_distances, Float32Array) },
      params: JSON.parse(r.params) as unknown,
      timings: r.timings ? (JSON.parse(r.timings) as Record<string, number>) : null,
    };
  }
}

function toData(r: Pick<MapRow, 'id' | 'set_id' | 'sample_ids' | 'positions' | 'created_at'>): MapData {
  const ids = view(r.sample_ids, Int32Array);
  const { x, y } = r.positions ? splitXY(view(r.positions, Float32Array)) : { x: new Float32Array(ids.length), y: new Float32Array(ids.length) };
  return { mapId: r.id, setId: r.set_id, ids, x, y, createdAt: r.created_at };
}

export function splitXY(positions: Float32Array): { x: Float32Array; y: Float32Array } {
  const n = positions.length / 2;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) { x[i] = positions[2 * i]!; y[i] = positions[2 * i + 1]!; }
  return { x, y };
}

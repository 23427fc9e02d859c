// Storing a new map: at a million samples its graph and positions are 130 MB of blobs in one
// INSERT, which held the core's thread 0.5–0.65 s at the end of every map job (bench/scale-1m.ts,
// longest event-loop stall). A big map is written by a worker thread on its own connection
// (WAL: the core's connection goes on reading meanwhile); a small one, or an in-memory database
// (which a second connection cannot open), on the core's thread: there the worker's start costs
// more than the write.
import type { KnnGraph } from '../../../src-shared/model/knn';
import { callWorker } from '../../workers/spawn';
import { workerEntry } from '../../workers/entries';
import type { Catalog } from '../catalog/catalog';
import { MapStore } from './map-store';

/** Map rows from which the write goes to a worker thread (a 200,000-row map is 26 MB of blobs, about 0.1 s). */
export const SAVE_THREAD_FROM = 200_000;

export interface NewMap { setId: number; ids: Int32Array; positions: Float32Array; graph: KnnGraph; params: unknown; timings: Record<string, number> }

/** What the worker is given: the project file and the map. */
export interface MapSaveWorkerData { path: string; map: NewMap }

/** Stores the map and returns its id; `thread` forces the worker (true) or the core's thread (false). */
export async function saveMap(catalog: Catalog, map: NewMap, opts: { thread?: boolean } = {}): Promise<number> {
  const onThread = !catalog.db.memory && (opts.thread ?? map.ids.length >= SAVE_THREAD_FROM);
  if (!onThread) return new MapStore(catalog).save(map.setId, map.ids, map.positions, map.graph, map.params, map.timings);
  return callWorker<number>(workerEntry('map-save'), { workerData: { path: catalog.path, map } satisfies MapSaveWorkerData });
}

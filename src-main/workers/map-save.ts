// Worker entry: stores a new map on its own connection to the project file, off the core's
// event loop (core/map/save-map-thread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { Catalog } from '../core/catalog/catalog';
import { openProjectDb } from '../core/catalog/db';
import { MapStore } from '../core/map/map-store';
import type { MapSaveWorkerData } from '../core/map/save-map-thread';

if (!parentPort) throw new Error('map-save must run in a worker thread');
const { path, map } = workerData as MapSaveWorkerData;
const db = openProjectDb(path);
try {
  const mapId = new MapStore(new Catalog(db, path)).save(map.setId, map.ids, map.positions, map.graph, map.params, map.timings);
  parentPort.postMessage({ type: 'done', result: mapId });
} catch (err) {
  parentPort.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
} finally {
  db.close();
}

// A big map is stored by a worker thread while the core's event loop turns; what is stored is
// the map given, read back the same as a map stored on the core's thread.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Catalog } from '../catalog/catalog';
import { createProjectDb } from '../catalog/db';
import { tempDir } from '../../testing/temp';
import { MapStore } from './map-store';
import { SAVE_THREAD_FROM, saveMap, type NewMap } from './save-map-thread';

describe('storing a new map', () => {
  const path = join(tempDir(), 'save.winnow');
  const catalog = new Catalog(createProjectDb(path), path);
  const setId = Number(catalog.db.prepare("INSERT INTO embedding_sets (model_key, model_name, model_sha256, model_path, spec, dim) VALUES ('k', 'm', '', '', '{}', 2)").run().lastInsertRowid);
  const store = new MapStore(catalog);

  function mapOf(n: number, k: number): NewMap {
    const ids = Int32Array.from({ length: n }, (_, i) => 2 * i + 1);
    const positions = Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i));
    const indices = Int32Array.from({ length: n * k }, (_, t) => (Math.floor(t / k) + 1 + (t % k)) % n);
    const distances = Float32Array.from({ length: n * k }, (_, t) => (t % k) / k);
    return { setId, ids, positions, graph: { n, k, indices, distances }, params: { k, seed: 7 }, timings: { total: 1 } };
  }

  function same(id: number, map: NewMap): void {
    const stored = store.get(id);
    assert.deepEqual(stored.data.ids, map.ids);
    assert.deepEqual(stored.graph.indices, map.graph.indices);
    assert.deepEqual(stored.graph.distances, map.graph.distances);
    assert.deepEqual(stored.params, map.params);
    assert.equal(stored.data.setId, setId);
  }

  it('a map of SAVE_THREAD_FROM rows is written off the core thread, which turns meanwhile', async () => {
    const map = mapOf(SAVE_THREAD_FROM, 15);
    let turns = 0, on = true;
    const tick = () => { if (on) { turns++; setImmediate(tick); } };
    setImmediate(tick);
    const id = await saveMap(catalog, map);
    on = false;
    assert.ok(turns >= 5, `${turns} turns`);
    assert.equal(store.latestId(), id);
    same(id, map);
  });

  it('a small map is written on the core thread, and reads back the same', async () => {
    const map = mapOf(1000, 5);
    const id = await saveMap(catalog, map);
    assert.equal(store.latestId(), id);
    same(id, map);
  });
});

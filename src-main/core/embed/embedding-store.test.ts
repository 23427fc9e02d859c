// Loading a set's vectors: the rows with a vector, in sample-id order, read in chunks; the map
// job's loadInTurns lets the event loop turn between chunks and returns the same table.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Catalog } from '../catalog/catalog';
import { createProjectDb } from '../catalog/db';
import { tempDir } from '../../testing/temp';
import { addBareSamples } from '../../testing/bare-samples';
import { EmbeddingStore } from './embedding-store';

describe('loading an embedding set', () => {
  // More rows than two chunks of the reader, some without a vector (a failed embedding).
  const n = 120_001, dim = 2;
  const path = join(tempDir(), 'load.winnow');
  const catalog = new Catalog(createProjectDb(path), path);
  const sampleIds = addBareSamples(catalog, n);
  const setId = Number(catalog.db.prepare("INSERT INTO embedding_sets (model_key, model_name, model_sha256, model_path, spec, dim) VALUES ('k', 'test', '', '', '{}', ?)").run(dim).lastInsertRowid);
  const failed = new Set([0, 49_999, 50_000, 100_000, n - 1].map((i) => sampleIds[i]!));
  const kept = sampleIds.filter((id) => !failed.has(id));
  const vectors = Float32Array.from(kept.flatMap((id) => [id, -id]));
  const store = new EmbeddingStore(catalog);
  store.importVectors(setId, dim, kept.map((sampleId, offset) => ({ sampleId, offset })), vectors, [...failed].map((sampleId) => ({ sampleId, reason: 'unreadable' })));

  /** Turns of the event loop while `run` goes on. */
  async function turnsDuring<T>(run: () => T | Promise<T>): Promise<{ value: T; turns: number }> {
    let turns = 0, on = true;
    const tick = () => { if (on) { turns++; setImmediate(tick); } };
    setImmediate(tick);
    const value = await run();
    on = false;
    return { value, turns };
  }

  it('reads every vector in sample-id order, without the failed rows', () => {
    const table = store.load(setId);
    assert.deepEqual([...table.ids], kept);
    assert.deepEqual(table.vectors, vectors);
    assert.equal(table.dim, dim);
  });

  it('loadInTurns returns the same table, shared when asked, and lets the event loop turn between chunks', async () => {
    const { value, turns } = await turnsDuring(() => store.loadInTurns(setId, { shared: true }));
    assert.deepEqual([...value.ids], kept);
    assert.deepEqual([...value.vectors], [...vectors]);
    assert.ok(value.vectors.buffer instanceof SharedArrayBuffer);
    assert.ok(turns >= 2, `${turns} turns`);
    const sync = await turnsDuring(() => store.load(setId));
    assert.equal(sync.turns, 0);
  });

  it('wide vectors come in smaller chunks: the event loop turns as often per byte read', async () => {
    // 20,000 rows of the built-in model's 544 dimensions (43.5 MB): by rows, one chunk; by bytes,
    // chunks of 5,882 rows. (50,000 rows of 544-d held the core's thread about 0.25 s each.)
    const wide = 544, rows = sampleIds.slice(0, 20_000);
    const wideSet = Number(catalog.db.prepare("INSERT INTO embedding_sets (model_key, model_name, model_sha256, model_path, spec, dim) VALUES ('w', 'wide', '', '', '{}', ?)").run(wide).lastInsertRowid);
    const values = Float32Array.from({ length: rows.length * wide }, (_, t) => (t % 997) / 997);
    store.importVectors(wideSet, wide, rows.map((sampleId, offset) => ({ sampleId, offset })), values, []);
    const { value, turns } = await turnsDuring(() => store.loadInTurns(wideSet));
    assert.deepEqual([...value.ids], rows);
    assert.deepEqual(value.vectors, values);
    assert.ok(turns >= 4, `${turns} turns`);
    catalog.close();
  });
});

describe('the active embedding set', () => {
  it('is the newest set holding vectors, without its counts; a newer set of failures only is passed over', () => {
    const path = join(tempDir(), 'active.winnow');
    const catalog = new Catalog(createProjectDb(path), path);
    const store = new EmbeddingStore(catalog);
    assert.equal(store.activeSet(), null);
    assert.throws(() => store.requireActive(), { code: 'precondition' });
    const ids = addBareSamples(catalog, 3);
    const newSet = (name: string) => Number(catalog.db.prepare("INSERT INTO embedding_sets (model_key, model_name, model_sha256, model_path, spec, dim) VALUES (?, ?, '', '', '{}', 2)").run(name, name).lastInsertRowid);
    const older = newSet('older'), newer = newSet('newer'), failures = newSet('failures');
    store.importVectors(older, 2, ids.map((sampleId, offset) => ({ sampleId, offset })), new Float32Array(6), []);
    store.importVectors(newer, 2, [{ sampleId: ids[0]!, offset: 0 }], new Float32Array(2), ids.slice(1).map((sampleId) => ({ sampleId, reason: 'unreadable' })));
    store.importVectors(failures, 2, [], new Float32Array(0), ids.map((sampleId) => ({ sampleId, reason: 'unreadable' })));
    const active = store.requireActive();
    assert.equal(active.id, newer);
    assert.equal(active.modelName, 'newer');
    assert.ok(!('count' in active), 'the active set is not counted');
    assert.deepEqual(store.sets().map((s) => [s.modelName, s.count, s.failed]), [['older', 3, 0], ['newer', 1, 2], ['failures', 0, 3]]);
  });
});

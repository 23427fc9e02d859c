// Similar-images search keeps its table of the active set's vectors while they are unchanged, and
// reads them again once any connection writes them: more rows, or the same rows replaced. The
// read and the search let the event loop turn, so the renderer's other requests go on meanwhile.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Catalog } from '../catalog/catalog';
import { createProjectDb, openProjectDb } from '../catalog/db';
import { tempDir } from '../../testing/temp';
import { EmbeddingStore } from './embedding-store';
import { SimilarSearch } from './similar-search';

describe('similar-images search over a changing set', () => {
  const path = join(tempDir(), 'similar.winnow');
  const catalog = new Catalog(createProjectDb(path), path);
  const ds = catalog.findOrCreateDataset('folder', '/data', 'data');
  catalog.insertSamples(ds, [0, 1, 2, 3].map((i) => ({ relPath: `${i}.png`, source: 'file' as const, width: 1, height: 1, channels: 1, contentHash: `h${i}`, label: null, split: null, metadata: {} })));
  const ids = catalog.db.prepare('SELECT id FROM samples ORDER BY id').pluck().all() as number[];
  const store = new EmbeddingStore(catalog);
  const spec = { external: true as const, name: 'm', embeddingDim: 2 };
  const setId = store.findOrCreateSet({ key: 'external:m', name: 'm', sha256: '', onnxPath: '', spec });
  const rows = (sampleIds: number[]) => sampleIds.map((sampleId, offset) => ({ sampleId, offset }));
  // Unit vectors at angles: sample 0 nearest sample 1, then 2.
  const at = (...degrees: number[]) => Float32Array.from(degrees.flatMap((d) => [Math.cos((d * Math.PI) / 180), Math.sin((d * Math.PI) / 180)]));
  const search = new SimilarSearch(store);
  const nearest = async () => (await search.bySample(ids[0]!, 3)).hits.map((h) => ids.indexOf(h.sampleId));

  it('keeps one table while the vectors are unchanged, and reads it once for requests that come together', async () => {
    store.importVectors(setId, 2, rows(ids.slice(0, 3)), at(0, 10, 50), []);
    const [a, b] = await Promise.all([search.table(), search.table()]);
    assert.equal(a, b);
    assert.deepEqual(await nearest(), [1, 2]);
    assert.equal(await search.table(), a);
  });

  it('sees vectors another connection adds (an embed job, winnow vectors import)', async () => {
    const other = new Catalog(openProjectDb(path), path);
    new EmbeddingStore(other).writeBatch(setId, [ids[3]!], at(5), 2, []);
    other.db.close();
    assert.deepEqual(await nearest(), [3, 1, 2]);
  });

  it('sees vectors replaced in place: the same count, other vectors', async () => {
    const other = new Catalog(openProjectDb(path), path);
    new EmbeddingStore(other).importVectors(setId, 2, rows(ids), at(0, 60, 1, 30), []);
    other.db.close();
    assert.deepEqual(await nearest(), [2, 3, 1]);
  });

  it('a wide set is read and searched while the event loop turns', async () => {
    // 20,000 of the built-in model's 544-d vectors (43.5 MB): at a million the read was 5 s and
    // the search half a second of the core's thread, during which no request was answered.
    const n = 20_000, dim = 544;
    catalog.insertSamples(ds, Array.from({ length: n }, (_, i) => ({ relPath: `w${i}.png`, source: 'file' as const, width: 1, height: 1, channels: 1, contentHash: `w${i}`, label: null, split: null, metadata: {} })));
    const wideIds = (catalog.db.prepare('SELECT id FROM samples ORDER BY id').pluck().all() as number[]).slice(-n);
    const wide = store.findOrCreateSet({ key: 'external:wide', name: 'wide', sha256: '', onnxPath: '', spec: { external: true, name: 'wide', embeddingDim: dim } });
    const values = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) values[i * dim + (i % dim)] = 1;
    store.importVectors(wide, dim, rows(wideIds), values, []);
    let turns = 0, on = true;
    const tick = () => { if (on) { turns++; setImmediate(tick); } };
    setImmediate(tick);
    const { setId: used, hits } = await search.bySample(wideIds[0]!, 5);
    on = false;
    assert.equal(used, wide);
    // Rows i ≡ 0 (mod 544) share sample 0's direction.
    assert.deepEqual(hits.map((h) => wideIds.indexOf(h.sampleId)), [544, 1088, 1632, 2176, 2720]);
    assert.ok(turns >= 3, `${turns} turns`);
  });
});

// Similar-images search keeps its table of the active set's vectors while they are unchanged, and
// reads them again once any connection writes them: more rows, or the same rows replaced. The
// read and the search let the event loop turn, so the renderer's other requests go on meanwhile.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Catalog } from '../catalog/catalog';
import { createProjectDb, openProjectDb } from '../catalog/db';
import { tempDir } from '../../testing/temp';
import { addBareSamples } from '../../testing/bare-samples';
import { EmbeddingStore } from './embedding-store';
import { SimilarSearch } from './similar-search';
import { readCodesFile, similarCodesPath } from './similar-codes-file';

describe('similar-images search over a changing set', () => {
  const path = join(tempDir(), 'similar.winnow');
  const catalog = new Catalog(createProjectDb(path), path);
  const ids = addBareSamples(catalog, 4);
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
    const wideIds = addBareSamples(catalog, n, 'w');
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

describe('similar-images codes kept between sessions', () => {
  const dir = tempDir();
  const path = join(dir, 'kept.winnow');
  const catalog = new Catalog(createProjectDb(path), path);
  const n = 300, dim = 6;
  const ids = addBareSamples(catalog, n);
  const store = new EmbeddingStore(catalog);
  const setId = store.findOrCreateSet({ key: 'external:k', name: 'k', sha256: '', onnxPath: '', spec: { external: true, name: 'k', embeddingDim: dim } });
  const values = Float32Array.from({ length: n * dim }, (_, t) => Math.sin(t * 0.37 + (t % dim)));
  for (let i = 0; i < n; i++) {
    const row = values.subarray(i * dim, (i + 1) * dim);
    const norm = Math.hypot(...row);
    row.forEach((v, j) => { row[j] = v / norm; });
  }
  store.importVectors(setId, dim, ids.map((sampleId, offset) => ({ sampleId, offset })), values, []);
  const filePath = similarCodesPath(path, setId);
  let reads = 0;
  const readInTurns = store.readInTurns.bind(store);
  store.readInTurns = (async (...args: Parameters<typeof readInTurns>) => { reads++; return readInTurns(...args); }) as typeof store.readInTurns;
  const session = (write = true) => new SimilarSearch(store, { path: (s) => similarCodesPath(path, s), write, from: 100 });
  /** Waits up to 2 s for the background write of a file. */
  const until = async (done: () => boolean | Promise<boolean>) => { for (let t = 0; t < 200 && !(await done()); t++) await new Promise((r) => setTimeout(r, 10)); };

  it('a later session reads the codes kept by the first instead of the vectors, and finds the same', async () => {
    const first = await session().bySample(ids[5]!, 10);
    assert.equal(reads, 1);
    await until(() => existsSync(filePath));
    assert.ok(existsSync(filePath), 'kept in a file beside the project');
    const later = await session().bySample(ids[5]!, 10);
    assert.equal(reads, 1, 'the vectors were not read again');
    assert.deepEqual(later, first);
  });

  it('codes let go (for a map job) are read back from the file at the next search', async () => {
    const search = session();
    const held = await search.table();
    const before = reads;
    search.release();
    const again = await search.table();
    assert.notEqual(again, held, 'read again');
    assert.deepEqual(again.codes, held.codes);
    assert.equal(reads, before, 'from the file, not the vectors');
  });

  it('a file of an older revision, or a damaged one, is not used; a read-only session keeps none', async () => {
    // Sample 0 gets sample 5's vector: the nearest to sample 5 from now on.
    store.importVectors(setId, dim, [{ sampleId: ids[0]!, offset: 0 }], values.subarray(5 * dim, 6 * dim), []);
    const active = store.requireActive();
    const tag = { setId, createdAt: Date.parse(active.createdAt), revision: active.revision };
    const before = reads;
    const fresh = await session(false).bySample(ids[5]!, 10);
    assert.equal(reads, before + 1, 'stale: read from the vectors');
    assert.equal(fresh.hits[0]!.sampleId, ids[0]);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await readCodesFile(filePath, tag), null, 'the read-only session kept no file');
    await session().table();
    assert.equal(reads, before + 2);
    await until(async () => (await readCodesFile(filePath, tag)) !== null);
    assert.ok(await readCodesFile(filePath, tag), 'rewritten for the new revision');
    writeFileSync(filePath, readFileSync(filePath).subarray(0, 100));
    assert.equal((await session(false).bySample(ids[5]!, 10)).hits[0]!.sampleId, ids[0]);
    assert.equal(reads, before + 3, 'damaged: read from the vectors');
  });

});

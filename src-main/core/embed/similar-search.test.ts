// Similar-images search keeps its table of the active set's vectors while they are unchanged, and
// reads them again once any connection writes them: more rows, or the same rows replaced.
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
  const nearest = () => search.bySample(ids[0]!, 3).hits.map((h) => ids.indexOf(h.sampleId));

  it('keeps one table while the vectors are unchanged', () => {
    store.importVectors(setId, 2, rows(ids.slice(0, 3)), at(0, 10, 50), []);
    assert.deepEqual(nearest(), [1, 2]);
    assert.equal(search.table(), search.table());
  });

  it('sees vectors another connection adds (an embed job, winnow vectors import)', () => {
    const other = new Catalog(openProjectDb(path), path);
    new EmbeddingStore(other).writeBatch(setId, [ids[3]!], at(5), 2, []);
    other.db.close();
    assert.deepEqual(nearest(), [3, 1, 2]);
  });

  it('sees vectors replaced in place: the same count, other vectors', () => {
    const other = new Catalog(openProjectDb(path), path);
    new EmbeddingStore(other).importVectors(setId, 2, rows(ids), at(0, 60, 1, 30), []);
    other.db.close();
    assert.deepEqual(nearest(), [2, 3, 1]);
  });
});

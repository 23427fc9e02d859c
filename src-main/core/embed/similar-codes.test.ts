// The similar-images search scans int8 codes of the vectors and ranks a shortlist on the exact
// vectors: its hits must be those of an exact search over the floats, near duplicates included.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Catalog } from '../catalog/catalog';
import { createProjectDb } from '../catalog/db';
import { tempDir } from '../../testing/temp';
import { addBareSamples } from '../../testing/bare-samples';
import { createRng } from '../../../src-shared/random';
import { EmbeddingStore } from './embedding-store';
import { SimilarSearch } from './similar-search';
import { codesSink, shortlist } from './similar-codes';

function unit(v: Float32Array): Float32Array {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

describe('similar images on int8 codes', () => {
  // 3,000 vectors of 545 dimensions (not a multiple of 4) in 6 tight clusters of 500, more than a
  // shortlist holds: inside a cluster the similarities differ by less than an int8 code's
  // rounding, so the codes alone miss some of the true 20 nearest (29 of 80 in 4 queries).
  const n = 3000, dim = 545, rand = createRng(7);
  const centres = Array.from({ length: 6 }, () => Float32Array.from({ length: dim }, () => rand() - 0.5));
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) vectors.set(unit(centres[i % 6]!.map((x) => x + (rand() - 0.5) * 0.02)), i * dim);
  const path = join(tempDir(), 'codes.winnow');
  const catalog = new Catalog(createProjectDb(path), path);
  const ids = addBareSamples(catalog, n);
  const store = new EmbeddingStore(catalog);
  const setId = store.findOrCreateSet({ key: 'external:m', name: 'm', sha256: '', onnxPath: '', spec: { external: true, name: 'm', embeddingDim: dim } });
  store.importVectors(setId, dim, ids.map((sampleId, offset) => ({ sampleId, offset })), vectors, []);

  function exact(query: Float32Array, k: number, exclude?: number): number[] {
    const sims = ids.map((id, i) => {
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += vectors[i * dim + j]! * query[j]!;
      return { id, dot };
    }).filter((h) => h.id !== exclude);
    return sims.sort((a, b) => b.dot - a.dot || a.id - b.id).slice(0, k).map((h) => h.id);
  }

  it('codes hold a quarter of the floats and give each dot product within 1e-2', async () => {
    const codes = await store.readInTurns(setId, codesSink());
    assert.deepEqual([...codes.ids], ids);
    assert.ok(codes.codes.byteLength + codes.scales.byteLength <= vectors.byteLength / 4 + 4 * n);
    const q = vectors.subarray(0, dim);
    for (const r of [0, 1, 6, 2999]) {
      let approx = 0, truth = 0;
      for (let j = 0; j < dim; j++) {
        approx += codes.codes[r * dim + j]! * codes.scales[r]! * q[j]!;
        truth += vectors[r * dim + j]! * q[j]!;
      }
      assert.ok(Math.abs(approx - truth) < 1e-2, `row ${r}: ${approx} against ${truth}`);
    }
  });

  it('a shortlist is the best rows of the codes, best first, without the excluded row', async () => {
    const codes = await store.readInTurns(setId, codesSink());
    const { rows, approx } = await shortlist(codes, vectors.subarray(0, dim), 50, 0);
    assert.equal(approx[0], -Infinity);
    assert.equal(rows.length, 50);
    assert.ok(!rows.includes(0));
    assert.ok(rows.every((r) => r % 6 === 0), 'the query\'s own cluster first');
    assert.ok(rows.every((r, i) => i === 0 || approx[r]! <= approx[rows[i - 1]!]!));
    const all = (await shortlist(codes, vectors.subarray(0, dim), n + 10)).rows;
    assert.equal(all.length, n);
    // Inside the cluster the codes' rounding may reorder rows; the cluster still comes first.
    assert.deepEqual([...all.subarray(0, 500)].sort((a, b) => a - b), Array.from({ length: 500 }, (_, i) => i * 6));
  });

  it('hits by sample and by vector are those of an exact search over the floats', async () => {
    const search = new SimilarSearch(store);
    for (const q of [0, 17, 1234, 2999]) {
      const byId = await search.bySample(ids[q]!, 20);
      assert.deepEqual(byId.hits.map((h) => h.sampleId), exact(vectors.subarray(q * dim, (q + 1) * dim), 20, ids[q]));
      assert.ok(byId.hits.every((h, i) => i === 0 || h.similarity <= byId.hits[i - 1]!.similarity));
    }
    // A query between two clusters: its neighbours come from both.
    const between = unit(centres[3]!.map((x, j) => x + centres[4]![j]!));
    const table = await search.table();
    const { nearestTo } = await import('./similar');
    const hits = await nearestTo(store, table, between, 300);
    assert.deepEqual(hits.map((h) => h.sampleId), exact(between, 300));
  });
});

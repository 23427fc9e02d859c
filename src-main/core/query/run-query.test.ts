import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { RpcError } from '../../../src-shared/rpc/errors';
import { Catalog, type NewSample } from '../catalog/catalog';
import { createProjectDb } from '../catalog/db';
import { tempDir } from '../../testing/temp';
import { runQuery } from './run-query';

function sample(i: number, label: string | null, meta: NewSample['metadata']): NewSample {
  return { relPath: `f${i}.png`, source: 'file', width: 10 + i, height: 10, channels: 3, contentHash: `h${i}`, label, split: i % 2 ? 'train' : 'test', metadata: meta };
}

describe('queries over the catalog', () => {
  const dir = tempDir();
  const catalog = new Catalog(createProjectDb(join(dir, 'q.winnow')), join(dir, 'q.winnow'));
  const ds = catalog.findOrCreateDataset('folder', '/data', 'data');
  catalog.insertSamples(ds, [
    sample(0, '7', { camera: 'A', iso: 100 }), sample(1, '7', { camera: 'B', iso: 400 }), sample(2, 'cat', { camera: 'A', iso: 800 }),
    sample(3, null, { camera: 'C' }), sample(4, 'Big Dog', { camera: 'B', iso: 50 }),
  ]);
  const ids = (q: string) => [...runQuery(catalog, q)];

  it('filters by label, split, metadata and combinations', () => {
    assert.deepEqual(ids('label = 7'), [1, 2]);
    assert.deepEqual(ids('label = 7 and split = train'), [2]);
    assert.deepEqual(ids('camera = A or iso >= 400'), [1, 2, 3]);
    assert.deepEqual(ids('not camera = A'), [2, 4, 5]);
    assert.deepEqual(ids('label in (cat, "Big Dog")'), [3, 5]);
    assert.deepEqual(ids('label = null'), [4]);
    assert.deepEqual(ids('label != 7'), [3, 4, 5]);
    assert.deepEqual(ids('label ~ dog'), [5]);
    assert.deepEqual(ids('meta.iso < 100'), [5]);
    assert.deepEqual(ids(''), [1, 2, 3, 4, 5]);
  });

  it('gives clear errors for unknown fields, type mismatches, bad syntax and missing scores', () => {
    assert.throws(() => ids('colour = red'), (e: RpcError) => e.code === 'bad_request' && /unknown field "colour"/.test(e.message) && /camera/.test(e.message));
    assert.throws(() => ids('width > wide'), (e: RpcError) => e.code === 'bad_request' && /is a number/.test(e.message));
    assert.throws(() => ids('label = 7 and'), (e: RpcError) => e.code === 'bad_request' && /^query: expected a field name/.test(e.message));
    assert.throws(() => ids('noise > 0.8'), (e: RpcError) => e.code === 'precondition' && /compute the map/.test(e.message));
  });

  it('serves a metadata field as a binary column: categorical or numeric', () => {
    const cam = catalog.metadataColumn('camera');
    assert.equal(cam.kind, 'categorical');
    if (cam.kind === 'categorical') {
      assert.deepEqual(cam.categories, ['A', 'B', 'C']);
      assert.deepEqual([...cam.codes], [0, 1, 0, 2, 1]);
    }
    const iso = catalog.metadataColumn('iso');
    assert.equal(iso.kind, 'numeric');
    if (iso.kind === 'numeric') assert.deepEqual([...iso.values].map((v) => (Number.isNaN(v) ? null : v)), [100, 400, 800, null, 50]);
    assert.throws(() => catalog.metadataColumn('colour'), /no metadata field "colour"/);
  });

  it('never splices values into SQL', () => {
    assert.deepEqual(ids(`label = "x' OR 1=1 --"`), []);
    assert.equal(catalog.overview().total, 5);
  });

  it('filters by the reviewed flag (true / false) and compares fields with each other', () => {
    catalog.db.exec("UPDATE samples SET reviewed = 1 WHERE id = 2; UPDATE samples SET label = 'cat' WHERE id = 1");
    assert.deepEqual(ids('reviewed = true'), [2]);
    assert.deepEqual(ids('reviewed = false'), [1, 3, 4, 5]);
    assert.deepEqual(ids('reviewed = 1 or excluded = true'), [2]);
    assert.deepEqual(ids('label != original_label'), [1]);
    catalog.db.exec('UPDATE samples SET label = NULL WHERE id = 3');
    assert.deepEqual(ids('label != original_label'), [1], 'a missing value on one side never differs');
    catalog.db.exec('UPDATE samples SET label = original_label WHERE id = 3');
    assert.deepEqual(ids('label = original_label'), [2, 3, 4, 5], 'null = null counts as equal');
    assert.deepEqual(ids('label = "original_label"'), []);
    assert.deepEqual(ids('camera = meta.camera and iso > 100'), [2, 3]);
    assert.throws(() => ids('reviewed = maybe'), (e: RpcError) => e.code === 'bad_request' && /true or false/.test(e.message));
    assert.throws(() => ids('label = width'), (e: RpcError) => e.code === 'bad_request' && /cannot compare "label" \(text\) with "width" \(number\)/.test(e.message));
    assert.throws(() => ids('suggested != label'), (e: RpcError) => e.code === 'precondition' && /compute the map/.test(e.message));
    catalog.db.exec("UPDATE samples SET reviewed = 0; UPDATE samples SET label = original_label");
  });
});

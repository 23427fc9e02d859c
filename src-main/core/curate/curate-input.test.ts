import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCurateInput } from './curate-input';
import { mappedShapesProject } from '../../testing/mapped-project';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { VectorRows } from './engine';

test('a curate input reads its vectors when a step asks: all in map order, or only the rows asked; a lost vector is a clear error', async () => {
  const { project } = await mappedShapesProject({ perClass: 8, k: 5 });
  try {
    const { input, ids } = buildCurateInput(project.catalog, project.embeddings, project.maps);
    assert.ok(!(input.vectors instanceof Float32Array), 'nothing read until asked');
    const table = project.embeddings.load(project.embeddings.requireActive().id);
    assert.deepEqual(Array.from(table.ids), Array.from(ids));
    const dim = table.dim;
    const lazy = input.vectors as Exclude<typeof input.vectors, Float32Array>;
    assert.equal(lazy.rows, ids.length);
    // Some rows (a few: looked up; most: kept from one pass), those rows in their order.
    const rows = Int32Array.of(1, 4, ids.length - 1);
    const most = Int32Array.from(ids, (_, i) => i).filter((i) => i !== 2);
    for (const asked of [rows, most]) {
      const some = lazy.read(asked);
      assert.equal(some.length, asked.length * dim);
      asked.forEach((r, t) => assert.deepEqual(some.subarray(t * dim, (t + 1) * dim), table.vectors.subarray(r * dim, (r + 1) * dim)));
    }
    // All rows: the set in map order, and the same array when asked again.
    const all = lazy.read(Int32Array.from(ids, (_, i) => i));
    assert.deepEqual(all, table.vectors);
    assert.equal(lazy.read(Int32Array.from(ids, (_, i) => i)), all);

    // A sample whose vector went since the map was computed: the read says which, and what to do.
    const again = buildCurateInput(project.catalog, project.embeddings, project.maps).input.vectors as typeof lazy;
    project.catalog.db.prepare('UPDATE embeddings SET vector = NULL, error = ? WHERE sample_id = ?').run('gone', ids[4]);
    for (const asked of [rows, most]) {
      assert.throws(() => again.read(asked), (e: unknown) => e instanceof RpcError && e.code === 'precondition' && e.message.includes(`sample ${ids[4]}`) && /compute the map again/.test(e.message));
    }
    assert.throws(() => again.read(Int32Array.from(ids, (_, i) => i)), (e: unknown) => e instanceof RpcError && e.code === 'precondition' && e.message.includes(`sample ${ids[4]}`));
  } finally {
    await project.close();
  }
});

test('rows asked for in advance are read on a thread of their own (from PREFETCH_FROM rows), the same vectors', async () => {
  const { project } = await mappedShapesProject({ perClass: 8, k: 5 });
  try {
    const table = project.embeddings.load(project.embeddings.requireActive().id);
    const dim = table.dim;
    const most = Int32Array.from(table.ids, (_, i) => i).filter((i) => i % 3 !== 0);
    const expect = (got: Float32Array) => most.forEach((r, t) => assert.deepEqual(got.subarray(t * dim, (t + 1) * dim), table.vectors.subarray(r * dim, (r + 1) * dim)));
    // From one row on: the read the engine then makes of those rows is the thread's (shared memory).
    const early = buildCurateInput(project.catalog, project.embeddings, project.maps, { prefetchFrom: 1 }).input.vectors as VectorRows;
    early.prefetch!(most);
    const got = early.read(most);
    assert.ok(got.buffer instanceof SharedArrayBuffer, 'read by the thread');
    expect(got);
    // Below the bound (the default, for this small set): read here when asked.
    const here = buildCurateInput(project.catalog, project.embeddings, project.maps).input.vectors as VectorRows;
    here.prefetch!(most);
    const own = here.read(most);
    assert.ok(!(own.buffer instanceof SharedArrayBuffer), 'read on this thread');
    expect(own);
  } finally {
    await project.close();
  }
});

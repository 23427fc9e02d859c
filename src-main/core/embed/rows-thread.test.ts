import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readRowsOnThread } from './rows-thread';
import { mappedShapesProject } from '../../testing/mapped-project';
import { RpcError } from '../../../src-shared/rpc/errors';

test('vectors read on a thread of their own: the rows asked, a lost one the same clear error, a failed thread leaves the read to the caller', async () => {
  const { project, dir } = await mappedShapesProject({ perClass: 8, k: 5 });
  try {
    const set = project.embeddings.requireActive();
    const table = project.embeddings.load(set.id);
    const n = table.ids.length;
    // A few rows (looked up one by one) and most rows (one pass keeping them): what this thread's own read gives.
    for (const pick of [Int32Array.of(table.ids[1]!, table.ids[3]!, table.ids[n - 1]!), table.ids.filter((_, i) => i !== 2)]) {
      const got = readRowsOnThread(project.catalog.path, set.id, pick, set.dim, 'lost', n).take();
      assert.ok(got && got.buffer instanceof SharedArrayBuffer);
      assert.deepEqual(Array.from(got), Array.from(project.embeddings.rowsOf(set.id, pick, 'lost', n)));
    }

    // A vector gone: the thread's error, with its code, as this thread's read would throw it.
    project.catalog.db.prepare('UPDATE embeddings SET vector = NULL, error = ? WHERE sample_id = ?').run('gone', table.ids[3]);
    const asked = table.ids.filter((_, i) => i !== 2);
    assert.throws(() => readRowsOnThread(project.catalog.path, set.id, asked, set.dim, 'compute the map again', n).take(),
      (e: unknown) => e instanceof RpcError && e.code === 'precondition' && e.message.includes(`sample ${table.ids[3]}`) && e.message.includes('compute the map again'));

    // Any other failure (here: no project at that path) gives null, with a warning: the caller reads the rows itself.
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    assert.equal(readRowsOnThread(join(dir, 'none.winnow'), set.id, asked, set.dim, 'lost', n).take(), null);
    assert.match((await warned).message, /no project file/);
  } finally {
    await project.close();
  }
});

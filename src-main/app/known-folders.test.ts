import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { it } from 'node:test';
import { ProjectSession } from '../core/project-session';
import { tempDir } from '../testing/temp';
import { knownFolders } from './known-folders';

const quiet = { progress: () => {}, finished: () => {} };

it('knows the project folder and the folders its exports wrote to, nothing else', async () => {
  const dir = tempDir();
  const session = ProjectSession.create(join(dir, 'p.winnow'), quiet);
  try {
    assert.deepEqual(knownFolders(null), []);
    assert.deepEqual(knownFolders(session), [dir]);
    session.jobStore.create('e1', 'export', { out: '/data/exports/a' });
    session.jobStore.finish('e1', 'done', null, { out: '/data/exports/a-resolved' });
    session.jobStore.create('e2', 'export', { out: 'relative/b' });
    session.jobStore.create('i1', 'import', { kind: 'folder', path: '/data/images' });
    assert.deepEqual(new Set(knownFolders(session)), new Set([dir, '/data/exports/a', '/data/exports/a-resolved', resolve('relative/b')]));
  } finally {
    await session.close();
  }
});

// Another process writing the same project file: a relabel waits for it (BEGIN IMMEDIATE plus the
// busy timeout) instead of failing at once, and when the file stays locked the page gets a typed
// `busy` error with a human message, not "database is locked". Real file, real second process.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { contract, type Contract, type Events } from '../../../src-shared/contract';
import { createClient } from '../../../src-shared/rpc/client';
import { createMemoryPair } from '../../../src-shared/rpc/memory-transport';
import type { RpcError } from '../../../src-shared/rpc/errors';
import { composeApp } from '../compose';
import { ProjectSession } from '../project-session';
import { tempDir } from '../../testing/temp';
import { Catalog } from './catalog';
import { createProjectDb } from './db';
import { JobStore } from '../jobs/job-store';

/** A second process that takes the write lock, says so, holds it for `ms` (or until killed), then commits. */
function holdWriteLock(path: string, ms: number, begin = 'BEGIN IMMEDIATE'): { child: ChildProcess; locked: Promise<void> } {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec(process.argv[3]);
    db.prepare("UPDATE samples SET split = 'held' WHERE id = 1").run();
    process.stdout.write('locked\\n');
    const ms = Number(process.argv[2]);
    if (ms > 0) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); db.exec('COMMIT'); db.close(); }
    else setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script, path, String(ms), begin], { stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('locked')) resolve(); });
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
  return { child, locked };
}

describe('a project another process is writing to', () => {
  const dir = tempDir();
  const path = join(dir, 'busy.winnow');
  const db = createProjectDb(path);
  const catalog = new Catalog(db, path);
  const ds = catalog.findOrCreateDataset('folder', '/data', 'data');
  catalog.insertSamples(ds, [1, 2, 3].map((i) => ({ relPath: `${i}.png`, source: 'file' as const, width: 1, height: 1, channels: 1, contentHash: `h${i}`, label: 'cat', split: null, metadata: {} })));
  db.close();

  const { core, dispatcher } = composeApp({ transport: 'memory' });
  const [server, clientSide] = createMemoryPair();
  dispatcher.attach(server);
  const api = createClient<Contract, Events>(contract, clientSide);
  const children: ChildProcess[] = [];
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await core.closeProject();
  });

  it('relabels once the other writer commits, and keeps both changes', async () => {
    await api.call('project.open', { path });
    const { child, locked } = holdWriteLock(path, 1500);
    children.push(child);
    await locked;
    // Before BEGIN IMMEDIATE this failed at once with SQLITE_BUSY: the read inside the
    // deferred transaction could not be upgraded to a write.
    const res = await api.call('labels.set', { ids: [1, 2], label: 'dog' });
    assert.equal(res.changed.ids.length, 2);
    await once(child, 'exit');
    const rows = core.project.catalog.db.prepare('SELECT id, label, split FROM samples ORDER BY id').all();
    assert.deepEqual(rows, [{ id: 1, label: 'dog', split: 'held' }, { id: 2, label: 'dog', split: null }, { id: 3, label: 'cat', split: null }]);
  });

  it('says plainly that the project is busy when the other writer does not let go', async () => {
    const { child, locked } = holdWriteLock(path, 0);
    children.push(child);
    await locked;
    core.project.catalog.db.pragma('busy_timeout = 300'); // the default waits 5 s; the outcome is the same
    await assert.rejects(api.call('labels.set', { ids: [3], label: 'bird' }),
      (e: RpcError) => e.code === 'busy' && /busy: another program/.test(e.message) && !/SQLITE|database is locked/.test(e.message));
    child.kill('SIGKILL');
    await once(child, 'exit');
    core.project.catalog.db.pragma('busy_timeout = 5000');
    const res = await api.call('labels.set', { ids: [3], label: 'bird' });
    assert.equal(res.changed.ids.length, 1);
  });

  it("a job's progress row does not wait for another writer", async () => {
    // The scoring thread holds the write lock for seconds at a million samples: these writes
    // waited for it on the core's thread (and a progress row failed as busy after 5 s).
    const jobs = new JobStore(core.project.catalog.db);
    jobs.create('busy-job', 'map', {});
    const { child, locked } = holdWriteLock(path, 0);
    children.push(child);
    await locked;
    const row = () => core.project.catalog.db.prepare('SELECT done, message FROM jobs WHERE id = ?').get('busy-job');
    jobs.progress('busy-job', 1, 4, 'a quarter');
    assert.deepEqual(row(), { done: 0, message: null }, 'skipped while the lock is held');
    assert.equal(core.project.catalog.db.pragma('busy_timeout', { simple: true }), 5000, 'the wait is back for other writes');
    child.kill('SIGKILL');
    await once(child, 'exit');
    jobs.progress('busy-job', 2, 4, 'half');
    assert.deepEqual(row(), { done: 2, message: 'half' });
  });

  it('a read-only command on a project another program has locked says so plainly', async () => {
    // A closed project is in rollback-journal mode; another program's EXCLUSIVE lock then blocks
    // even readers (in WAL mode readers are never blocked, so that case cannot arise there).
    const closed = join(dir, 'closed.winnow');
    await ProjectSession.create(closed, { progress: () => {}, finished: () => {} }).close();
    const { child, locked } = holdWriteLock(closed, 0, 'BEGIN EXCLUSIVE');
    children.push(child);
    await locked;
    const cli = fileURLToPath(new URL('../../../bin/winnow.mjs', import.meta.url));
    const res = spawnSync(process.execPath, [cli, 'info', '--project', closed], { encoding: 'utf8' });
    child.kill('SIGKILL');
    assert.notEqual(res.status, 0);
    assert.match(res.stderr, /the project file is busy: another program/);
    assert.ok(!/SQLITE|database is locked/.test(res.stderr), res.stderr);
  });
});

// The owner lease on real project files; "other processes" are other pids given to acquire
// (the two-process behaviour with real processes is in project-owner.test.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RpcError } from '../../../src-shared/rpc/errors';
import { tempDir } from '../../testing/temp';
import { createProjectDb, openProjectDb } from './db';
import { ProjectLease, processIsAlive, STALE_MS } from './project-lease';

const alive = () => true;
const dead = () => false;

describe('owner lease', () => {
  const dir = tempDir();
  let n = 0;
  const fresh = () => {
    const path = join(dir, `p${n++}.winnow`);
    createProjectDb(path).close();
    return { path, a: openProjectDb(path), b: openProjectDb(path) };
  };

  it('lets one process own a project and tells the next one who does', () => {
    const { a, b } = fresh();
    const lease = ProjectLease.acquire(a, { pid: 1001, host: 'h', isAlive: alive });
    assert.throws(() => ProjectLease.acquire(b, { pid: 1002, host: 'h', isAlive: alive }),
      (e: RpcError) => e.code === 'in_use' && /open in another Winnow \(pid 1001\)/.test(e.message));
    assert.deepEqual({ ...ProjectLease.holder(b), heartbeatAt: 0 }, { pid: 1001, host: 'h', heartbeatAt: 0 });
    lease.release();
    assert.equal(ProjectLease.holder(b), null);
    ProjectLease.acquire(b, { pid: 1002, host: 'h', isAlive: alive }).release();
    a.close(); b.close();
  });

  it('names the other host when the owner runs elsewhere', () => {
    const { a, b } = fresh();
    const lease = ProjectLease.acquire(a, { pid: 7, host: 'workstation', isAlive: alive });
    assert.throws(() => ProjectLease.acquire(b, { pid: 7, host: 'laptop', isAlive: dead }), (e: RpcError) => e.code === 'in_use' && /pid 7 on workstation/.test(e.message));
    lease.release();
    a.close(); b.close();
  });

  it('takes over a lease whose process died, and the old owner learns it lost it', () => {
    const { a, b } = fresh();
    let lost = 0;
    const old = ProjectLease.acquire(a, { pid: 2001, host: 'h', isAlive: alive, onLost: () => lost++ });
    const next = ProjectLease.acquire(b, { pid: 2002, host: 'h', isAlive: (pid) => pid !== 2001 });
    assert.equal(ProjectLease.holder(a)?.pid, 2002);
    assert.equal(old.heartbeat(), false);
    assert.equal(lost, 1);
    assert.equal(old.isHeld, false);
    old.release(); // a lost lease is not ours to delete
    assert.equal(ProjectLease.holder(a)?.pid, 2002);
    assert.equal(next.heartbeat(), true);
    next.release();
    a.close(); b.close();
  });

  it('takes over a lease whose heartbeat stopped long ago, even if the pid exists (pid reuse, other host)', () => {
    const { a, b } = fresh();
    let t = 1_000_000;
    const now = () => t;
    ProjectLease.acquire(a, { pid: 3001, host: 'far', isAlive: alive, now });
    t += STALE_MS - 1;
    assert.throws(() => ProjectLease.acquire(b, { pid: 3002, host: 'h', isAlive: alive, now }), (e: RpcError) => e.code === 'in_use');
    t += 2;
    ProjectLease.acquire(b, { pid: 3002, host: 'h', isAlive: alive, now }).release();
    a.close(); b.close();
  });

  it('a heartbeat keeps the lease fresh', () => {
    const { a, b } = fresh();
    let t = 5_000_000;
    const now = () => t;
    const lease = ProjectLease.acquire(a, { pid: 4001, host: 'far', isAlive: alive, now });
    t += STALE_MS - 10;
    assert.equal(lease.heartbeat(), true);
    t += STALE_MS - 10;
    assert.throws(() => ProjectLease.acquire(b, { pid: 4002, host: 'h', isAlive: alive, now }), (e: RpcError) => e.code === 'in_use');
    lease.release();
    a.close(); b.close();
  });

  it('the same process may reopen a project it owns', () => {
    const { a, b } = fresh();
    ProjectLease.acquire(a, { pid: 5001, host: 'h', isAlive: alive });
    ProjectLease.acquire(b, { pid: 5001, host: 'h', isAlive: alive }).release();
    a.close(); b.close();
  });

  it('reads the lease from a read-only connection, and knows files from before leases', () => {
    const { path, a, b } = fresh();
    const ro = openProjectDb(path, { readOnly: true });
    assert.equal(ProjectLease.holder(ro), null);
    const lease = ProjectLease.acquire(a, { pid: 6001, host: 'h', isAlive: alive });
    assert.equal(ProjectLease.holder(ro)?.pid, 6001);
    assert.throws(() => ProjectLease.acquire(ro, { pid: 6002, host: 'h', isAlive: dead }), (e: { code?: string }) => /^SQLITE_READONLY/.test(e.code ?? ''));
    lease.release();
    ro.close(); a.close(); b.close();
  });

  it('checks processes by signal 0', () => {
    assert.equal(processIsAlive(process.pid), true);
    assert.equal(processIsAlive(2 ** 22 + 12345), false);
  });
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { RpcError } from '../../../src-shared/rpc/errors';
import { tempDir } from '../../testing/temp';
import { createProjectDb, openProjectDb } from './db';
import { MIGRATIONS } from './migrations';

describe('project files', () => {
  const dir = tempDir();

  it('creates a WAL database at the current schema and reopens it', () => {
    const path = join(dir, 'a.winnow');
    const db = createProjectDb(path);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    db.close();
    const again = openProjectDb(path);
    assert.equal(again.pragma('integrity_check', { simple: true }), 'ok');
    again.close();
  });

  it('refuses to create over an existing file', () => {
    const path = join(dir, 'exists.winnow');
    writeFileSync(path, 'keep me');
    assert.throws(() => createProjectDb(path), (e: RpcError) => e.code === 'conflict');
  });

  it('refuses a file that is not a database, without touching it', () => {
    const path = join(dir, 'text.winnow');
    writeFileSync(path, 'hello, this is not sqlite at all');
    assert.throws(() => openProjectDb(path), (e: RpcError) => e.code === 'not_a_project' && /not an SQLite database/.test(e.message));
  });

  it('refuses another application\'s SQLite database', () => {
    const path = join(dir, 'other.sqlite');
    const other = new Database(path);
    other.exec('CREATE TABLE t (x)');
    other.close();
    assert.throws(() => openProjectDb(path), (e: RpcError) => e.code === 'not_a_project' && /not a Winnow project/.test(e.message));
  });

  it('refuses a project written by a newer schema', () => {
    const path = join(dir, 'future.winnow');
    const db = createProjectDb(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    assert.throws(() => openProjectDb(path), (e: RpcError) => e.code === 'not_a_project' && /newer Winnow/.test(e.message));
  });

  it('reports a missing file as not_found', () => {
    assert.throws(() => openProjectDb(join(dir, 'missing.winnow')), (e: RpcError) => e.code === 'not_found');
  });
});

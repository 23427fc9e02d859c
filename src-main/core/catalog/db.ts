// Opening a project file: WAL mode, our application id, and migrations. Anything that is not
// a Winnow database is refused with `not_a_project` before a single byte is written to it.
import Database from 'better-sqlite3';
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { RpcError } from '../../../src-shared/rpc/errors';
import { MIGRATIONS } from './migrations';

/** 'WNOW' — lets us tell our files from any other SQLite database. */
export const APPLICATION_ID = 0x574e4f57;
const SQLITE_MAGIC = 'SQLite format 3\0';

export type Db = Database.Database;

export function createProjectDb(path: string): Db {
  if (existsSync(path) && statSync(path).size > 0) throw new RpcError('conflict', `a file already exists at ${path}; open it instead`);
  const db = new Database(path);
  configure(db);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  migrate(db);
  return db;
}

export function openProjectDb(path: string): Db {
  if (!existsSync(path)) throw new RpcError('not_found', `no project file at ${path}`);
  if (statSync(path).isDirectory()) throw new RpcError('not_a_project', `${path} is a folder, not a Winnow project file`);
  if (!hasSqliteHeader(path)) throw new RpcError('not_a_project', `${path} is not a Winnow project (not an SQLite database)`);
  const db = new Database(path, { fileMustExist: true });
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID) throw new RpcError('not_a_project', `${path} is an SQLite database but not a Winnow project`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) throw new RpcError('not_a_project', `${path} was written by a newer Winnow (schema ${version}); update Winnow to open it`);
    configure(db);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function hasSqliteHeader(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 16 && buf.toString('latin1') === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

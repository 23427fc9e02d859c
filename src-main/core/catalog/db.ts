// Opening a project file: WAL mode, our application id, and migrations. Anything that is not
// a Winnow database is refused with `not_a_project` before a single byte is written to it.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { RpcError } from '../../../src-shared/rpc/errors';
import { MIGRATIONS } from './migrations';
import { isBusy, toProjectError } from './sqlite-errors';

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

export interface OpenOptions {
  /**
   * Opens without writing a byte: no WAL switch, no migrations, every write refused by SQLite
   * (mapped to `read_only`). For commands that only read, and for a project another process owns.
   */
  readOnly?: boolean;
}

export function openProjectDb(path: string, opts: OpenOptions = {}): Db {
  if (!existsSync(path)) throw new RpcError('not_found', `no project file at ${path}`);
  if (statSync(path).isDirectory()) throw new RpcError('not_a_project', `${path} is a folder, not a Winnow project file`);
  if (!hasSqliteHeader(path)) throw new RpcError('not_a_project', `${path} is not a Winnow project (not an SQLite database)`);
  // Without this check SQLite opens a write-protected file read-only without a word, and the
  // first write fails with its own raw message.
  if (!opts.readOnly) assertWritable(path);
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: true, readonly: !!opts.readOnly });
  } catch (err) {
    throw toProjectError(err);
  }
  try {
    db.pragma('busy_timeout = 5000');
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID) throw new RpcError('not_a_project', `${path} is an SQLite database but not a Winnow project`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) throw new RpcError('not_a_project', `${path} was written by a newer Winnow (schema ${version}); update Winnow to open it`);
    if (opts.readOnly) {
      if (version < MIGRATIONS.length) throw new RpcError('read_only', `${path} was written by an older Winnow and must be upgraded before it can be read; open it once where it can be written`);
      db.pragma('foreign_keys = ON');
      return db;
    }
    configure(db);
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw toProjectError(err);
  }
}

/** The file and its folder (SQLite writes -wal and -shm files beside it) must be writable. */
function assertWritable(path: string): void {
  for (const [p, what] of [[path, 'the project file'], [dirname(path), 'the folder holding the project']] as const) {
    try {
      accessSync(p, constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new RpcError('read_only', `${path} cannot be changed here: ${what} is ${code === 'EROFS' ? 'on a read-only disk' : 'not writable'}; it can still be opened read-only`);
      }
      throw err;
    }
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

/** How long a write waits for another connection's write lock before it fails as busy. */
const BUSY_TIMEOUT_MS = 5000;

function configure(db: Db): void {
  immediateTransactions(db);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
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

/**
 * Every transaction in Winnow writes, so each takes the write lock at BEGIN (BEGIN IMMEDIATE):
 * it then waits up to busy_timeout for another writer. A plain (deferred) BEGIN reads first and
 * upgrades later, and when another connection committed in between SQLite fails it at once with
 * SQLITE_BUSY, without waiting (a relabel failed in 8 ms that way). Nested calls stay savepoints.
 */
function immediateTransactions(db: Db): void {
  type Tx = Db['transaction'];
  const make: Tx = db.transaction.bind(db);
  const wrapped = <F extends Parameters<Tx>[0]>(fn: F) => {
    const tx = make(fn);
    const run = (...args: Parameters<typeof tx.immediate>) => tx.immediate(...args);
    return Object.assign(run, { default: tx.default, deferred: tx.deferred, immediate: tx.immediate, exclusive: tx.exclusive });
  };
  db.transaction = wrapped as unknown as Tx;
}

/**
 * Runs a bookkeeping write (a job's progress row, the lease's heartbeat) only if the write lock
 * is free now, and says whether it ran. The scoring thread (curate/score-thread.ts) holds the
 * lock for seconds while it stores a million samples' scores: waiting for it here held the
 * core's thread, and every request of the renderer, for as long. The next write catches up.
 */
export function writeIfFree(db: Db, write: () => void): boolean {
  db.pragma('busy_timeout = 0');
  try {
    write();
    return true;
  } catch (err) {
    if (isBusy(err)) return false;
    throw err;
  } finally {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
}

/**
 * Called by the owner as it closes the project: leaves the file in rollback-journal mode, so it
 * can be read where nothing can be written (a read-only share, a folder without write access).
 * In WAL mode even a reader must create a "-shm" file beside the project. The next owner turns
 * WAL back on. If another connection still has the file open the switch is refused, and the
 * file simply stays in WAL mode.
 */
export function settleForReaders(db: Db): void {
  try {
    db.pragma('busy_timeout = 0'); // closing must not wait on a reader
    db.pragma('journal_mode = DELETE');
  } catch {
    // busy: someone is reading; WAL stays, which is just as correct
  }
}

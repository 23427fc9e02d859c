// SQLite's own errors ("database is locked", "attempt to write a readonly database") mean
// nothing to a person curating images. Each one a user can meet becomes a typed contract error
// with a message that says what is wrong and what to do; anything else passes through.
import { RpcError } from '../../../src-shared/rpc/errors';

interface SqliteLike { code: string; message: string }

function sqliteCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as Partial<SqliteLike>).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

export function isBusy(err: unknown): boolean {
  const code = sqliteCode(err);
  return code !== null && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The typed error for a SQLite failure, or the error itself when it is not one we can explain. */
export function toProjectError(err: unknown): unknown {
  const code = sqliteCode(err);
  if (!code) return err;
  if (isBusy(err)) return new RpcError('busy', 'the project file is busy: another program (or another Winnow) is writing to it; try again in a moment');
  if (code === 'SQLITE_READONLY_DIRECTORY') {
    // A project in WAL mode needs a small "-shm" file beside it even to be read.
    return new RpcError('read_only', 'cannot read the project here: its folder is read-only and SQLite needs to create a small "-shm" file beside the project; copy the project to a folder you can write to');
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new RpcError('read_only', code === 'SQLITE_READONLY_DBMOVED'
      ? 'the project file was moved or deleted while open; open it again from its new place'
      : 'this project can only be read here (it is open read-only, or the file or its folder is not writable); nothing was changed');
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) {
    return new RpcError('io', 'cannot open the project file: check that it and its folder exist and that you may read them');
  }
  if (code.startsWith('SQLITE_FULL')) return new RpcError('io', 'the disk holding the project is full; free some space and try again');
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return new RpcError('not_a_project', 'the project file is damaged (SQLite reports it as corrupt)');
  if (code.startsWith('SQLITE_IOERR')) return new RpcError('io', `reading or writing the project file failed (${code})`);
  return err;
}

/** A message for a person: the mapped message for SQLite failures, the error's own otherwise. */
export function describeError(err: unknown): string {
  const e = toProjectError(err);
  return e instanceof Error ? e.message : String(e);
}

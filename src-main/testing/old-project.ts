// A project file as an older Winnow left it: the first `version` schema migrations and nothing
// after, for tests that open it with this build (which migrates it on open). The caller puts its
// rows in and closes it.
import Database from 'better-sqlite3';
import { APPLICATION_ID } from '../core/catalog/db';
import { MIGRATIONS } from '../core/catalog/migrations';

export function projectAtSchema(path: string, version: number): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`application_id = ${APPLICATION_ID}`);
  for (let v = 0; v < version; v++) db.exec(MIGRATIONS[v]!);
  db.pragma(`user_version = ${version}`);
  return db;
}

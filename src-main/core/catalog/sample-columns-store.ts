// The samples as the renderer's columns (ids, label codes, flags). At a million samples reading
// them from the rows costs about a second of CPU, so the last answer is kept as one blob
// (migration 13) and served while it is current. It is current by construction: triggers on the
// samples table drop it on any insert, delete or write to a column it holds (label, original
// label, excluded, reviewed), whichever code path writes, so a stale blob is never served.
import type { SampleColumns } from '../../../src-shared/model/sample';
import { encodeSampleColumns } from '../../../src-shared/model/sample-columns';
import type { Db } from './db';
import { decodeTypedTree, encodeTypedTree } from './typed-blob';

const MAGIC = 'WSCO';
/** Bump when the columns are derived from the rows differently (flags, label order). */
const COLUMNS_VERSION = 1;

export function readSampleColumns(db: Db): SampleColumns {
  const blob = db.prepare('SELECT data FROM sample_columns WHERE id = 1').pluck().get() as Buffer | undefined;
  if (blob) {
    try {
      const kept = decodeTypedTree<{ version: number; columns: SampleColumns }>(MAGIC, blob);
      if (kept.version === COLUMNS_VERSION) return kept.columns;
    } catch { /* unreadable: read the rows again and replace it */ }
  }
  const columns = scanSampleColumns(db);
  // The scan and this write run in one synchronous call on the project's only writing
  // connection, so no write can fall between them; a session that cannot write keeps no blob.
  if (!db.readonly) {
    try {
      db.prepare('INSERT OR REPLACE INTO sample_columns (id, data) VALUES (1, ?)').run(encodeTypedTree(MAGIC, { version: COLUMNS_VERSION, columns }));
    } catch { /* a cache: the answer stands without it (disk full, file locked) */ }
  }
  return columns;
}

/** From the rows: iterated into preallocated arrays (one array per row held at once is 2× the CPU). */
export function scanSampleColumns(db: Db): SampleColumns {
  const count = db.prepare('SELECT COUNT(*) FROM samples').pluck().get() as number;
  const rows = db.prepare('SELECT id, label, excluded | ((label IS NOT original_label) << 1) | (reviewed << 2) FROM samples ORDER BY id').raw().iterate() as IterableIterator<[number, string | null, number]>;
  return encodeSampleColumns(rows, count);
}

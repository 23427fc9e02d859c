// The samples as the renderer's columns (ids, label codes, flags), and the overview's counts
// (per label, per split, per dataset). At a million samples reading them from the rows costs
// about a second of CPU for the columns and three index scans for the counts, so the last
// answers are kept in one row (migration 13) and served while it is current. It is current by
// construction: triggers on the samples table drop it on any insert, delete or write to a column
// it depends on (dataset, label, original label, excluded, reviewed, split), whichever code path
// writes, so a stale answer is never served.
import type { CountEntry } from '../../../src-shared/model/dataset';
import type { SampleColumns } from '../../../src-shared/model/sample';
import { encodeSampleColumns } from '../../../src-shared/model/sample-columns';
import type { Db } from './db';
import { decodeTypedTree, encodeTypedTree } from './typed-blob';

const MAGIC = 'WSCO';
/** Bump when the columns or counts are derived from the rows differently (flags, label order). */
const COLUMNS_VERSION = 1;

export interface SampleCounts {
  byLabel: CountEntry[];
  bySplit: CountEntry[];
  /** [dataset id, samples] for each dataset that has samples */
  byDataset: Array<[number, number]>;
}

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
  // connection, so no write can fall between them; a session that cannot write keeps nothing.
  if (!db.readonly) {
    try {
      const counts = countSamples(db);
      db.prepare('INSERT OR REPLACE INTO sample_columns (id, counts, data) VALUES (1, ?, ?)').run(JSON.stringify({ version: COLUMNS_VERSION, ...counts }), encodeTypedTree(MAGIC, { version: COLUMNS_VERSION, columns }));
    } catch { /* a cache: the answer stands without it (disk full, file locked) */ }
  }
  return columns;
}

/** The kept counts when current; else counted now (not kept: that waits for the next columns read). */
export function readSampleCounts(db: Db): SampleCounts {
  const text = db.prepare('SELECT counts FROM sample_columns WHERE id = 1').pluck().get() as string | undefined;
  if (text) {
    try {
      const kept = JSON.parse(text) as SampleCounts & { version: number };
      if (kept.version === COLUMNS_VERSION) return { byLabel: kept.byLabel, bySplit: kept.bySplit, byDataset: kept.byDataset };
    } catch { /* counted below */ }
  }
  return countSamples(db);
}

export function countSamples(db: Db): SampleCounts {
  const counts = (col: 'label' | 'split') => db.prepare(`SELECT ${col} AS value, COUNT(*) AS count FROM samples GROUP BY ${col} ORDER BY count DESC, value`).all() as CountEntry[];
  const byDataset = db.prepare('SELECT dataset_id, COUNT(*) FROM samples GROUP BY dataset_id ORDER BY dataset_id').raw().all() as Array<[number, number]>;
  return { byLabel: counts('label'), bySplit: counts('split'), byDataset };
}

/** From the rows: iterated into preallocated arrays (one array per row held at once is 2× the CPU). */
export function scanSampleColumns(db: Db): SampleColumns {
  const count = db.prepare('SELECT COUNT(*) FROM samples').pluck().get() as number;
  const rows = db.prepare('SELECT id, label, excluded | ((label IS NOT original_label) << 1) | (reviewed << 2) FROM samples ORDER BY id').raw().iterate() as IterableIterator<[number, string | null, number]>;
  return encodeSampleColumns(rows, count);
}

// The appearance near-duplicate search over a big project's stored signatures: on worker threads
// (what scoring does above 50,000 signatures, core/curate/appearance-pairs.ts) against the
// one-thread search, in the same run, with a check that both find the same groups.
//   npx tsx bench/appearance-search.ts --project /tmp/scale/p1m/scale.winnow [--limit 250000]
// (a project scored once, e.g. by bench/scale-1m.ts, so its signatures are stored).
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { DEFAULT_APPEARANCE_THRESHOLD, findAppearanceDuplicates, SIGNATURE_LENGTH } from '../src-main/core/curate/engine';
import { findAppearanceDuplicatesOnThreads } from '../src-main/core/curate/appearance-pairs';

const { values } = parseArgs({ options: { project: { type: 'string' }, limit: { type: 'string' } } });
if (!values.project) throw new Error('--project FILE: a project whose signatures are stored');
const db = new Database(values.project, { readonly: true });
const limit = Number(values.limit ?? 1e9);
// Packed as the app reads them (appearance-store.ts readPacked): one buffer, a view per sample.
const count = Math.min(limit, db.prepare('SELECT COUNT(*) FROM signatures').pluck().get() as number);
const packed = new Uint8Array(count * SIGNATURE_LENGTH);
const sigs: (Uint8Array | null)[] = [];
for (const [data] of db.prepare('SELECT data FROM signatures ORDER BY sample_id LIMIT ?').raw().iterate(count) as IterableIterator<[Buffer | null]>) {
  const i = sigs.length;
  if (!data || data.length !== SIGNATURE_LENGTH) { sigs.push(null); continue; }
  packed.set(data, i * SIGNATURE_LENGTH);
  sigs.push(packed.subarray(i * SIGNATURE_LENGTH, (i + 1) * SIGNATURE_LENGTH));
}
db.close();
console.log(`${sigs.length.toLocaleString('en-US')} signatures, threshold ${DEFAULT_APPEARANCE_THRESHOLD}`);
let t = performance.now();
const threads = await findAppearanceDuplicatesOnThreads(sigs, DEFAULT_APPEARANCE_THRESHOLD);
const threadMs = performance.now() - t;
t = performance.now();
const one = findAppearanceDuplicates(sigs);
const oneMs = performance.now() - t;
const same = one.groupOf.length === threads.groupOf.length && one.groupOf.every((g, i) => g === threads.groupOf[i]);
console.log(`worker threads ${(threadMs / 1000).toFixed(1)} s, one thread ${(oneMs / 1000).toFixed(1)} s (${(oneMs / threadMs).toFixed(2)}×); ${one.groups.length} groups; same groups: ${same}`);
if (!same) process.exitCode = 1;

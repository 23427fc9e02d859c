// An import's last pass: the looks (near-duplicate signature and appearance tile,
// core/curate/appearance-store.ts) that its decode workers did not make: a demo set's, whose
// pixels are stored rather than decoded, and any lost or stale in the dataset. A look depends
// only on the image, not on the embedding, the map or the labels, so it is made once, while the
// import is what the user waits on; the first scoring then reads it. At a million samples the
// looks were half of that first scoring (82 → 53 s without them, bench/scale-curate.ts), and
// the import of a million files takes far longer than their looks (bench/scale-1m.ts).
// A project imported before this, or a new signature version, still gets its looks at the first
// scoring (ensureAppearance computes whatever is missing or stale).
import type { Catalog } from '../catalog/catalog';
import { ensureAppearance } from '../curate/appearance-store';
import type { JobContext } from '../jobs/job-manager';

/** The pass's progress message; the bar beside it carries the counts. */
export const LOOKS_MESSAGE = 'looks of the images';

/**
 * Makes the looks of the dataset's samples current (only new or changed images are computed),
 * reported as a second pass over the images (done / total are its looks), so the job's counts
 * stay images. Returns how many it computed.
 */
export async function importLooks(catalog: Catalog, datasetId: number, ctx: JobContext): Promise<number> {
  const ids = Int32Array.from(catalog.db.prepare('SELECT id FROM samples WHERE dataset_id = ? ORDER BY id').pluck().all(datasetId) as number[]);
  const progress = (done: number, count: number) => ctx.progress(done, count, LOOKS_MESSAGE);
  return (await ensureAppearance(catalog, ids, { signal: ctx.signal, progress })).computed;
}

// An import's failures live in the import_problems table (one row per file, kept across a
// restart), not in the job's result: a million bad rows would otherwise make every jobs.list
// read megabytes. The summary carries the count and the first few; the rest are paged by path.
import { SUMMARY_FAILURES, type ImportFailuresPage, type ImportProblem } from '../../../src-shared/model/import';
import type { Catalog } from '../catalog/catalog';

export function failureCount(catalog: Catalog, jobId: string): number {
  return catalog.db.prepare('SELECT COUNT(*) FROM import_problems WHERE job_id = ?').pluck().get(jobId) as number;
}

/** One page in path order; `after` is the last path of the previous page (keyset paging, no OFFSET scan). */
export function failurePage(catalog: Catalog, jobId: string, opts: { after?: string | null; limit?: number } = {}): ImportFailuresPage {
  const limit = Math.max(1, Math.min(opts.limit ?? 1000, 10_000));
  const items = (opts.after === undefined || opts.after === null
    ? catalog.db.prepare('SELECT path, reason FROM import_problems WHERE job_id = ? ORDER BY path LIMIT ?').all(jobId, limit + 1)
    : catalog.db.prepare('SELECT path, reason FROM import_problems WHERE job_id = ? AND path > ? ORDER BY path LIMIT ?').all(jobId, opts.after, limit + 1)) as ImportProblem[];
  const more = items.length > limit;
  if (more) items.pop();
  return { jobId, total: failureCount(catalog, jobId), items, next: more ? items[items.length - 1]!.path : null };
}

/** Every failure of a job, a page at a time (for --failures-out). */
export function* allFailures(catalog: Catalog, jobId: string): Generator<ImportProblem> {
  let after: string | null = null;
  for (;;) {
    const page = failurePage(catalog, jobId, { after, limit: 5000 });
    yield* page.items;
    if (!page.next) return;
    after = page.next;
  }
}

export function summaryFailures(catalog: Catalog, jobId: string): { failedCount: number; failed: ImportProblem[] } {
  const page = failurePage(catalog, jobId, { limit: SUMMARY_FAILURES });
  return { failedCount: page.total, failed: page.items };
}

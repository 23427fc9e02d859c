// The folders `app.showFolder` may open: the open project's folder and every folder this project
// exported to (read back from its export jobs). Anything else the page names is refused.
import { dirname, resolve } from 'node:path';
import type { ProjectSession } from '../core/project-session';

const MAX_EXPORTS = 500;

export function knownFolders(session: ProjectSession | null): string[] {
  if (!session) return [];
  const rows = session.catalog.db
    .prepare(`SELECT json_extract(params, '$.out') AS asked, json_extract(result, '$.out') AS wrote FROM jobs WHERE kind = 'export' ORDER BY created_at DESC LIMIT ?`)
    .all(MAX_EXPORTS) as Array<{ asked: unknown; wrote: unknown }>;
  const folders = new Set([dirname(session.catalog.path)]);
  for (const r of rows) {
    for (const p of [r.asked, r.wrote]) if (typeof p === 'string' && p) folders.add(resolve(p));
  }
  return [...folders];
}

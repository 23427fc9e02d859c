// The folders `app.showFolder` may open: the open project's folder and every folder this project
// exported to (read back from its export jobs). Anything else the page names is refused.
import { dirname, resolve } from 'node:path';
import type { ProjectSession } from '../core/project-session';

const MAX_EXPORTS = 500;

export function knownFolders(session: ProjectSession | null): string[] {
  if (!session) return [];
  const folders = new Set([dirname(session.catalog.path), ...session.jobStore.exportFolders(MAX_EXPORTS).map((p) => resolve(p))]);
  return [...folders];
}

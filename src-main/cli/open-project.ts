import { existsSync } from 'node:fs';
import { RpcError } from '../../src-shared/rpc/errors';
import { ProjectSession } from '../core/project-session';
import type { JobEvents } from '../core/jobs/job-manager';
import { CliError } from './output';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

/**
 * `access: 'read'` is for commands that only read the project (info, export, similar, vectors):
 * when the project is owned by another Winnow, not writable, or busy, they open it read-only
 * instead of failing, and say so on stderr. Every other command needs the owner lease.
 */
export function openProject(path: string | undefined, opts: { create?: boolean; events?: JobEvents; access?: 'read' | 'write' } = {}): ProjectSession {
  if (!path) throw new CliError('--project FILE is required');
  const events = opts.events ?? quiet;
  if (!existsSync(path)) {
    if (!opts.create) throw new CliError(`no project file at ${path}`);
    return ProjectSession.create(path, events);
  }
  try {
    return ProjectSession.open(path, events);
  } catch (err) {
    if (opts.access !== 'read' || !(err instanceof RpcError) || !['in_use', 'read_only', 'busy'].includes(err.code)) throw err;
    process.stderr.write(`winnow: reading the project read-only: ${err.message}\n`);
    return ProjectSession.open(path, events, undefined, { readOnly: true });
  }
}

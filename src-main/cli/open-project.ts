import { existsSync } from 'node:fs';
import { ProjectSession } from '../core/project-session';
import type { JobEvents } from '../core/jobs/job-manager';
import { CliError } from './output';

const quiet: JobEvents = { progress: () => {}, finished: () => {} };

export function openProject(path: string | undefined, opts: { create?: boolean; events?: JobEvents } = {}): ProjectSession {
  if (!path) throw new CliError('--project FILE is required');
  const events = opts.events ?? quiet;
  if (!existsSync(path)) {
    if (!opts.create) throw new CliError(`no project file at ${path}`);
    return ProjectSession.create(path, events);
  }
  return ProjectSession.open(path, events);
}

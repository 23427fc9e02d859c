// Runs one background job to the end for a CLI command: progress on stderr, Ctrl+C cancels
// (the job's finished batches stay in the project, so the same command resumes).
import type { JobInfo } from '../../src-shared/model/job';
import type { ProjectSession } from '../core/project-session';
import { CliError } from './output';

export async function runJobToEnd(project: ProjectSession, jobId: string, what: string): Promise<JobInfo> {
  const cancel = () => project.jobs.cancel(jobId);
  process.once('SIGINT', cancel);
  const job = await project.jobs.wait(jobId);
  process.off('SIGINT', cancel);
  if (job.state === 'cancelled') { await project.close(); throw new CliError(`${what} cancelled; run the same command again to resume`, 130); }
  if (job.state !== 'done') { await project.close(); throw new CliError(`${what} failed: ${job.error ?? job.state}`); }
  return job;
}

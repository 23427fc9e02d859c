// Runs one background job to the end for a CLI command: progress on stderr, Ctrl+C cancels
// (the job's finished batches stay in the project, so the same command resumes).
import type { JobResult } from '../../src-shared/contract/job-map';
import type { JobKind } from '../../src-shared/model/job';
import type { ProjectSession } from '../core/project-session';
import { CliError } from './output';

export async function runJobToEnd<K extends JobKind>(project: ProjectSession, kind: K, jobId: string, what: string = kind): Promise<JobResult<K>> {
  const cancel = () => project.jobs.cancel(jobId);
  process.once('SIGINT', cancel);
  const job = await project.jobs.wait(jobId);
  process.off('SIGINT', cancel);
  if (job.state === 'cancelled') { await project.close(); throw new CliError(`${what} cancelled; run the same command again to resume`, 130); }
  if (job.state !== 'done') { await project.close(); throw new CliError(`${what} failed: ${job.error ?? job.state}`); }
  if (job.kind !== kind) throw new Error(`job ${jobId} is a ${job.kind} job, not ${kind}`);
  // The row's result was written by this kind's runner, whose return type is JobResult<K>.
  return job.result as JobResult<K>;
}

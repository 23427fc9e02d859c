import type { jobsContract } from '../../../src-shared/contract/jobs';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import type { WinnowCore } from '../winnow-core';

export function jobsHandlers(core: WinnowCore): Handlers<typeof jobsContract> {
  return {
    'jobs.list': ({ limit }) => core.project.jobStore.list(limit),
    'jobs.get': ({ jobId }) => core.project.jobStore.get(jobId),
    'jobs.cancel': ({ jobId }) => ({ cancelled: core.project.jobs.cancel(jobId) }),
    'jobs.resume': ({ jobId }) => ({ jobId: core.project.jobs.resume(jobId) }),
  };
}

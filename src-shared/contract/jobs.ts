import { z } from 'zod';
import { method } from './define';
import type { JobInfo } from '../model/job';

const jobId = z.string().min(1).max(100);

export const jobsContract = {
  'jobs.list': method(z.object({ limit: z.number().int().positive().max(1000).optional() })).returns<JobInfo[]>(),
  'jobs.get': method(z.object({ jobId })).returns<JobInfo>(),
  'jobs.cancel': method(z.object({ jobId })).returns<{ cancelled: boolean }>(),
  'jobs.resume': method(z.object({ jobId })).returns<{ jobId: string }>(),
};

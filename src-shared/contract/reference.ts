// Reference sets (issue 18): a validation set picked toward a folder of deployment images, and a
// representativeness report for any slice. Both embed the reference folder, so both are jobs.
import { z } from 'zod';
import { method } from './define';

const seed = z.number().int('the seed must be a whole number').min(0, 'the seed must be ≥ 0').max(2 ** 31 - 1).optional();
const referenceDir = z.string().trim().min(1, 'a reference folder is needed');
/** Optional: the model the caller believes the project uses; refused when it is not the project's. */
const model = z.string().min(1).max(4096).optional();

export const validationSetParams = z.object({
  reference: referenceDir,
  n: z.number({ error: 'N must be a whole number ≥ 1' }).int('N must be a whole number ≥ 1').min(1, 'N must be a whole number ≥ 1'),
  name: z.string().trim().min(1, 'a slice needs a name').max(200),
  seed,
  method: z.enum(['herding', 'quotas']).optional(),
  /** 'reference' (default): picks per class follow the reference's class mix; 'none': no class quotas. */
  classBalance: z.enum(['reference', 'none']).optional(),
  model,
});

export const sliceReportParams = z.object({
  slice: z.string().min(1, 'a slice is needed').max(300),
  reference: referenceDir.optional(),
  seed,
  model,
});

export const referenceContract = {
  'reference.validationSet': method(validationSetParams).returns<{ jobId: string }>(),
  'reference.report': method(sliceReportParams).returns<{ jobId: string }>(),
};

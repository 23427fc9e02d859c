// Reference sets (issue 18): a validation set picked toward a folder of deployment images, and a
// representativeness report for any slice. Both embed the reference folder, so both are jobs.
import { z } from 'zod';
import { method } from './define';

const seed = z.number().int('the seed must be a whole number').min(0, 'the seed must be ≥ 0').max(2 ** 31 - 1).optional();
const referenceDir = z.string().trim().min(1, 'a reference folder is needed');
/** Optional: the model the caller believes the project uses; refused when it is not the project's. */
const model = z.string().min(1).max(4096).optional();

/** A metadata distribution as the target: a field and each value's share (normalised; e.g. {A: 0.7, B: 0.3}). */
export const metadataTarget = z.object({
  field: z.string().min(1, 'a metadata field is needed').max(200),
  shares: z.record(z.string().max(500), z.number({ error: 'a share must be a number ≥ 0' }).min(0, 'a share must be a number ≥ 0').refine(Number.isFinite, 'a share must be a finite number'))
    .refine((s) => Object.values(s).some((v) => v > 0), 'give at least one value a share above 0'),
});

export const validationSetParams = z.object({
  /** A folder of reference images; or `match`, a metadata distribution (exactly one of the two). */
  reference: referenceDir.optional(),
  match: metadataTarget.optional(),
  n: z.number({ error: 'N must be a whole number ≥ 1' }).int('N must be a whole number ≥ 1').min(1, 'N must be a whole number ≥ 1'),
  name: z.string().trim().min(1, 'a slice needs a name').max(200),
  seed,
  method: z.enum(['herding', 'quotas']).optional(),
  /** 'reference' (default): picks per class follow the reference's class mix; 'none': no class quotas. */
  classBalance: z.enum(['reference', 'none']).optional(),
  model,
}).refine((p) => (p.reference === undefined) !== (p.match === undefined), { message: 'give either a reference folder or a metadata distribution to match, not both', path: ['reference'] });

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

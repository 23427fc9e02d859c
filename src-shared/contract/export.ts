import { z } from 'zod';
import { method } from './define';

export const exportSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('slice'), ref: z.string().min(1).max(300) }),
  z.object({ kind: z.literal('query'), query: z.string().max(10_000) }),
  z.object({ kind: z.literal('selection'), ids: z.array(z.number().int().nonnegative()).min(1, 'the selection is empty').max(2_000_000) }),
  z.object({ kind: z.literal('all') }),
]);

const splitRatio = 'the split must be a fraction between 0 and 1 (the share that goes to train)';

export const exportParams = z.object({
  source: exportSourceSchema,
  out: z.string().min(1, 'choose a destination folder').max(4096),
  layout: z.enum(['imagefolder', 'flat']).default('imagefolder'),
  split: z.object({
    ratio: z.number({ error: splitRatio }).gt(0, splitRatio).lt(1, splitRatio),
    seed: z.number({ error: 'the split seed must be a non-negative integer' }).int('the split seed must be a non-negative integer').min(0, 'the split seed must be a non-negative integer'),
  }).optional(),
  mode: z.enum(['new', 'merge', 'replace']).default('new'),
  link: z.enum(['copy', 'hardlink']).default('copy'),
});
export type ExportParams = z.infer<typeof exportParams>;

export const exportContract = {
  'export.start': method(exportParams).returns<{ jobId: string }>(),
};

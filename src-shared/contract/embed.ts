import { z } from 'zod';
import { method, wholeNumber } from './define';
import type { Device, EmbeddingSetSummary } from '../model/embedding';
import type { SimilarHit } from '../model/similar';

export const devices = z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml']) satisfies z.ZodType<Device>;

export const embedParams = z.object({
  model: z.string().min(1).max(4096).optional(),
  spec: z.string().min(1).max(4096).optional(),
  device: devices.optional(),
  batch: wholeNumber(1, 1024, 'the batch must be an integer from 1 to 1024').optional(),
});

export const similarQuery = z.object({
  id: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'the id must be a sample id (a whole number ≥ 0)').optional(),
  imagePath: z.string().min(1).max(4096).optional(),
  k: wholeNumber(1, 1000, 'k must be an integer from 1 to 1000').optional(),
}).refine((a) => (a.id === undefined) !== (a.imagePath === undefined), 'give either id or imagePath');

export const embedContract = {
  'embed.start': method(embedParams).returns<{ jobId: string }>(),
  'embed.status': method(z.object({})).returns<{ sets: EmbeddingSetSummary[]; activeSetId: number | null; samples: number }>(),
  'similar.query': method(similarQuery).returns<{ setId: number; hits: SimilarHit[] }>(),
};

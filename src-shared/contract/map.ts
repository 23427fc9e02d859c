import { z } from 'zod';
import { method, wholeNumber } from './define';
import type { MapData } from '../model/map';

export const mapParams = z.object({
  k: wholeNumber(2, 200, 'k must be an integer from 2 to 200').optional(),
  seed: wholeNumber(0, 2 ** 31 - 1, 'the seed must be an integer from 0 to 2^31 - 1').optional(),
  /** Lay everything out again even when only new samples were added. */
  full: z.boolean().optional(),
  /**
   * Lay out at most this many samples and place the rest by their nearest laid-out neighbours
   * (scores and curation still use every sample's neighbours); 0 lays out every sample.
   * Default: 200,000 when there are more than 300,000 samples, else all.
   */
  layoutSample: wholeNumber(0, 1_000_000_000, 'the layout sample must be 0 (lay out every sample) or a whole number of samples, at least 1,000')
    .refine((v) => v === 0 || v >= 1000, 'the layout sample must be 0 (lay out every sample) or a whole number of samples, at least 1,000')
    .optional(),
});

export const mapContract = {
  'map.start': method(mapParams).returns<{ jobId: string }>(),
  'map.get': method(z.object({}), { timeoutMs: 120_000 }).returns<MapData | null>(),
};

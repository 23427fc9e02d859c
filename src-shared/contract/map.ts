import { z } from 'zod';
import { method, wholeNumber } from './define';
import type { MapData } from '../model/map';

export const mapParams = z.object({
  k: wholeNumber(2, 200, 'k must be an integer from 2 to 200').optional(),
  seed: wholeNumber(0, 2 ** 31 - 1, 'the seed must be an integer from 0 to 2^31 - 1').optional(),
  /** Lay everything out again even when only new samples were added. */
  full: z.boolean().optional(),
});

export const mapContract = {
  'map.start': method(mapParams).returns<{ jobId: string }>(),
  'map.get': method(z.object({}), { timeoutMs: 120_000 }).returns<MapData | null>(),
};

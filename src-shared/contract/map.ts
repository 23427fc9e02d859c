import { z } from 'zod';
import { method } from './define';
import type { MapData } from '../model/map';

export const mapContract = {
  'map.start': method(z.object({
    k: z.number().int().min(2).max(200).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    full: z.boolean().optional(),
  })).returns<{ jobId: string }>(),
  'map.get': method(z.object({}), { timeoutMs: 120_000 }).returns<MapData | null>(),
};

import { z } from 'zod';
import { method } from './define';
import type { SliceInfo, SliceMember } from '../model/slice';

const weight = z.number({ error: 'must be a number ≥ 0' }).min(0, 'must be a number ≥ 0').refine(Number.isFinite, 'must be a number ≥ 0');

export const curateParams = z.object({
  mode: z.enum(['representative', 'edge-cases', 'mislabeled', 'custom']),
  n: z.number().int('N must be a whole number').min(1, 'N must be at least 1'),
  name: z.string().trim().min(1, 'a slice needs a name').max(200),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  by: z.string().min(1).max(200).optional(),
  weights: z.object({ sparseness: weight.optional(), noise: weight.optional(), class: weight.optional(), feature: weight.optional() }).optional(),
  clusters: z.number().int().min(2).max(10_000).optional(),
  excludeMislabeled: z.boolean().optional(),
  /** edge-cases: which edges, rare for their class (near another), ambiguous between classes, or either (default). */
  edges: z.enum(['both', 'rare', 'ambiguous'], { error: 'must be rare, ambiguous or both' }).optional(),
  classBalance: z.enum(['uniform', 'proportional', 'none']).optional(),
  /** representative: weight of the 16×16 appearance tile beside the embedding (0 = embedding alone). */
  appearanceWeight: z.number().min(0, 'the appearance weight must be ≥ 0').max(100).refine(Number.isFinite, 'the appearance weight must be a finite number').optional(),
});

export interface ScoreColumns {
  mapId: number;
  ids: Int32Array;
  sparseness: Float32Array;
  noise: Float32Array;
  dupGroup: Int32Array;
  /** 1 − the imported model's probability of the sample's label; NaN without a prediction. */
  modelDisagrees: Float32Array;
}

export const predictionsImportParams = z.object({
  /** CSV or JSON of per-class probabilities, or top-1 label + confidence, per sample path. */
  file: z.string().min(1, 'a predictions file is needed'),
  /** Import even when some labelled samples have no prediction. */
  partial: z.boolean().optional(),
});

export interface PredictionsImportResult {
  file: string;
  rows: number;
  classes: string[];
  kind: 'probabilities' | 'top-1';
  /** Labelled samples without a prediction (0 unless partial). */
  missing: number;
  /** Whether the newest map's scores were recomputed with them (false before the first map). */
  rescored: boolean;
}

export const curateContract = {
  'curate.run': method(curateParams).returns<{ jobId: string }>(),
  'predictions.import': method(predictionsImportParams, { timeoutMs: 120_000 }).returns<PredictionsImportResult>(),
  'scores.get': method(z.object({}), { timeoutMs: 120_000 }).returns<ScoreColumns | null>(),
  'slices.list': method(z.object({})).returns<SliceInfo[]>(),
  'slices.members': method(z.object({ ref: z.string().min(1).max(300) })).returns<{ slice: SliceInfo; members: SliceMember[] }>(),
};

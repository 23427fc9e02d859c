import { z } from 'zod';
import { method } from './define';
import type { EditResult } from '../model/edit';
import { REVIEW_ORDERS, type ReviewOrder, type ReviewSummary, type SampleEvidence } from '../model/review';

const sampleId = z.number().int().nonnegative();
const sliceRef = z.string().min(1).max(300);
const order = z.enum(REVIEW_ORDERS as [ReviewOrder, ...ReviewOrder[]]);

export const reviewDecision = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accept') }),
  z.object({ kind: z.literal('label'), label: z.string().max(2000) }),
  z.object({ kind: z.literal('keep') }),
  z.object({ kind: z.literal('exclude') }),
]);

/** A queue is a slice (by ref) or, without one, the ids the renderer sends (its selection). */
const queueSource = z.object({
  slice: sliceRef.optional(),
  ids: z.union([z.instanceof(Int32Array), z.array(sampleId).max(10_000_000).transform((a) => Int32Array.from(a))]).optional(),
});

export interface ReviewQueueResult {
  /** The queue's sample ids in the chosen order. */
  ids: Int32Array;
  order: ReviewOrder;
  /** Where the reviewer stopped last time on this queue (index into ids), 0 the first time. */
  position: number;
  /** The key the position is stored under (the slice ref, or "selection"). */
  key: string;
}

export interface ReviewDecisionResult extends EditResult {
  /** The suggestion recorded with the decision (null when there was none). */
  suggestedLabel: string | null;
}

export const reviewContract = {
  'review.evidence': method(z.object({ id: sampleId, neighbours: z.number().int().min(0).max(50).optional() })).returns<SampleEvidence>(),
  /** Defaults: order "noise" for a mislabelled slice, "pick" for other slices, "id" for ids. */
  'review.queue': method(queueSource.extend({ order: order.optional() }), { timeoutMs: 60_000 }).returns<ReviewQueueResult>(),
  'review.position': method(z.object({ key: z.string().min(1).max(300), position: z.number().int().nonnegative() })).returns<{ ok: true }>(),
  'review.decide': method(z.object({ id: sampleId, decision: reviewDecision, slice: sliceRef.optional() })).returns<ReviewDecisionResult>(),
  'review.summary': method(queueSource).returns<ReviewSummary>(),
  /** Accept every suggestion with noise ≥ minNoise in the queue as one edit (one undo); dryRun counts only. */
  'review.acceptAll': method(queueSource.extend({ minNoise: z.number().min(0).max(1), dryRun: z.boolean().optional() })).returns<{ count: number; edit: EditResult | null }>(),
};

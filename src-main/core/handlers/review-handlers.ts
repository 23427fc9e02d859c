// PLACEHOLDER on the h-review-base branch only: the review core (src-main/core/review/) replaces
// these before anything reaches main.
import type { reviewContract } from '../../../src-shared/contract/review';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { WinnowCore } from '../winnow-core';

export function reviewHandlers(_core: WinnowCore): Handlers<typeof reviewContract> {
  const todo = (): never => { throw new RpcError('internal', 'review: not built yet'); };
  return {
    'review.evidence': todo,
    'review.queue': todo,
    'review.position': todo,
    'review.decide': todo,
    'review.summary': todo,
    'review.acceptAll': todo,
  };
}

import type { referenceContract } from '../../../src-shared/contract/reference';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import { resolveRoot } from '../import/import-folder';
import type { WinnowCore } from '../winnow-core';

export function referenceHandlers(core: WinnowCore): Handlers<typeof referenceContract> {
  return {
    // The cheap checks answer the call itself; the rest (no images, a model mismatch, N over the pool) fails the job.
    'reference.validationSet': (params) => {
      core.project.embeddings.requireActive();
      if (params.reference !== undefined) resolveRoot(params.reference);
      return { jobId: core.project.startValidationSet(params) };
    },
    'reference.report': (params) => {
      core.project.embeddings.requireActive();
      core.project.slices.resolve(params.slice);
      if (params.reference !== undefined) resolveRoot(params.reference);
      return { jobId: core.project.startSliceReport(params) };
    },
  };
}

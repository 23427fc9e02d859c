import type { curateContract } from '../../../src-shared/contract/curate';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import { readScoreColumns } from '../curate/score-columns';
import { PredictionsError } from '../curate/predictions-store';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { WinnowCore } from '../winnow-core';

export function curateHandlers(core: WinnowCore): Handlers<typeof curateContract> {
  return {
    'curate.run': (params) => {
      core.project.maps.requireId();
      return { jobId: core.project.startCurate(params) };
    },
    'predictions.import': async ({ file, partial }) => {
      try {
        return await core.project.importPredictions(file, { partial });
      } catch (err) {
        if (err instanceof PredictionsError) throw new RpcError('bad_request', err.message);
        throw err;
      }
    },
    'scores.get': () => readScoreColumns(core.project.catalog, core.project.maps.latestId()),
    'slices.list': () => core.project.slices.list(),
    'slices.members': ({ ref }) => {
      const slice = core.project.slices.resolve(ref);
      return { slice, members: core.project.slices.members(slice.id) };
    },
  };
}

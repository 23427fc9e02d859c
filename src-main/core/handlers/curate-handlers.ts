import type { curateContract } from '../../../src-shared/contract/curate';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import { readScoreColumns } from '../curate/score-columns';
import type { WinnowCore } from '../winnow-core';

export function curateHandlers(core: WinnowCore): Handlers<typeof curateContract> {
  return {
    'curate.run': (params) => {
      core.project.maps.require();
      return { jobId: core.project.startCurate(params) };
    },
    'scores.get': () => readScoreColumns(core.project.catalog, core.project.maps.latestId()),
    'slices.list': () => core.project.slices.list(),
    'slices.members': ({ ref }) => {
      const slice = core.project.slices.resolve(ref);
      return { slice, members: core.project.slices.members(slice.id) };
    },
  };
}

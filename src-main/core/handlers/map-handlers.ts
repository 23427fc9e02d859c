import type { mapContract } from '../../../src-shared/contract/map';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import type { WinnowCore } from '../winnow-core';

export function mapHandlers(core: WinnowCore): Handlers<typeof mapContract> {
  return {
    'map.start': (params) => {
      core.project.embeddings.requireActive();
      return { jobId: core.project.startMap(params) };
    },
    'map.get': () => core.project.maps.latestData(),
  };
}

import type { splitsContract } from '../../../src-shared/contract/splits';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import { checkLeaks } from '../splits/leak-check';
import { makeSplit } from '../splits/make-split';
import type { WinnowCore } from '../winnow-core';

export function splitsHandlers(core: WinnowCore): Handlers<typeof splitsContract> {
  return {
    'splits.leaks': ({ offset, limit }) => checkLeaks(core.project.catalog, { offset, limit }),
    'splits.make': ({ shares, seed, groupBy }) => makeSplit(core.project.catalog, core.project.labels, { shares, seed, groupBy }),
  };
}

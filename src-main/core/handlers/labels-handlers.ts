import type { labelsContract } from '../../../src-shared/contract/labels';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import type { WinnowCore } from '../winnow-core';

export function labelsHandlers(core: WinnowCore): Handlers<typeof labelsContract> {
  return {
    'labels.set': ({ ids, label }) => core.project.labels.setLabel(ids, label),
    'labels.exclude': ({ ids, excluded }) => core.project.labels.setExcluded(ids, excluded),
    'labels.undo': () => core.project.labels.undo(),
    'labels.redo': () => core.project.labels.redo(),
    'labels.history': ({ id }) => core.project.labels.history(id),
  };
}

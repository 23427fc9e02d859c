import type { exportContract } from '../../../src-shared/contract/export';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import type { WinnowCore } from '../winnow-core';

export function exportHandlers(core: WinnowCore): Handlers<typeof exportContract> {
  return {
    'export.start': (params) => ({ jobId: core.project.startExport(params) }),
  };
}

// All handlers, keyed exactly like the contract: the compiler checks that none is missing.
import type { Contract } from '../../../src-shared/contract';
import type { Handlers } from '../../../src-shared/rpc/dispatcher';
import type { WinnowCore } from '../winnow-core';
import { appHandlers } from './app-handlers';
import { datasetHandlers } from './dataset-handlers';
import { embedHandlers } from './embed-handlers';
import { jobsHandlers } from './jobs-handlers';
import { labelsHandlers } from './labels-handlers';
import { mapHandlers } from './map-handlers';
import { curateHandlers } from './curate-handlers';
import { exportHandlers } from './export-handlers';
import { referenceHandlers } from './reference-handlers';
import type { Platform } from './platform';
import { projectHandlers } from './project-handlers';
import { splitsHandlers } from './splits-handlers';
import { withProjectErrors } from './project-errors';
import { reviewHandlers } from './review-handlers';

export function createHandlers(core: WinnowCore, platform: Platform): Handlers<Contract> {
  return withProjectErrors<Contract>({
    ...appHandlers(platform),
    ...projectHandlers(core),
    ...datasetHandlers(core),
    ...jobsHandlers(core),
    ...labelsHandlers(core),
    ...embedHandlers(core),
    ...mapHandlers(core),
    ...curateHandlers(core),
    ...exportHandlers(core),
    ...reviewHandlers(core),
    ...splitsHandlers(core),
    ...referenceHandlers(core),
  });
}

// The whole contract: one map per feature, merged. Both the runtime registry and the
// Client/Handlers types are derived from this object.
import { appContract } from './app';
import { datasetContract } from './dataset';
import { embedContract } from './embed';
import { jobsContract } from './jobs';
import { labelsContract } from './labels';
import { mapContract } from './map';
import { curateContract } from './curate';
import { exportContract } from './export';
import { projectContract } from './project';
import { reviewContract } from './review';
import { splitsContract } from './splits';
import { referenceContract } from './reference';
import type { JobFinished, JobProgress } from '../model/job';
import type { MapProgress } from '../model/map';

export { CONTRACT_VERSION } from './app';

export const contract = {
  ...appContract,
  ...projectContract,
  ...datasetContract,
  ...jobsContract,
  ...labelsContract,
  ...embedContract,
  ...mapContract,
  ...curateContract,
  ...exportContract,
  ...reviewContract,
  ...splitsContract,
  ...referenceContract,
};
export type Contract = typeof contract;

export interface Events {
  'job.progress': JobProgress;
  'job.finished': JobFinished;
  'project.changed': { path: string | null };
  'map.progress': MapProgress;
  [name: string]: unknown;
}

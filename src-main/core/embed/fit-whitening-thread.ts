// An embedding set's whitening fitted on a worker thread (workers/fit-whitening.ts): the core's
// thread serves the window meanwhile. Rows in shared memory reach it without a copy.
import { callWorker } from '../../workers/spawn';
import { workerEntry } from '../../workers/entries';
import type { WhitenSpec } from './model';
import type { Whitening } from './whitening';

export interface FitWhiteningData { raw: Float32Array; rows: number; spec: WhitenSpec }

export function fitWhiteningOnThread(raw: Float32Array, rows: number, spec: WhitenSpec, signal?: AbortSignal): Promise<Whitening> {
  const data: FitWhiteningData = { raw, rows, spec };
  return callWorker<Whitening>(workerEntry('fit-whitening'), { workerData: data, ...(signal ? { signal } : {}) });
}

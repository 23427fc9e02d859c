export type JobKind = 'import' | 'embed' | 'map' | 'curate' | 'export' | 'validation-set' | 'slice-report';
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface JobInfo {
  id: string;
  kind: JobKind;
  state: JobState;
  done: number;
  total: number;
  message: string | null;
  error: string | null;
  params: unknown;
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface JobProgress {
  jobId: string;
  kind: JobKind;
  done: number;
  total: number;
  /** Items per second over the recent window. */
  rate: number;
  etaSeconds: number | null;
  message: string | null;
}

export interface JobFinished {
  jobId: string;
  kind: JobKind;
  state: Exclude<JobState, 'queued' | 'running'>;
  error: string | null;
  result: unknown;
}

// Every background job this window knows of, keyed by job id: the tray, the dialogs and the
// buttons that wait for a job's output all read it. Events may arrive before the call that
// started the job has returned its id (a job that fails at once does): they are kept by id
// and the start is linked to them afterwards, so no failure is ever lost.
import { create } from 'zustand';
import type { JobFinished, JobInfo, JobKind, JobProgress } from '../../src-shared/model/job';
import { nextEta, type Eta } from './eta';

export type JobEntryState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface JobEntry {
  jobId: string;
  kind: JobKind;
  state: JobEntryState;
  done: number;
  total: number;
  message: string | null;
  eta: Eta | null;
  error: string | null;
  result: unknown;
  startedAt: number;
  endedAt: number | null;
}

export interface JobsState {
  /** Newest first. */
  jobs: JobEntry[];
  /** The job each kind last started from this window (what its dialog shows). */
  latest: Partial<Record<JobKind, string>>;
  /** Kinds whose start call is in flight: a second click must not start a second job. */
  starting: Partial<Record<JobKind, boolean>>;
  /** Why the last start of a kind was refused (shown where it was asked for). */
  startError: Partial<Record<JobKind, string>>;
  /** Finished jobs the user has cleared from the tray. */
  dismissed: string[];
  /** Jobs of a project closed since: their late events are not this project's. */
  forgotten: string[];
}

export const useJobs = create<JobsState>(() => ({ jobs: [], latest: {}, starting: {}, startError: {}, dismissed: [], forgotten: [] }));

export const JOB_NAMES: Record<JobKind, string> = { import: 'Import', embed: 'Embedding', map: 'Map', curate: 'Auto-Curate', export: 'Export', 'validation-set': 'Validation set', 'slice-report': 'Slice report' };
export const JOB_UNITS: Record<JobKind, string> = { import: 'images', embed: 'images', map: '%', curate: 'steps', export: 'files', 'validation-set': 'images', 'slice-report': 'images' };

function upsert(s: JobsState, id: string, kind: JobKind, change: (e: JobEntry) => JobEntry): Pick<JobsState, 'jobs'> {
  if (s.forgotten.includes(id)) return { jobs: s.jobs };
  const i = s.jobs.findIndex((j) => j.jobId === id);
  const base: JobEntry = i >= 0 ? s.jobs[i]! : { jobId: id, kind, state: 'running', done: 0, total: 0, message: null, eta: null, error: null, result: null, startedAt: Date.now(), endedAt: null };
  const next = change(base);
  return { jobs: i >= 0 ? s.jobs.map((j, k) => (k === i ? next : j)) : [next, ...s.jobs] };
}

export function jobProgress(p: JobProgress, now = Date.now()): void {
  useJobs.setState((s) => upsert(s, p.jobId, p.kind, (e) => (e.state !== 'running' ? e : { ...e, done: p.done, total: p.total, message: p.message, eta: nextEta(e.eta, p, now) })));
}

export function jobFinished(f: JobFinished, now = Date.now()): void {
  useJobs.setState((s) => upsert(s, f.jobId, f.kind, (e) => ({ ...e, state: f.state, error: f.error, result: f.result, endedAt: now, done: f.state === 'done' && e.total > 0 ? e.total : e.done })));
}

export function beginStart(kind: JobKind): boolean {
  const s = useJobs.getState();
  if (s.starting[kind] || isRunning(kind)) return false;
  useJobs.setState({ starting: { ...s.starting, [kind]: true }, startError: { ...s.startError, [kind]: undefined } });
  return true;
}

/** Links a started job to its kind; returns the entry when its end has already arrived. */
export function linkStart(kind: JobKind, jobId: string): JobEntry {
  useJobs.setState((s) => ({ ...upsert(s, jobId, kind, (e) => e), latest: { ...s.latest, [kind]: jobId }, starting: { ...s.starting, [kind]: false } }));
  return useJobs.getState().jobs.find((j) => j.jobId === jobId)!;
}

export function startRefused(kind: JobKind, message: string): void {
  useJobs.setState((s) => ({ starting: { ...s.starting, [kind]: false }, startError: { ...s.startError, [kind]: message } }));
}

export function dismissJob(jobId: string): void {
  useJobs.setState((s) => ({ dismissed: [...s.dismissed, jobId] }));
}

/** A new project: its jobs are not this one's. */
export function resetJobs(): void {
  const s = useJobs.getState();
  useJobs.setState({ jobs: [], latest: {}, starting: {}, startError: {}, dismissed: [], forgotten: [...s.forgotten, ...s.jobs.map((j) => j.jobId)].slice(-200) });
}

/** Jobs already running when this window connected (the window was reloaded or reopened). */
export function seedJobs(infos: JobInfo[]): void {
  for (const j of infos) {
    if (j.state !== 'running' || useJobs.getState().jobs.some((e) => e.jobId === j.id)) continue;
    useJobs.setState((s) => ({ ...upsert(s, j.id, j.kind, (e) => ({ ...e, done: j.done, total: j.total, message: j.message, startedAt: Date.parse(j.createdAt) || e.startedAt })), latest: { ...s.latest, [j.kind]: s.latest[j.kind] ?? j.id } }));
  }
}

export function latestJob(s: JobsState, kind: JobKind): JobEntry | null {
  const id = s.latest[kind];
  return (id && s.jobs.find((j) => j.jobId === id)) || null;
}

/** Any job of this kind still running (started here or seen through events). */
export function runningJob(s: JobsState, kind: JobKind): JobEntry | null {
  return s.jobs.find((j) => j.kind === kind && j.state === 'running') ?? null;
}

export function isRunning(kind: JobKind): boolean {
  return runningJob(useJobs.getState(), kind) !== null;
}

export function isBusy(s: JobsState, kind: JobKind): boolean {
  return !!s.starting[kind] || runningJob(s, kind) !== null;
}

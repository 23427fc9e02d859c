// Starting, following and cancelling background jobs. A start never blocks the window: the
// dialog that asked may close at once, the tray follows the job, and a failure is reported
// where it was asked for (the dialog, if open), in the tray and as a toast.
import type { z } from 'zod';
import type { ImportSource } from '../../src-shared/contract/dataset';
import type { ExportParams } from '../../src-shared/contract/export';
import type { curateParams } from '../../src-shared/contract/curate';
import type { Device } from '../../src-shared/model/embedding';
import type { JobFinished, JobKind } from '../../src-shared/model/job';
import type { CurateJobResult } from '../../src-shared/model/slice';
import type { Api } from '../api/client';
import { refreshProject } from './actions';
import { getApi, notify } from './session';
import { useApp } from './app-store';
import { beginStart, jobFinished, jobProgress, JOB_NAMES, linkStart, seedJobs, startRefused } from './jobs-store';
import { showSlice } from './map-actions';

let listeningOn: Api | null = null;

/** Follows every job's events (idempotent; called on connect and before each start). */
export function installJobEvents(): void {
  const api = getApi();
  if (listeningOn === api) return;
  listeningOn = api;
  api.on('job.progress', (p) => jobProgress(p));
  api.on('job.finished', (f) => { jobFinished(f); afterFinish(f); });
}

function afterFinish(f: JobFinished): void {
  if (f.state === 'failed') notify(`${JOB_NAMES[f.kind]} failed: ${f.error ?? 'unknown error'}`);
  // An import that ends in any state may have added samples.
  if (f.kind === 'import') void refreshProject();
  if (f.kind === 'embed' || f.kind === 'map') void refreshEmbedded();
  if (f.kind === 'curate' && f.state === 'done') {
    const { slice } = f.result as CurateJobResult;
    void showSlice(`${slice.name}@${slice.version}`);
  }
}

/** Picks up jobs that were running before this window connected or reopened the project. */
export async function loadJobs(): Promise<void> {
  installJobEvents();
  try {
    seedJobs(await getApi().call('jobs.list', { limit: 20 }));
  } catch (err) {
    notify(err);
  }
  await refreshEmbedded();
}

export async function refreshEmbedded(): Promise<void> {
  try {
    const status = await getApi().call('embed.status', {});
    const active = status.sets.find((s) => s.id === status.activeSetId);
    useApp.setState({ embedded: active?.count ?? 0 });
  } catch {
    useApp.setState({ embedded: null });
  }
}

/** Starts a job of `kind` unless one is starting or running; returns its id, or null. */
export async function trackJob(kind: JobKind, start: () => Promise<{ jobId: string }>): Promise<string | null> {
  if (!beginStart(kind)) return null;
  installJobEvents();
  try {
    const { jobId } = await start();
    // Events that came before this reply (a job that failed at once) are already in the store.
    linkStart(kind, jobId);
    return jobId;
  } catch (err) {
    startRefused(kind, err instanceof Error ? err.message : String(err));
    notify(err);
    return null;
  }
}

export const startImport = (source: ImportSource) => trackJob('import', () => getApi().call('dataset.import', { source }));
export const startEmbed = (opts: { model?: string; spec?: string; device?: Device; batch?: number }) => trackJob('embed', () => getApi().call('embed.start', opts));
export const startExport = (params: ExportParams) => trackJob('export', () => getApi().call('export.start', params));
export const startMapJob = (opts: { k?: number; seed?: number; full?: boolean } = {}) => trackJob('map', () => getApi().call('map.start', opts));
export const startCurateJob = (params: z.input<typeof curateParams>) => trackJob('curate', () => getApi().call('curate.run', params));

export async function cancelJob(jobId: string): Promise<void> {
  await getApi().call('jobs.cancel', { jobId }).catch(notify);
}

/** Validation set of N toward a reference folder (a job; the slice it stores is shown when it lands). */
export function startValidationSet(reference: string, n: number): Promise<string | null> {
  const name = `toward ${reference.split(/[\\/]/).filter(Boolean).pop() ?? 'reference'}`;
  return trackJob('validation-set', () => getApi().call('reference.validationSet', { reference, n, name }));
}

/** How representative a slice is of the dataset, and of a reference folder when one is given (a job). */
export function startSliceReport(slice: string, reference?: string): Promise<string | null> {
  return trackJob('slice-report', () => getApi().call('reference.report', { slice, reference }));
}

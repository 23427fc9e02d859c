// The connection to the main process and the two things every action needs beside it: one
// place errors go (the toast) and the run record of a started job. actions.ts and
// map-actions.ts both build on this file, so neither has to import the other.
import type { Api } from '../api/client';
import type { JobKind } from '../../src-shared/model/job';
import { RpcError } from '../../src-shared/rpc/errors';
import { useApp, type JobRun } from './app-store';

let api: Api | null = null;

/** For state/ only: components call actions, never the API. */
export function getApi(): Api {
  if (!api) throw new Error('not connected');
  return api;
}

export function setApi(client: Api): void {
  api = client;
}

export function notify(err: unknown): void {
  const message = err instanceof RpcError || err instanceof Error ? err.message : String(err);
  useApp.setState({ toast: message });
}

export function setRun(kind: JobKind, run: JobRun): void {
  useApp.setState((s) => ({ runs: { ...s.runs, [kind]: run } }));
}

export async function trackJob(kind: JobKind, start: Promise<{ jobId: string }>): Promise<void> {
  try {
    const { jobId } = await start;
    setRun(kind, { jobId, progress: null, state: 'running', result: null, error: null });
  } catch (err) {
    notify(err);
  }
}

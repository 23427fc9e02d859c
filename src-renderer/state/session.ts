// The connection to the main process and the one place errors go (the toast). actions.ts,
// map-actions.ts and job-actions.ts all build on this file, so none has to import another.
import type { Api } from '../api/client';
import { RpcError } from '../../src-shared/rpc/errors';
import { useApp } from './app-store';

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

// Everything the UI does that talks to the main process goes through here, so components stay
// views and errors end up in one place (a toast), never as an uncaught promise.
import type { Api } from '../api/client';
import type { ImportSource } from '../../src-shared/contract/dataset';
import type { ImportSummary } from '../../src-shared/model/import';
import { RpcError } from '../../src-shared/rpc/errors';
import { useApp } from './app-store';

let api: Api | null = null;
export function getApi(): Api {
  if (!api) throw new Error('not connected');
  return api;
}

export function notify(err: unknown): void {
  const message = err instanceof RpcError || err instanceof Error ? err.message : String(err);
  useApp.setState({ toast: message });
}

export async function init(client: Api): Promise<void> {
  api = client;
  client.on('job.progress', (p) => {
    const run = useApp.getState().importRun;
    if (run && run.jobId === p.jobId) useApp.setState({ importRun: { ...run, progress: p } });
  });
  client.on('job.finished', (f) => {
    const run = useApp.getState().importRun;
    if (!run || run.jobId !== f.jobId) return;
    useApp.setState({ importRun: { ...run, state: f.state, summary: (f.result as ImportSummary | null) ?? null, error: f.error } });
    void refreshProject();
  });
  const [info, project] = await Promise.all([client.call('app.info', {}), client.call('project.current', {})]);
  useApp.setState({ info, project, connection: 'ready' });
  if (project) await refreshColumns();
}

export async function refreshProject(): Promise<void> {
  try {
    const project = await getApi().call('project.current', {});
    useApp.setState({ project });
    await refreshColumns();
  } catch (err) {
    notify(err);
  }
}

async function refreshColumns(): Promise<void> {
  const columns = await getApi().call('samples.columns', {}, { timeoutMs: 120_000 });
  useApp.setState({ columns });
}

export async function openOrCreateProject(path: string, create: boolean): Promise<boolean> {
  try {
    const project = await getApi().call(create ? 'project.create' : 'project.open', { path });
    useApp.setState({ project, columns: null, selectedIndex: null, detailOpen: false, dialog: 'none', importRun: null, labelFilter: null });
    await refreshColumns();
    return true;
  } catch (err) {
    notify(err);
    return false;
  }
}

export async function startImport(source: ImportSource): Promise<void> {
  try {
    const { jobId } = await getApi().call('dataset.import', { source });
    useApp.setState({ importRun: { jobId, progress: null, state: 'running', summary: null, error: null } });
  } catch (err) {
    notify(err);
  }
}

export async function cancelImport(): Promise<void> {
  const run = useApp.getState().importRun;
  if (run) await getApi().call('jobs.cancel', { jobId: run.jobId }).catch(notify);
}

export async function pickFolder(title: string): Promise<string | null> {
  try {
    return (await getApi().call('app.pickFolder', { title })).path;
  } catch (err) {
    notify(err);
    return null;
  }
}

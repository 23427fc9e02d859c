// Everything the UI does that talks to the main process goes through here, so components stay
// views and errors end up in one place (a toast), never as an uncaught promise.
import type { Api } from '../api/client';
import type { ImportSource } from '../../src-shared/contract/dataset';
import type { Device } from '../../src-shared/model/embedding';
import type { JobKind } from '../../src-shared/model/job';
import { RpcError } from '../../src-shared/rpc/errors';
import type { EditResult } from '../../src-shared/model/edit';
import { FLAG_EXCLUDED, FLAG_RELABELLED, UNLABELLED } from '../../src-shared/model/sample';
import { useApp } from './app-store';
import { loadMap } from './map-actions';
import { useMap } from './map-store';

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
    const run = useApp.getState().runs[p.kind];
    if (run && run.jobId === p.jobId) setRun(p.kind, { ...run, progress: p });
  });
  client.on('job.finished', (f) => {
    const run = useApp.getState().runs[f.kind];
    if (!run || run.jobId !== f.jobId) return;
    setRun(f.kind, { ...run, state: f.state, result: f.result, error: f.error });
    void refreshProject();
  });
  const [info, project] = await Promise.all([client.call('app.info', {}), client.call('project.current', {})]);
  useApp.setState({ info, project, connection: 'ready' });
  if (project) await Promise.all([refreshColumns(), loadMap()]);
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
    useApp.setState({ project, columns: null, selectedIndex: null, detailOpen: false, dialog: 'none', runs: {}, labelFilter: null });
    useMap.setState({ map: null, scores: null, selection: new Uint32Array(0), queryIds: null, query: '', queryError: null, activeSlice: null, slices: [] });
    await Promise.all([refreshColumns(), loadMap()]);
    return true;
  } catch (err) {
    notify(err);
    return false;
  }
}

function setRun(kind: JobKind, run: NonNullable<ReturnType<typeof useApp.getState>['runs'][JobKind]>): void {
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

export const startImport = (source: ImportSource) => trackJob('import', getApi().call('dataset.import', { source }));

export const startEmbed = (opts: { model?: string; spec?: string; device?: Device; batch?: number }) => trackJob('embed', getApi().call('embed.start', opts));

export async function cancelJob(kind: JobKind): Promise<void> {
  const run = useApp.getState().runs[kind];
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

/** Applies changed labels/flags from an edit to the columns in place of a full reload. */
function applyEdit(result: EditResult): void {
  const { columns } = useApp.getState();
  if (!columns) return;
  const labels = columns.labels.slice();
  const flags = columns.flags.slice();
  const labelNames = [...columns.labelNames];
  for (const c of result.changed) {
    const row = rowOf(columns.ids, c.id);
    if (row < 0) continue;
    let code = UNLABELLED;
    if (c.label !== null) {
      code = labelNames.indexOf(c.label);
      if (code < 0) code = labelNames.push(c.label) - 1;
    }
    labels[row] = code;
    flags[row] = (c.excluded ? FLAG_EXCLUDED : 0) | (c.label !== c.originalLabel ? FLAG_RELABELLED : 0);
  }
  useApp.setState({ columns: { ...columns, labels, flags, labelNames }, canUndo: result.canUndo, canRedo: result.canRedo, editVersion: useApp.getState().editVersion + 1 });
  void getApi().call('project.current', {}).then((project) => useApp.setState({ project })).catch(notify);
}

export function rowOf(ids: Int32Array, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] === id) return mid;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

async function edit(call: Promise<EditResult>): Promise<EditResult | null> {
  try {
    const result = await call;
    applyEdit(result);
    return result;
  } catch (err) {
    notify(err);
    return null;
  }
}

export const relabel = (ids: number[], label: string) => edit(getApi().call('labels.set', { ids, label }));
export const setExcluded = (ids: number[], excluded: boolean) => edit(getApi().call('labels.exclude', { ids, excluded }));
export const undo = () => edit(getApi().call('labels.undo', {}));
export const redo = () => edit(getApi().call('labels.redo', {}));

// Everything the UI does that talks to the main process goes through here, so components stay
// views and errors end up in one place (a toast), never as an uncaught promise.
import type { Api } from '../api/client';
import type { ThumbnailAtlas } from '../../src-shared/model/atlas';
import type { HistoryEntry } from '../../src-shared/model/edit';
import type { ImagePayload, SampleDetail } from '../../src-shared/model/sample';
import { thumbnails } from '../api/thumbnails';
import type { EditResult } from '../../src-shared/model/edit';
import { useApp } from './app-store';
import { mergeChanged } from './edit-columns';
import { loadMap } from './map-actions';
import { useMap } from './map-store';
import { markOnce } from './marks';
import { getApi, notify, setApi } from './session';

export { notify };

export async function init(client: Api): Promise<void> {
  setApi(client);
  thumbnails.connect(client);
  const [info, project] = await Promise.all([client.call('app.info', {}), client.call('project.current', {})]);
  useApp.setState({ info, project, connection: 'ready' });
  // The map first: its positions are one read and draw without the columns (colours follow).
  if (project) await Promise.all([loadMap(), refreshColumns()]);
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
  markOnce('winnow:columns');
  useApp.setState({ columns });
}

export async function openOrCreateProject(path: string, create: boolean): Promise<boolean> {
  try {
    const project = await getApi().call(create ? 'project.create' : 'project.open', { path });
    useApp.setState({ project, columns: null, selectedIndex: null, detailOpen: false, dialog: 'none', review: null });
    thumbnails.clear();
    useMap.setState({ map: null, scores: null, selection: new Uint32Array(0), queryIds: null, query: '', queryError: null, activeSlice: null, reference: null, slices: [] });
    await Promise.all([loadMap(), refreshColumns()]);
    return true;
  } catch (err) {
    notify(err);
    return false;
  }
}

/** Opens a folder in the system's file manager; false where it cannot (browser mode). */
export const showFolder = (path: string): Promise<boolean> => getApi().call('app.showFolder', { path }).then((r) => r.shown);

export const embedStatus = () => getApi().call('embed.status', {});

// Reads for views: they reject on failure and the view decides how to show it.
export const loadSample = (id: number): Promise<SampleDetail> => getApi().call('samples.get', { id });
export const loadHistory = (id: number): Promise<HistoryEntry[]> => getApi().call('labels.history', { id });
export const loadImage = (id: number): Promise<ImagePayload> => getApi().call('samples.image', { id });

/** The k most similar samples with their labels, nearest first. */
export async function findSimilar(id: number, k: number): Promise<Array<{ id: number; similarity: number; label: string | null }>> {
  const { hits } = await getApi().call('similar.query', { id, k });
  const samples = await Promise.all(hits.map((h) => loadSample(h.sampleId)));
  return hits.map((h, i) => ({ id: h.sampleId, similarity: h.similarity, label: samples[i]!.label }));
}

/** Thumbnails for the map's points in view, packed into one atlas by the main process. */
export const loadAtlas = (ids: number[], rows: number[], cell: number, signal: AbortSignal): Promise<ThumbnailAtlas | null> =>
  getApi().call('samples.atlas', { ids, rows, cell }, { signal });

export async function pickFolder(title: string): Promise<string | null> {
  try {
    return (await getApi().call('app.pickFolder', { title })).path;
  } catch (err) {
    notify(err);
    return null;
  }
}

const editListeners = new Set<(result: EditResult) => void>();
/** Called with every edit that lands (decisions, relabels, undo, redo), before the views re-render. */
export function onEdit(listener: (result: EditResult) => void): () => void {
  editListeners.add(listener);
  return () => editListeners.delete(listener);
}

/** Folds the rows an edit changed into the columns in place of a full reload. */
export function applyEdit(result: EditResult): void {
  const { columns, editVersion } = useApp.getState();
  if (!columns) return;
  for (const l of editListeners) l(result);
  useApp.setState({ columns: mergeChanged(columns, result.changed), canUndo: result.canUndo, canRedo: result.canRedo, editVersion: editVersion + 1 });
  void getApi().call('project.current', {}).then((project) => useApp.setState({ project })).catch(notify);
}

export async function edit(call: Promise<EditResult>): Promise<EditResult | null> {
  try {
    const result = await call;
    applyEdit(result);
    return result;
  } catch (err) {
    notify(err);
    return null;
  }
}

// Ids cross as one Int32Array (a binary frame), however many are selected.
export const relabel = (ids: ArrayLike<number>, label: string) => edit(getApi().call('labels.set', { ids: Int32Array.from(ids), label }));
export const setExcluded = (ids: ArrayLike<number>, excluded: boolean) => edit(getApi().call('labels.exclude', { ids: Int32Array.from(ids), excluded }));
export const undo = () => edit(getApi().call('labels.undo', {})).then((r) => said(r, 'Undone', 'Nothing to undo'));
export const redo = () => edit(getApi().call('labels.redo', {})).then((r) => said(r, 'Redone', 'Nothing to redo'));

/** Undo and redo name what they did (the edit's own description) in a notice, so a stray Ctrl+Z is never silent. */
function said(result: EditResult | null, verb: string, nothing: string): EditResult | null {
  if (result) useApp.setState({ notice: result.description ? `${verb}: ${result.description}` : nothing });
  return result;
}

// Explorer actions: map, scores, query, slices, curation. Same rules as actions.ts: all talk
// to the main process goes through here and errors end up in the toast (state/session.ts).
import { parseQuery, QueryError } from '../../src-shared/query/parse';
import { markOnce } from './marks';
import { getApi, notify } from './session';
import { sameIds } from './align';
import { useApp } from './app-store';
import { useMap, type ColorBy } from './map-store';

let listening = false;

export async function loadMap(): Promise<void> {
  const api = getApi();
  if (!listening) {
    listening = true;
    api.on('map.progress', (p) => {
      const cur = useMap.getState().map;
      // Progressive layout: new positions for the same points. Keeping the ids array itself
      // keeps everything derived from it (colours, dimming, selection, handlers) as it is.
      const ids = cur && sameIds(cur.ids, p.ids) ? cur.ids : p.ids;
      useMap.setState({ map: { mapId: cur?.mapId ?? -1, setId: cur?.setId ?? -1, createdAt: cur?.createdAt ?? '', ids, x: p.x, y: p.y }, progress: { epoch: p.epoch, total: p.totalEpochs } });
    });
    api.on('job.finished', (f) => {
      if (f.kind === 'map' && f.state === 'done') void loadMap();
      if (f.kind === 'curate' && f.state === 'done') void loadSlices();
    });
  }
  // The positions are drawn as soon as they come: asked first (the main process answers in
  // order) and shown without waiting for the score columns, which are bigger and slower to read
  // at a million samples and only recolour the points when they land. They are asked once the
  // map is in, so the sample columns (asked meanwhile by actions.ts) come before them. The slice
  // list comes with the map because restoring a project's shown slice (project-ui.ts) looks for it there.
  try {
    const [map, slices] = await Promise.all([api.call('map.get', {}), api.call('slices.list', {})]);
    markOnce('winnow:map');
    useMap.setState({ map, slices, progress: null });
    const scores = await api.call('scores.get', {});
    markOnce('winnow:scores');
    useMap.setState({ scores });
  } catch (err) {
    notify(err);
  }
}

export async function loadSlices(): Promise<void> {
  try {
    const [slices, scores] = await Promise.all([getApi().call('slices.list', {}), getApi().call('scores.get', {})]);
    useMap.setState({ slices, scores });
  } catch (err) {
    notify(err);
  }
}



export async function showSlice(ref: string | null): Promise<void> {
  if (ref === null) return useMap.setState({ activeSlice: null });
  try {
    const { slice, members } = await getApi().call('slices.members', { ref });
    const byId = [...members].sort((a, b) => a.sampleId - b.sampleId);
    const ids = Int32Array.from(byId, (m) => m.sampleId);
    const ranks = Int32Array.from(byId, (m) => m.rank);
    useMap.setState({ activeSlice: { info: slice, ids, ranks }, colorBy: 'slice' });
  } catch (err) {
    notify(err);
  }
}

/** Parses locally for an instant message, then asks the main process for the matching ids. */
export async function applyQuery(text: string): Promise<void> {
  useMap.setState({ query: text });
  if (text.trim() === '') return useMap.setState({ queryIds: null, queryError: null });
  try {
    parseQuery(text);
  } catch (err) {
    if (err instanceof QueryError) return useMap.setState({ queryError: err.message });
    throw err;
  }
  try {
    const { ids } = await getApi().call('samples.query', { query: text });
    useMap.setState({ queryIds: ids, queryError: null });
    useApp.setState({ selectedIndex: null });
  } catch (err) {
    useMap.setState({ queryError: err instanceof Error ? err.message : String(err) });
  }
}

export async function colourBy(value: ColorBy): Promise<void> {
  if (!value.startsWith('meta:')) return useMap.setState({ colorBy: value });
  try {
    const metaColumn = await getApi().call('samples.metadataColumn', { field: value.slice(5) });
    useMap.setState({ colorBy: value, metaColumn });
  } catch (err) {
    notify(err);
  }
}

/** A reference folder's footprint (the nearest mapped sample of each of its images) beside the shown slice. */
export function showReferenceOnMap(name: string, nearestIds: readonly number[]): void {
  useMap.setState({ reference: { name, ids: Int32Array.from(nearestIds) }, colorBy: 'reference', view: 'map' });
}

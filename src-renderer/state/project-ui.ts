// Per-project UI state: the query, colour mode, Auto-Curate form, selection, slice on show,
// view and review position are kept per project file (in this browser's localStorage, keyed
// by the project's path) and come back when that project is opened again; a project never
// seen before starts clean.
import { DEFAULT_CURATE_FORM, useApp, type CurateForm } from './app-store';
import { applyQuery, colourBy, showSlice } from './map-actions';
import { useMap, type ColorBy } from './map-store';
import { rowsOf } from './align';

interface SavedUi {
  v: 1;
  query: string;
  colorBy: ColorBy;
  curateForm: CurateForm;
  /** Sample ids (not map rows: a new map keeps them meaningful). */
  selection: number[];
  slice: string | null;
  view: 'grid' | 'map';
  labelFilter: string | null;
  reviewPos: number;
}

const MAX_SAVED_SELECTION = 100_000;
const keyFor = (path: string) => `winnow.ui:${path}`;

export interface KeyValueStore { getItem(k: string): string | null; setItem(k: string, v: string): void }

/** Watches the stores; returns a function that stops watching. */
export function startProjectUiSync(storage: KeyValueStore = window.localStorage): () => void {
  let path: string | null = null;
  let restored = false;
  // Parts that wait for the map (the selection is rows of it; the slice list comes with it).
  let pendingSelection: number[] | null = null;
  let pendingSlice: string | null = null;
  let lastWritten = '';

  const read = (p: string): Partial<SavedUi> => {
    try {
      const raw = storage.getItem(keyFor(p));
      const parsed = raw ? (JSON.parse(raw) as Partial<SavedUi>) : {};
      return parsed.v === 1 ? parsed : {};
    } catch {
      return {};
    }
  };

  let lastRefs: unknown[] = [];
  const save = () => {
    if (!path || !restored) return;
    const app = useApp.getState();
    const m = useMap.getState();
    // Most store changes (layout progress, hover-free redraws) touch none of the saved parts.
    const refs = [path, m.query, m.colorBy, app.curateForm, m.selection, m.map?.ids, m.activeSlice, m.view, app.labelFilter, app.reviewPos, pendingSelection, pendingSlice];
    if (refs.length === lastRefs.length && refs.every((r, i) => r === lastRefs[i])) return;
    lastRefs = refs;
    const selection = pendingSelection ?? (m.map ? Array.from(m.selection.subarray(0, MAX_SAVED_SELECTION), (r) => m.map!.ids[r]!) : []);
    const slice = pendingSlice ?? (m.activeSlice ? `${m.activeSlice.info.name}@${m.activeSlice.info.version}` : null);
    const saved: SavedUi = { v: 1, query: m.query, colorBy: m.colorBy, curateForm: app.curateForm, selection, slice, view: m.view, labelFilter: app.labelFilter, reviewPos: app.reviewPos };
    const text = JSON.stringify(saved);
    if (text === lastWritten) return;
    lastWritten = text;
    try { storage.setItem(keyFor(path), text); } catch { /* storage full or off: the state is only a convenience */ }
  };

  const applyMapParts = () => {
    const m = useMap.getState();
    if (!m.map || (pendingSelection === null && pendingSlice === null)) return;
    const selection = pendingSelection;
    const slice = pendingSlice;
    pendingSelection = null;
    pendingSlice = null;
    const reviewPos = useApp.getState().reviewPos;
    if (selection?.length) useMap.setState({ selection: rowsOf(m.map.ids, Int32Array.from(selection).sort()) });
    useApp.setState({ reviewPos });
    if (slice && m.slices.some((s) => `${s.name}@${s.version}` === slice)) {
      const colour = useMap.getState().colorBy;
      void showSlice(slice).then(() => useMap.setState({ colorBy: colour }));
    }
  };

  const restore = (p: string) => {
    restored = false;
    const s = read(p);
    useApp.setState({ curateForm: { ...DEFAULT_CURATE_FORM, ...s.curateForm }, labelFilter: s.labelFilter ?? null, reviewPos: s.reviewPos ?? 0 });
    useMap.setState({ view: s.view ?? 'grid', colorBy: 'label', query: '', queryIds: null, queryError: null });
    pendingSelection = s.selection ?? null;
    pendingSlice = s.slice ?? null;
    lastWritten = '';
    lastRefs = [];
    restored = true;
    if (s.query) void applyQuery(s.query);
    if (s.colorBy && s.colorBy !== 'label') void colourBy(s.colorBy);
    applyMapParts();
  };

  let lastSelection = useMap.getState().selection;
  const offApp = useApp.subscribe((st, prev) => {
    const p = st.project?.path ?? null;
    if (p !== (prev.project?.path ?? null) && p !== null && p !== path) {
      path = p;
      restored = false;
      // After the caller's own reset of the stores, which follows in the same task.
      queueMicrotask(() => { if (path === p) restore(p); });
      return;
    }
    save();
  });
  const offMap = useMap.subscribe((st) => {
    if (st.selection !== lastSelection) {
      lastSelection = st.selection;
      // A new selection is a new review queue: start it from the top.
      if (restored && pendingSelection === null && useApp.getState().reviewPos !== 0) useApp.setState({ reviewPos: 0 });
    }
    applyMapParts();
    save();
  });
  return () => { offApp(); offMap(); };
}

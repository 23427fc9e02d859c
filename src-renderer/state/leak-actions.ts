// The leak check from the UI (splits.leaks): a page of cross-split duplicate pairs and the
// counts, and showing them in the grid and on the map through the query bar.
import { parseRatios, type LeakReport, type SplitResult } from '../../src-shared/contract/splits';
import { refreshProject } from './actions';
import { indexOfId } from '../../src-shared/model/ids';
import { useApp } from './app-store';
import { applyQuery } from './map-actions';
import { useMap } from './map-store';
import { getApi, notify } from './session';

/** Pairs listed per page in the panel. */
export const LEAK_PAGE = 12;

export async function loadLeaks(offset = 0): Promise<LeakReport | { error: string }> {
  try {
    return await getApi().call('splits.leaks', { offset, limit: LEAK_PAGE });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Every sample with a copy in another split, in the grid and dimmed-others on the map. */
export const showLeaking = () => applyQuery('leaks = true').catch(notify);

/** One pair in the grid, the first member open in the detail panel. */
export async function showPair(a: number, b: number): Promise<void> {
  try {
    await applyQuery(`id in (${a}, ${b})`);
    const cols = useApp.getState().columns;
    if (cols) useApp.setState({ selectedIndex: indexOfId(cols.ids, a) });
  } catch (err) {
    notify(err);
  }
}

/** A leak-free split of the whole project (splits.make): one edit, undone like any other. */
export async function makeLeakFreeSplit(ratios: string, seed: number): Promise<SplitResult | { error: string }> {
  let shares;
  try {
    shares = parseRatios(ratios);
  } catch (err) {
    return { error: (err as Error).message };
  }
  try {
    const r = await getApi().call('splits.make', { shares, seed });
    const { editVersion } = useApp.getState();
    useApp.setState({ canUndo: r.edit.canUndo, canRedo: r.edit.canRedo, editVersion: editVersion + 1 });
    await refreshProject();
    // A query over splits or leaks (split = val, leaks = true) now means something else.
    const { query } = useMap.getState();
    if (query.trim()) await applyQuery(query);
    return r;
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

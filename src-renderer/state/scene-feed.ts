// Feeds the point cloud from the stores, outside React: each GPU column (positions, colour,
// dim mask, selection) is derived from the store columns it depends on and re-sent only when
// one of those changed identity. A map.progress event whose ids did not change moves the points
// and nothing else; a relabel re-derives the colour column (and highlight, legend) and nothing else.
import type { PointCloud } from '../scene';
import { alignRows, dimMask, sameIds } from './align';
import { useApp } from './app-store';
import { colourMap, colouringKey, type ColourInputs } from './map-colouring';
import { useMap, type MapState } from './map-store';

/** Remembers the inputs of the last call; recomputes only when one of them is a new object. */
function keyed<K extends readonly unknown[], V>(compute: (...key: K) => V): (...key: K) => V {
  let last: K | null = null;
  let value: V;
  return (...key: K) => {
    if (!last || key.length !== last.length || key.some((k, i) => k !== last![i])) {
      value = compute(...key);
      last = key;
    }
    return value;
  };
}

/** What the view owner tells the feed: whether the user moved the view since the points came. */
export interface FeedViewHooks { userMovedView(): boolean; onNewPoints(): void }

const NO_HOOKS: FeedViewHooks = { userMovedView: () => false, onNewPoints: () => {} };

/** Starts feeding `cloud`; returns the unsubscribe. */
export function feedPointCloud(cloud: PointCloud, hooks: FeedViewHooks = NO_HOOKS): () => void {
  const rowsFor = keyed((mapIds: Int32Array, colIds: Int32Array) => alignRows(mapIds, colIds));
  const points = keyed((ids: Int32Array, x: Float32Array, y: Float32Array) => ({ ids, x, y }));
  let shownIds: Int32Array | null = null;
  let shownPoints: unknown = null;
  let refining = false;
  let colour: unknown[] = [];
  let scratch: Uint16Array | undefined;
  let highlighting = false;
  // The slice's name and ids as one object per shown slice, so the colouring is keyed on it.
  const slice = keyed((s: MapState['activeSlice']) => (s ? { name: s.info.name, ids: s.ids } : null));
  const dim = keyed((queryIds: Int32Array | null, ids: Int32Array) => cloud.setDimmed(queryIds ? dimMask(ids, queryIds) : null));
  const selection = keyed((rows: Uint32Array, _ids: Int32Array) => cloud.setSelection(rows));
  const size = keyed((px: number) => cloud.setPointSize(px));
  const tool = keyed((t: MapState['tool']) => cloud.setTool(t));

  const sync = () => {
    const m = useMap.getState();
    const { columns } = useApp.getState();
    if (!m.map) return;
    const { x, y } = m.map;
    // A fresh copy of the same ids (a progress event) counts as the same ids everywhere below.
    const ids = shownIds && sameIds(shownIds, m.map.ids) ? shownIds : m.map.ids;
    const p = points(ids, x, y);
    if (p !== shownPoints) {
      // New positions for the same points only move them; another point set resets the view.
      // The layout's last positions (no progress after refining ones) fit the view once, unless
      // the user has moved it meanwhile.
      const inProgress = m.progress !== null;
      if (sameIds(shownIds, ids)) {
        cloud.updatePositions(x, y);
        if (inProgress) refining = true;
        else if (refining) {
          refining = false;
          if (!hooks.userMovedView()) cloud.fitAll({ animate: true });
        }
      } else {
        cloud.setPoints({ x, y });
        // A new point set has no colour or highlight yet.
        colour = [];
        highlighting = false;
        cloud.fitAll();
        hooks.onNewPoints();
        refining = inProgress;
      }
      shownIds = ids;
      shownPoints = p;
    }
    let legend: MapState['legend'] | undefined;
    if (columns) {
      const inputs: ColourInputs = {
        colorBy: m.colorBy, ids, colRows: rowsFor(ids, columns.ids), labels: columns.labels, labelNames: columns.labelNames, flags: columns.flags,
        scores: m.scores, slice: slice(m.activeSlice), reference: m.reference, meta: m.metaColumn,
      };
      const key = colouringKey(inputs);
      if (key.length !== colour.length || key.some((k, i) => k !== colour[i])) {
        const c = colourMap(inputs, scratch);
        if (c.values instanceof Uint16Array && key[0] === 'label') scratch = c.values;
        cloud.setColorColumn(c.values, c.scheme);
        if (c.highlight || highlighting) cloud.setHighlight(c.highlight);
        highlighting = c.highlight !== null;
        colour = key;
        legend = c.legend;
      }
    }
    dim(m.queryIds, ids);
    selection(m.selection, ids);
    size(m.pointSize);
    tool(m.tool);
    // Last, so the store update this triggers finds nothing left to send.
    if (legend) useMap.setState({ legend });
  };
  sync();
  const offs = [useMap.subscribe(sync), useApp.subscribe(sync)];
  return () => offs.forEach((off) => off());
}

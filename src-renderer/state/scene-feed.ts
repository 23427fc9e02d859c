// Feeds the point cloud from the stores, outside React: each GPU column (positions, colour,
// dim mask, selection) is derived from the store columns it depends on and re-sent only when
// one of those changed identity. A map.progress event whose ids did not change moves the points
// and nothing else; a relabel re-derives the colour column and nothing else.
import type { ScoreColumns } from '../../src-shared/contract/curate';
import { FLAG_RELABELLED } from '../../src-shared/model/sample';
import type { PointCloud } from '../scene';
import { alignRows, dimMask, pickF32, pickU16, rowsOf, sameIds } from './align';
import { useApp } from './app-store';
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

interface ColourInputs {
  colorBy: MapState['colorBy'];
  ids: Int32Array;
  colRows: Int32Array;
  labels: Uint16Array;
  flags: Uint8Array;
  scores: ScoreColumns | null;
  slice: Int32Array | null;
  meta: MapState['metaColumn'];
}

/** The inputs the chosen colouring reads, so a change to any other column re-derives nothing. */
function colourKey(c: ColourInputs): unknown[] {
  if (c.colorBy.startsWith('meta:') && c.meta && c.colorBy === `meta:${c.meta.field}`) return [c.colorBy, c.ids, c.meta];
  if ((c.colorBy === 'sparseness' || c.colorBy === 'noise') && c.scores) return [c.colorBy, c.ids, c.scores];
  if (c.colorBy === 'slice' && c.slice) return [c.colorBy, c.ids, c.slice];
  if (c.colorBy === 'relabelled') return [c.colorBy, c.colRows, c.flags];
  return ['label', c.colRows, c.labels];
}

/**
 * `into` may be passed for the label colouring (the common one, re-derived on every edit): the
 * engine copies a colour column as it receives it, so one scratch array serves every edit.
 */
export function colourColumn(c: ColourInputs, into?: Uint16Array): Uint16Array | Float32Array {
  const { colorBy, ids, meta, scores, slice, colRows } = c;
  if (colorBy.startsWith('meta:') && meta && colorBy === `meta:${meta.field}`) {
    const rows = alignRows(ids, meta.ids);
    return meta.kind === 'numeric' ? pickF32(meta.values, rows) : pickU16(meta.codes, rows);
  }
  if (colorBy === 'sparseness' && scores) return pickF32(scores.sparseness, alignRows(ids, scores.ids));
  if (colorBy === 'noise' && scores) return pickF32(scores.noise, alignRows(ids, scores.ids));
  if (colorBy === 'slice' && slice) {
    const out = new Uint16Array(ids.length).fill(1);
    for (const r of rowsOf(ids, slice)) out[r] = 0;
    return out;
  }
  if (colorBy === 'relabelled') {
    const out = new Uint16Array(colRows.length);
    for (let i = 0; i < colRows.length; i++) { const r = colRows[i]!; out[i] = r >= 0 && (c.flags[r]! & FLAG_RELABELLED) ? 0 : 1; }
    return out;
  }
  return pickU16(c.labels, colRows, undefined, into && into.length === colRows.length ? into : undefined);
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
        cloud.fitAll();
        hooks.onNewPoints();
        refining = inProgress;
      }
      shownIds = ids;
      shownPoints = p;
    }
    if (columns) {
      const inputs: ColourInputs = { colorBy: m.colorBy, ids, colRows: rowsFor(ids, columns.ids), labels: columns.labels, flags: columns.flags, scores: m.scores, slice: m.activeSlice?.ids ?? null, meta: m.metaColumn };
      const key = colourKey(inputs);
      if (key.length !== colour.length || key.some((k, i) => k !== colour[i])) {
        const values = colourColumn(inputs, scratch);
        if (values instanceof Uint16Array && key[0] === 'label') scratch = values;
        cloud.setColorColumn(values);
        colour = key;
      }
    }
    dim(m.queryIds, ids);
    selection(m.selection, ids);
    size(m.pointSize);
    tool(m.tool);
  };
  sync();
  const offs = [useMap.subscribe(sync), useApp.subscribe(sync)];
  return () => offs.forEach((off) => off());
}

// The map's selection beside it: count, thumbnails sortable by a score, batch relabel,
// exclude, and the review queue.
import { memo, useMemo, useState } from 'react';
import { useThumbnails } from '../api/use-thumbnails';
import { relabel, setExcluded } from '../state/actions';
import { alignRows } from '../state/align';
import { useApp } from '../state/app-store';
import { useMap } from '../state/map-store';

const SHOWN = 120;
type SortKey = 'id' | 'noise' | 'sparseness';

export function selectedSampleIds(): number[] {
  const { map, selection } = useMap.getState();
  return map ? Array.from(selection, (r) => map.ids[r]!) : [];
}

export function SelectionPanel() {
  const selection = useMap((s) => s.selection);
  const map = useMap((s) => s.map);
  const scores = useMap((s) => s.scores);
  const [sort, setSort] = useState<SortKey>('id');
  const [label, setLabel] = useState('');
  const ids = useMemo(() => {
    if (!map) return [];
    const out = Array.from(selection, (r) => map.ids[r]!);
    if (sort !== 'id' && scores) {
      const col = sort === 'noise' ? scores.noise : scores.sparseness;
      const rows = alignRows(Int32Array.from(out).sort(), scores.ids);
      const sorted = Int32Array.from(out).sort();
      const value = new Map<number, number>();
      sorted.forEach((id, i) => value.set(id, rows[i]! >= 0 ? col[rows[i]!]! : -Infinity));
      out.sort((a, b) => (value.get(b) ?? 0) - (value.get(a) ?? 0));
    }
    return out;
  }, [selection, map, scores, sort]);
  const shown = useMemo(() => ids.slice(0, SHOWN), [ids]);
  if (!selection.length) return null;
  const apply = () => { if (label.trim()) void relabel(ids, label).then((r) => r && setLabel('')); };
  return (
    <aside className="selection-panel" aria-label="Selection" data-testid="selection-panel">
      <div className="row"><h2>{selection.length.toLocaleString()} selected</h2><span className="spacer" />
        <select value={sort} onChange={(e) => setSort(e.target.value as SortKey)} aria-label="Sort selection by">
          <option value="id">by id</option><option value="noise" disabled={!scores}>by label noise</option><option value="sparseness" disabled={!scores}>by rarity</option>
        </select>
      </div>
      <div className="row relabel">
        <input list="label-names-sel" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Label for all…" aria-label="Label for selection" onKeyDown={(e) => { if (e.key === 'Enter') apply(); e.stopPropagation(); }} />
        <datalist id="label-names-sel">{(useApp.getState().columns?.labelNames ?? []).map((n) => <option key={n} value={n} />)}</datalist>
        <button onClick={apply} disabled={!label.trim()}>Relabel all</button>
      </div>
      <div className="row">
        <button onClick={() => useMap.setState({ reviewOpen: true })} title="Review one by one (R)">Review…</button>
        <button onClick={() => void setExcluded(ids, true)}>Exclude all</button>
      </div>
      <SelectionThumbs shown={shown} />
      {ids.length > SHOWN && <p className="muted small">showing {SHOWN} of {ids.length.toLocaleString()}</p>}
    </aside>
  );
}

/** The first thumbnails of the selection; its own component so typing a label or applying one does not re-render them. */
const SelectionThumbs = memo(function SelectionThumbs({ shown }: { shown: number[] }) {
  const thumb = useThumbnails(shown);
  return (
    <div className="sel-grid">
      {shown.map((id) => (
        <button key={id} className="similar-cell" title={`#${id}`} onClick={() => { const cols = useApp.getState().columns; if (cols) useApp.setState({ selectedIndex: cols.ids.indexOf(id), detailOpen: true }); }}>
          {thumb(id) ? <img src={thumb(id)} alt={`sample ${id}`} /> : <div className="thumb-placeholder" />}
        </button>
      ))}
    </div>
  );
});

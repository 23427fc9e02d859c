// A virtualised grid: only the rows in view (plus a margin) exist in the DOM, and thumbnails
// are fetched in batches for exactly those rows, so 70,000 items scroll like 70. Tiles can show
// one per-sample score (noise, suggested label, sparseness, duplicate group, reviewed) and the
// grid can be sorted by it; the query bar filters by the same fields.
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { UNLABELLED } from '../../src-shared/model/sample';
import { thumbnails as cache } from '../api/thumbnails';
import { alignRows } from '../state/align';
import { useApp, type GridField, type GridSort } from '../state/app-store';
import { useMap } from '../state/map-store';
import { evidenceNow, loadEvidence } from '../state/review-actions';
import { sortRows, tileScore } from './grid-scores';

const CELL = 104;
const OVERSCAN_ROWS = 3;

export function ThumbnailGrid() {
  const columns = useApp((s) => s.columns);
  const labelFilter = useApp((s) => s.labelFilter);
  const selected = useApp((s) => s.selectedIndex);
  const queryIds = useMap((s) => s.queryIds);
  const slice = useMap((s) => s.activeSlice);
  const scores = useMap((s) => s.scores);
  const field = useApp((s) => s.gridField);
  const sort = useApp((s) => s.gridSort);
  const [, force] = useState(0);
  const [, bumpEvidence] = useReducer((n: number) => n + 1, 0);
  useEffect(() => cache.subscribe(() => force((n) => n + 1)), []);

  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600, width: 800 });
  useEffect(() => {
    const el = ref.current!;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    let frame = 0;
    const onScroll = () => { cancelAnimationFrame(frame); frame = requestAnimationFrame(measure); };
    el.addEventListener('scroll', onScroll, { passive: true });
    measure();
    return () => { ro.disconnect(); el.removeEventListener('scroll', onScroll); };
  }, []);

  // Rows of the grid: all samples, narrowed by the chosen label, the query and the slice on show.
  const filtered = useMemo(() => {
    if (!columns) return new Int32Array(0);
    const code = labelFilter === null ? -1 : columns.labelNames.indexOf(labelFilter);
    const inQuery = queryIds ? alignRows(columns.ids, queryIds) : null;
    const inSlice = slice ? alignRows(columns.ids, slice.ids) : null;
    const out: number[] = [];
    for (let i = 0; i < columns.labels.length; i++) {
      if (labelFilter !== null && columns.labels[i] !== code) continue;
      if (inQuery && inQuery[i]! < 0) continue;
      if (inSlice && inSlice[i]! < 0) continue;
      out.push(i);
    }
    return Int32Array.from(out);
  }, [columns, labelFilter, queryIds, slice]);
  // Grid row → row of the score columns (-1 without a score), once per columns/scores pair.
  const scoreRow = useMemo(() => (columns && scores ? alignRows(columns.ids, scores.ids) : null), [columns?.ids, scores]);
  const order = useMemo(() => (columns ? sortRows(filtered, sort, columns, scores, scoreRow, slice) : filtered), [filtered, sort, columns, scores, scoreRow, slice]);

  const perRow = Math.max(1, Math.floor(view.width / CELL));
  const rows = Math.ceil(order.length / perRow);
  const firstRow = Math.max(0, Math.floor(view.top / CELL) - OVERSCAN_ROWS);
  const lastRow = Math.min(rows, Math.ceil((view.top + view.height) / CELL) + OVERSCAN_ROWS);
  const first = firstRow * perRow;
  const last = Math.min(order.length, lastRow * perRow);

  useEffect(() => {
    if (!columns) return;
    const ids: number[] = [];
    for (let i = first; i < last; i++) ids.push(columns.ids[order[i]!]!);
    const t = setTimeout(() => {
      void cache.request(ids);
      // The suggested label is not a column: fetched for the tiles in view only.
      if (field === 'suggested') for (const id of ids) if (!evidenceNow(id)) void loadEvidence(id).then(bumpEvidence, () => {});
    }, 30);
    return () => clearTimeout(t);
  }, [columns, order, first, last, field]);

  const move = (delta: number) => {
    const pos = selected === null ? -1 : order.indexOf(selected);
    const next = Math.max(0, Math.min(order.length - 1, pos + delta));
    if (order.length === 0) return;
    useApp.setState({ selectedIndex: order[next]! });
    const row = Math.floor(next / perRow);
    const el = ref.current!;
    if (row * CELL < el.scrollTop) el.scrollTop = row * CELL;
    else if ((row + 1) * CELL > el.scrollTop + el.clientHeight) el.scrollTop = (row + 1) * CELL - el.clientHeight;
  };

  const cells = [];
  for (let i = first; columns && i < last; i++) {
    const row = order[i]!;
    const id = columns.ids[row]!;
    const code = columns.labels[row]!;
    const label = code === UNLABELLED ? null : columns.labelNames[code]!;
    const url = cache.get(id);
    cells.push(
      <div key={id} className={`cell ${selected === row ? 'selected' : ''}`} style={{ transform: `translate(${(i % perRow) * CELL}px, ${Math.floor(i / perRow) * CELL}px)` }}
        onClick={() => useApp.setState({ selectedIndex: row, detailOpen: true })} data-sample-id={id} role="gridcell" aria-selected={selected === row}>
        {url ? <img src={url} alt={label ?? 'unlabelled sample'} draggable={false} /> : <div className="thumb-placeholder" />}
        <span className="badge">{label ?? '—'}</span>
        {field !== 'none' && <TileScore text={tileScore(field, row, id, label, columns, scores, scoreRow, evidenceNow(id), slice)} />}
      </div>,
    );
  }
  return (
    <div className="grid-wrap">
      <div className="grid-bar row tight muted small">
        <div className="grid-head" data-testid="grid-count">{order.length.toLocaleString()} shown{labelFilter !== null ? ` · label = ${labelFilter}` : ''}{queryIds ? ' · query' : ''}{slice ? ` · slice ${slice.info.name} v${slice.info.version}` : ''}</div>
        <span className="spacer" />
        <label>show <select className="inline-select" value={field} onChange={(e) => useApp.setState({ gridField: e.target.value as GridField })} aria-label="Tile field">
          {FIELDS.map(([v, t]) => <option key={v} value={v} disabled={(needsScores(v) && !scores) || (v === 'pick' && !slice)}>{t}</option>)}
        </select></label>
        <label>sort <select className="inline-select" value={sort} onChange={(e) => useApp.setState({ gridSort: e.target.value as GridSort })} aria-label="Sort grid by">
          {SORTS.map(([v, t]) => <option key={v} value={v} disabled={(needsScores(v) && !scores) || (v === 'pick' && !slice)}>{t}</option>)}
        </select></label>
      </div>
      <div className="grid-scroll" ref={ref} tabIndex={0} role="grid" aria-label="Samples" data-testid="thumbnail-grid"
        onKeyDown={(e) => {
          const d = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: perRow, ArrowUp: -perRow, PageDown: perRow * 5, PageUp: -perRow * 5 }[e.key];
          if (d) { e.preventDefault(); move(d); }
          else if (e.key === 'Enter' && selected !== null) useApp.setState({ detailOpen: true });
        }}>
        <div className="grid-canvas" style={{ height: rows * CELL }}>{cells}</div>
        {!columns && <p className="muted pad">Loading samples…</p>}
        {columns && order.length === 0 && <p className="muted pad" data-testid="grid-empty">{emptyText(columns.ids.length, labelFilter, queryIds !== null, slice !== null)}</p>}
      </div>
    </div>
  );
}

const FIELDS: Array<[GridField, string]> = [['none', 'label only'], ['noise', 'label noise'], ['suggested', 'suggested label'], ['sparseness', 'sparseness'], ['dupGroup', 'duplicate group'], ['reviewed', 'reviewed'], ['pick', 'slice pick']];
const SORTS: Array<[GridSort, string]> = [['id', 'id'], ['noise', 'label noise ↓'], ['sparseness', 'sparseness ↓'], ['dupGroup', 'duplicate group'], ['reviewed', 'not reviewed first'], ['pick', 'slice pick order']];
const needsScores = (v: string) => v === 'noise' || v === 'suggested' || v === 'sparseness' || v === 'dupGroup';

function TileScore({ text }: { text: { value: string; hot: boolean } | null }) {
  if (!text) return null;
  return <span className={`tile-score ${text.hot ? 'hot' : ''}`} data-score={text.value}>{text.value}</span>;
}

/** Why the grid is empty: a new project, or filters that leave nothing (never the new-project text then). */
function emptyText(total: number, label: string | null, query: boolean, slice: boolean): string {
  if (total === 0) return 'No samples yet. Use Import… to add a folder of images or a demo set (MNIST, Fashion-MNIST).';
  const where = [label !== null ? `label ${label}` : '', slice ? 'this slice' : ''].filter(Boolean).join(' and ');
  if (query) return `0 match${where ? ` in ${where}` : ''}. Change the query (Esc in the query bar clears it)${slice ? ' or put the slice away' : ''}.`;
  return `No samples in ${where || 'this view'}.`;
}

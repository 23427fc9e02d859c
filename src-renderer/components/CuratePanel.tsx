// Auto-Curate from the UI: mode and parameters, progress, the resulting slice on the map and
// in the grid, the list of slices, and the slice's class mix against the dataset's.
import { useEffect, useRef } from 'react';
import type { CurateJobResult, CurateModeName } from '../../src-shared/model/slice';
import { UNLABELLED } from '../../src-shared/model/sample';
import { rowsOf } from '../state/align';
import { useApp, type CurateForm } from '../state/app-store';
import { startCurateJob } from '../state/job-actions';
import { useMap } from '../state/map-store';
import { showSlice } from '../state/map-actions';
import { useBlocked } from './commands';
import { useLatestJob } from './JobStatus';
import { ProgressBar } from './ProgressBar';
import { ReviewSummary } from './ReviewSummary';
import { openReview } from '../state/review-actions';
import { SliceReport } from './SliceReport';

const MODES: Array<[CurateModeName, string]> = [
  ['representative', 'Representative training set'],
  ['edge-cases', 'Edge cases (rare samples)'],
  ['mislabeled', 'Likely mislabelled'],
  ['custom', 'Custom weights'],
];

export function CuratePanel() {
  const map = useMap((s) => s.map);
  const slices = useMap((s) => s.slices);
  const active = useMap((s) => s.activeSlice);
  const { job: run, running, starting, startError } = useLatestJob('curate');
  const form = useApp((s) => s.curateForm);
  const blocked = useBlocked('curate');
  const set = (change: Partial<CurateForm>) => useApp.setState({ curateForm: { ...useApp.getState().curateForm, ...change } });
  const { mode, n, name, seed, weights: w, look, edges } = form;
  const listRef = useRef<HTMLUListElement>(null);
  const result = run?.state === 'done' ? (run.result as CurateJobResult) : null;
  // The slice a run just made is shown (job-actions) and brought into view here, once.
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!result || !run || revealed.current === run.jobId) return;
    const el = listRef.current?.querySelector(`[data-slice-id="${result.slice.id}"]`);
    if (!el) return;
    revealed.current = run.jobId;
    el.scrollIntoView({ block: 'nearest' });
  }, [result, run, slices]);
  if (!map) return <section className="curate"><h3>Auto-Curate</h3><p className="muted small">{blocked ?? 'Compute the map first.'}</p></section>;
  const submit = () => {
    const weights = mode === 'custom' ? Object.fromEntries(Object.entries(w).map(([k, v]) => [k, Number(v)])) : undefined;
    const appearanceWeight = mode === 'representative' ? Number(look) : undefined;
    void startCurateJob({ mode, n: Number(n), name: name.trim() || mode, seed: Number(seed), weights, appearanceWeight, ...(mode === 'edge-cases' ? { edges } : {}) });
  };
  const busy = running || starting;
  return (
    <section className="curate" data-testid="curate-panel">
      <h3>Auto-Curate</h3>
      <select value={mode} onChange={(e) => set({ mode: e.target.value as CurateModeName })} aria-label="Curation mode">{MODES.map(([v, t]) => <option key={v} value={v}>{t}</option>)}</select>
      <div className="row tight">
        <label className="small">N <input value={n} onChange={(e) => set({ n: e.target.value })} aria-label="Number of samples" inputMode="numeric" /></label>
        <label className="small">seed <input value={seed} onChange={(e) => set({ seed: e.target.value })} aria-label="Seed" inputMode="numeric" /></label>
        {mode === 'representative' && (
          <label className="small" title="How much the picks should also cover how images look (a 16×16 grey thumbnail) besides what the embedding sees; 0 = the embedding alone. Higher covers looks better, lower covers the embedding's own neighbourhoods better (for a model trained on the vectors: 0.25 or less)">
            look <input value={look} onChange={(e) => set({ look: e.target.value })} aria-label="Appearance weight" inputMode="decimal" />
          </label>
        )}
      </div>
      {mode === 'edge-cases' && (
        <select value={edges} onChange={(e) => set({ edges: e.target.value as CurateForm['edges'] })} aria-label="Which edges"
          title="Rare: far out of their class and close to another, which each pick names. Ambiguous: their neighbours vote for another label.">
          <option value="both">Rare or ambiguous</option>
          <option value="rare">Rare for their class</option>
          <option value="ambiguous">Ambiguous between classes</option>
        </select>
      )}
      {mode === 'custom' && (
        <div className="row tight">{(Object.keys(w) as Array<keyof typeof w>).map((k) => <label key={k} className="small">{k}<input value={w[k]} onChange={(e) => set({ weights: { ...w, [k]: e.target.value } })} aria-label={`weight ${k}`} /></label>)}</div>
      )}
      <input value={name} onChange={(e) => set({ name: e.target.value })} placeholder={`slice name (default: ${mode})`} aria-label="Slice name" onKeyDown={(e) => e.stopPropagation()} />
      <button className="primary curate-run" onClick={submit} disabled={blocked !== null || busy} title={blocked ?? 'Run Auto-Curate; the new slice is added to the list below'} aria-busy={busy}>
        {busy && <span className="spinner" aria-hidden />} Run
      </button>
      {blocked && !busy && <p className="muted small" data-testid="curate-blocked">{blocked}</p>}
      {running && run && <ProgressBar done={run.done} total={run.total || 3} label={run.message ?? ''} />}
      {run?.state === 'failed' && <p className="error-text small" data-testid="curate-error">{run.error}</p>}
      {startError && !busy && <p className="error-text small" data-testid="curate-error">{startError}</p>}
      {result && <p className="ok-text small" data-testid="curate-result">Slice “{result.slice.name}” v{result.slice.version}: {result.picks.length} samples.{result.warnings.map((x) => ` ${x}`)}</p>}
      {slices.length > 0 && (
        <>
          <h3>Slices</h3>
          <ul className="counts" data-testid="slices" ref={listRef}>
            {slices.map((s) => {
              const ref = `${s.name}@${s.version}`;
              const on = active?.info.id === s.id;
              return <li key={s.id} data-slice-id={s.id}><button aria-pressed={on} className={`count-row ${on ? 'active' : ''}`} onClick={() => void showSlice(on ? null : ref)}><span className="count-name">{s.name} <span className="muted">v{s.version} · {s.mode}</span></span><span className="count-num">{s.size}</span></button></li>;
            })}
          </ul>
        </>
      )}
      {active && (
        <div className="slice-review" data-testid="slice-review">
          <div className="row tight">
            <button className="primary" onClick={() => void openReview({ slice: `${active.info.name}@${active.info.version}` })}
              title={active.info.mode === 'mislabeled' ? 'Review its samples one by one, highest label noise first' : 'Review its samples one by one, in the order they were picked'}>Review slice…</button>
            {map && <button onClick={() => useMap.setState({ selection: rowsOf(map.ids, active.ids), view: 'map' })}>Select slice on the map</button>}
          </div>
          <ReviewSummary source={{ slice: `${active.info.name}@${active.info.version}` }} title={`${active.info.name} v${active.info.version}`} />
        </div>
      )}
      {active && <SliceMix ids={active.ids} />}
      <SliceReport />
    </section>
  );
}

/** Class shares of the slice next to the dataset's. */
function SliceMix({ ids }: { ids: Int32Array }) {
  const columns = useApp((s) => s.columns);
  if (!columns) return null;
  const total = new Map<number, number>();
  const inSlice = new Map<number, number>();
  columns.labels.forEach((c) => total.set(c, (total.get(c) ?? 0) + 1));
  let j = 0;
  for (let i = 0; i < columns.ids.length && j < ids.length; i++) {
    if (columns.ids[i] === ids[j]) { const c = columns.labels[i]!; inSlice.set(c, (inSlice.get(c) ?? 0) + 1); j++; }
  }
  const rows = [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20);
  return (
    <table className="mix small" data-testid="slice-mix">
      <thead><tr><th>class</th><th>dataset</th><th>slice</th></tr></thead>
      <tbody>{rows.map(([c, n]) => <tr key={c}><td>{c === UNLABELLED ? '(none)' : columns.labelNames[c]}</td><td>{((100 * n) / columns.ids.length).toFixed(1)}%</td><td>{(((inSlice.get(c) ?? 0) * 100) / Math.max(1, ids.length)).toFixed(1)}%</td></tr>)}</tbody>
    </table>
  );
}

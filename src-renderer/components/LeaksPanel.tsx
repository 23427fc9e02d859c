// Split leaks: duplicates that sit in different splits (train ↔ test), with counts per split
// pair and class and the pairs side by side; a pair or "show all" selects them in the grid.
import { useMemo, useState } from 'react';
import type { LeakReport } from '../../src-shared/contract/splits';
import { useThumbnails } from '../api/use-thumbnails';
import { useApp } from '../state/app-store';
import type { SplitResult } from '../../src-shared/contract/splits';
import { LEAK_PAGE, loadLeaks, makeLeakFreeSplit, showLeaking, showPair } from '../state/leak-actions';

const pairRow = { display: 'grid', gridTemplateColumns: '44px 44px 1fr', gap: 6, alignItems: 'center', padding: 2, textAlign: 'left' as const, width: '100%' };
const thumbBox = { width: 44, height: 44, objectFit: 'contain' as const, imageRendering: 'pixelated' as const, background: '#000' };

export function LeaksPanel() {
  const splits = useApp((s) => s.project?.overview.bySplit.filter((e) => e.value !== null).length ?? 0);
  const total = useApp((s) => s.project?.overview.total ?? 0);
  const editVersion = useApp((s) => s.editVersion);
  const [report, setReport] = useState<LeakReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [checkedAt, setCheckedAt] = useState<number | null>(null);

  const check = async (offset = 0) => {
    setBusy(true);
    const r = await loadLeaks(offset);
    setBusy(false);
    if ('error' in r) { setError(r.error); setReport(null); return; }
    setError(null);
    setReport(r);
    setCheckedAt(editVersion);
  };
  // A split edit (or its undo) makes the shown result stale: say so rather than re-check unasked.
  const stale = report !== null && checkedAt !== editVersion;

  const ids = useMemo(() => report?.page.flatMap((p) => [p.a.id, p.b.id]) ?? [], [report]);
  const thumb = useThumbnails(ids);
  if (total === 0) return null;

  return (
    <section className="curate" data-testid="leaks-panel" aria-label="Split leaks">
      <h3>Split leaks</h3>
      <p className="muted small">Copies (exact, shifted, noisy) of a sample that sit in another split.</p>
      {splits < 2
        ? <p className="muted small">No splits to compare yet: make one below.</p>
        : <button onClick={() => void check(0)} disabled={busy}>{busy ? 'Checking…' : report ? 'Check again' : 'Check for leaks'}</button>}
      {error && <p className="warn-text small" role="alert">{error}</p>}
      {report && (
        <div data-testid="leaks-result">
          <p>
            <strong data-testid="leak-pairs">{report.pairs.toLocaleString()}</strong> leak pair{report.pairs === 1 ? '' : 's'}
            {' '}({report.exactPairs.toLocaleString()} exact), <span data-testid="leak-samples">{report.samples.toLocaleString()}</span> samples
            {stale && <span className="muted small"> · splits changed since: check again</span>}
          </p>
          {report.bySplitPair.length > 0 && (
            <ul className="counts plain" data-testid="leak-split-pairs">
              {report.bySplitPair.map((c) => <li key={`${c.a}|${c.b}`}><span>{c.a} ↔ {c.b}</span><span>{c.pairs.toLocaleString()}</span></li>)}
            </ul>
          )}
          {report.byClass.length > 0 && (
            <p className="muted small" data-testid="leak-classes">
              by class: {[...report.byClass].sort((x, y) => y.samples - x.samples).slice(0, 8).map((c) => `${c.label ?? '(none)'} ${c.samples}`).join(', ')}
            </p>
          )}
          {report.pairs > 0 && <button onClick={() => void showLeaking()} data-testid="leaks-show-all">Show all {report.samples} in the grid</button>}
          <ul style={{ listStyle: 'none', padding: 0, margin: '6px 0', display: 'flex', flexDirection: 'column', gap: 4 }} data-testid="leak-pair-list">
            {report.page.map((p) => (
              <li key={`${p.a.id}-${p.b.id}`}>
                <button style={pairRow} onClick={() => void showPair(p.a.id, p.b.id)} title={`${p.a.path} ↔ ${p.b.path}`} data-testid="leak-pair">
                  {thumb(p.a.id) ? <img src={thumb(p.a.id)} alt={`#${p.a.id} (${p.a.split})`} style={thumbBox} /> : <div style={thumbBox} />}
                  {thumb(p.b.id) ? <img src={thumb(p.b.id)} alt={`#${p.b.id} (${p.b.split})`} style={thumbBox} /> : <div style={thumbBox} />}
                  <span className="small">
                    {p.a.split} ↔ {p.b.split}{p.exact ? ' · exact' : ''}
                    <br /><span className="muted">{p.a.label ?? '–'}{p.b.label !== p.a.label ? ` / ${p.b.label ?? '–'}` : ''} · #{p.a.id}, #{p.b.id}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {report.pairs > LEAK_PAGE && (
            <div className="row tight">
              <button disabled={busy || report.offset === 0} onClick={() => void check(Math.max(0, report.offset - LEAK_PAGE))}>Previous</button>
              <span className="muted small">{report.offset + 1}–{report.offset + report.page.length} of {report.pairs}</span>
              <button disabled={busy || report.offset + LEAK_PAGE >= report.pairs} onClick={() => void check(report.offset + LEAK_PAGE)}>Next</button>
            </div>
          )}
        </div>
      )}
      <SplitMaker />
    </section>
  );
}

/** A leak-free, stratified split of the whole project, stored as the split field (undoable). */
function SplitMaker() {
  const [ratios, setRatios] = useState('train=0.8,val=0.2');
  const [seed, setSeed] = useState(0);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SplitResult | { error: string } | null>(null);
  const make = async () => {
    setBusy(true);
    setResult(await makeLeakFreeSplit(ratios, seed));
    setBusy(false);
  };
  return (
    <div data-testid="split-maker" style={{ display: 'flex', flexDirection: 'column', gap: 6, marginTop: 8 }}>
      <h3>Leak-free split</h3>
      <div className="row tight">
        <label>ratios<input aria-label="Split ratios" value={ratios} onChange={(e) => setRatios(e.target.value)} /></label>
        <label style={{ maxWidth: 64 }}>seed<input aria-label="Split seed" type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))} /></label>
      </div>
      <button onClick={() => void make()} disabled={busy}>{busy ? 'Splitting…' : 'Make split'}</button>
      {result && 'error' in result && <p className="warn-text small" role="alert">{result.error}</p>}
      {result && !('error' in result) && (
        <p className="small" data-testid="split-result">
          {result.parts.map((p) => `${p.name} ${p.samples}`).join(' · ')} — {result.groups} groups kept whole, leaks left {result.leaksAfter}
          {result.edit.editId !== null ? '. Undo reverts it.' : ' (nothing changed)'}
        </p>
      )}
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { HistoryEntry } from '../../src-shared/model/edit';
import type { SampleDetail } from '../../src-shared/model/sample';
import { useImageUrl } from '../api/use-thumbnails';
import { loadHistory, loadImage, loadSample, relabel, rowOf, setExcluded } from '../state/actions';
import { useApp } from '../state/app-store';
import { DuplicateStrip } from './DuplicateStrip';
import { SimilarStrip } from './SimilarStrip';

export function DetailPanel() {
  const columns = useApp((s) => s.columns);
  const index = useApp((s) => s.selectedIndex);
  const version = useApp((s) => s.editVersion);
  const id = columns && index !== null ? columns.ids[index] : undefined;
  const [sample, setSample] = useState<SampleDetail | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState('');

  useEffect(() => setError(null), [id]);
  const url = useImageUrl(id === undefined ? null : () => loadImage(id), id, (e) => setError(e.message));

  useEffect(() => {
    if (id === undefined) return;
    let live = true;
    Promise.all([loadSample(id), loadHistory(id)])
      .then(([s, h]) => { if (live) { setSample(s); setHistory(h); setDraft(''); } })
      .catch((e: Error) => live && setError(e.message));
    return () => { live = false; };
  }, [id, version]);

  if (id === undefined || !columns) return null;
  const excluded = sample ? (columns.flags[rowOf(columns.ids, id)]! & 1) === 1 : false;
  const apply = () => { if (draft.trim()) void relabel([id], draft); };
  return (
    <aside className="detail" aria-label="Sample detail" data-testid="detail-panel">
      <div className="modal-head"><h2>Sample {id}</h2><button className="ghost" onClick={() => useApp.setState({ detailOpen: false })} aria-label="Close detail">✕</button></div>
      <div className="detail-image">{url ? <img src={url} alt={sample?.relPath ?? ''} /> : <div className="thumb-placeholder big" />}</div>
      {error && <p className="error-text" role="alert">{error}</p>}
      {sample && (
        <>
          <dl className="props">
            <dt>Label</dt><dd data-testid="detail-label">{sample.label ?? '(unlabelled)'}</dd>
            {sample.originalLabel !== sample.label && <><dt>Original label</dt><dd data-testid="detail-original-label">{sample.originalLabel ?? '(unlabelled)'}</dd></>}
            <dt>Path</dt><dd><code>{sample.relPath}</code></dd>
            <dt>Size</dt><dd>{sample.width} × {sample.height}</dd>
            {sample.split && <><dt>Split</dt><dd>{sample.split}</dd></>}
            <dt>Content hash</dt><dd><code title={sample.contentHash}>{sample.contentHash.slice(0, 16)}…</code></dd>
            {Object.entries(sample.metadata).map(([k, v]) => <div key={k} className="prop-pair"><dt>{k}</dt><dd>{v === null ? '—' : String(v)}</dd></div>)}
          </dl>
          <div className="row relabel">
            <input list="label-names" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="New label…" aria-label="New label"
              onKeyDown={(e) => { if (e.key === 'Enter') apply(); e.stopPropagation(); }} />
            <datalist id="label-names">{columns.labelNames.map((n) => <option key={n} value={n} />)}</datalist>
            <button onClick={apply} disabled={!draft.trim()}>Relabel</button>
            <button onClick={() => void setExcluded([id], !excluded)}>{excluded ? 'Include' : 'Exclude'}</button>
          </div>
          {history.length > 0 && (
            <section>
              <h3>History</h3>
              <ul className="history" data-testid="label-history">
                {history.map((h, i) => <li key={i}><span className="muted small">{new Date(h.at).toLocaleString()}</span> {h.action} {h.field}: {h.oldValue ?? '∅'} → {h.newValue ?? '∅'}</li>)}
              </ul>
            </section>
          )}
          <DuplicateStrip id={id} />
          <SimilarStrip id={id} />
        </>
      )}
    </aside>
  );
}

// One sample in full: image, label with the evidence behind its flag (suggestion, scores,
// reason, the neighbours that voted; A accepts the suggestion), properties, relabel/exclude,
// history with the suggestion at each review decision, its duplicates and similar images.
import { useEffect, useState } from 'react';
import type { HistoryEntry } from '../../src-shared/model/edit';
import type { SampleEvidence } from '../../src-shared/model/review';
import type { SampleDetail } from '../../src-shared/model/sample';
import { useImageUrl } from '../api/use-thumbnails';
import { loadHistory, loadImage, loadSample, relabel, setExcluded } from '../state/actions';
import { indexOfId } from '../../src-shared/model/ids';
import { useApp } from '../state/app-store';
import { useMap } from '../state/map-store';
import { acceptSuggestion, loadEvidence } from '../state/review-actions';
import { DuplicateStrip } from './DuplicateStrip';
import { EvidenceCard } from './EvidenceCard';
import { HistoryList } from './HistoryList';
import { NeighbourVotes } from './NeighbourVotes';
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
  const [evidence, setEvidence] = useState<SampleEvidence | null>(null);
  // New scores (the map job's end, a rescoring) change the evidence shown: asked again then.
  const scores = useMap((s) => s.scores);

  useEffect(() => setError(null), [id]);
  useEffect(() => {
    if (id === undefined) return;
    let live = true;
    loadEvidence(id).then((e) => live && setEvidence(e)).catch(() => live && setEvidence(null));
    return () => { live = false; };
  }, [id, version, scores]);
  const suggestion = evidence && evidence.id === id && evidence.suggestedLabel !== null && evidence.suggestedLabel !== evidence.label ? evidence.suggestedLabel : null;
  // A accepts the suggestion while the panel shows a sample (not while typing, nor under a dialog or the review).
  useEffect(() => {
    if (id === undefined || suggestion === null) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'a' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (useApp.getState().dialog !== 'none' || useMap.getState().reviewOpen) return;
      e.preventDefault();
      void acceptSuggestion(id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id, suggestion]);
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
  const excluded = sample ? (columns.flags[indexOfId(columns.ids, id)]! & 1) === 1 : false;
  const apply = () => { if (draft.trim()) void relabel([id], draft); };
  return (
    <aside className="detail" aria-label="Sample detail" data-testid="detail-panel">
      <div className="modal-head"><h2>Sample {id}</h2><button className="ghost" onClick={() => useApp.setState({ detailOpen: false })} aria-label="Close detail">✕</button></div>
      <div className="detail-image">{url ? <img src={url} alt={sample?.relPath ?? ''} /> : <div className="thumb-placeholder big" />}</div>
      {error && <p className="error-text" role="alert">{error}</p>}
      {sample && evidence?.id === id && (
        <section className="detail-evidence">
          <EvidenceCard ev={evidence} acceptKey={suggestion !== null ? 'A' : undefined} />
          {suggestion !== null && <button className="primary" onClick={() => void acceptSuggestion(id)} title="Accept the suggested label (A)" data-testid="detail-accept">Accept “{suggestion}” (A)</button>}
          <h3>Neighbours that voted</h3>
          <NeighbourVotes votes={evidence.neighbours} suggested={evidence.suggestedLabel} current={evidence.label}
            onOpen={(n) => { const r = indexOfId(columns.ids, n); if (r >= 0) useApp.setState({ selectedIndex: r }); }} />
        </section>
      )}
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
          <HistoryList history={history} />
          <DuplicateStrip id={id} />
          <SimilarStrip id={id} />
        </>
      )}
    </aside>
  );
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
}

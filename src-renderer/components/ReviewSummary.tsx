// Where a review stands (reviewed, changed, accepted, kept, excluded), how to take the corrected
// labels out (the label CSV, `winnow export-labels`), and the careful bulk step: accept every
// suggestion at or above a noise threshold, with the count first and one undo for all of them.
import { useEffect, useState } from 'react';
import type { ReviewSummary as Summary } from '../../src-shared/model/review';
import { useApp } from '../state/app-store';
import { acceptAll, loadReviewSummary, previewAcceptAll, type QueueSource } from '../state/review-actions';

export function ReviewSummary({ source, title, bulk = true }: { source: QueueSource; title: string; bulk?: boolean }) {
  const version = useApp((s) => s.editVersion);
  const path = useApp((s) => s.project?.path ?? '');
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showExport, setShowExport] = useState(false);
  const key = source.slice ?? `ids:${source.ids?.length ?? 0}`;
  useEffect(() => {
    let live = true;
    // After a burst of decisions, one summary call, not one per key.
    const t = setTimeout(() => {
      loadReviewSummary(source).then((s) => { if (live) { setSummary(s); setError(null); } }).catch((e: Error) => live && setError(e.message));
    }, 150);
    return () => { live = false; clearTimeout(t); };
  }, [key, version]);
  const command = `winnow export-labels --project ${quote(path)} --out labels.csv`;
  return (
    <div className="review-summary" data-testid="review-summary">
      {error && <p className="error-text small">{error}</p>}
      {summary && (
        <p className="small" data-testid="review-summary-text">
          Reviewed <strong>{summary.reviewed}</strong> of {summary.total} · changed <strong>{summary.changed}</strong> · accepted <strong>{summary.accepted}</strong> · kept <strong>{summary.kept}</strong> · excluded <strong>{summary.excluded}</strong>
        </p>
      )}
      <div className="row tight">
        <button className="small-button" onClick={() => setShowExport((v) => !v)} aria-expanded={showExport} title="The corrected labels as a CSV (path, label, original label)">Export labels CSV…</button>
      </div>
      {showExport && (
        <div className="export-command small" data-testid="export-labels-command">
          <p className="muted">Run this in a terminal to write every corrected label (path, label, original label) to labels.csv; Winnow can stay open:</p>
          <div className="row tight"><code>{command}</code><button className="small-button" onClick={() => void navigator.clipboard?.writeText(command).catch(() => {})}>Copy</button></div>
        </div>
      )}
      {bulk && <BulkAccept source={source} title={title} />}
    </div>
  );
}

function quote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `"${path.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** "Accept all suggestions with noise ≥ T": the count as T is typed, then a confirmation, then one edit. */
function BulkAccept({ source, title }: { source: QueueSource; title: string }) {
  const version = useApp((s) => s.editVersion);
  const [text, setText] = useState('0.9');
  const [count, setCount] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const t = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(t) && t >= 0 && t <= 1;
  const key = source.slice ?? `ids:${source.ids?.length ?? 0}`;
  useEffect(() => {
    setCount(null);
    setConfirming(false);
    if (!valid) return;
    let live = true;
    const timer = setTimeout(() => void previewAcceptAll(source, t).then((n) => live && setCount(n)).catch(() => live && setCount(null)), 200);
    return () => { live = false; clearTimeout(timer); };
  }, [key, text, version]);
  const run = async () => {
    setBusy(true);
    try { await acceptAll(source, t); } finally { setBusy(false); setConfirming(false); }
  };
  return (
    <div className="bulk-accept" data-testid="bulk-accept">
      <div className="row tight">
        <label className="small">Accept all suggestions with noise ≥ <input value={text} onChange={(e) => setText(e.target.value)} aria-label="Noise threshold" inputMode="decimal" className="threshold" onKeyDown={(e) => e.stopPropagation()} /></label>
        {!confirming && (
          <button className="small-button" disabled={!valid || !count || busy} onClick={() => setConfirming(true)} data-testid="bulk-accept-preview">
            {!valid ? 'between 0 and 1' : count === null ? 'counting…' : `Accept ${count}…`}
          </button>
        )}
      </div>
      {confirming && count !== null && (
        <div className="row tight confirm" role="group" aria-label="Confirm bulk accept">
          <span className="small warn-text" data-testid="bulk-accept-confirm">Change {count} label{count === 1 ? '' : 's'} in {title} to their suggestion? One Ctrl+Z undoes all of them.</span>
          <button className="primary small-button" onClick={() => void run()} disabled={busy}>Accept {count}</button>
          <button className="small-button" onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      )}
    </div>
  );
}

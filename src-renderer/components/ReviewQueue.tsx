// Keyboard review of a queue of samples (the selection): digits or type-ahead assign a label,
// X toggles exclusion, arrows move, Ctrl+Z / Ctrl+Shift+Z undo and redo. Each assignment
// advances to the next sample.
import { useEffect, useMemo, useState } from 'react';
import type { SampleDetail } from '../../src-shared/model/sample';
import { useImageUrl } from '../api/use-thumbnails';
import { loadImage, loadSample, notify, redo, relabel, setExcluded, undo } from '../state/actions';
import { useApp } from '../state/app-store';
import { useMap } from '../state/map-store';
import { selectedSampleIds } from './SelectionPanel';

export function ReviewQueue() {
  const queue = useMemo(() => selectedSampleIds(), []);
  const names = useApp((s) => s.columns?.labelNames ?? []);
  const version = useApp((s) => s.editVersion);
  // The position is kept per project (project-ui.ts); a new selection starts from the top.
  const savedPos = useApp((s) => s.reviewPos);
  const pos = Math.max(0, Math.min(queue.length - 1, savedPos));
  const setPos = (f: (p: number) => number) => useApp.setState({ reviewPos: f(Math.max(0, Math.min(queue.length - 1, useApp.getState().reviewPos))) });
  const [typed, setTyped] = useState('');
  const [sample, setSample] = useState<SampleDetail | null>(null);
  const id = queue[pos];
  const close = () => useMap.setState({ reviewOpen: false });
  const matches = typed ? names.filter((n) => n.toLowerCase().startsWith(typed.toLowerCase())) : [];

  useEffect(() => {
    if (id === undefined) return;
    let live = true;
    loadSample(id).then((s) => live && setSample(s)).catch(notify);
    return () => { live = false; };
  }, [id, version]);
  const url = useImageUrl(id === undefined ? null : () => loadImage(id), `${id}:${version}`, notify);

  useEffect(() => {
    const assign = (label: string) => {
      if (id === undefined) return;
      void relabel([id], label).then((r) => { if (r) { setTyped(''); setPos((p) => Math.min(queue.length - 1, p + 1)); } });
    };
    const onKey = (e: KeyboardEvent) => {
      const k = e.key;
      if ((e.ctrlKey || e.metaKey) && k.toLowerCase() === 'z') { void (e.shiftKey ? redo() : undo()); }
      else if (e.ctrlKey || e.metaKey || e.altKey) return;
      else if (k === 'Escape') { if (typed) setTyped(''); else close(); }
      else if (k === 'ArrowRight') setPos((p) => Math.min(queue.length - 1, p + 1));
      else if (k === 'ArrowLeft') setPos((p) => Math.max(0, p - 1));
      else if (k === 'Enter' && typed) assign(matches[0] ?? typed);
      else if (k === 'Backspace') setTyped((t) => t.slice(0, -1));
      else if (!typed && /^[0-9]$/.test(k)) {
        // A digit picks the label spelled that way, else the label listed under that number.
        const label = digitKeys(names).find(([d]) => d === Number(k))?.[1];
        if (label !== undefined) assign(label);
      } else if (!typed && (k === 'x' || k === 'X')) {
        if (id !== undefined) void setExcluded([id], true).then(() => setPos((p) => Math.min(queue.length - 1, p + 1)));
      } else if (k.length === 1 && k !== ' ') setTyped((t) => t + k);
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [id, typed, matches, names, queue.length]);

  if (id === undefined) return null;
  return (
    <div className="modal-backdrop">
      <div className="modal review" role="dialog" aria-label="Review" data-testid="review">
        <div className="modal-head"><h2>Review {pos + 1} of {queue.length}</h2><button className="ghost" onClick={close} aria-label="Close review">✕</button></div>
        <div className="review-body">
          <div className="detail-image">{url ? <img src={url} alt={`sample ${id}`} /> : <div className="thumb-placeholder big" />}</div>
          <div>
            <p>Label: <strong data-testid="review-label">{sample?.label ?? '(unlabelled)'}</strong>{sample && sample.originalLabel !== sample.label && <span className="muted"> (was {sample.originalLabel ?? 'unlabelled'})</span>}</p>
            <p className="muted small">#{id} · {sample?.relPath}</p>
            <div className="typeahead" data-testid="typeahead">{typed ? <>Label: <strong>{typed}</strong> {matches.length ? `→ ${matches.slice(0, 5).join(', ')}` : '(new label)'} · Enter</> : 'Type a label, or press a digit'}</div>
            <ul className="label-keys small">{digitKeys(names).map(([d, n]) => <li key={d}><kbd>{d}</kbd> {n}</li>)}</ul>
            <p className="muted small"><kbd>X</kbd> exclude · <kbd>←</kbd><kbd>→</kbd> move · <kbd>Ctrl+Z</kbd> undo · <kbd>Esc</kbd> close</p>
          </div>
        </div>
      </div>
    </div>
  );
}

/** Digit d assigns the label spelled "d" when there is one (MNIST), else the d-th label. */
function digitKeys(names: string[]): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (let d = 0; d < 10; d++) {
    const label = names.includes(String(d)) ? String(d) : names[d];
    if (label !== undefined) out.push([d, label]);
  }
  return out;
}

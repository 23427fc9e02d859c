// The review card: one flagged sample at a time with its evidence (label against suggestion,
// scores, reason, the neighbours that voted, its slice's pick reason, history) and one key per
// decision (REVIEW_KEYS in shortcut-table.ts: accept, keep, exclude; a digit or a typed label).
// The queue follows the chosen order and continues where it stopped (the server keeps the
// position per slice); the next cards are loaded ahead so moving on never waits for the server.
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { HistoryEntry } from '../../src-shared/model/edit';
import { REVIEW_ORDERS, type ReviewDecision, type ReviewOrder } from '../../src-shared/model/review';
import { FLAG_REVIEWED } from '../../src-shared/model/sample';
import { payloadToUrl } from '../api/image-url';
import { thumbnails } from '../api/thumbnails';
import { loadHistory, loadImage, notify, redo, undo } from '../state/actions';
import { indexOfId } from '../../src-shared/model/ids';
import { useApp, type ReviewSession } from '../state/app-store';
import { closeReview, decide, evidenceNow, loadEvidence, moveReview, openReview, reorderReview } from '../state/review-actions';
import { EvidenceCard } from './EvidenceCard';
import { HistoryList } from './HistoryList';
import { NeighbourVotes } from './NeighbourVotes';
import { ReviewSummary } from './ReviewSummary';
import { REVIEW_KEYS, reviewKeyFor } from './shortcut-table';
import { rankMatches } from './type-ahead';
import { selectedSampleIds } from './SelectionPanel';

const ORDER_NAMES: Record<ReviewOrder, string> = { noise: 'highest noise first', sparseness: 'rarest first', pick: "slice's pick order", label: 'by label', id: 'by id' };

export function ReviewQueue() {
  const review = useApp((s) => s.review);
  // Opened by the R key on a selection: build that queue (a slice's queue is built by its button).
  useEffect(() => {
    if (useApp.getState().review) return;
    const ids = selectedSampleIds();
    if (!ids.length) { closeReview(); return; }
    void openReview({ ids: Int32Array.from(ids) }).then((ok) => { if (!ok) closeReview(); });
  }, []);
  if (!review) return <div className="modal-backdrop"><div className="modal review" data-testid="review"><p className="muted">Loading the queue…</p></div></div>;
  return <ReviewCard review={review} />;
}

function ReviewCard({ review }: { review: ReviewSession }) {
  const names = useApp((s) => s.columns?.labelNames ?? []);
  const columns = useApp((s) => s.columns);
  const version = useApp((s) => s.editVersion);
  const { ids, pos } = review;
  const id = ids[pos];
  const [typed, setTyped] = useState('');
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const ev = id === undefined ? undefined : evidenceNow(id);
  const matches = useMemo(() => rankMatches(names, typed, ev), [typed, names, ev]);
  const keys = useMemo(() => digitKeys(names), [names]);

  // Samples left: those of the queue not yet marked reviewed (bit 2 of the flags).
  const left = useMemo(() => {
    if (!columns) return null;
    let n = 0;
    for (const qid of ids) { const r = indexOfId(columns.ids, qid); if (r >= 0 && (columns.flags[r]! & FLAG_REVIEWED) === 0) n++; }
    return n;
  }, [columns, ids]);

  useEffect(() => {
    if (id === undefined || evidenceNow(id)) return;
    let live = true;
    loadEvidence(id).then(() => live && bump()).catch((e) => live && notify(e));
    return () => { live = false; };
  }, [id, version]);

  // Time from the key to the next card on screen, for bench/review-card.ts (a User Timing measure).
  useLayoutEffect(() => {
    if (ev && performance.getEntriesByName('review:key').length) {
      performance.measure('review:next-card', 'review:key');
      performance.clearMarks('review:key');
    }
  }, [id, ev]);

  const state = useRef({ id, ev, typed, matches, keys, review });
  state.current = { id, ev, typed, matches, keys, review };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) && e.key !== 'Escape') return;
      const s = state.current;
      const k = e.key;
      const act = (d: ReviewDecision) => {
        if (s.id === undefined) return;
        performance.mark('review:key');
        setTyped('');
        void decide(s.id, d);
      };
      if ((e.ctrlKey || e.metaKey) && (k.toLowerCase() === 'z' || k.toLowerCase() === 'y')) {
        const again = e.shiftKey || k.toLowerCase() === 'y';
        void (again ? redo() : undo()).then((r) => {
          if (!r) return;
          // An undo takes the card back to the sample it touched, to decide it again; a redo of the
          // decision on the card on show moves on, as the decision did.
          const cur = useApp.getState().review;
          if (!cur) return;
          if (!again) { const back = firstIndexIn(cur.ids, r.changed.ids); if (back >= 0) moveReview(back); }
          else if (r.changed.ids.includes(cur.ids[cur.pos]!)) moveReview(cur.pos + 1);
        });
      } else if (e.ctrlKey || e.metaKey || e.altKey) return;
      else if (s.typed) {
        if (k === 'Enter') act({ kind: 'label', label: s.matches[0] ?? s.typed });
        else if (k === 'Escape') setTyped('');
        else if (k === 'Backspace') setTyped((t) => t.slice(0, -1));
        else if (k.length === 1) setTyped((t) => t + k);
        else return;
      } else {
        const action = reviewKeyFor(k);
        if (action === 'accept') {
          if (s.ev?.suggestedLabel) act({ kind: 'accept' });
          else useApp.setState({ notice: 'No suggestion for this sample: press a digit, type a label, or K to keep it' });
        } else if (action === 'keep') act({ kind: 'keep' });
        else if (action === 'exclude') act({ kind: 'exclude' });
        else if (action === 'next') { performance.mark('review:key'); moveReview(s.review.pos + 1); }
        else if (action === 'prev') { performance.mark('review:key'); moveReview(s.review.pos - 1); }
        else if (action === 'close') closeReview();
        else if (/^[0-9]$/.test(k)) {
          const label = s.keys.find(([d]) => d === Number(k))?.[1];
          if (label !== undefined) act({ kind: 'label', label });
        } else if (k.length === 1 && k !== ' ') setTyped(k);
        else return;
      }
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const done = left === 0;
  return (
    <div className="modal-backdrop">
      <div className="modal review" role="dialog" aria-label="Review" data-testid="review" data-sample-id={id}>
        <div className="modal-head review-head">
          <h2>Review <span className="review-pos" data-testid="review-position">{ids.length ? pos + 1 : 0} of {ids.length}{left !== null ? ` · ${left} left` : ''}</span></h2>
          <span className="muted">{review.title}</span>
          <label className="small muted">order{' '}
            <select value={review.order} onChange={(e) => void reorderReview(e.target.value as ReviewOrder)} aria-label="Review order" className="inline-select">
              {REVIEW_ORDERS.filter((o) => o !== 'pick' || review.source.slice).map((o) => <option key={o} value={o}>{ORDER_NAMES[o]}</option>)}
            </select>
          </label>
          <span className="spacer" />
          <button className="ghost" onClick={closeReview} aria-label="Close review">✕</button>
        </div>
        {id === undefined ? <p className="muted">This queue is empty.</p> : (
          <div className="review-body">
            <div>
              <CardImage id={id} />
              <h3>Neighbours that voted</h3>
              {ev ? <NeighbourVotes votes={ev.neighbours} suggested={ev.suggestedLabel} current={ev.label} /> : <div className="votes" />}
            </div>
            <div>
              {ev ? <EvidenceCard ev={ev} acceptKey={REVIEW_KEYS.accept.keyLabel} /> : <p className="muted small">Loading the evidence…</p>}
              <div className="typeahead" data-testid="typeahead">
                {typed ? <>Label: <strong>{typed}</strong> {matches.length ? `→ ${matches.slice(0, 5).join(', ')}` : '(new label)'} · Enter</> : 'Type a label + Enter, or press a digit'}
              </div>
              {keys.every(([d, n]) => n === String(d))
                ? <p className="small muted">Digits <kbd>0</kbd>–<kbd>9</kbd> set that label</p>
                : <ul className="label-keys small">{keys.map(([d, n]) => <li key={d}><kbd>{d}</kbd> {n}</li>)}</ul>}
              <p className="muted small keys-line">
                {Object.values(REVIEW_KEYS).map((k) => <span key={k.keyLabel}><kbd>{k.keyLabel}</kbd> {k.help.split(' (')[0]!.toLowerCase()} · </span>)}
                <kbd>Ctrl+Z</kbd> undo · <kbd>Ctrl+Shift+Z</kbd> redo
              </p>
              {done && <p className="ok-text small" data-testid="review-done">Every sample of this queue is reviewed.</p>}
              <CardHistory id={id} />
            </div>
          </div>
        )}
        <ReviewSummary source={review.source} title={review.title} />
      </div>
    </div>
  );
}

/** The full image, with the (prefetched) thumbnail until it arrives: never the previous card's image. */
function CardImage({ id }: { id: number }) {
  const [full, setFull] = useState<{ id: number; url: string } | null>(null);
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    loadImage(id).then(payloadToUrl).then((u) => { made = u; if (live) setFull({ id, url: u }); else URL.revokeObjectURL(u); }).catch(() => {});
    return () => { live = false; if (made) URL.revokeObjectURL(made); };
  }, [id]);
  const url = full?.id === id ? full.url : thumbnails.get(id);
  return <div className="detail-image">{url ? <img src={url} alt={`sample ${id}`} /> : <div className="thumb-placeholder big" />}</div>;
}

function CardHistory({ id }: { id: number }) {
  const version = useApp((s) => s.editVersion);
  const [history, setHistory] = useState<{ id: number; rows: HistoryEntry[] } | null>(null);
  useEffect(() => {
    let live = true;
    loadHistory(id).then((rows) => live && setHistory({ id, rows })).catch(() => {});
    return () => { live = false; };
  }, [id, version]);
  return history?.id === id ? <HistoryList history={history.rows} /> : null;
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
}

/** Index in `queue` of the first of `changed` (ascending ids) that is in it, -1 when none is. */
function firstIndexIn(queue: Int32Array, changed: Int32Array): number {
  const set = new Set(changed);
  for (let i = 0; i < queue.length; i++) if (set.has(queue[i]!)) return i;
  return -1;
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

// The nearest neighbours that voted on a sample's label, nearest first, each with its label:
// the picture behind "8 of its 10 nearest neighbours are labelled 9". Neighbours that agree with
// the suggestion are marked, so the evidence reads at a glance.
import { useMemo } from 'react';
import type { NeighbourVote } from '../../src-shared/model/review';
import { useThumbnails } from '../api/use-thumbnails';

export function NeighbourVotes({ votes, suggested, current, onOpen }: { votes: NeighbourVote[]; suggested: string | null; current: string | null; onOpen?: (id: number) => void }) {
  const ids = useMemo(() => votes.map((v) => v.id), [votes]);
  const thumb = useThumbnails(ids);
  if (votes.length === 0) return <p className="muted small" data-testid="neighbours-none">No neighbours yet: compute the map to see the ones that vote.</p>;
  return (
    <div className="votes" data-testid="neighbours">
      {votes.map((v) => {
        const side = v.label !== null && v.label === suggested && suggested !== current ? 'agree' : v.label === current ? 'same' : '';
        return (
          <button key={v.id} className={`vote ${side}`} data-label={v.label ?? ''} title={`#${v.id} · ${v.label ?? 'unlabelled'} · similarity ${v.similarity.toFixed(3)}`} onClick={() => onOpen?.(v.id)} tabIndex={-1}>
            {thumb(v.id) ? <img src={thumb(v.id)} alt={v.label ?? 'unlabelled'} /> : <div className="thumb-placeholder" />}
            <span className="badge">{v.label ?? '—'}</span>
          </button>
        );
      })}
    </div>
  );
}

// The most similar samples to the one on display, from the active embedding set.
import { useEffect, useMemo, useState } from 'react';
import { RpcError } from '../../src-shared/rpc/errors';
import { useThumbnails } from '../api/use-thumbnails';
import { findSimilar } from '../state/actions';
import { indexOfId } from '../../src-shared/model/ids';
import { useApp } from '../state/app-store';

interface Hit { id: number; similarity: number; label: string | null }

export function SimilarStrip({ id }: { id: number }) {
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setHits(null);
    setNote(null);
    findSimilar(id, 12).then((found) => { if (live) setHits(found); }).catch((e: unknown) => live && setNote(e instanceof RpcError && e.code === 'precondition' ? 'Compute embeddings to see similar images.' : String((e as Error).message)));
    return () => { live = false; };
  }, [id]);
  const shownIds = useMemo(() => hits?.map((h) => h.id) ?? [], [hits]);
  const thumb = useThumbnails(shownIds);
  return (
    <section>
      <h3>Similar images</h3>
      {note && <p className="muted small">{note}</p>}
      {!hits && !note && <p className="muted small">searching…</p>}
      {hits && (
        <div className="similar-grid" data-testid="similar">
          {hits.map((h) => (
            <button key={h.id} className="similar-cell" title={`#${h.id} · ${h.label ?? 'unlabelled'} · ${h.similarity.toFixed(3)}`} data-label={h.label ?? ''}
              onClick={() => { const cols = useApp.getState().columns; if (cols) useApp.setState({ selectedIndex: indexOfId(cols.ids, h.id) }); }}>
              {thumb(h.id) ? <img src={thumb(h.id)} alt={h.label ?? ''} /> : <div className="thumb-placeholder" />}
              <span className="badge">{h.label ?? '—'}</span>
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

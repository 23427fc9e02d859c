// The most similar samples to the one on display, from the active embedding set.
import { useEffect, useState } from 'react';
import { RpcError } from '../../src-shared/rpc/errors';
import { payloadToUrl } from '../api/image-url';
import { getApi, rowOf } from '../state/actions';
import { useApp } from '../state/app-store';

interface Hit { id: number; similarity: number; url: string | null; label: string | null }

export function SimilarStrip({ id }: { id: number }) {
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const urls: string[] = [];
    setHits(null);
    setNote(null);
    (async () => {
      const { hits: found } = await getApi().call('similar.query', { id, k: 12 });
      const ids = found.map((h) => h.sampleId);
      const [{ items }, labels] = await Promise.all([getApi().call('samples.thumbnails', { ids }), Promise.all(ids.map((i) => getApi().call('samples.get', { id: i })))]);
      const made = await Promise.all(items.map((p) => (p ? payloadToUrl(p) : Promise.resolve(null))));
      made.forEach((u) => u && urls.push(u));
      if (live) setHits(found.map((h, i) => ({ id: h.sampleId, similarity: h.similarity, url: made[i] ?? null, label: labels[i]!.label })));
    })().catch((e: unknown) => live && setNote(e instanceof RpcError && e.code === 'precondition' ? 'Compute embeddings to see similar images.' : String((e as Error).message)));
    return () => { live = false; urls.forEach((u) => URL.revokeObjectURL(u)); };
  }, [id]);
  return (
    <section>
      <h3>Similar images</h3>
      {note && <p className="muted small">{note}</p>}
      {!hits && !note && <p className="muted small">searching…</p>}
      {hits && (
        <div className="similar-grid" data-testid="similar">
          {hits.map((h) => (
            <button key={h.id} className="similar-cell" title={`#${h.id} · ${h.label ?? 'unlabelled'} · ${h.similarity.toFixed(3)}`} data-label={h.label ?? ''}
              onClick={() => { const cols = useApp.getState().columns; if (cols) useApp.setState({ selectedIndex: rowOf(cols.ids, h.id) }); }}>
              {h.url ? <img src={h.url} alt={h.label ?? ''} /> : <div className="thumb-placeholder" />}
              <span className="badge">{h.label ?? '—'}</span>
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

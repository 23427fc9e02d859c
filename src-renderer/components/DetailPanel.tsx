import { useEffect, useState } from 'react';
import type { SampleDetail } from '../../src-shared/model/sample';
import { payloadToUrl } from '../api/image-url';
import { getApi } from '../state/actions';
import { useApp } from '../state/app-store';

export function DetailPanel() {
  const columns = useApp((s) => s.columns);
  const index = useApp((s) => s.selectedIndex);
  const id = columns && index !== null ? columns.ids[index] : undefined;
  const [sample, setSample] = useState<SampleDetail | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (id === undefined) return;
    let live = true;
    let made: string | null = null;
    setError(null);
    Promise.all([getApi().call('samples.get', { id }), getApi().call('samples.image', { id }).then(payloadToUrl).catch((e: Error) => { if (live) setError(e.message); return null; })])
      .then(([s, u]) => { made = u; if (live) { setSample(s); setUrl(u); } })
      .catch((e: Error) => live && setError(e.message));
    return () => { live = false; if (made) URL.revokeObjectURL(made); };
  }, [id]);

  if (id === undefined) return null;
  return (
    <aside className="detail" aria-label="Sample detail" data-testid="detail-panel">
      <div className="modal-head"><h2>Sample {id}</h2><button className="ghost" onClick={() => useApp.setState({ detailOpen: false })} aria-label="Close detail">✕</button></div>
      <div className="detail-image">{url ? <img src={url} alt={sample?.relPath ?? ''} /> : <div className="thumb-placeholder big" />}</div>
      {error && <p className="error-text" role="alert">{error}</p>}
      {sample && (
        <dl className="props">
          <dt>Label</dt><dd data-testid="detail-label">{sample.label ?? '(unlabelled)'}</dd>
          {sample.originalLabel !== sample.label && <><dt>Original label</dt><dd>{sample.originalLabel ?? '(unlabelled)'}</dd></>}
          <dt>Path</dt><dd><code>{sample.relPath}</code></dd>
          <dt>Size</dt><dd>{sample.width} × {sample.height}</dd>
          {sample.split && <><dt>Split</dt><dd>{sample.split}</dd></>}
          <dt>Content hash</dt><dd><code title={sample.contentHash}>{sample.contentHash.slice(0, 16)}…</code></dd>
          {Object.entries(sample.metadata).map(([k, v]) => <div key={k} className="prop-pair"><dt>{k}</dt><dd>{v === null ? '—' : String(v)}</dd></div>)}
        </dl>
      )}
    </aside>
  );
}

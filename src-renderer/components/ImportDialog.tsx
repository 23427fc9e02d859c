import { useState } from 'react';
import type { ImportSummary } from '../../src-shared/model/import';
import { cancelJob, pickFolder, startImport } from '../state/actions';
import { useApp } from '../state/app-store';
import { Modal } from './Modal';
import { ProgressBar } from './ProgressBar';

export function ImportDialog() {
  const run = useApp((s) => s.runs.import);
  const native = useApp((s) => s.info?.nativeDialogs ?? false);
  const [kind, setKind] = useState<'folder' | 'mnist'>('folder');
  const [path, setPath] = useState('');
  const [labels, setLabels] = useState('');
  const running = run?.state === 'running';
  const submit = () => {
    if (kind === 'mnist') void startImport({ kind: 'mnist' });
    else void startImport({ kind: 'folder', path: path.trim(), labelsFile: labels.trim() || undefined });
  };
  return (
    <Modal title="Import images" onClose={running ? () => {} : undefined}>
      {!running && (
        <>
          <div className="row">
            <label><input type="radio" checked={kind === 'folder'} onChange={() => setKind('folder')} /> A folder of images</label>
            <label><input type="radio" checked={kind === 'mnist'} onChange={() => setKind('mnist')} /> MNIST demo (70,000 digits)</label>
          </div>
          {kind === 'folder' && (
            <>
              <label className="field">
                <span>Folder (labels from sub-folder names)</span>
                <div className="row">
                  <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/images" aria-label="Folder path" autoFocus />
                  {native && <button onClick={() => void pickFolder('Choose an image folder').then((p) => p && setPath(p))}>Browse…</button>}
                </div>
              </label>
              <label className="field">
                <span>Labels file (optional CSV or JSON with <code>path</code> and <code>label</code>; other columns become metadata)</span>
                <input value={labels} onChange={(e) => setLabels(e.target.value)} placeholder="/path/to/labels.csv" aria-label="Labels file path" />
              </label>
            </>
          )}
          <div className="row end">
            <button className="primary" disabled={kind === 'folder' && !path.trim()} onClick={submit}>Import</button>
          </div>
        </>
      )}
      {run && <ImportStatus />}
      {running && <div className="row end"><button onClick={() => void cancelJob('import')}>Cancel</button></div>}
    </Modal>
  );
}

function ImportStatus() {
  const run = useApp((s) => s.runs.import)!;
  const p = run.progress;
  const summary = run.result as ImportSummary | null;
  return (
    <section className="import-status" aria-live="polite">
      <ProgressBar done={p?.done ?? 0} total={p?.total ?? 0} label={run.state === 'running' ? p?.message ?? 'starting…' : run.state} />
      {run.state === 'running' && p && <p className="muted small">{p.rate > 0 ? `${p.rate.toFixed(0)} images/s` : ''}{p.etaSeconds !== null ? ` · about ${Math.ceil(p.etaSeconds)} s left` : ''}</p>}
      {run.state === 'done' && summary && (
        <p className="ok-text" data-testid="import-summary">Imported {summary.added} new images ({summary.skippedExisting} were already in the project).</p>
      )}
      {run.state === 'cancelled' && <p className="muted">Import cancelled. Everything imported so far is kept; importing the same folder again finishes it.</p>}
      {run.state === 'failed' && <p className="error-text" role="alert">Import failed: {run.error}</p>}
      {summary && summary.failed.length > 0 && (
        <div className="problems">
          <h3>{summary.failedCount ?? summary.failed.length} file(s) could not be imported{(summary.failedCount ?? 0) > summary.failed.length ? ` (the first ${summary.failed.length} are listed)` : ''}</h3>
          <ul data-testid="import-problems">
            {summary.failed.map((f) => <li key={f.path}><code>{f.path}</code> — {f.reason}</li>)}
          </ul>
        </div>
      )}
    </section>
  );
}

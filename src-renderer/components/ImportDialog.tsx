import { useState } from 'react';
import type { ImportSummary } from '../../src-shared/model/import';
import { pickFolder } from '../state/actions';
import { useApp } from '../state/app-store';
import { startImport } from '../state/job-actions';
import { JobStatus, useLatestJob } from './JobStatus';
import { Modal } from './Modal';

export function ImportDialog() {
  const { job, running, starting } = useLatestJob('import');
  const native = useApp((s) => s.info?.nativeDialogs ?? false);
  const [kind, setKind] = useState<'folder' | 'mnist' | 'fashion-mnist'>('folder');
  const [path, setPath] = useState('');
  const [labels, setLabels] = useState('');
  const submit = () => {
    if (kind !== 'folder') void startImport({ kind });
    else void startImport({ kind: 'folder', path: path.trim(), labelsFile: labels.trim() || undefined });
  };
  const summary = job?.state === 'done' || job?.state === 'cancelled' ? (job.result as ImportSummary | null) : null;
  return (
    <Modal title="Import images">
      {!running && (
        <>
          <div className="row">
            <label><input type="radio" checked={kind === 'folder'} onChange={() => setKind('folder')} /> A folder of images</label>
            <label><input type="radio" checked={kind === 'mnist'} onChange={() => setKind('mnist')} /> MNIST demo (70,000 digits)</label>
            <label title="Clothes that fill the frame, in classes that look alike: a harder demo. Needs the dataset-fashion-mnist package (Debian, Ubuntu)."><input type="radio" checked={kind === 'fashion-mnist'} onChange={() => setKind('fashion-mnist')} /> Fashion-MNIST demo (70,000 clothing images, where installed)</label>
          </div>
          {kind === 'folder' && (
            <>
              <label className="field">
                <span>Folder (labels from sub-folder names)</span>
                <div className="row">
                  <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/images" aria-label="Folder path" autoFocus
                    onKeyDown={(e) => { if (e.key === 'Enter' && path.trim() && !starting) submit(); }} />
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
            <button className="primary" disabled={(kind === 'folder' && !path.trim()) || starting} onClick={submit}>Import</button>
          </div>
        </>
      )}
      <JobStatus kind="import">
        {job?.state === 'done' && summary && <p className="ok-text" data-testid="import-summary">Imported {summary.added} new images ({summary.skippedExisting} were already in the project).</p>}
        {job?.state === 'cancelled' && <p className="muted">Import cancelled. Everything imported so far is kept; importing the same folder again finishes it.</p>}
        {summary && summary.failed.length > 0 && (
          <div className="problems">
            <h3>{summary.failedCount ?? summary.failed.length} file(s) could not be imported{(summary.failedCount ?? 0) > summary.failed.length ? ` (the first ${summary.failed.length} are listed; winnow import --failures-out FILE lists them all)` : ''}</h3>
            <ul data-testid="import-problems">
              {summary.failed.map((f) => <li key={f.path}><code>{f.path}</code> — {f.reason}</li>)}
            </ul>
          </div>
        )}
      </JobStatus>
    </Modal>
  );
}

import { useState } from 'react';
import { openOrCreateProject } from '../state/actions';
import { Modal } from './Modal';

export function ProjectDialog() {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const go = async (create: boolean) => {
    setBusy(true);
    await openOrCreateProject(path.trim(), create);
    setBusy(false);
  };
  return (
    <Modal title="Project">
      <p className="muted">A project is one <code>.winnow</code> file that holds the catalog, labels and curation results.</p>
      <label className="field">
        <span>Project file</span>
        <input autoFocus value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/datasets/cats.winnow" aria-label="Project file path"
          onKeyDown={(e) => { if (e.key === 'Enter' && path.trim()) void go(false); }} />
      </label>
      <div className="row end">
        <button disabled={!path.trim() || busy} onClick={() => void go(false)}>Open</button>
        <button className="primary" disabled={!path.trim() || busy} onClick={() => void go(true)}>Create</button>
      </div>
    </Modal>
  );
}

// Export a slice, the map selection, the query result or everything to a folder.
import { useState } from 'react';
import type { ExportParams } from '../../src-shared/contract/export';
import { notify, pickFolder, showFolder } from '../state/actions';
import { startExport } from '../state/job-actions';
import { JobStatus, useLatestJob } from './JobStatus';
import { useApp } from '../state/app-store';
import { useMap } from '../state/map-store';
import { Modal } from './Modal';
import { selectedSampleIds } from './SelectionPanel';

type SourceKind = 'slice' | 'selection' | 'query' | 'all';

interface Summary { out: string; exported: number; encoded: number; copied: number; linked: number; problems: Array<{ sourcePath: string; reason: string }>; warnings: string[]; bySplit: Record<string, number> | null }

export function ExportDialog() {
  const { job: run, running, starting } = useLatestJob('export');
  const native = useApp((s) => s.info?.nativeDialogs ?? false);
  const slices = useMap((s) => s.slices);
  const active = useMap((s) => s.activeSlice);
  const selection = useMap((s) => s.selection.length);
  const query = useMap((s) => (s.queryIds ? s.query : ''));
  const [kind, setKind] = useState<SourceKind>(active ? 'slice' : selection ? 'selection' : query ? 'query' : 'all');
  const [slice, setSlice] = useState(active ? `${active.info.name}@${active.info.version}` : slices[0] ? `${slices[0].name}@${slices[0].version}` : '');
  const [out, setOut] = useState('');
  const [layout, setLayout] = useState<'imagefolder' | 'flat'>('imagefolder');
  const [split, setSplit] = useState('');
  const [seed, setSeed] = useState('0');
  const [mode, setMode] = useState<'new' | 'merge' | 'replace'>('new');
  const [hardlink, setHardlink] = useState(false);
  const summary = run?.state === 'done' ? (run.result as Summary) : null;

  const start = () => {
    const source: ExportParams['source'] = kind === 'slice' ? { kind, ref: slice } : kind === 'selection' ? { kind, ids: selectedSampleIds() } : kind === 'query' ? { kind, query } : { kind: 'all' };
    const ratio = split.trim() ? Number(split) : undefined;
    void startExport({ source, out: out.trim(), layout, mode, link: hardlink ? 'hardlink' : 'copy', split: ratio !== undefined ? { ratio, seed: Number(seed) } : undefined });
  };
  return (
    <Modal title="Export">
      {!running && !summary && (
        <>
          <div className="row" role="radiogroup" aria-label="What to export">
            <label><input type="radio" checked={kind === 'slice'} disabled={!slices.length} onChange={() => setKind('slice')} /> Slice</label>
            <label><input type="radio" checked={kind === 'selection'} disabled={!selection} onChange={() => setKind('selection')} /> Selection ({selection})</label>
            <label><input type="radio" checked={kind === 'query'} disabled={!query} onChange={() => setKind('query')} /> Query result</label>
            <label><input type="radio" checked={kind === 'all'} onChange={() => setKind('all')} /> Everything (not excluded)</label>
          </div>
          {kind === 'slice' && (
            <select value={slice} onChange={(e) => setSlice(e.target.value)} aria-label="Slice to export">{slices.map((s) => <option key={s.id} value={`${s.name}@${s.version}`}>{s.name} v{s.version} ({s.size})</option>)}</select>
          )}
          <label className="field"><span>Destination folder (must be empty or new; never inside a dataset folder)</span>
            <div className="row"><input value={out} onChange={(e) => setOut(e.target.value)} placeholder="/path/to/export" aria-label="Destination folder" />
              {native && <button onClick={() => void pickFolder('Export to').then((p) => p && setOut(p))}>Browse…</button>}</div>
          </label>
          <div className="row">
            <label className="small">Layout <select value={layout} onChange={(e) => setLayout(e.target.value as 'imagefolder' | 'flat')} aria-label="Layout"><option value="imagefolder">label folders</option><option value="flat">flat</option></select></label>
            <label className="small">Train share <input value={split} onChange={(e) => setSplit(e.target.value)} placeholder="e.g. 0.8" aria-label="Train split ratio" style={{ width: 80 }} /></label>
            <label className="small">seed <input value={seed} onChange={(e) => setSeed(e.target.value)} aria-label="Split seed" style={{ width: 60 }} /></label>
            <label className="small">If not empty <select value={mode} onChange={(e) => setMode(e.target.value as 'new' | 'merge' | 'replace')} aria-label="Existing folder"><option value="new">refuse</option><option value="merge">merge</option><option value="replace">replace</option></select></label>
            <label className="small"><input type="checkbox" checked={hardlink} onChange={(e) => setHardlink(e.target.checked)} /> hard links</label>
          </div>
          <div className="row end"><button className="primary" disabled={!out.trim() || starting} onClick={start}>Export</button></div>
        </>
      )}
      <JobStatus kind="export">
        {summary && (
          <div data-testid="export-summary">
            <p className="ok-text">Exported {summary.exported} files to <code>{summary.out}</code>{summary.bySplit ? ` (${Object.entries(summary.bySplit).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}.</p>
            {summary.problems.length > 0 && <ul className="problems">{summary.problems.map((p) => <li key={p.sourcePath}><code>{p.sourcePath}</code> — {p.reason}</li>)}</ul>}
            {summary.warnings.map((w) => <p key={w} className="warn-text small">{w}</p>)}
            <div className="row end">
              <button onClick={() => void showFolder(summary.out).then((shown) => { if (!shown) void navigator.clipboard?.writeText(summary.out).then(() => useApp.setState({ toast: `Path copied: ${summary.out}` })); }).catch(notify)}>Show folder</button>
            </div>
          </div>
        )}
      </JobStatus>
    </Modal>
  );
}

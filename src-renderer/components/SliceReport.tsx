// A reference folder (images from where the model will be used, never added to the dataset):
// pick a validation set toward it, and report how representative the shown slice is of the
// pool and of the reference (class mix, cluster coverage, MMD beside random slices).
import { useEffect, useRef, useState } from 'react';
import type { SliceReport as Report, ValidationSetResult } from '../../src-shared/model/reference';
import { startSliceReport, startValidationSet } from '../state/job-actions';
import { useMap } from '../state/map-store';
import { showReferenceOnMap, showSlice } from '../state/map-actions';
import { useLatestJob } from './JobStatus';
import { ProgressBar } from './ProgressBar';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function SliceReport() {
  const active = useMap((s) => s.activeSlice);
  const [reference, setReference] = useState('');
  const [n, setN] = useState('100');
  const pick = useLatestJob('validation-set');
  const report = useLatestJob('slice-report');
  const picked = pick.job?.state === 'done' ? (pick.job.result as ValidationSetResult) : null;
  const result = report.job?.state === 'done' ? (report.job.result as Report) : null;
  // A validation set just made is shown on the map, once.
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (!picked || !pick.job || shown.current === pick.job.jobId) return;
    shown.current = pick.job.jobId;
    void showSlice(`${picked.slice.name}@${picked.slice.version}`);
  }, [picked, pick.job]);
  const ref = reference.trim() || undefined;
  const runPick = () => ref && void startValidationSet(ref, Number(n));
  const runReport = () => active && void startSliceReport(`${active.info.name}@${active.info.version}`, ref);
  const busy = pick.running || pick.starting || report.running || report.starting;
  const running = pick.running ? pick.job : report.running ? report.job : null;
  const failed = [pick, report].map((j) => (j.job?.state === 'failed' ? j.job.error : j.startError)).find(Boolean);
  return (
    <section className="slice-report" data-testid="slice-report">
      <h3>Reference set</h3>
      <input value={reference} onChange={(e) => setReference(e.target.value)} placeholder="reference folder (deployment images)" aria-label="Reference folder" onKeyDown={(e) => e.stopPropagation()} />
      <div className="row tight">
        <label className="small">N <input value={n} onChange={(e) => setN(e.target.value)} aria-label="Validation set size" inputMode="numeric" /></label>
        <button onClick={runPick} disabled={!ref || busy} title="Pick N samples whose embedding distribution matches the reference folder; stored as a slice">Validation set</button>
        <button onClick={runReport} disabled={!active || busy} title="How representative the shown slice is of the dataset (and of the reference folder, if given)">Report</button>
      </div>
      {running && <ProgressBar done={running.done} total={running.total || 1} label={running.message ?? ''} />}
      {failed && !busy && <p className="error-text small" data-testid="slice-report-error">{failed}</p>}
      {picked && <p className="ok-text small">Slice “{picked.slice.name}” v{picked.slice.version}{picked.mmd !== null && `: MMD to the reference ${picked.mmd.toFixed(3)} (random: ${picked.randomMmd!.toFixed(3)})`}.</p>}
      {result && <ReportView r={result} />}
    </section>
  );
}

function ReportView({ r }: { r: Report }) {
  const c = r.coverage;
  return (
    <div className="small" data-testid="slice-report-result">
      <p>“{r.slice.name}” v{r.slice.version}: {r.size} of {r.poolSize} samples.</p>
      {r.referencePoints && r.reference && (
        <button onClick={() => showReferenceOnMap(r.reference!.root.split(/[\\/]/).filter(Boolean).pop() ?? 'reference', r.referencePoints!.nearestIds)}
          title="Colour the map by where the reference's images land (their nearest samples) beside this slice">Show both on the map</button>
      )}
      {r.mmdToReference !== null && <p>MMD to the reference: <b>{r.mmdToReference.toFixed(3)}</b> (random slices: {r.randomMmdToReference!.toFixed(3)})</p>}
      <p>MMD to the dataset: {r.mmdToPool.toFixed(3)} (random slices: {r.randomMmdToPool.toFixed(3)})</p>
      <p>Clusters reached: {c.hit} of {c.k} ({pct(c.poolCovered)} of the dataset){c.referenceClusters !== null && `; ${c.referenceHit} of the reference's ${c.referenceClusters} (${pct(c.referenceCovered ?? 0)} of it)`}</p>
      {r.classMix && (
        <table className="mix small">
          <thead><tr><th>class</th><th>slice</th><th>dataset</th>{r.reference && <th>reference</th>}</tr></thead>
          <tbody>{r.classMix.slice(0, 20).map((m) => <tr key={m.label ?? ''}><td>{m.label ?? '(none)'}</td><td>{pct(m.slice)}</td><td>{pct(m.pool)}</td>{r.reference && <td>{m.reference === null ? '' : pct(m.reference)}</td>}</tr>)}</tbody>
        </table>
      )}
      {r.warnings.map((w) => <p key={w} className="muted">{w}</p>)}
    </div>
  );
}

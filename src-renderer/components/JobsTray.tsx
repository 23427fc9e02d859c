// The jobs bar at the bottom of the window: every background job with its phase, progress,
// rate, a steady time left and Cancel while it runs, then how it ended (with the reason when
// it failed) until dismissed. Jobs never hold the window: dialogs close at once and this bar
// keeps following them.
import type { JobKind } from '../../src-shared/model/job';
import { useApp, type Dialog } from '../state/app-store';
import { formatEta, formatRate } from '../state/eta';
import { cancelJob } from '../state/job-actions';
import { dismissJob, JOB_NAMES, JOB_UNITS, useJobs, type JobEntry } from '../state/jobs-store';

const DIALOG_OF: Partial<Record<JobKind, Dialog>> = { import: 'import', embed: 'embed', export: 'export' };
const SHOWN = 4;

export function JobsTray() {
  const jobs = useJobs((s) => s.jobs);
  const dismissed = useJobs((s) => s.dismissed);
  // Running jobs, and of the finished ones only the latest of each kind (until dismissed).
  const endedKinds = new Set<string>();
  const visible = jobs.filter((j) => {
    if (j.state === 'running') return true;
    if (endedKinds.has(j.kind)) return false;
    endedKinds.add(j.kind);
    return !dismissed.includes(j.jobId);
  }).slice(0, SHOWN);
  return (
    <footer className="jobs-tray" aria-label="Background jobs" data-testid="jobs-tray">
      {visible.length === 0 ? <span className="muted small">No background jobs</span> : visible.map((j) => <JobChip key={j.jobId} job={j} />)}
    </footer>
  );
}

function JobChip({ job }: { job: JobEntry }) {
  const name = JOB_NAMES[job.kind];
  const dialog = DIALOG_OF[job.kind];
  const open = dialog ? () => useApp.setState({ dialog }) : undefined;
  const pct = job.total > 0 ? Math.min(100, (100 * job.done) / job.total) : 0;
  const title = <button className="link job-name" onClick={open} disabled={!open} title={open ? `Open the ${name} dialog` : undefined}>{name}</button>;
  if (job.state === 'running') {
    const count = job.kind === 'map' ? `${Math.round(pct)} %` : job.total > 0 ? `${job.done.toLocaleString()} / ${job.total.toLocaleString()}` : '';
    const rate = job.kind === 'map' ? '' : formatRate(job.eta?.rate ?? 0, JOB_UNITS[job.kind]);
    return (
      <div className="job-chip running" data-testid={`job-${job.kind}`} data-state="running">
        <span className="spinner" aria-hidden />
        {title}
        <span className="job-msg small muted" title={job.message ?? ''}>{job.message ?? 'starting…'}</span>
        <span className="job-bar" aria-hidden><span style={{ width: `${pct}%` }} /></span>
        <span className="small">{[count, rate, formatEta(job.eta?.seconds ?? null)].filter(Boolean).join(' · ')}</span>
        <button className="ghost small" onClick={() => void cancelJob(job.jobId)} aria-label={`Cancel ${name}`} title={`Cancel ${name}`}>Cancel</button>
      </div>
    );
  }
  const text = job.state === 'done' ? `done${job.endedAt ? ` in ${formatSeconds((job.endedAt - job.startedAt) / 1000)}` : ''}`
    : job.state === 'failed' ? `failed: ${job.error ?? 'unknown error'}` : job.state;
  return (
    <div className={`job-chip ${job.state}`} data-testid={`job-${job.kind}`} data-state={job.state} role={job.state === 'failed' ? 'alert' : undefined}>
      <span className="job-icon" aria-hidden>{job.state === 'done' ? '✓' : job.state === 'failed' ? '✕' : '–'}</span>
      {title}
      <span className="job-msg small" title={text}>{text}</span>
      <button className="ghost small" onClick={() => dismissJob(job.jobId)} aria-label={`Dismiss ${name}`} title="Dismiss">✕</button>
    </div>
  );
}

function formatSeconds(s: number): string {
  return s < 90 ? `${Math.max(1, Math.round(s))} s` : `${Math.round(s / 60)} min`;
}

// A dialog's view of its job: progress while it runs (with Cancel), how it ended, or why the
// start was refused. The dialog can always be closed; the job goes on in the jobs bar.
import type { JobKind } from '../../src-shared/model/job';
import { formatEta, formatRate } from '../state/eta';
import { cancelJob } from '../state/job-actions';
import { JOB_NAMES, JOB_UNITS, latestJob, useJobs, type JobEntry } from '../state/jobs-store';
import { ProgressBar } from './ProgressBar';

export function useLatestJob(kind: JobKind): { job: JobEntry | null; running: boolean; starting: boolean; startError: string | null } {
  const job = useJobs((s) => latestJob(s, kind));
  const starting = useJobs((s) => !!s.starting[kind]);
  const startError = useJobs((s) => s.startError[kind] ?? null);
  return { job, running: job?.state === 'running', starting, startError };
}

export function JobStatus({ kind, children }: { kind: JobKind; children?: React.ReactNode }) {
  const { job, running, starting, startError } = useLatestJob(kind);
  const name = JOB_NAMES[kind];
  return (
    <section aria-live="polite" data-testid={`${kind}-status`}>
      {startError && !running && <p className="error-text" data-testid={`${kind}-error`}>{name} could not start: {startError}</p>}
      {starting && <p className="muted small"><span className="spinner" /> starting…</p>}
      {job && (
        <>
          {(running || job.total > 0) && <ProgressBar done={job.done} total={job.total} label={running ? job.message ?? 'starting…' : job.state} />}
          {running && (
            <>
              <p className="muted small" data-testid={`${kind}-rate`}>{[formatRate(job.eta?.rate ?? 0, JOB_UNITS[kind]), formatEta(job.eta?.seconds ?? null), job.message].filter(Boolean).join(' · ') || 'starting…'}</p>
              <p className="muted small hint">You can close this window: the job keeps running in the bar at the bottom, and the rest of Winnow stays usable.</p>
              <div className="row end"><button onClick={() => void cancelJob(job.jobId)}>Cancel</button></div>
            </>
          )}
          {job.state === 'failed' && <p className="error-text" data-testid={`${kind}-error`}>{name} failed: {job.error}</p>}
          {job.state === 'interrupted' && <p className="warn-text">{name} was interrupted; run it again to resume.</p>}
          {children}
        </>
      )}
    </section>
  );
}
